package analyze_test

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
)

func testPatterns() []*content.Pattern {
	kops := &content.Pattern{Slug: "kops", Dataset: "failures", Body: content.Body{
		OwnerSIGs: []string{"sig-cluster-lifecycle"},
		Match:     []content.JobMatcher{{Glob: "e2e-kops-grid-*"}, {Glob: "*-canary", Exclude: true}},
	}}
	kops.SubPatterns = []content.SubPattern{
		{ID: "ko35", Body: content.Body{Match: []content.JobMatcher{{Glob: "e2e-kops-grid-*-ko35"}}, OwnerSIGs: []string{"sig-testing"}}},
		{ID: "rhel10", Body: content.Body{Match: []content.JobMatcher{{Regexp: `e2e-kops-grid-.*rhel10.*`}}}},
	}
	capa := &content.Pattern{Slug: "capa", Dataset: "failures", Body: content.Body{
		Jobs:  []content.JobRef{{Name: "e2e-kops-grid-shared-canary", ByDesign: true}},
		Match: []content.JobMatcher{{Regexp: `periodic-capa(-release-2-\d+)?`}},
	}}
	etcd := &content.Pattern{Slug: "etcd", Dataset: "flakes", Body: content.Body{
		Match: []content.JobMatcher{{Test: "*TestEtcd*"}},
	}}
	return []*content.Pattern{capa, etcd, kops}
}

func keys(cs []analyze.Claim) []string {
	out := []string{}
	for _, c := range cs {
		k := c.Key()
		if c.ByDesign {
			k += "(by design)"
		}
		out = append(out, k)
	}
	return out
}

func TestPlace(t *testing.T) {
	p := analyze.NewPlacer(testPatterns())
	cases := []struct {
		ds    snapshot.Dataset
		name  string
		tests []snapshot.TestFlake
		want  []string
	}{
		{snapshot.Failures, "e2e-kops-grid-a", nil, []string{"kops"}},
		{snapshot.Failures, "e2e-kops-grid-a-ko35", nil, []string{"kops#ko35"}},
		{snapshot.Failures, "e2e-kops-grid-rhel10-ko35", nil, []string{"kops#ko35", "kops#rhel10"}},
		{snapshot.Failures, "e2e-kops-grid-x-canary", nil, []string{}},                                                       // excluded
		{snapshot.Failures, "e2e-kops-grid-shared-canary", nil, []string{"capa(by design)"}},                                 // listed: never excluded
		{snapshot.Failures, "periodic-capa-release-2-10", nil, []string{"capa"}},                                             // regexp, anchored
		{snapshot.Failures, "periodic-capa-release-2-10-x", nil, []string{}},                                                 // anchored at the end
		{snapshot.Failures, "xe2e-kops-grid-a", nil, []string{}},                                                             // anchored at the start
		{snapshot.Flakes, "e2e-kops-grid-a", nil, []string{}},                                                                // another dataset
		{snapshot.Flakes, "ci-integration", []snapshot.TestFlake{{Test: "TestA"}, {Test: "TestEtcdPath"}}, []string{"etcd"}}, // by test
		{snapshot.Flakes, "ci-unit", []snapshot.TestFlake{{Test: "TestA"}}, []string{}},
	}
	for _, tc := range cases {
		if got := keys(p.Place(tc.ds, tc.name, tc.tests)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s %s: %v, want %v", tc.ds, tc.name, got, tc.want)
		}
	}
}

func TestOwnershipPerSubPattern(t *testing.T) {
	p := analyze.NewPlacer(testPatterns())
	o := analyze.OwnershipOf(p.Place(snapshot.Failures, "e2e-kops-grid-a-ko35", nil), []string{"sig-node", "sig-testing"})
	if o.Primary != "sig-testing" || !reflect.DeepEqual(o.Also, []string{"sig-node"}) {
		t.Errorf("ko35 job: %+v, want the sub-pattern's sig-testing first, sig-node also", o)
	}
	o = analyze.OwnershipOf(p.Place(snapshot.Failures, "e2e-kops-grid-a", nil), nil)
	if o.Primary != "sig-cluster-lifecycle" || len(o.Also) != 0 {
		t.Errorf("pattern-level job: %+v", o)
	}
	o = analyze.OwnershipOf(nil, []string{"sig-node"})
	if o.Primary != "sig-node" {
		t.Errorf("unexplained job: %+v, want the registry's SIG", o)
	}
}

