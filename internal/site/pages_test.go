package site_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/site"
	"github.com/triagesite/triagesite/internal/sitetest"
)

// TestCommitRefPage: a commit cited only in prose has a page that says what it is, where it
// is cited, that nobody has checked it, and what is cited beside it (not itself).
func TestCommitRefPage(t *testing.T) {
	s := sitetest.Build(t, site.Options{}, minimalFixture(t))
	s.AssertFileContent("refs/kubernetes-kubernetes-commit-abcdef1234.html", `
		<title>kubernetes/kubernetes@abcdef1234
		<p class="crumbs"><a href="../refs/index.html">Cited PRs, issues and commits</a></p>
		<h1><code>kubernetes/kubernetes@abcdef1234</code></h1>
		<p class="meta">commit · cited as <code>k/k@abcdef1234</code> · <a href="https://github.com/kubernetes/kubernetes/commit/abcdef1234">on GitHub</a></p>
		<p class="status-line status-unverifiable">Verification: <span class="badge badge-unverifiable">unverifiable</span></p>
		<tr class="row-unverifiable"><td>exists (cited in prose as k/k@abcdef1234)</td><td><span class="badge badge-unverifiable">unverifiable</span></td><td>no verification has been recorded for this claim</td>
		<h3 id="in-patterns">Patterns</h3><ul><li><a href="../patterns/node-flake.html">Node e2e times out</a></li></ul>
		<h2 id="sigs">SIGs that own those patterns</h2><p><a href="../sigs/sig-node.html">SIG Node</a></p>
		<a href="../refs/kubernetes-kubernetes-100.html"><code>k/k#100</code></a>
		<a href="../refs/kubernetes-kubernetes-101.html"><code>k/k#101</code></a>
		! <a href="../refs/kubernetes-kubernetes-commit-abcdef1234.html">
		! as of
	`)
}

var pageLink = regexp.MustCompile(`(?:href|src|data-index|data-root)="([^"]*)"`)

// Test404Page: the not-found page is served at any depth, so its links are rooted at the base
// URL's path, never relative; with no base URL, at the site's root.
func Test404Page(t *testing.T) {
	for base, root := range map[string]string{"": "/", "https://triage.example/x/": "/x/"} {
		s := sitetest.Build(t, site.Options{BaseURL: base}, minimalFixture(t))
		s.AssertFileContent("404.html", `
			<h1>Page not found</h1>
			<a href="`+root+`reports/index.html">Reports</a>
			<a href="`+root+`search.html">Everything, A–Z</a>
			data-root="`+root+`"
		`)
		for _, m := range pageLink.FindAllStringSubmatch(string(s.Page("404.html")), -1) {
			if href := m[1]; !strings.HasPrefix(href, root) && href != base+"404.html" {
				t.Errorf("base %q: 404.html links to %s, not under %s", base, href, root)
			}
		}
	}
}

// minimalFixture is the small valid content tree the loader's tests start from, as text.
func minimalFixture(t testing.TB) string {
	t.Helper()
	data, err := os.ReadFile("../content/testdata/minimal.txtar")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestSmallSiteInline is a whole site in a few lines, as Hugo's integration tests write one:
// one snapshot and one pattern that claims one of its jobs. The pattern, its job and the job
// it does not claim are linked both ways, and the unclaimed job is the triage to-do.
func TestSmallSiteInline(t *testing.T) {
	s := sitetest.Build(t, site.Options{}, `
-- repos.yaml --
repos:
  - repo: kubernetes/kubernetes
    aliases: [k/k]
-- sigs.yaml --
sigs:
  - id: sig-node
    name: SIG Node
    label: sig/node
    job_prefixes: [ci-node-]
-- categories.yaml --
rules: []
fallback: other
-- snapshots/failures/2026-05-10.json --
{"ci-node-a": {"failing_days": 12}, "ci-node-b": {"failing_days": 1}}
-- snapshots/failures/2026-05-10.meta.yaml --
dataset: failures
date: "2026-05-10"
source: gs://k8s-metrics/failures-latest.json
sha256: auto
-- patterns/slow-node.yaml --
slug: slow-node
dataset: failures
title: The node is slow
summary: It is slow.
jobs:
  - name: ci-node-a
owner_sigs: [sig-node]
`)
	s.AssertFileContent("patterns/slow-node.html", `
		<h1>The node is slow</h1>
		<a href="../jobs/ci-node-a.html">ci-node-a</a>
		! ci-node-b
	`)
	s.AssertFileContent("jobs/ci-node-a.html", `<a href="../patterns/slow-node.html">`)
	s.AssertFileContent("status/failures-2026-05-10.html", `
		<a href="../jobs/ci-node-a.html">ci-node-a</a></td><td>12d</td><td class="sev-low">low</td><td>steady</td><td><a href="../patterns/slow-node.html">The node is slow</a>
		<h2 id="unexplained">Unexplained (1)</h2><p>No pattern claims these jobs: the triage to-do list.</p>
		<a href="../jobs/ci-node-b.html">ci-node-b</a></td><td>1d</td><td class="sev-low">low</td><td><span class="muted">unexplained</span>
	`)
	s.AssertFileExists("reports/index.html", true)
}
