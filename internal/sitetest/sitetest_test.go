package sitetest_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/site"
	"github.com/triagesite/triagesite/internal/sitetest"
)

// recorder stands in for a test, to see what the assertions report.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func minimal(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../content/testdata/minimal.txtar")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestAssertFileContent(t *testing.T) {
	rec := &recorder{TB: t}
	s := sitetest.Build(rec, site.Options{}, minimal(t))
	s.AssertFileExists("patterns/node-flake.html", true)
	s.AssertFileExists("patterns/absent.html", false)
	s.AssertFileContent("patterns/node-flake.html", `
		<h1>Node e2e times out</h1>
		! <h1>Something else</h1>
	`, "Appears in:")
	if len(rec.errors) != 0 {
		t.Fatalf("assertions that hold failed: %q", rec.errors)
	}

	s.AssertFileExists("patterns/absent.html", true)
	s.AssertFileContent("patterns/node-flake.html", "<h1>Node e2e times out, and more</h1>", "! <h1>Node e2e", "nowhere at all")
	want := []string{
		"patterns/absent.html built: false, want true",
		`patterns/node-flake.html lacks "<h1>Node e2e times out, and more</h1>"; its first 22 bytes stand here`,
		`patterns/node-flake.html holds "<h1>Node e2e", and must not:`,
		`patterns/node-flake.html lacks "nowhere at all"`,
	}
	if len(rec.errors) != len(want) {
		t.Fatalf("errors %q, want %d", rec.errors, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(rec.errors[i], w) {
			t.Errorf("error %d = %q, want it to begin %q", i, rec.errors[i], w)
		}
	}
	if !strings.HasSuffix(rec.errors[3], `"nowhere at all"`) {
		t.Errorf("a match with no prefix on the page should say no more: %q", rec.errors[3])
	}
}

func TestLaterArchivesReplaceFiles(t *testing.T) {
	s := sitetest.Build(t, site.Options{}, minimal(t), `
-- reports/2026-05-10-failures.yaml --
title: Another title
date: "2026-05-10"
dataset: failures
snapshot: "2026-05-10"
tldr:
  headline: One line.
`)
	s.AssertFileContent("reports/2026-05-10-failures.html", "<h1>Another title</h1>", "! Failures triage")
	if paths := s.Paths(); len(paths) < 10 || paths[0] > paths[len(paths)-1] {
		t.Errorf("Paths = %q", paths)
	}
}