func history(t *testing.T, ds snapshot.Dataset, days map[string][]snapshot.Job) *snapshot.History {
	t.Helper()
	dates := slices.Sorted(maps.Keys(days))
	var snaps []*snapshot.Snapshot
	for _, d := range dates {
		snaps = append(snaps, snapshot.New(ds, days[d]))
	}
	h, err := snapshot.HistoryOf(ds, dates, snaps)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestStatus(t *testing.T) {
	h := history(t, snapshot.Failures, map[string][]snapshot.Job{
		"2026-05-10": {{Name: "e2e-kops-grid-a", FailingDays: 400}, {Name: "e2e-kops-grid-b-ko35", FailingDays: 2}, {Name: "periodic-capa", FailingDays: 20}, {Name: "ci-lost", FailingDays: 50}},
		"2026-05-11": {{Name: "e2e-kops-grid-a", FailingDays: 401}, {Name: "e2e-kops-grid-c-ko35", FailingDays: 0}, {Name: "ci-new", FailingDays: 200},
			{Name: "periodic-capa", FailingDays: 20}, {Name: "e2e-kops-grid-shared-canary", FailingDays: 500}},
	})
	ps := analyze.NewPlacer(testPatterns()).PlaceAll(h)
	s := analyze.StatusOf(h, 1, ps, analyze.StatusOptions{})
	names := func(js []analyze.StatusJob) string {
		out := ""
		for _, j := range js {
			out += fmt.Sprintf("%s:%s:%s ", j.Job.Name, j.Severity, j.Trend)
		}
		return out
	}
	if got, want := names(s.Ranked), "e2e-kops-grid-a:critical:growing ci-new:severe:new e2e-kops-grid-c-ko35:low:new periodic-capa:low:steady "; got != want {
		t.Errorf("ranked: %s\nwant   %s", got, want)
	}
	if got, want := names(s.ByDesign), "e2e-kops-grid-shared-canary:critical:new "; got != want {
		t.Errorf("by design: %s", got)
	}
	if got, want := names(s.New), "e2e-kops-grid-shared-canary:critical:new ci-new:severe:new e2e-kops-grid-c-ko35:low:new "; got != want {
		t.Errorf("new: %s", got)
	}
	if got, want := names(s.Recovered), "ci-lost:moderate: e2e-kops-grid-b-ko35:low: "; got != want {
		t.Errorf("recovered: %s", got)
	}
	if got, want := names(s.Unexplained), "ci-new:severe:new "; got != want {
		t.Errorf("unexplained: %s", got)
	}
	live := map[string]string{}
	for _, l := range s.Live {
		live[l.Claim.Key()] = fmt.Sprintf("%d of %d, %d recovered, %d new, %d now", l.Failing, l.Of, l.Recovered, l.NewlyMatched, l.Now)
	}
	want := map[string]string{
		"capa":      "1 of 1, 0 recovered, 1 new, 2 now",
		"kops":      "1 of 2, 1 recovered, 1 new, 2 now",
		"kops#ko35": "0 of 1, 1 recovered, 1 new, 1 now",
	}
	if !reflect.DeepEqual(live, want) {
		t.Errorf("live: %v\nwant %v", live, want)
	}
	// A release-blocking job ranks first among the jobs of its severity.
	blocking := analyze.StatusOf(h, 1, ps, analyze.StatusOptions{Blocking: func(n string) bool { return n == "periodic-capa" }})
	if got, want := names(blocking.Ranked), "e2e-kops-grid-a:critical:growing ci-new:severe:new periodic-capa:low:steady e2e-kops-grid-c-ko35:low:new "; got != want {
		t.Errorf("ranked with a blocking job: %s\nwant %s", got, want)
	}
	// Top keeps the head of every list and counts them all.
	if c := s.Counts; c != (analyze.StatusCounts{Ranked: 4, ByDesign: 1, New: 3, Recovered: 2, Unexplained: 1, OnFire: 4}) {
		t.Errorf("counts: %+v", c)
	}
	top := analyze.StatusOf(h, 1, ps, analyze.StatusOptions{Top: 1})
	if top.Counts != s.Counts || !reflect.DeepEqual(top.Live, s.Live) {
		t.Errorf("top 1: counts %+v, live %v; want %+v, %v", top.Counts, top.Live, s.Counts, s.Live)
	}
	for _, l := range []struct {
		name     string
		top, all []analyze.StatusJob
	}{{"ranked", top.Ranked, s.Ranked}, {"by design", top.ByDesign, s.ByDesign}, {"new", top.New, s.New}, {"recovered", top.Recovered, s.Recovered}, {"unexplained", top.Unexplained, s.Unexplained}} {
		if !reflect.DeepEqual(l.top, l.all[:1]) {
			t.Errorf("top 1 of %s: %s, want %s", l.name, names(l.top), names(l.all[:1]))
		}
	}
	// A partial snapshot does not say what recovered, nor a partial previous one what is new:
	// the lists hold what the snapshots do not store, flagged as not known.
	s = analyze.StatusOf(h, 1, ps, analyze.StatusOptions{PrevPartial: true, CurPartial: true})
	if s.NewKnown || s.RecoveredKnown || len(s.New) != 3 || len(s.Recovered) != 2 {
		t.Errorf("partial snapshots: new %v %d, recovered %v %d", s.NewKnown, len(s.New), s.RecoveredKnown, len(s.Recovered))
	}
	// A job the partial previous snapshot does not store is unstored, not new, and ranks as steady.
	if got, want := names(s.Ranked), "e2e-kops-grid-a:critical:growing ci-new:severe:unstored periodic-capa:low:steady e2e-kops-grid-c-ko35:low:unstored "; got != want {
		t.Errorf("ranked after a partial snapshot: %s\nwant %s", got, want)
	}
	// The first snapshot, and an empty one, judge without a crash.
	if s := analyze.StatusOf(h, 0, ps, analyze.StatusOptions{}); s.Prev != "" || len(s.Ranked) != 4 {
		t.Errorf("first snapshot: %+v", s)
	}
	empty := history(t, snapshot.Failures, map[string][]snapshot.Job{"2026-05-10": nil, "2026-05-11": nil})
	if s := analyze.StatusOf(empty, 1, analyze.NewPlacer(nil).PlaceAll(empty), analyze.StatusOptions{}); s.Jobs != 0 || len(s.Live) != 0 {
		t.Errorf("empty: %+v", s)
	}
}

// StatusAgainst judges a snapshot against any earlier one as StatusOf judges it against the
// one before it: a digest compares the end of its window with the snapshot before the window.
func TestStatusAgainst(t *testing.T) {
	days := map[string][]snapshot.Job{
		"2026-05-09": {{Name: "e2e-kops-grid-a", FailingDays: 398}, {Name: "ci-gone", FailingDays: 30}, {Name: "periodic-capa", FailingDays: 18}},
		"2026-05-10": {{Name: "e2e-kops-grid-a", FailingDays: 399}, {Name: "ci-blip", FailingDays: 1}, {Name: "periodic-capa", FailingDays: 19}},
		"2026-05-11": {{Name: "e2e-kops-grid-a", FailingDays: 400}, {Name: "ci-blip", FailingDays: 2}, {Name: "ci-new", FailingDays: 200}},
	}
	patterns := testPatterns()
	h := history(t, snapshot.Failures, days)
	ps := analyze.NewPlacer(patterns).PlaceAll(h)
	delete(days, "2026-05-10")
	skip := history(t, snapshot.Failures, days) // the same ends, nothing between
	opts := analyze.StatusOptions{PrevPartial: true}
	got, want := analyze.StatusAgainst(h, 0, 2, ps, opts), analyze.StatusOf(skip, 1, analyze.NewPlacer(patterns).PlaceAll(skip), opts)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("2026-05-11 against 2026-05-09:\n%+v\nwant as if nothing came between:\n%+v", got, want)
	}
	if got.Prev != "2026-05-09" || got.Days != 2 || len(got.New) != 2 || len(got.Recovered) != 2 {
		t.Errorf("against 2026-05-09: prev %s, %d days, %d new, %d recovered; want 2026-05-09, 2, 2, 2", got.Prev, got.Days, len(got.New), len(got.Recovered))
	}
	// Base -1 compares with nothing, as StatusOf judges a history's first snapshot.
	alone := analyze.StatusAgainst(h, -1, 2, ps, analyze.StatusOptions{})
	if alone.Prev != "" || alone.NewKnown || len(alone.New) != 0 || len(alone.Recovered) != 0 || len(alone.Ranked) != 3 {
		t.Errorf("against nothing: %+v", alone)
	}
	for _, j := range alone.Ranked {
		if j.Trend != analyze.TrendSteady || j.Before != nil {
			t.Errorf("against nothing: %s is %s, before %v; want steady, no before", j.Job.Name, j.Trend, j.Before)
		}
	}
}

