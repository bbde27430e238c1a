package scaffold_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/scaffold"
	"github.com/triagesite/triagesite/internal/site"
	"github.com/triagesite/triagesite/internal/snapshot"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// writeMinimal writes the loader's fixture tree into a temp directory and returns it.
func writeMinimal(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../content/testdata/minimal.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := txtarfs.Write(dir, txtarfs.FS(string(data))); err != nil {
		t.Fatal(err)
	}
	return dir
}

func load(t *testing.T, dir string) *content.Tree {
	t.Helper()
	tree, err := content.Load(os.DirFS(dir), dir)
	if err != nil {
		t.Fatalf("the tree with the scaffolded file does not load:\n%v", err)
	}
	return tree
}

// pages discards pages; the build only has to succeed.
type pages struct{ sync.Mutex }

func (*pages) WritePage(string, []byte) error { return nil }

// checkFile asserts what every scaffold promises: the modeline first, no words lint forbids, and a site that builds.
func checkFile(t *testing.T, dir, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "# yaml-language-server: $schema=../../schema/") {
		t.Errorf("%s does not start with the modeline:\n%s", path, data)
	}
	if m := regexp.MustCompile(`(?i)\b(todo|tbd|placeholder|fixme)\b`).Find(data); m != nil {
		t.Errorf("%s says %q, which lint forbids", path, m)
	}
	if err := site.Build(context.Background(), load(t, dir), site.Options{}, &pages{}); err != nil {
		t.Errorf("site does not build with %s: %v", path, err)
	}
}

func TestNewPatternLoads(t *testing.T) {
	dir := writeMinimal(t)
	for _, ds := range []snapshot.Dataset{snapshot.Failures, snapshot.Flakes} {
		f, err := scaffold.Pattern("new-"+string(ds), ds)
		if err != nil {
			t.Fatal(err)
		}
		p, err := scaffold.Create(dir, f)
		if err != nil {
			t.Fatal(err)
		}
		checkFile(t, dir, p)
		if got := load(t, dir).Pattern("new-" + string(ds)); got == nil || got.Dataset != string(ds) {
			t.Errorf("pattern new-%s not loaded as scaffolded: %+v", ds, got)
		}
	}
}

func TestNewReportLoads(t *testing.T) {
	dir := writeMinimal(t)
	// The fixture already has the 2026-05-10 report; move it aside to scaffold that date anew.
	if err := os.Remove(filepath.Join(dir, "reports/2026-05-10-failures.yaml")); err != nil {
		t.Fatal(err)
	}
	f, err := scaffold.Report(load(t, dir), snapshot.Failures, "2026-05-10")
	if err != nil {
		t.Fatal(err)
	}
	p, err := scaffold.Create(dir, f)
	if err != nil {
		t.Fatal(err)
	}
	checkFile(t, dir, p)
	r := load(t, dir).Reports[0]
	if r.Snapshot != "2026-05-10" || r.PriorSnapshot != "2026-05-09" {
		t.Errorf("snapshot %q, prior %q; want 2026-05-10 and 2026-05-09", r.Snapshot, r.PriorSnapshot)
	}
	// Three jobs in three categories: every one is a top-8 cluster, highest score first.
	var names []string
	for _, c := range r.Status.Clusters {
		names = append(names, c.Label+"="+c.Name)
	}
	if got := strings.Join(names, " "); got != "A=k/k-node-e2e B=other C=kops" {
		t.Errorf("clusters %s", got)
	}
	for _, want := range []string{"#   k/k-node-e2e", "Appendix A cluster scores (investigate the top 8)", "# * 1", "# score 0.100: 1 job, worst 10 failing days", "(snapshots/failures/2026-05-10.json)"} {
		if !strings.Contains(string(f.Data), want) {
			t.Errorf("report does not carry %q:\n%s", want, f.Data)
		}
	}
}

func TestNewReportWithoutPriorSnapshot(t *testing.T) {
	dir := writeMinimal(t)
	f, err := scaffold.Report(load(t, dir), snapshot.Failures, "2026-05-09")
	if err != nil {
		t.Fatal(err)
	}
	p, err := scaffold.Create(dir, f)
	if err != nil {
		t.Fatal(err)
	}
	checkFile(t, dir, p)
	if strings.Contains(string(f.Data), "\nprior_snapshot:") {
		t.Errorf("the earliest snapshot has no prior, yet the report names one")
	}
}

func TestNewReportRefusesMissingSnapshot(t *testing.T) {
	dir := writeMinimal(t)
	_, err := scaffold.Report(load(t, dir), snapshot.Failures, "2026-05-11")
	if err == nil || !strings.Contains(err.Error(), "no failures snapshot of 2026-05-11 is stored") || !strings.Contains(err.Error(), "2026-05-09, 2026-05-10") {
		t.Errorf("err = %v", err)
	}
	if _, err := scaffold.Report(load(t, dir), snapshot.Failures, "10 May"); err == nil {
		t.Error("a date that is not YYYY-MM-DD was accepted")
	}
}

func TestCreateRefusesToOverwrite(t *testing.T) {
	dir := writeMinimal(t)
	f, err := scaffold.Pattern("node-flake", snapshot.Failures)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "patterns/node-flake.yaml"))
	if _, err := scaffold.Create(dir, f); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("err = %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "patterns/node-flake.yaml"))
	if string(after) != string(before) {
		t.Error("the existing pattern was changed")
	}
	if _, err := scaffold.Pattern("Not A Slug", snapshot.Failures); err == nil {
		t.Error("a bad slug was accepted")
	}
}

func TestNewReportOfEmptySnapshot(t *testing.T) {
	dir := writeMinimal(t)
	fsys := txtarfs.FS("-- snapshots/flakes/2026-05-10.json --\n{}\n-- snapshots/flakes/2026-05-10.meta.yaml --\ndataset: flakes\ndate: \"2026-05-10\"\nsource: s\nsha256: auto\n")
	for name, f := range fsys {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := scaffold.Report(load(t, dir), snapshot.Flakes, "2026-05-10")
	if err != nil {
		t.Fatal(err)
	}
	p, err := scaffold.Create(dir, f)
	if err != nil {
		t.Fatal(err)
	}
	checkFile(t, dir, p)
	if !strings.Contains(string(f.Data), "\n  clusters: []\n") {
		t.Errorf("no clusters to enter, yet:\n%s", f.Data)
	}
}
