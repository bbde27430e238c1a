package build_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/cli/build"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/publish"
)

// failingStage is a real staging directory whose WritePage or Commit fails on demand, and
// which records whether the build aborted it.
type failingStage struct {
	build.Stage
	failWrite, failCommit bool
	aborted               bool
}

func (f *failingStage) WritePage(path string, data []byte) error {
	if f.failWrite && path == "index.html" {
		return errors.New("disk full")
	}
	return f.Stage.WritePage(path, data)
}

func (f *failingStage) Commit() error {
	if f.failCommit {
		return errors.New("rename: device busy")
	}
	return f.Stage.Commit()
}

func (f *failingStage) Abort() { f.aborted = true; f.Stage.Abort() }

// TestFailedWriteOrCommitAborts: a page that cannot be written, or a swap that fails, aborts
// the staging directory, and the previous site stays as it was.
func TestFailedWriteOrCommitAborts(t *testing.T) {
	for _, tc := range []struct {
		name      string
		stage     failingStage
		wantError string
	}{
		{"write", failingStage{failWrite: true}, "build: "},
		{"commit", failingStage{failCommit: true}, "rename: device busy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			contentDir, out := filepath.Join(tmp, "content"), filepath.Join(tmp, "site")
			writeTree(t, contentDir, "")
			io, _, _ := iostreams.Test()
			if err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: contentDir, OutDir: out}); err != nil {
				t.Fatal(err)
			}
			before := snapshotDir(t, out)
			stage := tc.stage
			io, stdout, _ := iostreams.Test()
			err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: contentDir, OutDir: out,
				Begin: func(dest string, o publish.Options) (build.Stage, error) {
					s, err := publish.Begin(dest, o)
					stage.Stage = s
					return &stage, err
				}})
			if err == nil || !strings.Contains(err.Error(), tc.wantError) {
				t.Errorf("error %v, want %q", err, tc.wantError)
			}
			if tc.name == "write" && (!strings.Contains(err.Error(), "disk full") || !strings.HasSuffix(err.Error(), "(the previous "+out+" is unchanged)")) {
				t.Errorf("error %v does not say why, nor that the previous site is unchanged", err)
			}
			if !stage.aborted {
				t.Error("the staging directory was not aborted")
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q", stdout)
			}
			sameSite(t, before, snapshotDir(t, out))
			if left, _ := filepath.Glob(filepath.Join(tmp, ".site.*")); len(left) != 0 {
				t.Errorf("left beside the site: %v", left)
			}
		})
	}
}

// TestBrokenLockIsRefused: a lock that does not parse stops the build, strict or not, at its
// path with how to rebuild it; the lock and the previous site are left as they were.
func TestBrokenLockIsRefused(t *testing.T) {
	tmp := t.TempDir()
	contentDir, out := filepath.Join(tmp, "content"), filepath.Join(tmp, "site")
	writeTree(t, contentDir, "")
	io, _, _ := iostreams.Test()
	if err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: contentDir, OutDir: out}); err != nil {
		t.Fatal(err)
	}
	before := snapshotDir(t, out)
	lock := filepath.Join(contentDir, evidence.FileName)
	broken := `{"version": 1, "entries": [{"key": "k/k#1", "status": "verified"`
	writeFile(t, lock, broken)
	for _, strict := range []bool{false, true} {
		io, stdout, _ := iostreams.Test()
		err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: contentDir, OutDir: out, Strict: strict})
		if err == nil || !strings.HasPrefix(err.Error(), lock+": ") || !strings.Contains(err.Error(), "delete it and run triagesite verify to rebuild it") {
			t.Errorf("strict %v: error %v", strict, err)
		}
		if stdout.Len() != 0 {
			t.Errorf("stdout %q", stdout)
		}
	}
	if got := string(readFile(t, lock)); got != broken {
		t.Errorf("the lock changed: %q", got)
	}
	sameSite(t, before, snapshotDir(t, out))
}

func TestNegativeStaleAfterIsRefused(t *testing.T) {
	io, _, _ := iostreams.Test()
	out := filepath.Join(t.TempDir(), "site")
	err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: "testdata-none", OutDir: out, StaleAfter: -1})
	if err == nil || !strings.HasPrefix(err.Error(), "--stale-after -1ns: want a positive age") {
		t.Errorf("error %v", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused build wrote %s", out)
	}
}