// ChangesOnly builds out only what changed and counts every list.
func TestStatusChangesOnly(t *testing.T) {
	h := history(t, snapshot.Failures, map[string][]snapshot.Job{
		"2026-05-10": {{Name: "e2e-kops-grid-a", FailingDays: 400}, {Name: "e2e-kops-grid-b-ko35", FailingDays: 2}, {Name: "ci-lost", FailingDays: 50}},
		"2026-05-11": {{Name: "e2e-kops-grid-a", FailingDays: 401}, {Name: "ci-new", FailingDays: 200}, {Name: "e2e-kops-grid-shared-canary", FailingDays: 500}},
	})
	ps := analyze.NewPlacer(testPatterns()).PlaceAll(h)
	all := analyze.StatusOf(h, 1, ps, analyze.StatusOptions{})
	changes := analyze.StatusOf(h, 1, ps, analyze.StatusOptions{ChangesOnly: true})
	if changes.Ranked != nil || changes.ByDesign != nil || changes.Counts != all.Counts {
		t.Errorf("changes only: ranked %d, by design %d, counts %+v; want none, none, %+v", len(changes.Ranked), len(changes.ByDesign), changes.Counts, all.Counts)
	}
	for _, l := range []struct {
		name      string
		got, want []analyze.StatusJob
	}{{"new", changes.New, all.New}, {"recovered", changes.Recovered, all.Recovered}, {"unexplained", changes.Unexplained, all.Unexplained}} {
		if len(l.want) == 0 || !reflect.DeepEqual(l.got, l.want) {
			t.Errorf("changes only, %s: %+v, want %+v (not none)", l.name, l.got, l.want)
		}
	}
}

