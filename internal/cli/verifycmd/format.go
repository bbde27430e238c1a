package verifycmd

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/triagesite/triagesite/internal/cli/workflow"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
)

// chooseFormat resolves --format and the older --json; workflow.Format gives the default.
func chooseFormat(opts *Options) (string, error) {
	if !opts.JSON {
		return workflow.Format(opts.Format, opts.Getenv)
	}
	if opts.Format != "" && opts.Format != workflow.FormatJSON {
		return "", fmt.Errorf("--json and --format %s: choose one", opts.Format)
	}
	return workflow.FormatJSON, nil
}

// annotated are the statuses a pull request sees on its diff: claims shown wrong. A source
// that could not answer is not the author's fault, so it goes to the summary only.
var annotated = []evidence.Status{evidence.Contradicted, evidence.Missing}

// writeAnnotations prints one workflow command per place that cites a contradicted or missing
// citation, at the content's path:line:col, so the pull request shows it on the diff. It is
// an error when --fail-on makes that status fail the run, else a warning; a place that
// acknowledges the contradiction is a warning too, since it does not fail the run.
func writeAnnotations(w io.Writer, opts *Options, rep *verify.Report, acknowledged map[verify.Location]bool) {
	fail := failSet(opts)
	for _, r := range rep.Results {
		if !slices.Contains(annotated, r.Status) {
			continue
		}
		for _, l := range r.Locations {
			level, title := "warning", "verify: "+r.Target+" is "+string(r.Status)
			switch {
			case acknowledged[l] && r.Status.Acknowledgeable():
				title += " (acknowledged)"
			case fail[r.Status]:
				level = "error"
			}
			workflow.Annotation{Level: level, File: l.File, Line: l.Line, Col: l.Column, Title: title, Message: r.Message}.Write(w)
		}
	}
}

// summaryRows bounds the table of citations not verified: GitHub keeps 1 MiB of a step's summary.
const summaryRows = 200

// writeSummary writes the counts by status, then each citation not verified with where it is cited.
func writeSummary(w io.Writer, rep *verify.Report) {
	counts := map[evidence.Status]int{}
	for _, r := range rep.Results {
		counts[r.Status]++
	}
	fmt.Fprintf(w, "## triagesite verify\n\n**%d citations**, %d not verified (%d fetched, %d unchanged since the last run)\n\n",
		len(rep.Results), rep.NotVerified(), rep.Fetched, rep.NotModified)
	fmt.Fprintln(w, "| Status | Citations |\n|---|---:|")
	for _, st := range statuses {
		fmt.Fprintf(w, "| %s | %d |\n", st, counts[st])
	}
	if ns := news(rep); len(ns) > 0 {
		fmt.Fprintln(w, "\n### Since the reports\n\n| Where | Cited | Claimed as of | Since |\n|---|---|---|---|")
		for _, n := range ns {
			fmt.Fprintf(w, "| %s | `%s` | %s | %s |\n", where(n.result), cell(n.result.Target), n.day, cell(n.since))
		}
	}
	if rep.NotVerified() == 0 {
		return
	}
	fmt.Fprintln(w, "\n### Not verified\n\n| Where | Cited | Status | What the source said |\n|---|---|---|---|")
	rows := 0
	for _, st := range statuses[1:] {
		for _, r := range rep.Results {
			if r.Status != st {
				continue
			}
			if rows == summaryRows {
				fmt.Fprintf(w, "\n… and %d more; `triagesite verify --json` lists them all.\n", rep.NotVerified()-rows)
				return
			}
			rows++
			fmt.Fprintf(w, "| %s | `%s` | %s | %s |\n", where(r), cell(r.Target), r.Status, cell(r.Message))
		}
	}
}

// statuses are the five, verified first, in the order reports list them.
var statuses = []evidence.Status{evidence.Verified, evidence.Contradicted, evidence.Missing, evidence.Unverifiable, evidence.Error}

// where is the first place that cites a result, and how many more.
func where(r verify.Result) string {
	if len(r.Locations) == 0 {
		return ""
	}
	l := r.Locations[0]
	s := fmt.Sprintf("`%s:%d:%d`", cell(l.File), l.Line, l.Column)
	if n := len(r.Locations) - 1; n > 0 {
		s += fmt.Sprintf(" and %d more", n)
	}
	return s
}

// cell keeps text on one table row: pipes and backticks escaped, line breaks folded.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "`", "'", "\r", " ", "\n", " ").Replace(s)
}
