package verifycmd_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/verifycmd"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/site"
	"github.com/triagesite/triagesite/internal/verify"
	"github.com/triagesite/triagesite/internal/verify/checkout"
	"github.com/triagesite/triagesite/internal/verify/github"
	"github.com/triagesite/triagesite/internal/verify/github/githubtest"
)

// lateMerge is a pattern the 2026-05-10 report places: it claims kk#105 is a draft (true
// that day; it merged on the 12th) and cites, inline, a file of kubernetes/kubernetes and one
// of kubernetes/test-infra that both moved on the 11th.
const lateMerge = `-- patterns/late-merge.yaml --
slug: late-merge
dataset: failures
default_repo: kubernetes/kubernetes
title: A fix waiting in a draft
summary: |
  The retry waits in a draft; the job config sits at k/k:config/old.yaml:2 and at
  test-infra:config/old.yaml:1.
causal_chain:
  introduced_by: unknown
  exposed_by: unknown
jobs:
  - name: ci-node-e2e-a
owner_sigs: [sig-node]
citations:
  - ref: k/k#105
    state: draft
    role: fix
`

// TestClaimsAreJudgedAsOfTheReport: a PR that was a draft on the report's date and merged
// later is verified as of that date, and the page says it merged since; files that moved
// after the date are verified at the date, from GitHub and from a checkout.
func TestClaimsAreJudgedAsOfTheReport(t *testing.T) {
	gh := newFakeGitHub(t)
	k := gh.Repo(kk)
	k.DefaultBranch = "master"
	late := prJSON(105, "closed", "kubelet: retry eviction", false, "2026-05-12T09:00:00Z", "2026-05-12T09:00:00Z")
	late.Timeline = []evidence.Event{
		{Type: evidence.EventReadyForReview, At: "2026-05-11T08:30:00Z"},
		{Type: evidence.EventMerged, At: "2026-05-12T09:00:00Z"},
		{Type: evidence.EventClosed, At: "2026-05-12T09:00:00Z"},
	}
	k.Issues[105] = late
	moved, before := "1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222"
	k.Commits = []githubtest.Commit{
		{SHA: moved, Author: "Carol", Message: "Move the config", Date: time.Date(2026, 5, 11, 9, 0, 0, 0, time.UTC)},
		{SHA: before, Author: "Alice", Message: "Add the config", Date: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)},
	}
	k.Files[before] = map[string]string{"config/old.yaml": "jobs:\n- name: ci-node-e2e-a\n"}
	k.Files[moved] = map[string]string{"config/new.yaml": "jobs:\n- name: ci-node-e2e-a\n"}

	ti := movedCheckout(t)
	dir := t.TempDir()
	report := strings.Replace(minimalFile(t, "reports/2026-05-10-failures.yaml"), "    pattern: node-flake\n",
		"    pattern: node-flake\n  - letter: B\n    pattern: late-merge\n", 1)
	report = strings.Replace(report, "        action: k/k#100 wait fix\n", "        action: k/k#100 wait fix\n      - id: \"0.2\"\n        action: k/k#105 retry\n", 1)
	writeContent(t, dir, nil, []byte(lateMerge), []byte("-- reports/2026-05-10-failures.yaml --\n"+report))
	contentDir := filepath.Join(dir, "content")

	io, out, _ := iostreams.Test()
	opts := &verifycmd.Options{IO: io, ContentDir: contentDir, Concurrency: 2,
		Sources: func(context.Context, *verifycmd.Options, *content.Tree) ([]verify.Source, error) {
			return []verify.Source{
				checkout.New(map[string]string{"kubernetes/test-infra": ti}),
				github.New(github.WithBaseURL(gh.URL+"/"), github.WithToken(token), github.WithRetries(0),
					github.WithClock(time.Now, noSleep)),
			}, nil
		}}
	if err := verifycmd.Run(context.Background(), opts); err != nil && err != verifycmd.ErrNotAllVerified {
		t.Fatal(err)
	}
	if want := ": kubernetes/kubernetes#105 since 2026-05-10: merged 2026-05-12\n"; strings.Count(out.String(), want) != 1 {
		t.Errorf("verify's output does not say once what happened since:\n%s", out)
	}
	lock, err := evidence.Read(filepath.Join(contentDir, evidence.FileName))
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		`kubernetes/kubernetes#105 {"state":"draft","as_of":"2026-05-10"}`:        "as of 2026-05-10: pr is draft",
		`kubernetes/kubernetes:config/old.yaml:2 {"as_of":"2026-05-10"}`:          "as of 2026-05-10: the cited lines exist at 222222222222",
		`kubernetes/test-infra:config/old.yaml:1 {"as_of":"2026-05-10"}`:          "as of 2026-05-10: the cited lines exist at",
		`kubernetes/kubernetes#105 {"as_of":"2026-05-10"}`:                        "as of 2026-05-10: pr is draft",
		`kubernetes/kubernetes:test/e2e_node/a_test.go:12 {"as_of":"2026-05-10"}`: "", // not served here: only recorded
	} {
		e, ok := lock.Get(key)
		if want == "" {
			continue
		}
		if !ok || e.Status != evidence.Verified || !strings.Contains(e.Message, want) {
			t.Errorf("%s: %v %s %q; want verified %q", key, ok, e.Status, e.Message, want)
		}
		if ok && strings.Contains(key, "#105") && (!e.Observed.Merged || e.Observed.MergedAt != "2026-05-12T09:00:00Z") {
			t.Errorf("%s: the lock does not record the state now: %+v", key, e.Observed)
		}
	}

	pages := buildSite(t, contentDir, lock)
	for page, wants := range map[string][]string{
		"patterns/late-merge.html":            {`verified</span><span class="meta dated">as of 2026-05-10 · merged 2026-05-12</span>`},
		"refs/kubernetes-kubernetes-105.html": {`as of 2026-05-10 · merged 2026-05-12`},
		"reports/2026-05-10-failures.html":    {`fixed since the report: k/k#105 merged 2026-05-12`},
		"reports/2026-05-10-failures.md":      {"**fixed since the report: [k/k#105](https://github.com/kubernetes/kubernetes/issues/105) ✓ merged 2026-05-12**"},
		"actions.html":                        {`fixed since the report: k/k#105 merged 2026-05-12`},
	} {
		for _, w := range wants {
			if !strings.Contains(pages[page], w) {
				t.Errorf("%s does not show %q", page, w)
			}
		}
	}
	// No longer open, so no longer waiting on its SIG's page nor a nudge target, though the
	// report claimed it a draft.
	sig := pages["sigs/sig-node.html"]
	if i, j := strings.Index(sig, `id="waiting"`), strings.Index(sig, `id="jobs"`); i < 0 || j < i || strings.Contains(sig[i:j], "k/k#105") {
		t.Errorf("sig-node's waiting PRs (%d..%d) list k/k#105, which merged", i, j)
	}
	if idx := pages["refs/index.html"]; strings.Contains(section(idx, `id="nudge-targets"`), "k/k#105") {
		t.Error("refs index lists k/k#105 as a nudge target; it merged")
	}
}

