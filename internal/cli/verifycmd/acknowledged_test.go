package verifycmd_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/verifycmd"
)

// TestAcknowledgedContradictionsDoNotFail: the bundled lock holds contradictions the content
// acknowledges (the report's own errors, kept as it wrote them). An offline run with
// --fail-on contradicted,missing exits 0 for them, and on a pull request annotates them as
// warnings, not errors; take one acknowledgement away and it fails.
func TestAcknowledgedContradictionsDoNotFail(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(dir, os.DirFS("../../../content")); err != nil {
		t.Fatal(err)
	}
	run := func() error {
		io, _, _ := iostreams.Test()
		return verifycmd.Run(context.Background(), &verifycmd.Options{IO: io, ContentDir: dir, Offline: true, Concurrency: 2,
			FailOn: []string{"contradicted", "missing"}, Sources: verifycmd.DefaultSources, Getenv: func(string) string { return "" }})
	}
	if err := run(); err != nil {
		t.Fatalf("with every contradiction acknowledged: %v", err)
	}
	io, stdout, _ := iostreams.Test()
	err := verifycmd.Run(context.Background(), &verifycmd.Options{IO: io, ContentDir: dir, Offline: true, Concurrency: 2, Format: "github",
		FailOn: []string{"contradicted", "missing"}, Sources: verifycmd.DefaultSources, Getenv: func(string) string { return "" }})
	if err != nil || strings.Contains(stdout.String(), "::error ") || !strings.Contains(stdout.String(), "::warning ") {
		t.Errorf("--format github, every contradiction acknowledged: %v; want warnings only:\n%s", err, stdout)
	}
	p := filepath.Join(dir, "patterns", "minikube-flakes.yaml")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	// Drop the acknowledgement (its block scalar) from the off-by-one ha_test.go:55 claim.
	cut := regexp.MustCompile(`(?m)^ +acknowledged: \|\n(?: {10,}.*\n)+`).ReplaceAll(data, nil)
	if len(cut) == len(data) {
		t.Fatal("no acknowledgement found to remove")
	}
	if err := os.WriteFile(p, cut, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(); !errors.Is(err, verifycmd.ErrNotAllVerified) {
		t.Fatalf("with the acknowledgement removed: %v, want ErrNotAllVerified", err)
	}
}
