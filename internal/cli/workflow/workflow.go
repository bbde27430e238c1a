// Package workflow is the commands' side of GitHub Actions: the output format they default to
// there, workflow commands (annotations at a file's line and column) and the step summary.
package workflow

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// Annotation is one workflow command that the runner shows on the diff at File:Line:Col.
type Annotation struct {
	Level     string // error, warning or notice
	File      string
	Line, Col int
	Title     string
	Message   string
}

// Write prints the annotation as the runner reads it, escaped.
func (a Annotation) Write(w io.Writer) {
	fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", a.Level, EscapeProperty(a.File), a.Line, a.Col,
		EscapeProperty(a.Title), EscapeData(a.Message))
}

// EscapeData escapes a workflow command's message as the runner unescapes it.
func EscapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// EscapeProperty also escapes the property separators : and ,.
func EscapeProperty(s string) string {
	return strings.NewReplacer(":", "%3A", ",", "%2C").Replace(EscapeData(s))
}

// The output formats of the commands that report to CI.
const (
	FormatText   = "text"
	FormatGitHub = "github"
	FormatJSON   = "json"
)

// Format resolves a --format flag: empty means github under GitHub Actions (GITHUB_ACTIONS=true),
// so a workflow step annotates the diff without saying so, else text. getenv may be nil: nothing set.
func Format(flag string, getenv func(string) string) (string, error) {
	switch flag {
	case FormatText, FormatGitHub, FormatJSON:
		return flag, nil
	case "":
		if env(getenv, "GITHUB_ACTIONS") == "true" {
			return FormatGitHub, nil
		}
		return FormatText, nil
	}
	return "", fmt.Errorf("--format %q: want text, github or json", flag)
}

// AppendSummary appends what write writes to the file $GITHUB_STEP_SUMMARY names, which the
// runner shows on the run's page; without it (not under Actions) nothing is written.
func AppendSummary(getenv func(string) string, write func(io.Writer)) error {
	path := env(getenv, "GITHUB_STEP_SUMMARY")
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("step summary: %w", err)
	}
	w := bufio.NewWriter(f)
	write(w)
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("step summary %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("step summary %s: %w", path, err)
	}
	return nil
}

func env(getenv func(string) string, key string) string {
	if getenv == nil {
		return ""
	}
	return getenv(key)
}
