package site_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/evidence/evidencetest"
	"github.com/triagesite/triagesite/internal/site"
	"github.com/triagesite/triagesite/internal/sitetest"
)

// everyStatus is the fixture's pattern with two more claims, so that its citations can end in
// every status: k/k#102 claimed merged (it was open that day, and merged later) and the file
// claim acknowledged. Both PRs are fixes, so that fix checks of every verdict show.
const everyStatus = `
-- patterns/node-flake.yaml --
slug: node-flake
dataset: failures
default_repo: kubernetes/kubernetes
title: Node e2e times out
summary: |
  The node suite times out; see k/k#100 and #101, and the wait at
  k/k:test/e2e_node/a_test.go:12.
root_cause: A ten-second wait.
causal_chain:
  introduced_by: k/k@abcdef1234
  exposed_by: unknown
jobs:
  - name: ci-node-e2e-a
    reported: 10d
citations:
  - ref: k/k#100
    kind: pr
    state: merged
    merged_at: 2026-05-10T04:57:45Z
    role: fix
  - ref: k/k#102
    kind: pr
    state: merged
    role: fix
  - ref: k/k:test/e2e_node/a_test.go:12
    at: "2026-05-10"
    quote: time.Sleep(10 * time.Second)
    acknowledged: The report quotes the line *before* the edit.
  - ref: gs://kubernetes-ci-logs/logs/ci-node-e2e-a/2053609951732961280
    job: ci-node-e2e-a
    quote: "FAIL: timed out"
owner_sigs: [sig-node]
subpatterns:
  - id: the-wait
    label: A.1
    title: The wait itself
    summary: Bump the wait.
`

// judgeEveryStatus gives each of everyStatus's citations its own outcome.
func judgeEveryStatus(c content.Citation) evidencetest.Verdict {
	switch target := c.Ref.String(); {
	case target == "kubernetes/kubernetes#102":
		return evidencetest.Verdict{Status: evidence.Contradicted, Message: "open on 2026-05-10, not merged",
			Observed: evidence.Observed{Exists: true, Kind: "pr", State: "closed", Merged: true, MergedAt: "2026-05-12T09:00:00Z",
				CreatedAt: "2026-05-01T00:00:00Z", Timeline: []evidence.Event{{Type: evidence.EventMerged, At: "2026-05-12T09:00:00Z"}}}}
	case target == "kubernetes/kubernetes#101":
		return evidencetest.Verdict{Status: evidence.Missing, Message: "no such PR or issue"}
	case c.Ref.Kind == citation.KindCommit:
		return evidencetest.Verdict{Status: evidence.Unverifiable, Message: "no checkout of kubernetes/kubernetes and no GitHub token", Source: evidence.SourceNone}
	case c.Ref.Kind == citation.KindBuild:
		return evidencetest.Verdict{Status: evidence.Error, Message: "the bucket answered 503 <b>three</b> times", Source: evidence.SourceGCS}
	case c.Ref.Kind == citation.KindFile && c.Claim != nil:
		return evidencetest.Verdict{Status: evidence.Contradicted, Message: "the quote is on line 13, not 12",
			Observed: evidence.Observed{Exists: true, Lines: 40, QuoteAt: []int{13}}}
	}
	return evidencetest.Verdict{Status: evidence.Verified, Message: "as the source says", Observed: evidence.Observed{Exists: true}}
}

