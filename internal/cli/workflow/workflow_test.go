package workflow_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/cli/workflow"
)

func TestEscape(t *testing.T) {
	if got, want := workflow.EscapeData("100% done\r\nnext"), "100%25 done%0D%0Anext"; got != want {
		t.Errorf("EscapeData = %q, want %q", got, want)
	}
	if got, want := workflow.EscapeProperty("a:b,c%\n"), "a%3Ab%2Cc%25%0A"; got != want {
		t.Errorf("EscapeProperty = %q, want %q", got, want)
	}
}

func TestAnnotation(t *testing.T) {
	var b bytes.Buffer
	workflow.Annotation{Level: "error", File: "content/p.yaml", Line: 3, Col: 5, Title: "R1:x", Message: "bad\nvalue"}.Write(&b)
	if got, want := b.String(), "::error file=content/p.yaml,line=3,col=5,title=R1%3Ax::bad%0Avalue\n"; got != want {
		t.Errorf("Write = %q, want %q", got, want)
	}
}

func TestFormat(t *testing.T) {
	actions := func(k string) string { return map[string]string{"GITHUB_ACTIONS": "true"}[k] }
	for _, tc := range []struct {
		flag   string
		getenv func(string) string
		want   string
	}{
		{"", nil, "text"},
		{"", actions, "github"},
		{"text", actions, "text"},
		{"json", nil, "json"},
		{"github", nil, "github"},
	} {
		if got, err := workflow.Format(tc.flag, tc.getenv); err != nil || got != tc.want {
			t.Errorf("Format(%q) = %q, %v; want %q", tc.flag, got, err, tc.want)
		}
	}
	if _, err := workflow.Format("yaml", nil); err == nil || !strings.Contains(err.Error(), `--format "yaml"`) {
		t.Errorf("Format(yaml) err = %v", err)
	}
}

func TestAppendSummary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "summary.md")
	getenv := func(k string) string { return map[string]string{"GITHUB_STEP_SUMMARY": path}[k] }
	for _, s := range []string{"## one\n", "## two\n"} {
		if err := workflow.AppendSummary(getenv, func(w io.Writer) { io.WriteString(w, s) }); err != nil {
			t.Fatal(err)
		}
	}
	if data, err := os.ReadFile(path); err != nil || string(data) != "## one\n## two\n" {
		t.Errorf("summary = %q, %v; want both appended", data, err)
	}
	called := false
	if err := workflow.AppendSummary(nil, func(io.Writer) { called = true }); err != nil || called {
		t.Errorf("without GITHUB_STEP_SUMMARY: err %v, written %v; want nothing", err, called)
	}
	bad := func(string) string { return filepath.Join(path, "not-a-dir", "x") }
	if err := workflow.AppendSummary(bad, func(io.Writer) {}); err == nil {
		t.Error("a summary path that cannot be opened gave no error")
	}
}
