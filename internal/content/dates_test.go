package content_test

import (
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
)

// datesOf maps each citation (target, and at: when the claim gives one) to the date it is judged as of.
func datesOf(t *testing.T, tree *content.Tree, owner string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, c := range tree.Citations {
		if c.Owner.String() != owner {
			continue
		}
		key := c.Ref.String()
		if c.Claim != nil {
			key += " claim"
			if c.Claim.At != "" {
				key += " at " + c.Claim.At
			}
			if c.Claim.AsOf != c.AsOf && (c.Claim.At == "") {
				t.Errorf("%s: claim dated %q, citation %q", key, c.Claim.AsOf, c.AsOf)
			}
		}
		out[key] = c.AsOf
	}
	return out
}

func TestCitationsAreDated(t *testing.T) {
	tests := []struct {
		name, override, owner string
		want                  map[string]string
	}{
		{"a report's own claims: its date", "", "report/2026-05-10-failures", map[string]string{
			"kubernetes/kubernetes#100": "2026-05-10"}},
		{"a pattern: the newest report that places it; at: wins", "", "pattern/node-flake", map[string]string{
			"kubernetes/kubernetes#100 claim":                                      "2026-05-10",
			"kubernetes/kubernetes#100":                                            "2026-05-10",
			"kubernetes/kubernetes:test/e2e_node/a_test.go:12 claim at 2026-05-10": "2026-05-10",
			"kubernetes/kubernetes:test/e2e_node/a_test.go:12":                     "2026-05-10",
		}},
		{"a pattern's as_of: beats the reports", "-- patterns/node-flake.yaml --\n" + asOfPattern("as_of: \"2026-05-01\"\n", "2026-05-09"),
			"pattern/node-flake", map[string]string{
				"kubernetes/kubernetes#100 claim":                                      "2026-05-01",
				"kubernetes/kubernetes:test/e2e_node/a_test.go:12 claim at 2026-05-09": "2026-05-09",
			}},
		{"a SHA names its own point in history", "-- patterns/node-flake.yaml --\n" + asOfPattern("", "abcdef1234"),
			"pattern/node-flake", map[string]string{
				"kubernetes/kubernetes:test/e2e_node/a_test.go:12 claim at abcdef1234": "",
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tree, err := content.Load(minimal(t, tc.override), "content")
			if err != nil {
				t.Fatal(err)
			}
			got := datesOf(t, tree, tc.owner)
			for k, want := range tc.want {
				if d, ok := got[k]; !ok || d != want {
					t.Errorf("%s: dated %q (cited: %v), want %q", k, d, ok, want)
				}
			}
		})
	}
}

func TestUnplacedPatternIsUndated(t *testing.T) {
	tree, err := content.Load(minimal(t, "-- patterns/other.yaml --\n"+strings.Replace(asOfPattern("", "2026-05-10"), "slug: node-flake", "slug: other", 1)), "content")
	if err != nil {
		t.Fatal(err)
	}
	for k, d := range datesOf(t, tree, "pattern/other") {
		if d != "" && !strings.Contains(k, " at ") {
			t.Errorf("%s: dated %q; no report places the pattern and it has no as_of", k, d)
		}
	}
}

func TestDatesAreValidated(t *testing.T) {
	_, err := content.Load(minimal(t, "-- patterns/node-flake.yaml --\n"+asOfPattern("as_of: last week\n", "abcdef1234")+
		"  - ref: k/k#101\n    at: abcdef1234\n"), "content")
	// as_of stands on line 4 of the pattern, its value at column 8: the error points there.
	for _, want := range []string{`node-flake.yaml:4:8: pattern node-flake: as_of "last week" must be a date`, `at "abcdef1234" must be a date (YYYY-MM-DD): the day the claim is judged as of`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load: %v\nwant an error containing %q", err, want)
		}
	}
}

// asOfPattern is node-flake with a pattern-level line added and its file citation at at.
func asOfPattern(extra, at string) string {
	return `slug: node-flake
dataset: failures
default_repo: kubernetes/kubernetes
` + extra + `title: Node e2e times out
summary: See k/k#100.
causal_chain:
  introduced_by: unknown
  exposed_by: unknown
jobs:
  - name: ci-node-e2e-a
owner_sigs: [sig-node]
citations:
  - ref: k/k#100
    state: merged
  - ref: k/k:test/e2e_node/a_test.go:12
    at: "` + at + `"
`
}
