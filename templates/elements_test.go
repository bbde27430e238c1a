package templates

import (
	"bytes"
	"context"
	"testing"

	"github.com/a-h/templ"

	"github.com/triagesite/triagesite/internal/view"
)

// TestElementsWriteAsTempl holds the hand-written elements to the markup templ wrote for them,
// escaping and URL sanitizing included.
func TestElementsWriteAsTempl(t *testing.T) {
	for _, c := range []struct {
		name string
		c    templ.Component
		want string
	}{
		{"link", anchor(view.Link{Href: "../jobs/a.html", Text: "a"}), `<a href="../jobs/a.html">a</a>`},
		{"link escaped", anchor(view.Link{Href: "x.html?a=1&b='2'", Text: `<b>"&"</b>`}), `<a href="x.html?a=1&amp;b=&#39;2&#39;">&lt;b&gt;&#34;&amp;&#34;&lt;/b&gt;</a>`},
		{"link https", anchor(view.Link{Href: "https://github.com/k/k/pull/1", Text: "#1"}), `<a href="https://github.com/k/k/pull/1">#1</a>`},
		{"link unsafe scheme", anchor(view.Link{Href: "javascript:alert(1)", Text: "x"}), `<a href="about:invalid#TemplFailedSanitizationURL">x</a>`},
		{"codeLink", codeLink(view.Link{Href: "../refs/pr-1.html", Text: "k/k#1"}), `<a href="../refs/pr-1.html"><code>k/k#1</code></a>`},
		{"sevCell", sevCell("critical"), `<td class="sev-critical">critical</td>`},
		{"sevCell escaped", sevCell(`a"b`), `<td class="sev-a&#34;b">a&#34;b</td>`},
		{"badge", badge("contradicted"), `<span class="badge badge-contradicted">contradicted</span>`},
		{"badge escaped", badge("<x>"), `<span class="badge badge-&lt;x&gt;">&lt;x&gt;</span>`},
		{"releaseBadge", releaseBadge("1.33"), `<span class="kind">1.33</span>`},
		{"releaseBadge none", releaseBadge(""), ``},
		{"wasAfter", wasAfter("<3d"), ` <span class="meta">(was &lt;3d)</span>`},
		{"unplaced", unplaced("e2e&gce"), `<span class="muted">unexplained</span> <span class="meta">e2e&amp;gce</span>`},
		{"statusOwnerName", statusOwnerName(view.Link{Href: "../sigs/node.html", Text: "SIG Node"}), `<a href="../sigs/node.html">SIG Node</a>`},
		{"navLink", navLink(view.Page{Root: "../", Section: "jobs"}, "refs", "refs/index.html", "Refs"), `<a href="../refs/index.html">Refs</a>`},
		{"navLink current", navLink(view.Page{Root: "../", Section: "refs"}, "refs", "refs/index.html", "Refs"), `<a href="../refs/index.html" aria-current="page">Refs</a>`},
		{"navLink root escaped", navLink(view.Page{Root: "a&b/"}, "refs", "refs/index.html", "Refs"), `<a href="a&amp;b/refs/index.html">Refs</a>`},
		{"navLink root unsafe", navLink(view.Page{Root: "javascript:x/"}, "refs", "refs/index.html", "Refs"), `<a href="about:invalid#TemplFailedSanitizationURL">Refs</a>`},
		{"headAssets", headAssets("../", false), `<link rel="stylesheet" href="../assets/site.css"><link rel="icon" type="image/svg+xml" href="../assets/favicon.svg"><link rel="alternate" type="application/atom+xml" title="Triage reports" href="../feed.xml"><script src="../assets/site.js" defer></script><script src="../assets/search.js" defer></script>`},
		{"headAssets highlight", headAssets("", true), `<link rel="stylesheet" href="assets/site.css"><link rel="stylesheet" href="assets/highlight.css"><link rel="icon" type="image/svg+xml" href="assets/favicon.svg"><link rel="alternate" type="application/atom+xml" title="Triage reports" href="feed.xml"><script src="assets/site.js" defer></script><script src="assets/search.js" defer></script>`},
		{"statusOwnerName none", statusOwnerName(view.Link{}), `<span class="muted">none known</span>`},
	} {
		var buf bytes.Buffer
		if err := c.c.Render(context.Background(), &buf); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != c.want {
			t.Errorf("%s wrote %s, want %s", c.name, got, c.want)
		}
	}
}
