package synth

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"
)

// Daily chances that shape the dashboards; chosen so two years show churn, resets and
// reappearances at roughly the rate the real dashboards do.
const (
	leaveChance = 0.015 // an unpinned job leaves the dashboard
	resetChance = 0.004 // a failing job passes once and its failing_days restarts
	bornChance  = 0.8   // a brand-new job name appears
	wobble      = 0.3   // a flaky job's figures move
)

// universe is every job name either dashboard ever lists, and the day each first exists.
type universe struct {
	names []string
	born  []int // day index; names are in birth order
	order []int // indices sorted by name, for writing snapshots in key order
	fam   []int // family index of each name
}

func newUniverse(r *rand.Rand, s Sizes) *universe {
	u := &universe{}
	seen := map[string]bool{}
	add := func(day int) {
		fi := r.IntN(len(families))
		name := jobName(r, families[fi])
		if seen[name] {
			name += "-" + strconv.Itoa(len(u.names))
		}
		seen[name] = true
		u.names, u.born, u.fam = append(u.names, name), append(u.born, day), append(u.fam, fi)
	}
	for range s.Jobs * 5 / 4 {
		add(0)
	}
	for d := 1; d < s.Days; d++ {
		if r.Float64() < bornChance {
			add(d)
		}
	}
	u.order = make([]int, len(u.names))
	for i := range u.order {
		u.order[i] = i
	}
	sort.Slice(u.order, func(a, b int) bool { return u.names[u.order[a]] < u.names[u.order[b]] })
	return u
}

var suffixes = []string{"master", "1-34", "1-35", "1-36", "canary", "latest", "release-1-5", "periodic", "ko35", "serial"}

func jobName(r *rand.Rand, f family) string {
	return f.prefix + pick(r, f.words) + "-" + pick(r, f.words) + "-" + pick(r, suffixes)
}

// jobState is one job on one dashboard; on is false while the job is off it.
type jobState struct {
	on     bool
	days   int
	cons   float64
	flakes int
	tests  []testFlake // nil: the dashboard published null
}

type testFlake struct {
	name  string
	count int
}

// dashboard evolves one dataset day by day.
type dashboard struct {
	r      *rand.Rand
	u      *universe
	flakes bool
	pinned int // the first pinned names never leave: patterns name them
	jobs   []jobState
	active int
}

// step moves the dashboard to day d: jobs leave, figures move, new and returning jobs arrive.
func (b *dashboard) step(d, target int) {
	for i := range b.jobs {
		j := &b.jobs[i]
		if !j.on {
			continue
		}
		if i >= b.pinned && d > 0 && b.r.Float64() < leaveChance {
			j.on = false
			b.active--
			continue
		}
		if d > 0 {
			b.age(j)
		}
	}
	for i := len(b.jobs); i < len(b.u.names) && b.u.born[i] <= d; i++ {
		b.jobs = append(b.jobs, jobState{})
		if d > 0 && b.r.Float64() < 0.9 {
			b.join(i, d)
		}
	}
	for i := range b.pinned {
		b.join(i, d)
	}
	for tries := 0; b.active < target && tries < 20*target; tries++ {
		b.join(b.r.IntN(len(b.jobs)), d)
	}
}

// join puts job i on the dashboard with fresh figures; on day 0 the figures span every bucket.
func (b *dashboard) join(i, d int) {
	j := &b.jobs[i]
	if j.on {
		return
	}
	r := b.r
	*j = jobState{on: true, days: 1 + r.IntN(30)}
	if d == 0 {
		j.days = 1 + r.IntN(900)
	}
	b.active++
	if !b.flakes {
		return
	}
	j.cons = 1
	if r.IntN(5) >= 2 {
		j.cons = math.Round((0.3+0.7*r.Float64())*1000) / 1000
		j.flakes = 1 + r.IntN(30)
	}
	if r.IntN(5) >= 2 {
		for _, k := range r.Perm(len(tests))[:1+r.IntN(4)] {
			j.tests = append(j.tests, testFlake{tests[k], 1 + r.IntN(10)})
		}
		sort.Slice(j.tests, func(a, c int) bool { return j.tests[a].name < j.tests[c].name })
	}
}