// LiveChanged keeps only the live counts that changed, and still counts every live pattern.
func TestStatusLiveChanged(t *testing.T) {
	day2 := []snapshot.Job{{Name: "e2e-kops-grid-a", FailingDays: 401}, {Name: "e2e-kops-grid-c-ko35", FailingDays: 0}, {Name: "periodic-capa", FailingDays: 20}}
	day3 := []snapshot.Job{{Name: "e2e-kops-grid-a", FailingDays: 402}, {Name: "e2e-kops-grid-c-ko35", FailingDays: 1}, {Name: "periodic-capa", FailingDays: 21}}
	h := history(t, snapshot.Failures, map[string][]snapshot.Job{
		"2026-05-10": {{Name: "e2e-kops-grid-a", FailingDays: 400}, {Name: "e2e-kops-grid-b-ko35", FailingDays: 2}},
		"2026-05-11": day2, "2026-05-12": day3,
	})
	ps := analyze.NewPlacer(testPatterns()).PlaceAll(h)
	for i := range h.Len() {
		all := analyze.StatusOf(h, i, ps, analyze.StatusOptions{})
		changed := analyze.StatusOf(h, i, ps, analyze.StatusOptions{LiveChanged: true})
		var want []analyze.LiveCount
		patterns := 0
		for _, l := range all.Live {
			if l.Recovered != 0 || l.NewlyMatched != 0 {
				want = append(want, l)
			}
			if l.Claim.Sub == nil {
				patterns++
			}
		}
		if len(changed.Live) != len(want) || len(want) > 0 && !reflect.DeepEqual(changed.Live, want) {
			t.Errorf("snapshot %d: changed live %+v, want %+v", i, changed.Live, want)
		}
		if patterns == 0 || all.LivePatterns != patterns || changed.LivePatterns != patterns {
			t.Errorf("snapshot %d: live patterns %d and %d, want %d (not 0)", i, all.LivePatterns, changed.LivePatterns, patterns)
		}
		// The first snapshot compares with nothing, the third changes nothing: all dropped.
		if (i == 0 || i == 2) && len(changed.Live) != 0 {
			t.Errorf("snapshot %d: changed live %+v, want none", i, changed.Live)
		}
		if i == 1 && len(changed.Live) == 0 {
			t.Errorf("snapshot 1: no live count changed")
		}
	}
}

