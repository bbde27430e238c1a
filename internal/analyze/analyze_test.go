package analyze_test

import (
	"math"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
)

func TestSeverityRubric(t *testing.T) {
	fail := map[int]analyze.Severity{1637: analyze.Critical, 365: analyze.Critical, 364: analyze.Severe, 180: analyze.Severe,
		179: analyze.Warning, 90: analyze.Warning, 89: analyze.Moderate, 30: analyze.Moderate, 29: analyze.Low, 0: analyze.Low}
	for days, want := range fail {
		if got := analyze.SeverityOf(snapshot.Failures, snapshot.Job{FailingDays: days}); got != want {
			t.Errorf("failing_days %d: %s, want %s", days, got, want)
		}
	}
	flake := map[float64]analyze.Severity{0.444: analyze.Critical, 0.5: analyze.Severe, 0.615: analyze.Severe, 0.7: analyze.Warning,
		0.816: analyze.Warning, 0.85: analyze.Moderate, 0.949: analyze.Moderate, 0.95: analyze.Good, 1: analyze.Good}
	for c, want := range flake {
		if got := analyze.SeverityOf(snapshot.Flakes, snapshot.Job{Consistency: c}); got != want {
			t.Errorf("consistency %v: %s, want %s", c, got, want)
		}
	}
}

func TestCategorizeAndScores(t *testing.T) {
	cats := analyze.NewCategorizer(content.Categories{Rules: []content.CategoryRule{
		{Category: "kops", Matcher: content.Matcher{Prefix: "e2e-kops-"}},
		{Category: "windows", Matcher: content.Matcher{All: []content.Matcher{{Contains: "capz"}, {Contains: "windows"}}}},
	}, Fallback: "other"})
	snap := snapshot.New(snapshot.Failures, []snapshot.Job{
		{Name: "e2e-kops-a", FailingDays: 150}, {Name: "E2E-KOPS-b", FailingDays: 3}, {Name: "ci-capz-windows", FailingDays: 118}, {Name: "ci-x", FailingDays: 1637},
	})
	rows := analyze.Categorize(cats, snap)
	if len(rows) != 3 || rows[0].Category != "kops" || len(rows[0].Jobs) != 2 || rows[0].Jobs[0].Name != "e2e-kops-a" {
		t.Fatalf("rows: %+v", rows)
	}
	// Appendix A: log(count) + max_failing_days/100.
	if want := math.Log(2) + 1.5; math.Abs(rows[0].Score-want) > 1e-9 {
		t.Errorf("kops score %v, want %v", rows[0].Score, want)
	}
	if top := analyze.ByScore(rows)[0]; top.Category != "other" { // log(1) + 16.37
		t.Errorf("top cluster %s, want other", top.Category)
	}
}

func TestDrift(t *testing.T) {
	day := func(jobs ...snapshot.Job) *snapshot.Snapshot { return snapshot.New(snapshot.Failures, jobs) }
	j := func(name string, d int) snapshot.Job { return snapshot.Job{Name: name, FailingDays: d} }
	hist, err := snapshot.HistoryOf(snapshot.Failures, []string{"2026-05-07", "2026-05-09", "2026-05-10"}, []*snapshot.Snapshot{
		day(j("back", 150)),
		day(j("steady", 9), j("reset", 40), j("gone", 153), j("jump", 5)),
		day(j("steady", 10), j("reset", 2), j("new", 0), j("back", 155), j("jump", 9)),
	})
	if err != nil {
		t.Fatal(err)
	}
	d := analyze.Compare(hist, 1, 2)
	if d.Days != 1 || d.Common != 3 || len(d.Added) != 2 || len(d.Removed) != 1 || d.Removed[0].Name != "gone" {
		t.Fatalf("drift: %+v", d)
	}
	// In name order: jump grew faster than the calendar; reset passed in between.
	if len(d.NotGrown) != 2 || d.NotGrown[0].Job != "jump" || d.NotGrown[0].Growth != analyze.Faster || d.NotGrown[1].Job != "reset" || d.NotGrown[1].Growth != analyze.Reset {
		t.Errorf("not grown: %+v", d.NotGrown)
	}
	if len(d.Reappeared) != 1 || d.Reappeared[0].Job != "back" || d.Reappeared[0].LastSeen != "2026-05-07" {
		t.Errorf("reappeared: %+v", d.Reappeared)
	}
	for _, pair := range [][2]int{{0, 1}, {1, 2}, {0, 2}} {
		d := analyze.Compare(hist, pair[0], pair[1])
		want := analyze.DriftCounts{Added: len(d.Added), Removed: len(d.Removed), Common: d.Common, NotGrown: len(d.NotGrown)}
		if got := analyze.Count(hist, pair[0], pair[1]); got != want {
			t.Errorf("Count(%d, %d) = %+v; Compare's lists are %+v", pair[0], pair[1], got, want)
		}
	}
}

// TestDriftGrowth: failing days that fall are a reset; that stand still, unchanged; that grow
// by too few days, slower; by too many, faster.
func TestDriftGrowth(t *testing.T) {
	j := func(name string, d int) snapshot.Job { return snapshot.Job{Name: name, FailingDays: d} }
	hist, err := snapshot.HistoryOf(snapshot.Failures, []string{"2026-05-07", "2026-05-10"}, []*snapshot.Snapshot{
		snapshot.New(snapshot.Failures, []snapshot.Job{j("fast", 10), j("fell", 10), j("on-time", 10), j("slow", 10), j("still", 10)}),
		snapshot.New(snapshot.Failures, []snapshot.Job{j("fast", 20), j("fell", 2), j("on-time", 13), j("slow", 11), j("still", 10)}),
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range analyze.Compare(hist, 0, 1).NotGrown {
		got = append(got, c.Job+" "+string(c.Growth))
	}
	if want := "fast faster, fell reset, slow slower, still unchanged"; strings.Join(got, ", ") != want {
		t.Errorf("not grown over 3 days: %s, want %s", strings.Join(got, ", "), want)
	}
}

func TestDriftFlakesConsistency(t *testing.T) {
	a := snapshot.New(snapshot.Flakes, []snapshot.Job{{Name: "x", Consistency: 0.9}, {Name: "y", Consistency: 0.5}, {Name: "z", Consistency: 1}})
	b := snapshot.New(snapshot.Flakes, []snapshot.Job{{Name: "x", Consistency: 0.8}, {Name: "y", Consistency: 0.9}, {Name: "z", Consistency: 1}})
	hist, err := snapshot.HistoryOf(snapshot.Flakes, []string{"2026-05-09", "2026-05-10"}, []*snapshot.Snapshot{a, b})
	if err != nil {
		t.Fatal(err)
	}
	d := analyze.Compare(hist, 0, 1)
	if len(d.Consistency) != 2 || d.Consistency[0].Job != "y" || d.Consistency[1].Job != "x" {
		t.Errorf("consistency changes, largest first: %+v", d.Consistency)
	}
	if got := analyze.Count(hist, 0, 1); got != (analyze.DriftCounts{Common: 3}) {
		t.Errorf("Count = %+v, want 3 in common and nothing else", got)
	}
}