// movedCheckout is a test-infra checkout whose config/old.yaml moved to config/new.yaml on 2026-05-11.
func movedCheckout(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	git := func(date string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=A", "GIT_AUTHOR_EMAIL=a@example.com",
			"GIT_COMMITTER_NAME=A", "GIT_COMMITTER_EMAIL=a@example.com", "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("", "init", "-q")
	if err := os.MkdirAll(filepath.Join(dir, "config"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config", "old.yaml"), []byte("jobs: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("2026-05-01T10:00:00Z", "add", "-A")
	git("2026-05-01T10:00:00Z", "commit", "-q", "-m", "add")
	git("2026-05-11T10:00:00Z", "mv", "config/old.yaml", "config/new.yaml")
	git("2026-05-11T10:00:00Z", "commit", "-q", "-m", "move")
	return dir
}

// minimalFile is one file of the minimal content fixture.
func minimalFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile("../../content/testdata/minimal.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range txtar.Parse(data).Files {
		if f.Name == name {
			return string(f.Data)
		}
	}
	t.Fatalf("minimal.txtar has no %s", name)
	return ""
}

// pageMap keeps every page a build writes.
type pageMap struct {
	mu    sync.Mutex
	pages map[string]string
}

func (p *pageMap) WritePage(path string, data []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pages[path] = string(data)
	return nil
}

func buildSite(t *testing.T, contentDir string, lock *evidence.Lock) map[string]string {
	t.Helper()
	tree, err := content.Load(os.DirFS(contentDir), "content")
	if err != nil {
		t.Fatal(err)
	}
	out := &pageMap{pages: map[string]string{}}
	if err := site.Build(context.Background(), tree, site.Options{Evidence: site.LockEvidence{Lock: lock}}, out); err != nil {
		t.Fatal(err)
	}
	return out.pages
}

// section is the part of a page from the element with attr to the next section heading.
func section(page, attr string) string {
	i := strings.Index(page, attr)
	if i < 0 {
		return ""
	}
	rest := page[i:]
	if j := strings.Index(rest[1:], `<h2 id="repo-`); j >= 0 {
		return rest[:j+1]
	}
	return rest
}
