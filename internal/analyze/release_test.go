package analyze_test

import (
	"testing"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
)

func TestReleaseJobs(t *testing.T) {
	r := analyze.NewReleaseJobs(&content.TestGrid{Dashboards: []content.ReleaseDashboard{
		{Name: "sig-release-master-informing", Kind: "informing", Jobs: []string{"ci-both", "ci-inf", "pull-x"}},
		{Name: "sig-release-master-blocking", Kind: "blocking", Jobs: []string{"ci-both", "ci-block"}},
	}})
	for job, want := range map[string]string{"ci-both": "blocking", "ci-block": "blocking", "ci-inf": "informing", "pr:pull-x": "informing", "ci-none": "", "pull-y": ""} {
		if got := r.Kind(job); got != want {
			t.Errorf("Kind(%s) = %q, want %q", job, got, want)
		}
	}
	if got := r.ReleaseJobNames("blocking"); len(got) != 2 || got[0] != "ci-block" || got[1] != "ci-both" {
		t.Errorf("blocking jobs: %v", got)
	}
	if none := analyze.NewReleaseJobs(nil); none.Known() || none.Kind("ci-both") != "" {
		t.Error("no testgrid.yaml marks a job")
	}
}

func TestCheckPassing(t *testing.T) {
	hist, err := snapshot.HistoryOf(snapshot.Failures, []string{"2026-05-10"}, []*snapshot.Snapshot{snapshot.New(snapshot.Failures, []snapshot.Job{
		{Name: "ci-long", FailingDays: 2}, {Name: "ci-new", FailingDays: 1},
	})})
	if err != nil {
		t.Fatal(err)
	}
	day := hist.Day(0)
	for _, tc := range []struct {
		job     string
		partial bool
		want    string
	}{
		{"ci-long", false, analyze.Breached}, {"ci-new", false, analyze.AtRisk},
		{"ci-green", false, analyze.NoBreachYet}, {"ci-green", true, analyze.VerdictUnknown}, {"ci-long", true, analyze.Breached},
	} {
		if got := analyze.CheckPassing(tc.job, day, tc.partial); got.Verdict != tc.want || got.Criterion.ID != "passing" {
			t.Errorf("%s (partial %v): %+v, want %s", tc.job, tc.partial, got, tc.want)
		}
	}
	computed := 0
	for _, c := range analyze.BlockingCriteria {
		if c.Computed {
			computed++
		}
		if c.Why == "" {
			t.Errorf("criterion %s says neither how nor why not", c.ID)
		}
	}
	if computed != 1 || len(analyze.BlockingCriteria) != 7 {
		t.Errorf("%d criteria, %d computed; sig-release lists 7, one computable from snapshots", len(analyze.BlockingCriteria), computed)
	}
}
