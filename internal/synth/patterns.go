package synth

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// plan is what other files need to know of a pattern before it is written.
type plan struct {
	slug, dataset, title string
	subs                 int
	bare                 bool // declares default_repo, so its prose may cite bare #N
}

func planPatterns(r *rand.Rand, s Sizes) []plan {
	out := make([]plan, s.Patterns)
	for i := range out {
		ds := "failures"
		if i%2 == 1 {
			ds = "flakes"
		}
		out[i] = plan{
			slug:    fmt.Sprintf("%s-%s-%04d", pick(r, topics), pick(r, topics), i),
			dataset: ds,
			title:   pick(r, subjects) + " " + pick(r, verbs) + " " + pick(r, objects),
			subs:    1 + r.IntN(4),
			bare:    r.IntN(2) == 0,
		}
	}
	return out
}

// pattern writes patterns/<slug>.yaml: a body, its sub-patterns, and claims of every kind.
func (g *gen) pattern(plans []plan, i int) []byte {
	p := plans[i]
	w := &yw{}
	w.comment("Synthetic pattern " + strconv.Itoa(i) + " (internal/synth).")
	w.str("slug", p.slug)
	w.str("dataset", p.dataset)
	if p.bare {
		w.str("default_repo", "kubernetes/kubernetes")
	}
	g.body(w, p, plans, 0, p.title)
	w.items("subpatterns", p.subs, func(k int) {
		w.str("id", fmt.Sprintf("%s-%d", pick(g.r, topics), k+1))
		w.str("label", fmt.Sprintf("P%d.%d", i, k+1))
		g.body(w, p, plans, k+1, pick(g.r, subjects)+" "+pick(g.r, verbs)+" "+pick(g.r, objects))
	})
	return w.b.Bytes()
}

// body writes the fields a pattern and a sub-pattern share; part 0 is the pattern itself.
func (g *gen) body(w *yw, p plan, plans []plan, part int, title string) {
	r := g.r
	w.str("title", title)
	w.md("summary", g.markdown(1, p.bare))
	w.md("root_cause", g.para(2, p.bare))
	w.block("causal_chain", func() {
		w.md("introduced_by", g.causal(p.bare))
		w.md("exposed_by", g.causal(p.bare))
	})
	if r.IntN(2) == 0 {
		w.md("details", g.markdown(2+r.IntN(2), p.bare))
	}
	jobs := g.jobs(w, p, part)
	g.match(w, part, jobs)
	if r.IntN(4) == 0 {
		w.num("job_count", len(jobs)+1+r.IntN(40))
	}
	var claims []int
	for k := range g.s.CitationsPerPattern {
		if k%(1+p.subs) == part {
			claims = append(claims, k)
		}
	}
	w.items("citations", len(claims), func(k int) { g.claim(w, claims[k], p.bare) })
	g.fix(w, p.bare)
	w.md("tracker", g.sentence(p.bare))
	w.md("status", pick(g.r, []string{"Open; no PR.", "Fix under review.", "Merged; waiting for the dashboard to clear.", "Stale."}))
	w.strs("owner_sigs", g.owners(jobs))
	if r.IntN(5) == 0 {
		w.strs("cross_lists", []string{pick(r, plans).slug})
	}
}

// match gives the first two sub-patterns a rule beside their list, drawn from their first job
// and without drawing from the random source, so the rest of the tree is as it was: a glob
// on the name's stem for the first, a regexp with optional release suffixes for the second.
func (g *gen) match(w *yw, part int, jobs []int) {
	if len(jobs) == 0 || part == 0 || part > 2 {
		return
	}
	name := g.stable[jobs[0]]
	w.items("match", 1, func(int) {
		if part == 1 {
			w.str("glob", name[:strings.LastIndexByte(name, '-')+1]+"*")
		} else {
			w.str("regexp", regexp.QuoteMeta(name)+`(-release-\d+)?`)
		}
	})
}

func (g *gen) causal(bare bool) string {
	if g.r.IntN(3) == 0 {
		return "unknown"
	}
	return g.sentence(bare)
}

// jobs writes the body's job list: pinned jobs, so every report's snapshot has them, and now
// and then a retired job the dashboard no longer lists. It returns the pinned ones named.
func (g *gen) jobs(w *yw, p plan, part int) []int {
	r := g.r
	n := r.IntN(4)
	if part > 0 {
		n++
	}
	idx := distinct(r, len(g.stable), n)
	retired := r.IntN(10) == 0
	total := len(idx)
	if retired {
		total++
	}
	w.items("jobs", total, func(k int) {
		if k == len(idx) {
			w.str("name", fmt.Sprintf("ci-kubernetes-retired-%s-%s-%d", pick(r, topics), p.slug, part))
			w.flag("not_in_snapshot", true)
			return
		}
		w.str("name", g.stable[idx[k]])
		if r.IntN(2) == 0 {
			w.str("reported", g.reported(p.dataset))
		}
		if r.IntN(3) == 0 {
			w.md("note", g.sentence(p.bare))
		}
	})
	return idx
}

