// Package audit is the `triagesite audit` command: verify the citations of a runbook markdown report in place.
package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/triagesite/triagesite/internal/cli/cmdutil"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/verifycmd"
	"github.com/triagesite/triagesite/internal/cli/workflow"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/mdreport"
	"github.com/triagesite/triagesite/internal/verify"
)

// Options are the inputs of one audit.
type Options struct {
	IO          *iostreams.IO
	Files       []string
	ContentDir  string // for repos.yaml (aliases, default branches) and the lock used as a cache
	Lock        string // a lock file to read and write as this audit's cache; empty reads content's lock only
	Offline     bool
	Checkouts   []string
	Concurrency int
	Format      string // text, json or github
	DefaultRepo string // what a bare #N and a commit with no repository in context mean
	FileRepo    string // what a file:line with no repository in context means
	Date        string // the report's date, when the file does not give one
	// Sources builds the sources to ask; tests inject fakes.
	Sources func(ctx context.Context, opts *verifycmd.Options, tree *content.Tree) ([]verify.Source, error)
	// Load loads the tree and the lock; nil reads ContentDir and the lock file.
	Load *cmdutil.Loader
}

// ErrFindings is returned (exit status 1) when a citation is contradicted or missing.
var ErrFindings = errors.New("audit: contradicted or missing citations")