// buildEveryStatus builds the fixture with everyStatus's pattern, its lock and a fix check
// that says k/k#100 fixed the pattern's job.
func buildEveryStatus(t *testing.T, minify bool) *sitetest.Site {
	t.Helper()
	tree, err := content.Load(fixture(t, everyStatus), "content")
	if err != nil {
		t.Fatal(err)
	}
	lock := evidencetest.Lock(tree, "2026-05-13T06:00:00Z", judgeEveryStatus)
	for _, f := range []evidence.FixCheck{
		{PR: "kubernetes/kubernetes#100", Job: "ci-node-e2e-a", Verdict: evidence.FixFixed, Message: "a build that tested the merge passed"},
		{PR: "kubernetes/kubernetes#100", Job: "ci-test-infra-x", Verdict: evidence.FixStillFailing, Message: "3 builds tested the merge, and all 3 failed"},
		{PR: "kubernetes/kubernetes#100", Job: "e2e-kops-new", Verdict: evidence.FixUnverifiable, Message: "the builds name no commit of kubernetes/kubernetes"},
		{PR: "kubernetes/kubernetes#100", Job: "e2e-kops-gone", Verdict: evidence.FixError, Message: "the bucket answered 503 three times"},
		{PR: "kubernetes/kubernetes#102", Job: "ci-node-e2e-a", Verdict: evidence.FixNotYetTested, Message: "every build since the merge tested an older commit"},
	} {
		f.MergedAt, f.CheckedAt = "2026-05-10T04:57:45Z", "2026-05-13T06:00:00Z"
		lock.PutFix(f)
	}
	return sitetest.BuildTree(t, tree, site.Options{Version: "test", BaseURL: "https://triage.example/", Evidence: site.LockEvidence{Lock: lock}, Minify: minify})
}

