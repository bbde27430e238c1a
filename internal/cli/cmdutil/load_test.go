package cmdutil_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/cli/cmdutil"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
)

// TestTreeErrorWording: whatever went wrong, a failed load reads "load DIR:" and then the
// problems, and content problems stay content.Errors for a command that lists them itself.
func TestTreeErrorWording(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nowhere")
	_, err := (*cmdutil.Loader)(nil).Tree(missing)
	want := "load " + missing + ":\n" + missing + ": no such content directory; run where content/ is, or pass --content DIR"
	if err == nil || err.Error() != want {
		t.Errorf("missing directory: error %v, want %q", err, want)
	}

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "repos.yaml"), []byte("repos: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = (*cmdutil.Loader)(nil).Tree(dir, content.RenderOnly())
	var errs content.Errors
	if !errors.As(err, &errs) || len(errs) == 0 {
		t.Fatalf("broken tree: error %v, want content.Errors", err)
	}
	if head := "load " + dir + ":\n" + dir + string(filepath.Separator); !strings.HasPrefix(err.Error(), head) {
		t.Errorf("broken tree: error %q, want it to start %q", err, head)
	}

	err = cmdutil.Because(err, "fix these first")
	if head := "load " + dir + " (fix these first):\n"; err == nil || !strings.HasPrefix(err.Error(), head) {
		t.Errorf("with a reason: error %v, want it to start %q", err, head)
	}
	if !errors.As(err, &errs) {
		t.Errorf("with a reason: %v is no longer content.Errors", err)
	}
	other := errors.New("not a load")
	if got := cmdutil.Because(other, "fix these first"); got != other {
		t.Errorf("Because changed an error that is not a load's: %v", got)
	}
}

// TestInjected: a test hands a command its own tree and lock; the loader asks for the
// directory, the options and the lock's path the command would have read.
func TestInjected(t *testing.T) {
	tree, lock := &content.Tree{}, evidence.New(nil)
	var gotDir, gotPath string
	var gotOpts int
	l := &cmdutil.Loader{
		LoadTree: func(dir string, opts ...content.Option) (*content.Tree, error) {
			gotDir, gotOpts = dir, len(opts)
			return tree, nil
		},
		ReadLock: func(path string) (*evidence.Lock, error) {
			gotPath = path
			return lock, nil
		},
	}
	if got, err := l.Tree("c", content.RenderOnly()); err != nil || got != tree || gotDir != "c" || gotOpts != 1 {
		t.Errorf("Tree = %p, %v; asked for %q with %d options", got, err, gotDir, gotOpts)
	}
	if got, err := l.Lock("c"); err != nil || got != lock || gotPath != filepath.Join("c", evidence.FileName) {
		t.Errorf("Lock = %p, %v; read %q", got, err, gotPath)
	}

	failing := &cmdutil.Loader{LoadTree: func(string, ...content.Option) (*content.Tree, error) {
		return nil, errors.New("boom")
	}}
	if _, err := failing.Tree("c"); err == nil || err.Error() != "load c:\nboom" {
		t.Errorf("injected failure: error %v, want it worded as any load's", err)
	}
}

// TestLockFile: no lock is an empty one, and a broken lock is refused at its path, with
// evidence.Read's own advice and nothing put before it.
func TestLockFile(t *testing.T) {
	dir := t.TempDir()
	lock, err := (*cmdutil.Loader)(nil).Lock(dir)
	if err != nil || lock == nil {
		t.Fatalf("no lock: %v, %v; want an empty lock", lock, err)
	}
	path := cmdutil.LockPath(dir)
	if err := os.WriteFile(path, []byte(`{"version": 1, "entries": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = (*cmdutil.Loader)(nil).LockFile(path)
	if err == nil || !strings.HasPrefix(err.Error(), path+": ") || !strings.Contains(err.Error(), "delete it and run triagesite verify to rebuild it") {
		t.Errorf("broken lock: error %v", err)
	}
}
