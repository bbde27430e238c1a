package newcmd_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/newcmd"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

func writeMinimal(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../content/testdata/minimal.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := txtarfs.Write(dir, txtarfs.FS(string(data))); err != nil {
		t.Fatal(err)
	}
	return dir
}

func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	io, out, _ := iostreams.Test()
	cmd := newcmd.NewCmdNew(io)
	cmd.SetArgs(args)
	cmd.SetOut(out)
	cmd.SetErr(out)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

func TestNewPatternAndReport(t *testing.T) {
	dir := writeMinimal(t)
	if out, err := run(t, "pattern", "etcd-leases", "--dataset", "flakes", "--content", dir); err != nil || !strings.Contains(out, "created "+filepath.Join(dir, "patterns/etcd-leases.yaml")) {
		t.Fatalf("new pattern: %v\n%s", err, out)
	}
	if out, err := run(t, "report", "--dataset", "failures", "--date", "2026-05-09", "--content", dir); err != nil {
		t.Fatalf("new report: %v\n%s", err, out)
	}
	if _, err := content.Load(os.DirFS(dir), dir); err != nil {
		t.Fatalf("tree with the new files does not load:\n%v", err)
	}
	if _, err := run(t, "pattern", "etcd-leases", "--content", dir); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second new pattern: %v", err)
	}
	if _, err := run(t, "report", "--dataset", "failures", "--date", "2026-06-01", "--content", dir); err == nil || !strings.Contains(err.Error(), "no failures snapshot of 2026-06-01") {
		t.Errorf("report for a date with no snapshot: %v", err)
	}
	if _, err := run(t, "pattern", "x", "--dataset", "fails", "--content", dir); err == nil {
		t.Error("unknown dataset accepted")
	}
}
