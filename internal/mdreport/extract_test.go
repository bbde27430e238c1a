package mdreport_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/mdreport"
)

// aliases stands in for content/repos.yaml.
type aliases map[string]string

func (a aliases) Resolve(name string) (string, bool) {
	r, ok := a[strings.ToLower(name)]
	return r, ok
}

var repos = aliases{
	"k/k": "kubernetes/kubernetes", "kubernetes/kubernetes": "kubernetes/kubernetes",
	"kops": "kubernetes/kops", "kubernetes/kops": "kubernetes/kops",
	"test-infra": "kubernetes/test-infra", "kubernetes/test-infra": "kubernetes/test-infra",
	"capz": "kubernetes-sigs/cluster-api-provider-azure",
}

// show prints a finding as the table below spells it: kind target [claim] (problem).
func show(f mdreport.Finding) string {
	s := fmt.Sprintf("%d:%d %s %s", f.Pos.Line, f.Pos.Col, f.Kind, f.Ref.String())
	if f.Kind == mdreport.KindJob {
		s = fmt.Sprintf("%d:%d job %s", f.Pos.Line, f.Pos.Col, f.Job)
	}
	c := f.Claim
	if c.State != "" || c.MergedAt != "" || len(c.Labels) > 0 || c.Quote != "" {
		s += fmt.Sprintf(" [%s %s %s %q]", c.State, c.MergedAt, strings.Join(c.Labels, ","), c.Quote)
	}
	if f.Problem != "" {
		s += " (problem)"
	}
	return s
}

func TestExtract(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"alias and state", "kops#18238 🟡 DRAFT WIP", []string{"1:1 ref kubernetes/kops#18238 [draft   \"\"]"}},
		{"merged with time", "k/k#1 merged 2026-05-10 11:23:45Z", []string{`1:1 ref kubernetes/kubernetes#1 [merged 2026-05-10T11:23:45Z  ""]`}},
		{"bare continues the list", "test-infra#5, #6", []string{"1:1 ref kubernetes/test-infra#5", "1:15 ref kubernetes/test-infra#6"}},
		{"bare takes the default", "see #7", []string{"1:5 ref kubernetes/kubernetes#7"}},
		{"glued prose", "green post-kops#18296", []string{"1:12 ref kubernetes/kops#18296"}},
		{"brace list", "CAPZ{#1, #2}", nil},
		{"github urls", "https://github.com/kubernetes/kops/pull/9 and https://github.com/o/r/commit/abcdef1234",
			[]string{"1:1 ref kubernetes/kops#9", "1:47 commit o/r@abcdef1234"}},
		{"blob with lines", "https://github.com/o/r/blob/main/a/b.go#L10-L12", []string{"1:1 file o/r:a/b.go:10-12"}},
		{"blob without lines is not a file:line", "https://github.com/o/r/blob/main/a/b.go", nil},
		{"file with alias", "k/k:pkg/a.go:3", []string{"1:1 file kubernetes/kubernetes:pkg/a.go:3"}},
		{"file from the line's repository", "kops#1 at `upup/new_cluster.go:514`", []string{"1:1 ref kubernetes/kops#1", "1:12 file kubernetes/kops:upup/new_cluster.go:514"}},
		{"file named after", "`a_test.go:12` (test-infra)", []string{"1:2 file kubernetes/test-infra:a_test.go:12"}},
		{"ambiguous file", "`pkg/a.go:5`", []string{"1:2 file :pkg/a.go:5 (problem)"}},
		{"commit in context", "cherry-pick of 979f73bf7d3", []string{"1:16 commit kubernetes/kubernetes@979f73bf7d3"}},
		{"commit after at", "kops@4c7f84c517c", []string{"1:1 commit kubernetes/kops@4c7f84c517c"}},
		{"build address with quote", "gs://kubernetes-ci-logs/logs/ci-a/2053239004341473280 shows `error: manifest unknown`",
			[]string{`1:1 build gs://kubernetes-ci-logs/logs/ci-a/2053239004341473280 [   "error: manifest unknown"]`}},
		{"build id beside its job", "ci-kubernetes-e2e-gce 2053239004341473280",
			[]string{"1:1 job ci-kubernetes-e2e-gce", "1:23 build gs://kubernetes-ci-logs/logs/ci-kubernetes-e2e-gce/2053239004341473280"}},
		{"build id alone", "run 2053239004341473280", []string{"1:5 build  (problem)"}},
		// Near-misses that stay text.
		{"a time of day", "at 11:23:45Z", nil},
		{"a version", "v1.36.0 and go1.26", nil},
		{"an anchor", "see [notes](#5-verifications)", nil},
		{"a hex word with no digit", "deadbeefcafe", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, f := range mdreport.Extract(tc.text, mdreport.Options{Resolver: repos, DefaultRepo: "k/k"}) {
				got = append(got, show(f))
			}
			if tc.name == "brace list" {
				if len(got) != 2 || !strings.Contains(got[0], "cluster-api-provider-azure#1") || !strings.Contains(got[1], "cluster-api-provider-azure#2") {
					t.Errorf("got %q, want CAPZ#1 and CAPZ#2", got)
				}
				return
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("Extract(%q):\n got %q\nwant %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestRulesAndDates(t *testing.T) {
	text := "# Report\nDate: 2026-05-10\n\nTODO fill in `{NOT_A_SLOT}`\n\n## Open questions\n- one\n- two\n\n# Second\n**Date:** 2026-05-11\n"
	var got []string
	for _, p := range mdreport.Rules(text) {
		got = append(got, fmt.Sprintf("%d:%d %s", p.Pos.Line, p.Pos.Col, p.Rule))
	}
	want := []string{"4:1 P9-placeholder", "6:1 R8-open-questions"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("Rules: got %q, want %q", got, want)
	}
	date := mdreport.Dates(text)
	if date == nil || date(1) != "2026-05-10" || date(4) != "2026-05-10" || date(12) != "2026-05-11" {
		t.Errorf("Dates: want 2026-05-10 before line 11 and 2026-05-11 after")
	}
	if mdreport.Dates("no date here") != nil {
		t.Error("Dates: a file with no date gave one")
	}
}
