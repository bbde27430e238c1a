package content_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/claim"
	"github.com/triagesite/triagesite/internal/content"
)

// TestCitationPaths holds the loader's index to where each citation stands: its owner and
// the YAML path of its field, so that later stages place it without scanning prose again.
func TestCitationPaths(t *testing.T) {
	tree, err := content.Load(minimal(t, `
-- patterns/cited.yaml --
slug: cited
dataset: failures
default_repo: kubernetes/kubernetes
title: Cited
summary: Upstream is foo/bar#7.
citations:
  - ref: "#5"
    note: Same as test-infra#6.
subpatterns:
  - id: one
    label: B.1
    title: One
    summary: Nothing cited.
  - id: two
    label: B.2
    title: Two
    details: |
      First line.
      Then k/k#8.
    citations:
      - ref: k/k@abcdef1234
        acknowledged: "Known since #9."
-- reports/2026-05-11-failures.yaml --
title: Cited report
date: "2026-05-11"
dataset: failures
snapshot: "2026-05-10"
default_repo: kubernetes/kubernetes
status:
  nudge_targets:
    - refs: ["#20", k/k#21]
      state: "Waiting on #22."
tiers:
  - tier: 1
    items:
      - id: "1"
        action: "Land #23"
        refs: [test-infra#24]
citations:
  - ref: "#25"
`), "content")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range tree.Citations {
		if c.Owner.ID == "cited" || c.Owner.ID == "2026-05-11-failures" {
			got = append(got, c.Owner.String()+" "+c.Path+" "+c.Ref.String())
		}
	}
	want := []string{
		"pattern/cited summary foo/bar#7",
		"pattern/cited citations[0].ref kubernetes/kubernetes#5",
		"pattern/cited citations[0].note kubernetes/test-infra#6",
		"pattern/cited subpatterns[1].details kubernetes/kubernetes#8",
		"pattern/cited subpatterns[1].citations[0].ref kubernetes/kubernetes@abcdef1234",
		"pattern/cited subpatterns[1].citations[0].acknowledged kubernetes/kubernetes#9",
		"report/2026-05-11-failures status.nudge_targets[0].refs[0] kubernetes/kubernetes#20",
		"report/2026-05-11-failures status.nudge_targets[0].refs[1] kubernetes/kubernetes#21",
		"report/2026-05-11-failures status.nudge_targets[0].state kubernetes/kubernetes#22",
		"report/2026-05-11-failures tiers[0].items[0].action kubernetes/kubernetes#23",
		"report/2026-05-11-failures tiers[0].items[0].refs[0] kubernetes/test-infra#24",
		"report/2026-05-11-failures citations[0].ref kubernetes/kubernetes#25",
	}
	if !slices.Equal(got, want) {
		t.Errorf("citations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Start and End locate each inline citation in its field's text, as written.
	var written []string
	for _, c := range tree.Citations {
		for _, p := range tree.Prose {
			if c.Claim == nil && p.Owner == c.Owner && p.Path == c.Path && c.Owner.ID == "cited" {
				written = append(written, p.Text[c.Start:c.End])
			}
		}
	}
	if want := []string{"foo/bar#7", "test-infra#6", "k/k#8", "#9"}; !slices.Equal(written, want) {
		t.Errorf("inline citations as written: %q, want %q", written, want)
	}
	// CitationsOf gives one owner's run of the same list.
	for _, o := range []content.Owner{content.PatternOwner("cited"), content.ReportOwner("2026-05-11-failures"), content.PatternOwner("node-flake")} {
		var filtered []string
		for _, c := range tree.Citations {
			if c.Owner == o {
				filtered = append(filtered, c.Path+" "+c.Ref.String())
			}
		}
		var of []string
		for _, c := range tree.CitationsOf(o) {
			of = append(of, c.Path+" "+c.Ref.String())
		}
		if len(of) == 0 || !slices.Equal(of, filtered) {
			t.Errorf("CitationsOf(%s) = %v, want %v", o, of, filtered)
		}
	}
}

func TestCitationPathSteps(t *testing.T) {
	c := content.Citation{Path: "subpatterns[12].citations[0].note"}
	if i, ok := c.Index("subpatterns"); !ok || i != 12 {
		t.Errorf("Index(subpatterns) = %d, %v", i, ok)
	}
	if i, ok := c.Index("citations"); !ok || i != 0 {
		t.Errorf("Index(citations) = %d, %v", i, ok)
	}
	if _, ok := c.Index("patterns"); ok {
		t.Error("Index(patterns) found a step the path does not have")
	}
	if f := c.Field(); f != "note" {
		t.Errorf("Field = %q", f)
	}
	if f := (content.Citation{Path: "tiers[1].items[0].refs[2]"}).Field(); f != "refs" {
		t.Errorf("Field of a list element = %q", f)
	}
	for path, want := range map[string]bool{"subpatterns[12]": true, "subpatterns[12].citations[0]": true, "subpatterns[1]": false, "subpatterns[12].citations[0].not": false} {
		if got := c.Within(path); got != want {
			t.Errorf("Within(%q) = %v, want %v", path, got, want)
		}
	}
}

// TestCitationKey: a citation is keyed in the lock by its target and what it claims, as of
// its date; verification records under the key and lint looks it up by the same method.
func TestCitationKey(t *testing.T) {
	ref := citation.Ref{Kind: citation.KindRef, Repo: "kubernetes/kubernetes", Number: 1}
	for _, c := range []struct {
		cite content.Citation
		want string
	}{
		{content.Citation{Ref: ref}, "kubernetes/kubernetes#1"},
		{content.Citation{Ref: ref, AsOf: "2026-05-10"}, `kubernetes/kubernetes#1 {"as_of":"2026-05-10"}`},
		{content.Citation{Ref: ref, AsOf: "2026-05-10", Claim: &content.Claim{Claim: claim.Claim{State: "merged", Labels: []string{"b", "a"}, AsOf: "2026-05-10"}}},
			`kubernetes/kubernetes#1 {"state":"merged","labels":["a","b"],"as_of":"2026-05-10"}`},
	} {
		if got := c.cite.Key(); got != c.want {
			t.Errorf("Key() = %s, want %s", got, c.want)
		}
	}
}
