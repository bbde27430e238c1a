package build_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/cli/build"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/evidence/evidencetest"
)

// writeLock records status for every citation of the tree at contentDir, except that the
// citation at the position except gets exceptStatus.
func writeLock(t *testing.T, contentDir string, status evidence.Status, except string, exceptStatus evidence.Status) int {
	t.Helper()
	tree, err := content.Load(os.DirFS(contentDir), contentDir)
	if err != nil {
		t.Fatal(err)
	}
	lock := evidencetest.Lock(tree, "2026-05-11T00:00:00Z", func(c content.Citation) evidencetest.Verdict {
		if c.Pos.String() == except {
			return evidencetest.Verdict{Status: exceptStatus, Message: "as the fake says"}
		}
		return evidencetest.Verdict{Status: status, Message: "as the fake says"}
	})
	if err := lock.Write(filepath.Join(contentDir, evidence.FileName)); err != nil {
		t.Fatal(err)
	}
	return len(tree.Citations)
}

func TestStrictBuildsWhenEveryCitationIsVerified(t *testing.T) {
	tmp := t.TempDir()
	contentDir, out := filepath.Join(tmp, "content"), filepath.Join(tmp, "site")
	writeTree(t, contentDir, "")
	writeLock(t, contentDir, evidence.Verified, "", "")
	io, stdout, stderr := iostreams.Test()
	if err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: contentDir, OutDir: out, Strict: true}); err != nil {
		t.Fatalf("--strict with every citation verified: %v\n%s", err, stderr)
	}
	if !strings.HasPrefix(stdout.String(), "built ") || stderr.Len() != 0 {
		t.Errorf("stdout %q, stderr %q", stdout, stderr)
	}
}

// TestStrictRefusesUnverified: one contradicted citation fails the build, named at its
// position with the lock's message, and the previous site stays.
func TestStrictRefusesUnverified(t *testing.T) {
	tmp := t.TempDir()
	contentDir, out := filepath.Join(tmp, "content"), filepath.Join(tmp, "site")
	writeTree(t, contentDir, "")
	io, _, _ := iostreams.Test()
	if err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: contentDir, OutDir: out}); err != nil {
		t.Fatal(err)
	}
	before := snapshotDir(t, out)
	pos := filepath.Join(contentDir, "patterns", "node-flake.yaml") + ":16:5"
	n := writeLock(t, contentDir, evidence.Verified, pos, evidence.Contradicted)

	io, stdout, stderr := iostreams.Test()
	err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: contentDir, OutDir: out, Strict: true})
	want := "--strict: 1 of " + strconv.Itoa(n) + " citations are not verified (1 contradicted, 0 missing, 0 unverifiable, 0 error); run triagesite verify, or fix the claims above"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if got := stderr.String(); got != pos+": kubernetes/kubernetes#100 is contradicted: as the fake says (github, 2026-05-11T00:00:00Z)\n" {
		t.Errorf("stderr %q", got)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout %q", stdout)
	}
	sameSite(t, before, snapshotDir(t, out))
}

// TestStrictWithoutALockNamesEveryCitation: with no lock, nothing is verified, and every
// citation is listed, one a line.
func TestStrictWithoutALockNamesEveryCitation(t *testing.T) {
	tmp := t.TempDir()
	contentDir, out := filepath.Join(tmp, "content"), filepath.Join(tmp, "site")
	writeTree(t, contentDir, "")
	tree, err := content.Load(os.DirFS(contentDir), contentDir)
	if err != nil {
		t.Fatal(err)
	}
	io, _, stderr := iostreams.Test()
	err = build.Run(context.Background(), &build.Options{IO: io, ContentDir: contentDir, OutDir: out, Strict: true})
	n := len(tree.Citations)
	if err == nil || !strings.HasPrefix(err.Error(), "--strict: "+strconv.Itoa(n)+" of "+strconv.Itoa(n)+" citations") {
		t.Errorf("error %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
	if len(lines) != n || !strings.Contains(lines[0], " is unverifiable: no verification has been recorded for this claim") {
		t.Errorf("%d lines for %d citations:\n%s", len(lines), n, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused --strict build wrote %s: %v", out, err)
	}
}

// TestFlags: the command passes its flags to Run; with no run function given it runs the build.
func TestFlags(t *testing.T) {
	io, _, _ := iostreams.Test()
	var got *build.Options
	cmd := build.NewCmdBuild(io, "v1", func(_ context.Context, o *build.Options) error { got = o; return nil })
	cmd.SetArgs([]string{"--strict", "--force", "--out", "public", "--content", "c", "--list-rows", "3", "--base-url", "https://x.test/", "--no-minify"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !got.Strict || !got.Force || got.OutDir != "public" || got.ContentDir != "c" || got.ListRows != 3 || got.BaseURL != "https://x.test/" || !got.NoMinify || got.Version != "v1" {
		t.Errorf("options %+v", got)
	}
	cmd = build.NewCmdBuild(io, "v1", nil)
	cmd.SetArgs([]string{"--list-rows", "-1", "--out", filepath.Join(t.TempDir(), "site")})
	if err := cmd.Execute(); err == nil || !strings.HasPrefix(err.Error(), "--list-rows -1:") {
		t.Errorf("the command did not run the build: %v", err)
	}
}