func TestThresholdsStateTheRubric(t *testing.T) {
	for _, ds := range []snapshot.Dataset{snapshot.Failures, snapshot.Flakes} {
		th, sev := analyze.Thresholds(ds), analyze.Severities(ds)
		if len(th) != len(sev) {
			t.Fatalf("%s: %d thresholds for %d buckets", ds, len(th), len(sev))
		}
		for i := range th {
			if want := string(sev[i]) + ":"; th[i][:len(want)] != want {
				t.Errorf("%s: threshold %q is not bucket %s", ds, th[i], sev[i])
			}
		}
	}
}

func TestLifecycle(t *testing.T) {
	h := history(t, snapshot.Failures, map[string][]snapshot.Job{
		"2026-05-09": {{Name: "ci-other", FailingDays: 1}},
		"2026-05-10": {{Name: "periodic-capa", FailingDays: 1}},
		"2026-05-11": {{Name: "ci-other", FailingDays: 3}},
	})
	ps := analyze.NewPlacer(testPatterns()).PlaceAll(h)
	var capa *content.Pattern
	for p := range analyze.PatternIDs(ps) {
		if p.Slug == "capa" {
			capa = p
		}
	}
	if capa == nil {
		t.Fatal("no jobs for capa")
	}
	whole := func(string) bool { return false }
	l := analyze.LifecycleOf(h, analyze.PatternIDs(ps)[capa], whole)
	if l.State != analyze.Resolved || l.FirstSeen != "2026-05-10" || l.Resolved != "2026-05-11" || l.ResolvedDays != 1 || fmt.Sprint(l.Failing) != "[0 1 0]" {
		t.Errorf("resolved: %+v", l)
	}
	// A partial newest snapshot resolves nothing.
	l = analyze.LifecycleOf(h, analyze.PatternIDs(ps)[capa], func(d string) bool { return d == "2026-05-11" })
	if l.State != analyze.Unknown || l.Resolved != "" {
		t.Errorf("partial: %+v", l)
	}
	h = history(t, snapshot.Failures, map[string][]snapshot.Job{
		"2026-05-09": {{Name: "periodic-capa", FailingDays: 1}},
		"2026-05-10": {{Name: "ci-other", FailingDays: 1}},
		"2026-05-11": {{Name: "periodic-capa", FailingDays: 0}},
	})
	ps = analyze.NewPlacer(testPatterns()).PlaceAll(h)
	for p, ids := range analyze.PatternIDs(ps) {
		if l := analyze.LifecycleOf(h, ids, whole); p.Slug == "capa" && (l.State != analyze.Regressed || fmt.Sprint(l.Regressions) != "[2026-05-11]") {
			t.Errorf("regressed: %+v", l)
		}
	}
	if l := analyze.LifecycleOf(h, nil, whole); l.State != analyze.NeverSeen {
		t.Errorf("no jobs: %+v", l)
	}
}
