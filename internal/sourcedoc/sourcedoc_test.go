package sourcedoc_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/triagesite/triagesite/internal/sourcedoc"
)

// outcome records how a test stopped, as the testing package would stop it.
type outcome struct {
	testing.TB
	how, msg string
}

func (o *outcome) Helper() {}
func (o *outcome) Fatalf(format string, args ...any) {
	o.how, o.msg = "failed", fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (o *outcome) Skipf(format string, args ...any) {
	o.how, o.msg = "skipped", fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// find runs Find as a test would, in a goroutine of its own so that a stop ends only it.
func find(t *testing.T, dir string) (path string, o *outcome) {
	o = &outcome{TB: t, how: "found"}
	done := make(chan struct{})
	go func() {
		defer close(done)
		path = sourcedoc.Find(o, dir)
	}()
	<-done
	return path, o
}

func TestMissingSourceSkipsLocallyAndFailsInCI(t *testing.T) {
	dir := t.TempDir()
	if _, ok := sourcedoc.Lookup(dir); ok {
		t.Skip("a source document stands above the temporary directory")
	}
	t.Setenv("CI", "")
	if _, o := find(t, dir); o.how != "skipped" {
		t.Errorf("without CI: %s (%s), want skipped", o.how, o.msg)
	}
	t.Setenv("CI", "true")
	if _, o := find(t, dir); o.how != "failed" {
		t.Errorf("with CI set: %s (%s), want failed", o.how, o.msg)
	}
}

func TestSourceFoundInAParent(t *testing.T) {
	root := t.TempDir()
	want := filepath.Join(root, sourcedoc.Path)
	if err := os.MkdirAll(filepath.Dir(want), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(want, []byte("source"), 0o644); err != nil {
		t.Fatal(err)
	}
	deep := filepath.Join(root, "repo", "internal", "content")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CI", "true")
	if got, o := find(t, deep); o.how != "found" || got != want {
		t.Errorf("Find = %q, %s (%s); want %q", got, o.how, o.msg, want)
	}
}
