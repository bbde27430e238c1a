package site

import "testing"

func TestJobNamesGiveOnePagePerJob(t *testing.T) {
	n := newJobNames(
		[]string{"pr:pull-kubernetes-unit", "ci-kubernetes-e2e-gci-gce-flaky", "ci-kubernetes-e2e-gci-gce-flaky-repro", "a-unit", "b-unit"},
		[]string{"pull-kubernetes-unit", "gci-gce-flaky", "unit", "pr:pull-new", "ci-unknown"})
	for spelling, want := range map[string]string{
		"pr:pull-kubernetes-unit": "pull-kubernetes-unit",
		"pull-kubernetes-unit":    "pull-kubernetes-unit",
		"gci-gce-flaky":           "ci-kubernetes-e2e-gci-gce-flaky",
		"unit":                    "unit", // the tail of two jobs names neither
		"pr:pull-new":             "pull-new",
		"ci-unknown":              "ci-unknown",
	} {
		if got := n.of(spelling); got != want {
			t.Errorf("of(%q) = %q, want %q", spelling, got, want)
		}
	}
	if got := n.inSnapshots("pull-kubernetes-unit"); got != "pr:pull-kubernetes-unit" {
		t.Errorf("inSnapshots = %q", got)
	}
	if !n.presubmit("pull-kubernetes-unit") || n.presubmit("ci-kubernetes-e2e-gci-gce-flaky") {
		t.Error("presubmit: pull-kubernetes-unit is one, ci-kubernetes-e2e-gci-gce-flaky is not")
	}
}

func TestJobLinksPutPresubmitsUnderPRLogs(t *testing.T) {
	for _, c := range []struct {
		name      string
		presubmit bool
		history   string
	}{
		{"ci-kubernetes-unit", false, "https://prow.k8s.io/job-history/gs/kubernetes-ci-logs/logs/ci-kubernetes-unit"},
		{"pull-kubernetes-unit", true, "https://prow.k8s.io/job-history/gs/kubernetes-ci-logs/pr-logs/directory/pull-kubernetes-unit"},
	} {
		ls := jobLinks(c.name, c.presubmit)
		if ls[0].Href != c.history {
			t.Errorf("%s: history %s, want %s", c.name, ls[0].Href, c.history)
		}
		if ls[1].Href != "https://prow.k8s.io/?job="+c.name {
			t.Errorf("%s: runs %s", c.name, ls[1].Href)
		}
	}
}