func (g *gen) reported(ds string) string {
	if ds == "flakes" {
		return fmt.Sprintf("c=0.%03d", g.r.IntN(1000))
	}
	return strconv.Itoa(1+g.r.IntN(900)) + "d"
}

// distinct is k different numbers below n, in draw order.
func distinct(r *rand.Rand, n, k int) []int {
	k = min(k, n)
	out := make([]int, 0, k)
	for len(out) < k {
		if x := r.IntN(n); !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// owners are the SIGs of the body's jobs' families, or one at random when it names none.
func (g *gen) owners(jobs []int) []string {
	var out []string
	for _, j := range jobs {
		if id := families[g.fam[j]].sig; !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		out = append(out, pick(g.r, sigNames)[0])
	}
	return out
}

func (g *gen) fix(w *yw, bare bool) {
	r := g.r
	w.block("fix", func() {
		w.md("summary", g.para(1+r.IntN(2), bare))
		w.items("sketches", r.IntN(3), func(int) {
			w.str("file", fileRef(r))
			w.str("lang", "diff")
			w.md("code", fmt.Sprintf("- err = wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, %ds, true, check)\n+ err = wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, %ds, true, check)",
				10+r.IntN(20), 60+r.IntN(120)))
		})
	})
}

// claim writes citation claim k; the kind cycles so every pattern claims every kind.
func (g *gen) claim(w *yw, k int, bare bool) {
	r := g.r
	switch k % 5 {
	case 0:
		g.prClaim(w, bare)
	case 1:
		g.issueClaim(w)
	case 2:
		rp := pick(r, repos)
		w.str("ref", rp.alias+"@"+shaHex(r, 11))
		w.str("role", pick(r, roles))
		w.str("author", pick(r, people))
		w.str("date", g.date())
		w.str("title", g.sentence(false))
	case 3:
		w.str("ref", fileRef(r))
		w.str("role", "evidence")
		at := g.date()
		if r.IntN(3) == 0 {
			at = shaHex(r, 40)
		}
		w.str("at", at)
		if r.IntN(2) == 0 {
			w.str("quote", "g.Spec.Image = \"309956199498/RHEL-10.1.0\"")
		}
	default:
		g.buildClaim(w)
	}
	if r.IntN(3) == 0 {
		w.md("note", g.sentence(bare))
	}
}

func (g *gen) prClaim(w *yw, bare bool) {
	r := g.r
	ref := fmt.Sprintf("%s#%d", pick(r, repos).alias, 1000+r.IntN(138000))
	if bare && r.IntN(2) == 0 {
		ref = fmt.Sprintf("#%d", 100000+r.IntN(39000))
	}
	state := pick(r, states)
	w.str("ref", ref)
	w.str("kind", "pr")
	w.str("role", pick(r, roles))
	w.str("title", strings.TrimSuffix(g.sentence(false), "."))
	w.str("state", state)
	if state == "merged" {
		w.str("merged_at", g.date()+"T04:57:45Z")
	}
	if state == "closed" {
		w.str("closed_at", g.date())
	}
	if r.IntN(2) == 0 {
		w.strs("labels", []string{pick(r, labels), pick(r, labels)})
	}
}

func (g *gen) issueClaim(w *yw) {
	r := g.r
	rp := pick(r, repos)
	w.str("ref", fmt.Sprintf("%s#%d", rp.name, 100+r.IntN(40000)))
	w.str("kind", "issue")
	w.str("role", pick(r, []string{"tracker", "umbrella", "related"}))
	w.str("title", strings.TrimSuffix(g.sentence(false), "."))
	if r.IntN(2) == 0 {
		w.str("state", "open")
		return
	}
	w.str("state", "closed")
	w.str("closed_at", g.date())
}

func (g *gen) buildClaim(w *yw) {
	r := g.r
	job := pick(r, g.stable)
	w.str("ref", buildRef(r, job))
	w.str("role", "sample")
	w.str("job", job)
	w.str("result", pick(r, []string{"failure", "failure", "success"}))
	if r.IntN(2) == 0 {
		w.str("quote", "FAIL: expected feature gate 'CPUCFSQuotaPeriod' not found in metrics")
	}
}

// date is a day inside the generated history.
func (g *gen) date() string { return dayDate(end, g.s.Days, g.r.IntN(g.s.Days)) }