// age advances a job one day: failing_days grows by one unless the job passed in between.
func (b *dashboard) age(j *jobState) {
	r := b.r
	j.days++
	if r.Float64() < resetChance {
		j.days = r.IntN(3)
	}
	if b.flakes && r.Float64() < wobble {
		j.cons = math.Round(min(1, max(0, j.cons+(r.Float64()-0.5)*0.04))*1000) / 1000
		j.flakes = max(0, j.flakes+r.IntN(3)-1)
	}
}

// json writes the day's dashboard file as the real one is laid out: keys sorted, two-space indent.
func (b *dashboard) json() []byte {
	var w bytes.Buffer
	w.WriteString("{")
	first := true
	for _, i := range b.u.order {
		if i >= len(b.jobs) || !b.jobs[i].on {
			continue
		}
		if !first {
			w.WriteString(",")
		}
		first = false
		w.WriteString("\n  " + strconv.Quote(b.u.names[i]) + ": {\n")
		b.writeFigures(&w, &b.jobs[i])
		w.WriteString("\n  }")
	}
	w.WriteString("\n}\n")
	return w.Bytes()
}

func (b *dashboard) writeFigures(w *bytes.Buffer, j *jobState) {
	if !b.flakes {
		w.WriteString(`    "failing_days": ` + strconv.Itoa(j.days))
		return
	}
	c := strconv.FormatFloat(j.cons, 'f', -1, 64)
	if j.cons == math.Trunc(j.cons) {
		c += ".0"
	}
	w.WriteString(`    "consistency": ` + c + ",\n")
	w.WriteString(`    "flakes": ` + strconv.Itoa(j.flakes) + ",\n")
	w.WriteString(`    "test_flakes": `)
	if j.tests == nil {
		w.WriteString("null")
		return
	}
	w.WriteString("{")
	for k, t := range j.tests {
		if k > 0 {
			w.WriteString(", ")
		}
		w.WriteString(strconv.Quote(t.name) + ": " + strconv.Itoa(t.count))
	}
	w.WriteString("}")
}

// writeSnapshots writes Days daily files of one dataset with their provenance.
func writeSnapshots(dir string, r *rand.Rand, u *universe, s Sizes, ds string, end time.Time) error {
	b := &dashboard{r: r, u: u, flakes: ds == "flakes", pinned: pinnedCount(s)}
	base := filepath.Join(dir, "snapshots", ds)
	if err := os.MkdirAll(base, 0o755); err != nil {
		return err
	}
	for d := range s.Days {
		b.step(d, s.Jobs+r.IntN(s.Jobs/25+1)-s.Jobs/50)
		data := b.json()
		date := dayDate(end, s.Days, d)
		if err := os.WriteFile(filepath.Join(base, date+".json"), data, 0o644); err != nil {
			return err
		}
		meta := snapshotMeta(ds, date, data, b.active)
		if err := os.WriteFile(filepath.Join(base, date+".meta.yaml"), meta, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func snapshotMeta(ds, date string, data []byte, jobs int) []byte {
	sum := sha256.Sum256(data)
	w := &yw{}
	w.comment("Provenance of " + ds + "/" + date + ".json: synthetic, written by internal/synth.")
	w.str("dataset", ds)
	w.str("date", date)
	w.str("source", "gs://k8s-metrics/"+ds+"-latest.json")
	w.str("fetched_at", date+"T06:00:00Z")
	w.str("sha256", hex.EncodeToString(sum[:]))
	w.line("partial: false")
	w.num("jobs_in_source", jobs)
	w.md("note", "Synthetic dashboard file for benchmarks; every job of the day is listed.")
	return w.b.Bytes()
}

// pinnedCount is how many of the first names stay on both dashboards every day.
func pinnedCount(s Sizes) int { return max(8, s.Jobs/4) }

func dayDate(end time.Time, days, d int) string {
	return end.AddDate(0, 0, d-(days-1)).Format("2006-01-02")
}
