package lint_test

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/lint"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fixtureDir writes the lint package's broken tree to disk and changes into its parent, so
// positions read content/… as they do in a repository.
func fixtureDir(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../lint/testdata/broken.txtar")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := txtarfs.Write(filepath.Join(root, "content"), txtarfs.FS(string(data))); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	t.Chdir(root)
	return wd
}

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, wd, name, got string) {
	t.Helper()
	path := filepath.Join(wd, "testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func run(t *testing.T, opts *lint.Options) (string, error) {
	t.Helper()
	io, out, _ := iostreams.Test()
	opts.IO = io
	if opts.ContentDir == "" {
		opts.ContentDir = "content"
	}
	if opts.Getenv == nil {
		opts.Getenv = env(nil)
	}
	err := lint.Run(context.Background(), opts)
	return out.String(), err
}

func TestGoldenText(t *testing.T) {
	wd := fixtureDir(t)
	out, err := run(t, &lint.Options{Format: "text"})
	if !errors.Is(err, lint.ErrFindings) {
		t.Errorf("err = %v, want ErrFindings", err)
	}
	golden(t, wd, "text.golden", out)
}

func TestGoldenJSON(t *testing.T) {
	wd := fixtureDir(t)
	out, _ := run(t, &lint.Options{Format: "json"})
	golden(t, wd, "json.golden", out)
}

// TestGoldenGitHub checks the annotations and the step summary; the format is chosen by
// GITHUB_ACTIONS, and links are absolute when the repository and commit are known.
func TestGoldenGitHub(t *testing.T) {
	wd := fixtureDir(t)
	summary := filepath.Join(t.TempDir(), "summary.md")
	if err := os.WriteFile(summary, []byte("earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary,
		"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "triagesite/triagesite", "GITHUB_SHA": "0123abc",
	}
	out, err := run(t, &lint.Options{Getenv: env(vars)})
	if !errors.Is(err, lint.ErrFindings) {
		t.Errorf("err = %v, want ErrFindings", err)
	}
	golden(t, wd, "github.golden", out)
	got, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(got), "earlier step\n") {
		t.Errorf("summary was not appended to: %q", got[:min(len(got), 40)])
	}
	golden(t, wd, "summary.golden.md", strings.TrimPrefix(string(got), "earlier step\n"))
}

// TestBundledContent: the shipped content's only errors are evidence findings (the citations
// the bundled lock's checkouts contradict, which lint must report); the rest are warnings.
func TestBundledContent(t *testing.T) {
	out, err := run(t, &lint.Options{ContentDir: "../../../content", Format: "text"})
	if err != nil && !errors.Is(err, lint.ErrFindings) {
		t.Fatalf("lint of the bundled content: %v\n%s", err, out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, ": error: ") && !strings.HasSuffix(line, "[D-evidence]") {
			t.Errorf("an error that is not an evidence finding: %s", line)
		}
	}
	if !strings.HasSuffix(out, " warnings\n") {
		t.Errorf("unexpected totals line in:\n%s", out[max(0, len(out)-200):])
	}
	if _, err := run(t, &lint.Options{ContentDir: "../../../content", Format: "json", Strict: true}); !errors.Is(err, lint.ErrFindings) {
		t.Errorf("--strict with warnings: err = %v, want ErrFindings", err)
	}
}

func TestBadFormat(t *testing.T) {
	if _, err := run(t, &lint.Options{Format: "yaml"}); err == nil || !strings.Contains(err.Error(), "--format") {
		t.Errorf("err = %v, want a --format error", err)
	}
}

// TestEscaping follows GitHub's workflow command rules: % CR LF in data, and : , too in properties.

// TestCommandFlags checks the flags reach the options.
func TestCommandFlags(t *testing.T) {
	io, _, _ := iostreams.Test()
	var got *lint.Options
	cmd := lint.NewCmdLint(io, func(_ context.Context, o *lint.Options) error { got = o; return nil })
	cmd.SetArgs([]string{"--content", "x", "--format", "json", "--strict"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.ContentDir != "x" || got.Format != "json" || !got.Strict {
		t.Errorf("options = %+v", got)
	}
}

// TestLoadErrorsAreFindings: content that does not load is reported in every format, each
// problem at its position under the rule id "load".
func TestLoadErrorsAreFindings(t *testing.T) {
	root := t.TempDir()
	tree := txtarfs.FS(`
-- repos.yaml --
repos: []
-- sigs.yaml --
sigs:
  - id: sig-node
	name: tabbed
-- categories.yaml --
rules: []
`)
	if err := txtarfs.Write(filepath.Join(root, "content"), tree); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	const msg = "invalid YAML: a tab in the indentation; YAML indents with spaces"
	want := map[string]string{
		"text":   "content/sigs.yaml:3:1: error: " + msg + " [load]\n1 error, 0 warnings\n",
		"github": "::error file=content/sigs.yaml,line=3,col=1,title=load::" + msg + "\n",
		"json": `{
  "findings": [
    {
      "rule": "load",
      "severity": "error",
      "file": "content/sigs.yaml",
      "line": 3,
      "column": 1,
      "message": "` + msg + `",
      "doc": "docs/lint-rules.md#load"
    }
  ]
}
`,
	}
	for _, format := range []string{"text", "github", "json"} {
		out, err := run(t, &lint.Options{Format: format})
		if !errors.Is(err, lint.ErrFindings) {
			t.Errorf("%s: err = %v, want ErrFindings", format, err)
		}
		if out != want[format] {
			t.Errorf("%s:\n got %q\nwant %q", format, out, want[format])
		}
	}
}

// TestMissingContentDirectory: a directory that is not there is no finding (it has no
// position); it is refused in the words every command uses for a tree that did not load.
func TestMissingContentDirectory(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nowhere")
	out, err := run(t, &lint.Options{ContentDir: missing})
	want := "load " + missing + ":\n" + missing + ": no such content directory; run where content/ is, or pass --content DIR"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if out != "" {
		t.Errorf("printed %q, want nothing", out)
	}
}
