package importcmd

import "testing"

// TestUnexport: what the site's export adds (citation links with their marks, news since the
// report, escaped <) comes off; the author's own links stay.
func TestUnexport(t *testing.T) {
	for in, want := range map[string]string{
		"see [k/k#100](https://github.com/kubernetes/kubernetes/issues/100) _(unverifiable)_ now": "see k/k#100 now",
		"| [`k/k#1`](https://github.com/kubernetes/kubernetes/pull/1) ✓ | fix |":                  "| `k/k#1` | fix |",
		"| OPEN **fixed since the report: k/k#1 merged 2026-05-12** | x |":                        "| OPEN | x |",
		"an [author's link](https://example.com/a) stays":                                         "an [author's link](https://example.com/a) stays",
		"a &lt;b> tag": "a <b> tag",
	} {
		if got := unexport(in); got != want {
			t.Errorf("unexport(%q) = %q, want %q", in, got, want)
		}
	}
}
