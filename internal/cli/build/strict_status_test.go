package build_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/cli/build"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/evidence/evidencetest"
)

// writeLockBy records, for every citation of the tree at contentDir, the status judge gives it.
func writeLockBy(t *testing.T, contentDir string, judge func(content.Citation) evidence.Status) {
	t.Helper()
	tree, err := content.Load(os.DirFS(contentDir), contentDir)
	if err != nil {
		t.Fatal(err)
	}
	lock := evidencetest.Lock(tree, "2026-05-11T00:00:00Z", func(c content.Citation) evidencetest.Verdict {
		st := judge(c)
		return evidencetest.Verdict{Status: st, Message: "the fake says " + string(st)}
	})
	if err := lock.Write(filepath.Join(contentDir, evidence.FileName)); err != nil {
		t.Fatal(err)
	}
}

// TestStrictCountsEveryStatus: each status but verified is refused, each citation named at
// its path:line:col with the lock's message, the counts per status in the error. Nothing is
// written: no site, no staging directory, no lock file beside --out. An acknowledged
// contradiction is listed, marked acknowledged, and not counted: it fails neither --strict
// nor verify's exit status, as lint makes it a warning.
func TestStrictCountsEveryStatus(t *testing.T) {
	tmp := t.TempDir()
	contentDir, out := filepath.Join(tmp, "content"), filepath.Join(tmp, "site")
	writeTree(t, contentDir, "")
	writeLockBy(t, contentDir, func(c content.Citation) evidence.Status {
		switch {
		case c.Ref.Kind == citation.KindFile && c.Claim != nil:
			return evidence.Contradicted
		case c.Ref.Kind == citation.KindBuild:
			return evidence.Error
		case c.Ref.Kind == citation.KindCommit:
			return evidence.Unverifiable
		case c.Ref.Number == 101:
			return evidence.Missing
		}
		return evidence.Verified
	})
	io, stdout, stderr := iostreams.Test()
	err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: contentDir, OutDir: out, Strict: true})
	want := "--strict: 4 of 12 citations are not verified (1 contradicted, 1 missing, 1 unverifiable, 1 error); run triagesite verify, or fix the claims above"
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant  %s", err, want)
	}
	p := filepath.Join(contentDir, "patterns", "node-flake.yaml")
	wantErr := p + ":6:45: kubernetes/kubernetes#101 is missing: the fake says missing (github, 2026-05-11T00:00:00Z)\n" +
		p + ":10:18: kubernetes/kubernetes@abcdef1234 is unverifiable: the fake says unverifiable (github, 2026-05-11T00:00:00Z)\n" +
		p + ":21:5: kubernetes/kubernetes:test/e2e_node/a_test.go:12 is contradicted: the fake says contradicted (github, 2026-05-11T00:00:00Z)\n" +
		p + ":24:5: gs://kubernetes-ci-logs/logs/ci-node-e2e-a/2053609951732961280 is error: the fake says error (github, 2026-05-11T00:00:00Z)\n"
	if stderr.String() != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, wantErr)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout %q", stdout)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 1 {
		t.Errorf("a refused build left files beside the content: %v", left)
	}

	// The same contradiction, acknowledged in the content, is listed but no longer counted.
	pattern := readFile(t, p)
	acked := strings.Replace(string(pattern), "    quote: time.Sleep(10 * time.Second)\n",
		"    quote: time.Sleep(10 * time.Second)\n    acknowledged: The report quotes the line before the edit.\n", 1)
	if acked == string(pattern) {
		t.Fatal("the fixture's file claim moved; update this test")
	}
	writeFile(t, p, acked)
	io, _, stderr = iostreams.Test()
	err = build.Run(context.Background(), &build.Options{IO: io, ContentDir: contentDir, OutDir: out, Strict: true})
	want = "--strict: 3 of 12 citations are not verified (0 contradicted, 1 missing, 1 unverifiable, 1 error), besides 1 acknowledged; run triagesite verify, or fix the claims above"
	if err == nil || err.Error() != want {
		t.Errorf("an acknowledged contradiction among others: %v\nwant %s", err, want)
	}
	if ackLine := p + ":21:5: kubernetes/kubernetes:test/e2e_node/a_test.go:12 is contradicted (acknowledged): the fake says contradicted (github, 2026-05-11T00:00:00Z)\n"; !strings.Contains(stderr.String(), ackLine) {
		t.Errorf("stderr:\n%s\nwant the line:\n%s", stderr, ackLine)
	}
}

// TestStrictPassesAcknowledgedContradictions: when the only citations not verified are
// contradictions their claims acknowledge, --strict builds and still lists them; an
// acknowledgement does not cover a citation nobody could check.
func TestStrictPassesAcknowledgedContradictions(t *testing.T) {
	tmp := t.TempDir()
	contentDir, out := filepath.Join(tmp, "content"), filepath.Join(tmp, "site")
	writeTree(t, contentDir, "")
	p := filepath.Join(contentDir, "patterns", "node-flake.yaml")
	pattern := readFile(t, p)
	acked := strings.Replace(string(pattern), "    quote: time.Sleep(10 * time.Second)\n",
		"    quote: time.Sleep(10 * time.Second)\n    acknowledged: The report quotes the line before the edit.\n", 1)
	if acked == string(pattern) {
		t.Fatal("the fixture's file claim moved; update this test")
	}
	writeFile(t, p, acked)
	for _, c := range []struct {
		st   evidence.Status
		pass bool
	}{{evidence.Contradicted, true}, {evidence.Missing, true}, {evidence.Unverifiable, false}, {evidence.Error, false}} {
		writeLockBy(t, contentDir, func(ct content.Citation) evidence.Status {
			if ct.Ref.Kind == citation.KindFile && ct.Claim != nil {
				return c.st
			}
			return evidence.Verified
		})
		io, stdout, stderr := iostreams.Test()
		err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: contentDir, OutDir: out, Strict: true})
		if c.pass && (err != nil || !strings.HasPrefix(stdout.String(), "built ")) {
			t.Errorf("acknowledged and %s: %v; want the site built", c.st, err)
		}
		if !c.pass && err == nil {
			t.Errorf("acknowledged but %s: built; want it refused, no source having answered", c.st)
		}
		if line := "a_test.go:12 is " + string(c.st); !strings.Contains(stderr.String(), line) {
			t.Errorf("acknowledged and %s: stderr %q does not list it", c.st, stderr)
		}
	}
}
