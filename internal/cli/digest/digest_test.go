package digest_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/cli/cmdutil"
	"github.com/triagesite/triagesite/internal/cli/digest"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// tree writes testdata/tree.txtar, with the files of override replacing its own, to a new directory.
func tree(t *testing.T, override string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "tree.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := txtarfs.Write(dir, txtarfs.FS(string(data), override)); err != nil {
		t.Fatal(err)
	}
	return dir
}

func run(t *testing.T, opts digest.Options) (string, error) {
	t.Helper()
	io, out, _ := iostreams.Test()
	opts.IO = io
	err := digest.Run(context.Background(), &opts)
	return out.String(), err
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli/digest -update and review the diff)", err)
	}
	if !bytes.Equal([]byte(got), want) {
		t.Errorf("digest differs from %s (run with -update and review the diff):\n%s", path, got)
	}
}

func TestGolden(t *testing.T) {
	dir := tree(t, "")
	for _, tc := range []struct {
		name string
		opts digest.Options
	}{
		{"sig-node.md", digest.Options{SIG: "sig-node", Format: "markdown"}},
		{"sig-node.txt", digest.Options{SIG: "sig-node", Format: "text"}},
		{"sig-testing.md", digest.Options{SIG: "sig-testing", Format: "markdown"}},
		{"sig-node-since.md", digest.Options{SIG: "sig-node", Format: "markdown", Since: "2026-05-13"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.ContentDir = dir
			got, err := run(t, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, got)
		})
	}
}

// TestOwnershipPerSubPattern: a job the sub-pattern places is sig-testing's, not sig-node's,
// though sig-node owns the pattern.
func TestOwnershipPerSubPattern(t *testing.T) {
	dir := tree(t, "")
	node, _ := run(t, digest.Options{ContentDir: dir, SIG: "sig-node", Format: "text"})
	testing_, _ := run(t, digest.Options{ContentDir: dir, SIG: "sig-testing", Format: "text"})
	if strings.Contains(node, "ci-node-e2e-wait-2") || !strings.Contains(testing_, "ci-node-e2e-wait-2") {
		t.Errorf("ci-node-e2e-wait-2 should be in sig-testing's digest only:\nsig-node:\n%s\nsig-testing:\n%s", node, testing_)
	}
	for _, want := range []string{"ci-node-e2e-new", "ci-node-e2e-gone", "k/k#100 merged", "k/k#300: open", "ci-node-e2e-stray"} {
		if !strings.Contains(node, want) {
			t.Errorf("sig-node's digest lacks %q:\n%s", want, node)
		}
	}
	for _, not := range []string{"k/k#90", "k/k#301"} {
		if strings.Contains(node, not) {
			t.Errorf("sig-node's digest has %q (merged before the window, or a merged nudge):\n%s", not, node)
		}
	}
}

func TestRunErrors(t *testing.T) {
	dir := tree(t, "")
	for _, tc := range []struct {
		opts digest.Options
		want string
	}{
		{digest.Options{ContentDir: dir, SIG: "sig-nope", Format: "text"}, `--sig "sig-nope": sigs.yaml has no such SIG`},
		{digest.Options{ContentDir: dir, SIG: "sig-node", Format: "html"}, `--format "html"`},
		{digest.Options{ContentDir: dir, SIG: "sig-node", Format: "text", Since: "last week"}, `--since "last week"`},
		{digest.Options{ContentDir: filepath.Join(dir, "nope"), SIG: "sig-node", Format: "text"}, "load"},
	} {
		if _, err := run(t, tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.opts, err, tc.want)
		}
	}
}

// TestBrokenLockIsRefusedAtItsPath: a lock that does not parse is named first, with how to
// rebuild it, as every command names it (cmdutil.Loader.Lock), not behind a prefix of our own.
func TestBrokenLockIsRefusedAtItsPath(t *testing.T) {
	dir := tree(t, "-- evidence.lock.json --\n{\"version\": 1, \"entries\": [\n")
	lock := filepath.Join(dir, evidence.FileName)
	_, err := run(t, digest.Options{ContentDir: dir, SIG: "sig-node", Format: "text"})
	if err == nil || !strings.HasPrefix(err.Error(), lock+": ") || !strings.Contains(err.Error(), "delete it and run triagesite verify to rebuild it") {
		t.Errorf("error %v, want it to start %q", err, lock+": ")
	}
}