// NewCmdAudit builds the command; runF replaces the run function in tests.
func NewCmdAudit(io *iostreams.IO, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: io, Sources: verifycmd.DefaultSources}
	cmd := &cobra.Command{
		Use:   "audit FILE.md...",
		Short: "Verify the citations of a runbook markdown report without converting it",
		Long: `Read triage reports written as the runbook's markdown and check what they cite:
PRs and issues (owner/repo#N, alias#N, bare #N, github.com addresses), commits,
file:line (alias:path:N, ` + "`path:N`" + ` with the repository taken from the line, github.com
blob addresses with #L anchors) and builds (gs://, storage.googleapis.com and
prow.k8s.io addresses, and build IDs beside their job). The states written beside a
PR ("merged 2026-05-10 11:23:45Z", "DRAFT", labels such as do-not-merge/hold) and
quoted log lines beside a build are checked as claims, as of the report's date
("Date: YYYY-MM-DD" in the file, or --date).

The sources are verify's: checkouts, GitHub, the build-log bucket. Aliases come from
content/repos.yaml. Findings are printed at the markdown file's line:col; a citation
the audit cannot tie to a repository is reported as ambiguous. The runbook's rules
that markdown alone can show (placeholders, at least 3 open questions) are checked
too. The exit status is 1 when anything is contradicted or missing.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.ContentDir, "content", "content", "content `directory` (repos.yaml gives the aliases)")
	f.StringVar(&opts.Lock, "lock", "", "a lock `file` to keep this audit's evidence in, read and written (default: content's lock, read only)")
	f.BoolVar(&opts.Offline, "offline", false, "touch no network: answer from checkouts and the lock only")
	f.StringArrayVar(&opts.Checkouts, "checkout", nil, "`owner/repo=DIR` local git checkout to read commits and files from (repeatable)")
	f.IntVar(&opts.Concurrency, "concurrency", 4, "how many fetches run at once")
	f.StringVar(&opts.Format, "format", "text", "output `format`: text, json or github")
	f.StringVar(&opts.DefaultRepo, "default-repo", "k/k", "`repository` (or alias) a bare #N and a context-free commit mean")
	f.StringVar(&opts.FileRepo, "file-repo", "", "`repository` (or alias) a file:line with no repository on its line means (default: report it as ambiguous)")
	f.StringVar(&opts.Date, "date", "", "the report's `date` (YYYY-MM-DD) when the file gives none")
	return cmd
}

// Run audits the files and prints the findings.
func Run(ctx context.Context, opts *Options) error {
	switch opts.Format {
	case "text", "json", "github":
	default:
		return fmt.Errorf("--format %q: want text, json or github", opts.Format)
	}
	tree, err := opts.Load.Tree(opts.ContentDir)
	if err != nil {
		return cmdutil.Because(err, "audit needs its repos.yaml; fix these first")
	}
	reports, err := readReports(opts, tree)
	if err != nil {
		return err
	}
	lockPath := opts.Lock
	if lockPath == "" {
		lockPath = cmdutil.LockPath(opts.ContentDir)
	}
	prev, err := opts.Load.LockFile(lockPath)
	if err != nil {
		return err
	}
	vopts := &verifycmd.Options{IO: opts.IO, ContentDir: opts.ContentDir, Offline: opts.Offline, Checkouts: opts.Checkouts, Concurrency: opts.Concurrency}
	sources, err := opts.Sources(ctx, vopts, tree)
	if err != nil {
		return err
	}
	audited := *tree // the loaded tree's repositories and rules, with the report's citations in place of content's
	audited.Citations = citationsOf(reports)
	rep := verify.Run(ctx, &audited, prev, verify.Options{Sources: sources, Concurrency: opts.Concurrency})
	if opts.Lock != "" {
		if err := rep.Lock.Write(opts.Lock); err != nil {
			return fmt.Errorf("write %s: %w", opts.Lock, err)
		}
	}
	lines := findingsOf(reports, rep)
	if err := write(opts.IO.Out, opts.Format, lines); err != nil {
		return err
	}
	if rep.Stopped != nil {
		return rep.Stopped
	}
	for _, l := range lines {
		if l.Status == evidence.Contradicted || l.Status == evidence.Missing {
			return ErrFindings
		}
	}
	return nil
}

// report is one markdown file and what was read from it.
type report struct {
	path     string
	findings []mdreport.Finding
	problems []mdreport.Problem
	date     func(line int) string
}

func readReports(opts *Options, tree *content.Tree) ([]report, error) {
	var out []report
	var errs []error
	for _, path := range opts.Files {
		data, err := os.ReadFile(path)
		if err != nil {
			errs = append(errs, fmt.Errorf("audit: %w", err))
			continue
		}
		text := string(data)
		r := report{path: filepath.ToSlash(path), problems: mdreport.Rules(text), date: mdreport.Dates(text)}
		r.findings = mdreport.Extract(text, mdreport.Options{Resolver: tree, DefaultRepo: opts.DefaultRepo, FileRepo: opts.FileRepo})
		if opts.Date != "" {
			d := opts.Date
			r.date = func(int) string { return d }
		}
		if r.date == nil {
			errs = append(errs, fmt.Errorf("%s: no report date: write a \"Date: YYYY-MM-DD\" line or pass --date", path))
			continue
		}
		out = append(out, r)
	}
	return out, errors.Join(errs...)
}

// citationsOf turns each checkable finding into a citation with the claim its words make, dated.
func citationsOf(reports []report) []content.Citation {
	var out []content.Citation
	for _, r := range reports {
		for _, f := range r.findings {
			if f.Kind == mdreport.KindJob || f.Problem != "" {
				continue
			}
			out = append(out, content.Citation{Ref: f.Ref, Claim: claimOf(f, r.date(f.Pos.Line)), Pos: posOf(r, f), Owner: content.Owner{Kind: content.OwnerAudit, ID: r.path}})
		}
	}
	return out
}

func posOf(r report, f mdreport.Finding) content.Pos {
	return content.Pos{File: r.path, Line: f.Pos.Line, Col: f.Pos.Col}
}

// claimOf is what the report asserts of a finding, as of its date.
func claimOf(f mdreport.Finding, date string) *content.Claim {
	c := &content.Claim{Ref: f.Text, Parsed: f.Ref, Claim: f.Claim}
	if f.Kind == mdreport.KindBuild {
		c.Job = f.Job
	} else {
		c.At = date // PRs, issues and commits are judged as they stood that day, and files read then
	}
	return c
}

// Line is one finding as printed.
type Line struct {
	File    string          `json:"file"`
	Line    int             `json:"line"`
	Column  int             `json:"column"`
	Kind    string          `json:"kind"`
	Text    string          `json:"text"`
	Target  string          `json:"target,omitempty"`
	Status  evidence.Status `json:"status,omitempty"` // empty for rule problems and jobs
	Rule    string          `json:"rule,omitempty"`
	Message string          `json:"message"`
}

// findingsOf joins each finding to what verification concluded for it, in file and position order.
func findingsOf(reports []report, rep *verify.Report) []Line {
	byLoc := map[verify.Location]verify.Result{}
	for _, res := range rep.Results {
		for _, l := range res.Locations {
			byLoc[l] = res
		}
	}
	var out []Line
	for _, r := range reports {
		for _, f := range r.findings {
			l := Line{File: r.path, Line: f.Pos.Line, Column: f.Pos.Col, Kind: string(f.Kind), Text: f.Text}
			switch {
			case f.Kind == mdreport.KindJob:
				l.Message = "job " + f.Job
			case f.Problem != "":
				l.Target, l.Status, l.Message = f.Ref.String(), evidence.Unverifiable, "ambiguous: "+f.Problem
			default:
				res := byLoc[verify.Location{File: r.path, Line: f.Pos.Line, Column: f.Pos.Col}]
				l.Target, l.Status, l.Message = res.Target, res.Status, res.Message
			}
			out = append(out, l)
		}
		for _, p := range r.problems {
			out = append(out, Line{File: r.path, Line: p.Pos.Line, Column: p.Pos.Col, Kind: "rule", Rule: p.Rule, Message: p.Message})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return out
}

func write(w io.Writer, format string, lines []Line) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if lines == nil {
			lines = []Line{}
		}
		return enc.Encode(struct {
			Findings []Line `json:"findings"`
		}{lines})
	case "github":
		for _, l := range lines {
			if level := annotationLevel(l); level != "" {
				workflow.Annotation{Level: level, File: l.File, Line: l.Line, Col: l.Column, Title: title(l), Message: l.Target + ": " + l.Message}.Write(w)
			}
		}
	}
	if format != "json" {
		writeText(w, format, lines)
	}
	return nil
}

func annotationLevel(l Line) string {
	switch {
	case l.Status == evidence.Contradicted || l.Status == evidence.Missing || l.Rule != "":
		return "error"
	case l.Status == evidence.Unverifiable || l.Status == evidence.Error:
		return "warning"
	}
	return ""
}

func title(l Line) string {
	if l.Rule != "" {
		return l.Rule
	}
	return string(l.Status) + " " + l.Kind
}

// writeText prints every finding that is not verified (all of them in text format), then the counts.
func writeText(w io.Writer, format string, lines []Line) {
	counts := map[evidence.Status]int{}
	jobs, rules := 0, 0
	for _, l := range lines {
		switch {
		case l.Kind == string(mdreport.KindJob):
			jobs++
			continue
		case l.Rule != "":
			rules++
			if format == "text" {
				fmt.Fprintf(w, "%s:%d:%d: %s: %s\n", l.File, l.Line, l.Column, l.Rule, l.Message)
			}
			continue
		}
		counts[l.Status]++
		if format == "text" && l.Status != evidence.Verified {
			fmt.Fprintf(w, "%s:%d:%d: %s %s %s: %s\n", l.File, l.Line, l.Column, l.Status, l.Kind, l.Text, l.Message)
		}
	}
	var parts []string
	total := 0
	for _, st := range []evidence.Status{evidence.Verified, evidence.Contradicted, evidence.Missing, evidence.Unverifiable, evidence.Error} {
		parts = append(parts, fmt.Sprintf("%d %s", counts[st], st))
		total += counts[st]
	}
	fmt.Fprintf(w, "%d citations: %s; %d job names; %d rule findings\n", total, strings.Join(parts, ", "), jobs, rules)
}
