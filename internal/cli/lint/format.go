package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/triagesite/triagesite/internal/cli/workflow"
	lintrules "github.com/triagesite/triagesite/internal/lint"
)

func writeText(w io.Writer, findings []lintrules.Finding) {
	for _, f := range findings {
		fmt.Fprintf(w, "%s: %s: %s [%s]\n", f.Pos, f.Severity, f.Message, f.Rule)
	}
	fmt.Fprintln(w, totals(findings))
}

func totals(findings []lintrules.Finding) string {
	errs, warns := lintrules.Count(findings)
	return fmt.Sprintf("%s, %s", plural(errs, "error"), plural(warns, "warning"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

type jsonFinding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Message  string `json:"message"`
	Doc      string `json:"doc"`
}

func writeJSON(w io.Writer, findings []lintrules.Finding) error {
	out := make([]jsonFinding, 0, len(findings))
	for _, f := range findings {
		out = append(out, jsonFinding{f.Rule, string(f.Severity), f.Pos.File, f.Pos.Line, f.Pos.Col, f.Message, f.Doc()})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Findings []jsonFinding `json:"findings"`
	}{out})
}

// writeAnnotations prints one GitHub workflow command per finding.
func writeAnnotations(w io.Writer, findings []lintrules.Finding) {
	for _, f := range findings {
		workflow.Annotation{Level: string(f.Severity), File: f.Pos.File, Line: f.Pos.Line, Col: f.Pos.Col, Title: f.Rule, Message: f.Message}.Write(w)
	}
}

// docBase makes doc links absolute on GitHub, where the summary page is not beside the repository.
func docBase(getenv func(string) string) string {
	server, repo, sha := getenv("GITHUB_SERVER_URL"), getenv("GITHUB_REPOSITORY"), getenv("GITHUB_SHA")
	if server == "" || repo == "" || sha == "" {
		return ""
	}
	return server + "/" + repo + "/blob/" + sha + "/"
}

// writeSummary writes a table of counts per rule, then every finding.
func writeSummary(w io.Writer, findings []lintrules.Finding, base string) {
	fmt.Fprintf(w, "## triagesite lint\n\n**%s**\n\n", totals(findings))
	counts := map[string][2]int{}
	for _, f := range findings {
		c := counts[f.Rule]
		if f.Severity == lintrules.Error {
			c[0]++
		} else {
			c[1]++
		}
		counts[f.Rule] = c
	}
	fmt.Fprintln(w, "| Rule | Checks | Errors | Warnings |\n|---|---|---:|---:|")
	for _, r := range lintrules.Rules() {
		c := counts[r.ID]
		fmt.Fprintf(w, "| [%s](%s%s) | %s | %d | %d |\n", r.ID, base, r.Link(), cell(r.Title), c[0], c[1])
	}
	if len(findings) == 0 {
		return
	}
	fmt.Fprintln(w, "\n### Findings\n\n| Where | Severity | Rule | Message |\n|---|---|---|---|")
	for _, f := range findings {
		fmt.Fprintf(w, "| `%s` | %s | [%s](%s%s) | %s |\n", f.Pos, f.Severity, f.Rule, base, f.Doc(), cell(f.Message))
	}
}

// cell keeps text on one table row: pipes escaped, line breaks folded.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\r", " ", "\n", " ").Replace(s)
}