// TestEveryStatusOnThePatternPage: each outcome the lock records shows on the pattern page as
// itself, with its day, the news since, and, for a claim found wrong, missing or not checked
// to the end, what was found; the page no longer says nothing was checked.
func TestEveryStatusOnThePatternPage(t *testing.T) {
	s := buildEveryStatus(t, false)
	s.AssertFileContent("patterns/node-flake.html",
		// verified, as of the report's day, with nothing more to say
		`>k/k#100</a> <a class="ref-page" href="../refs/kubernetes-kubernetes-100.html">all citing it</a></td><td>pr <span class="meta">(fix)</span></td><td>merged 2026-05-10T04:57:45Z</td><td><span class="badge badge-verified">verified</span><span class="meta dated">as of 2026-05-10</span></td>`,
		// contradicted as of the report's day, and what happened since beside it, not in it
		`>k/k#102</a> <a class="ref-page" href="../refs/kubernetes-kubernetes-102.html">all citing it</a></td><td>pr <span class="meta">(fix)</span></td><td>merged</td><td><span class="badge badge-contradicted">contradicted</span><span class="meta dated">as of 2026-05-10 · merged 2026-05-12</span><div class="meta found">open on 2026-05-10, not merged (github, 2026-05-13T06:00:00Z)</div></td>`,
		// contradicted and acknowledged: the real status stays, the acknowledgement beside it
		`>k/k:test/e2e_node/a_test.go:12</a></td><td>file</td><td>at 2026-05-10; quote “time.Sleep(10 * time.Second)”</td><td><span class="badge badge-contradicted">contradicted</span><span class="meta dated">as of 2026-05-10</span><div class="meta found">the quote is on line 13, not 12 (github, 2026-05-13T06:00:00Z)</div><div class="meta acknowledged">Acknowledged: The report quotes the line <em>before</em> the edit.</div></td>`,
		// error: the source kept failing, so no verdict is dated
		`>gs://kubernetes-ci-logs/logs/ci-node-e2e-a/2053609951732961280</a></td><td>build</td><td>job ci-node-e2e-a; quote “FAIL: timed out”</td><td><span class="badge badge-error">error</span><div class="meta found">the bucket answered 503 &lt;b&gt;three&lt;/b&gt; times (gcs, 2026-05-13T06:00:00Z)</div></td>`,
		`! <b>three</b>`, // what a source answered is text, never markup
		// missing, in prose: the badge links the ref's page and the title says what was found
		`<span class="cite cite-missing" title="missing: kubernetes/kubernetes#101 — no such PR or issue (github, 2026-05-13T06:00:00Z)"><a href="https://github.com/kubernetes/kubernetes/issues/101">#101</a><a class="badge badge-missing" href="../refs/kubernetes-kubernetes-101.html">missing</a></span>`,
		// unverifiable, in prose: no source could answer, so no badge, and the title says why
		`<span class="cite cite-unverifiable" title="unverifiable: kubernetes/kubernetes@abcdef1234 — no checkout of kubernetes/kubernetes and no GitHub token (none, 2026-05-13T06:00:00Z)"><a href="https://github.com/kubernetes/kubernetes/commit/abcdef1234">k/k@abcdef1234</a></span>`,
		`! badge-unverifiable`,
		// a fix check of each verdict, those that did not fix first
		`<a href="../jobs/ci-node-e2e-a.html">ci-node-e2e-a</a></td><td>2026-05-10T04:57:45Z</td><td><span class="badge badge-fix-fixed">fixed</span></td><td>a build that tested the merge passed</td>`,
		`<a href="../jobs/ci-test-infra-x.html">ci-test-infra-x</a></td><td>2026-05-10T04:57:45Z</td><td><span class="badge badge-fix-still_failing">still failing with the fix</span></td><td>3 builds tested the merge, and all 3 failed</td>`,
		`<span class="badge badge-fix-not_yet_tested">not yet tested</span></td><td>every build since the merge tested an older commit</td>`,
		`<span class="badge badge-fix-unverifiable">unverifiable</span></td><td>the builds name no commit of kubernetes/kubernetes</td>`,
		`<span class="badge badge-fix-error">error</span></td><td>the bucket answered 503 three times</td>`,
		`! Not yet verified`,
	)
	// The verification page lists what was found for every status but verified.
	s.AssertFileContent("verification.html", `
		<td>3</td><td>2</td><td>1</td><td>1</td><td>1</td>
		<td>the quote is on line 13, not 12 (github, 2026-05-13T06:00:00Z)</td>
		<td>open on 2026-05-10, not merged (github, 2026-05-13T06:00:00Z)</td>
		<td>no such PR or issue (github, 2026-05-13T06:00:00Z)</td>
		<td>the bucket answered 503 &lt;b&gt;three&lt;/b&gt; times (gcs, 2026-05-13T06:00:00Z)</td>
		! <b>three</b>
		<td>no checkout of kubernetes/kubernetes and no GitHub token (none, 2026-05-13T06:00:00Z)</td>
	`)
	if page := string(s.Page("patterns/node-flake.html")); strings.Index(page, "badge-fix-still_failing") > strings.Index(page, "badge-fix-fixed") {
		t.Error("a fix that did not fix is listed after one that did")
	}
	checkLinks(t, s.Pages())
	s.AssertFileContent("refs/kubernetes-kubernetes-102.html",
		`<p class="status-line status-contradicted">Verification: <span class="badge badge-contradicted">contradicted</span></p>`,
		`<td>open on 2026-05-10, not merged (github, 2026-05-13T06:00:00Z)</td>`)
}

// TestGoldenPagesWithEvidence compares the pages that show verification with reviewed copies,
// built from a lock with an entry of every status; -update rewrites them.
func TestGoldenPagesWithEvidence(t *testing.T) {
	s := buildEveryStatus(t, false)
	for _, p := range []string{"patterns/node-flake.html", "reports/2026-05-10-failures.html", "verification.html",
		"refs/index.html", "refs/kubernetes-kubernetes-102.html"} {
		golden := filepath.Join("testdata", "golden-evidence", strings.ReplaceAll(p, "/", "__"))
		got := s.Page(p)
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/site -update and review the diff)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s; run go test ./internal/site -update and review the diff", p, golden)
		}
	}
}

// TestEveryStatusPagesAreMinified holds what only a lock with entries shows (badges, dates,
// what was found, acknowledgements, fix checks) to TestPagesAreMinified's bar.
func TestEveryStatusPagesAreMinified(t *testing.T) {
	assertMinified(t, buildEveryStatus(t, true).Pages(), "patterns/", "reports/", "refs/", "verification")
}