// TestInjectedTree: the loader is the command's only way to the content, so a test can hand
// it a tree loaded in memory; nothing is read from ContentDir, which does not exist.
func TestInjectedTree(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "tree.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	var asked []string
	load := &cmdutil.Loader{
		LoadTree: func(dir string, opts ...content.Option) (*content.Tree, error) {
			asked = append(asked, dir)
			return content.Load(txtarfs.FS(string(data)), dir, opts...)
		},
		ReadLock: func(path string) (*evidence.Lock, error) {
			asked = append(asked, path)
			return evidence.New(nil), nil
		},
	}
	got, err := run(t, digest.Options{ContentDir: "in-memory", SIG: "sig-node", Format: "text", Load: load})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"in-memory", filepath.Join("in-memory", evidence.FileName)}; !slices.Equal(asked, want) {
		t.Errorf("asked the loader for %q, want %q", asked, want)
	}
	if !strings.HasPrefix(got, "SIG Node CI digest, 2026-05-08 to 2026-05-14\n") {
		t.Errorf("digest of the injected tree:\n%s", got)
	}
}

// TestEmptySnapshots: a tree whose snapshots list no job digests without a crash.
func TestEmptySnapshots(t *testing.T) {
	dir := tree(t, `
-- snapshots/failures/2026-05-14.json --
{}
-- snapshots/flakes/2026-05-14.json --
null
`)
	got, err := run(t, digest.Options{ContentDir: dir, SIG: "sig-node", Format: "text"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "0 jobs of 0 in the 2026-05-14 snapshot") || !strings.Contains(got, "ci-node-e2e-a") {
		t.Errorf("empty snapshot digest:\n%s", got)
	}
}

func TestNewCmdDigest(t *testing.T) {
	io, _, _ := iostreams.Test()
	var got *digest.Options
	cmd := digest.NewCmdDigest(io, func(_ context.Context, o *digest.Options) error { got = o; return nil })
	cmd.SetArgs([]string{"--sig", "sig-node", "--since", "2026-05-01", "--format", "text", "--content", "c"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.SIG != "sig-node" || got.Since != "2026-05-01" || got.Format != "text" || got.ContentDir != "c" {
		t.Errorf("options: %+v", got)
	}
	cmd = digest.NewCmdDigest(io, func(context.Context, *digest.Options) error { return nil })
	cmd.SetArgs(nil)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	if err := cmd.Execute(); err == nil {
		t.Error("no --sig: want an error")
	}
}

// TestDigestReadsTheNewestCheck: when the lock holds two checks of a PR, the digest goes by
// the newer. The older, which sorts first, still says the nudge target is open.
func TestDigestReadsTheNewestCheck(t *testing.T) {
	dir := tree(t, `
-- evidence.lock.json --
{
  "version": 1,
  "entries": [
    {"key": "kubernetes/kubernetes#300", "kind": "pr", "target": "kubernetes/kubernetes#300", "claim": {},
     "observed": {"exists": true, "kind": "pr", "state": "open", "title": "Bump it"},
     "source": "github", "checked_at": "2026-05-10T00:00:00Z", "status": "verified", "message": "open"},
    {"key": "kubernetes/kubernetes#300@2026-05-14", "kind": "pr", "target": "kubernetes/kubernetes#300", "claim": {},
     "observed": {"exists": true, "kind": "pr", "state": "closed", "merged": true, "merged_at": "2026-05-13T10:00:00Z", "title": "Bump it"},
     "source": "github", "checked_at": "2026-05-14T00:00:00Z", "status": "verified", "message": "merged"}
  ]
}
`)
	got, err := run(t, digest.Options{ContentDir: dir, SIG: "sig-node", Format: "text"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "k/k#300: open") {
		t.Errorf("the digest took the older check of k/k#300:\n%s", got)
	}
}

// TestTierItemRefsAreFixesOnlyWithRoleFix: a tier item's refs are fixes only when it says
// role: fix. k/k#302, merged inside the window but cited by an item without a role (as
// context), is not a fix merged; k/k#303, cited by an item with role: fix, is. The nudge
// target's refs are read as the loader found them, and the open one is still listed.
func TestTierItemRefsAreFixesOnlyWithRoleFix(t *testing.T) {
	dir := tree(t, `
-- reports/2026-05-14-failures.yaml --
title: Failures triage
date: "2026-05-14"
dataset: failures
snapshot: "2026-05-14"
default_repo: kubernetes/kubernetes
status:
  nudge_targets:
    - refs: ["#300"]
      pattern: node
tiers:
  - tier: 1
    items:
      - id: "1.1"
        action: Read how the wait was raised
        refs: ["#302"]
        pattern: node
      - id: "1.2"
        action: Land the wait fix
        refs: ["#303"]
        pattern: node
        role: fix
-- evidence.lock.json --
{
  "version": 1,
  "entries": [
    {"key": "kubernetes/kubernetes#300", "kind": "pr", "target": "kubernetes/kubernetes#300", "claim": {},
     "observed": {"exists": true, "kind": "pr", "state": "open", "title": "Bump it"},
     "source": "github", "checked_at": "2026-05-14T00:00:00Z", "status": "verified", "message": "open"},
    {"key": "kubernetes/kubernetes#302", "kind": "pr", "target": "kubernetes/kubernetes#302", "claim": {},
     "observed": {"exists": true, "kind": "pr", "state": "closed", "merged": true, "merged_at": "2026-05-12T10:00:00Z", "title": "Context"},
     "source": "github", "checked_at": "2026-05-14T00:00:00Z", "status": "verified", "message": "merged"},
    {"key": "kubernetes/kubernetes#303", "kind": "pr", "target": "kubernetes/kubernetes#303", "claim": {},
     "observed": {"exists": true, "kind": "pr", "state": "closed", "merged": true, "merged_at": "2026-05-13T10:00:00Z", "title": "The fix"},
     "source": "github", "checked_at": "2026-05-14T00:00:00Z", "status": "verified", "message": "merged"}
  ]
}
`)
	got, err := run(t, digest.Options{ContentDir: dir, SIG: "sig-node", Format: "text"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"k/k#303 merged 2026-05-13T10:00:00Z: The fix (action 2026-05-14-failures 1.2)", "k/k#300: open (pattern node, report 2026-05-14-failures)"} {
		if !strings.Contains(got, want) {
			t.Errorf("digest lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "k/k#302") {
		t.Errorf("digest lists k/k#302, which a tier item without role: fix cites, as a fix:\n%s", got)
	}
}

// TestUnexplainedHaveTheirBefore: an unexplained job the baseline lists keeps its figure
// there, so its trend is judged, not taken for new.
func TestUnexplainedHaveTheirBefore(t *testing.T) {
	dir := tree(t, `
-- snapshots/failures/2026-05-08.json --
{"ci-node-e2e-a": {"failing_days": 9}, "ci-node-e2e-gone": {"failing_days": 30}, "ci-node-e2e-stray": {"failing_days": 194}, "ci-node-e2e-wait-1": {"failing_days": 2}, "ci-test-infra-x": {"failing_days": 40}}
`)
	tr, err := content.Load(os.DirFS(dir), dir)
	if err != nil {
		t.Fatal(err)
	}
	lock, err := evidence.Read(filepath.Join(dir, evidence.FileName))
	if err != nil {
		t.Fatal(err)
	}
	d := analyze.DigestOf(digest.Input(tr, lock), "sig-node", "")
	un := d.Datasets[0].Unexplained
	if len(un) != 1 || un[0].Before == nil || un[0].Before.FailingDays != 194 || un[0].Trend != analyze.TrendGrowing {
		t.Errorf("unexplained: %+v, want ci-node-e2e-stray growing from 194d", un)
	}
}

// TestNoByDesignMark: the digest judges its window with the status walk, which knows which
// jobs fail by design, but its lists have never marked them; they still do not.
func TestNoByDesignMark(t *testing.T) {
	dir := tree(t, `
-- patterns/node.yaml --
slug: node
dataset: failures
title: Node e2e fails on purpose
causal_chain:
  introduced_by: unknown
  exposed_by: unknown
owner_sigs: [sig-node]
by_design: true
match:
  - glob: ci-node-e2e-*
`)
	tr, err := content.Load(os.DirFS(dir), dir)
	if err != nil {
		t.Fatal(err)
	}
	d := analyze.DigestOf(digest.Input(tr, evidence.New(nil)), "sig-node", "")
	dd := d.Datasets[0]
	if len(dd.New) == 0 || len(dd.Recovered) == 0 {
		t.Fatalf("want new and recovered node jobs, got %+v", dd)
	}
	for _, j := range slices.Concat(dd.New, dd.Recovered) {
		if j.ByDesign {
			t.Errorf("%s is marked by design", j.Job.Name)
		}
	}
}
