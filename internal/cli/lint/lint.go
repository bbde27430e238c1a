// Package lint is the `triagesite lint` command: check content against the runbook's rules and report findings.
package lint

import (
	"context"
	"errors"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/triagesite/triagesite/internal/cli/cmdutil"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/workflow"
	"github.com/triagesite/triagesite/internal/content"
	lintrules "github.com/triagesite/triagesite/internal/lint"
)

// Options are the inputs of one lint run.
type Options struct {
	IO         *iostreams.IO
	ContentDir string
	Format     string // text, github or json; empty chooses github under GitHub Actions, else text
	Strict     bool   // warnings fail too
	// Getenv reads GITHUB_ACTIONS, GITHUB_STEP_SUMMARY and the variables that make doc links absolute; tests inject it.
	Getenv func(string) string
	// Load loads the tree and the lock; nil reads ContentDir.
	Load *cmdutil.Loader
}

// ErrFindings is returned (exit status 1) when errors were found, or warnings under --strict.
var ErrFindings = errors.New("lint found problems")

// NewCmdLint builds the command; runF replaces the run function in tests.
func NewCmdLint(io *iostreams.IO, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: io, Getenv: os.Getenv}
	cmd := &cobra.Command{
		Use:   "lint",
		Short: "Check content against the triage runbook's rules (evidence, fix shapes, counts, …)",
		Long: `Check content/ against every runbook rule that the content, the snapshots and
the recorded evidence (content/evidence.lock.json) can decide. Each finding has a
rule id, a position (path:line:col) and a link to docs/lint-rules.md.

Formats: text (for people), github (workflow annotations, plus a markdown summary
appended to $GITHUB_STEP_SUMMARY; the default when GITHUB_ACTIONS=true) and json.
Content that does not load is reported the same way, as findings of the rule
"load"; no other rule runs until they are fixed.
The exit status is 1 when there are errors; warnings fail only with --strict.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.ContentDir, "content", "content", "content `directory`")
	f.StringVar(&opts.Format, "format", "", "output `format`: text, github or json (default github under GitHub Actions, else text)")
	f.BoolVar(&opts.Strict, "strict", false, "fail on warnings too")
	return cmd
}

// Run lints the content tree and writes the findings.
func Run(_ context.Context, opts *Options) error {
	format, err := workflow.Format(opts.Format, opts.Getenv)
	if err != nil {
		return err
	}
	findings, err := lintTree(opts.Load, opts.ContentDir)
	if err != nil {
		return err
	}
	if err := write(opts, format, findings); err != nil {
		return err
	}
	errs, warns := lintrules.Count(findings)
	if errs > 0 || (opts.Strict && warns > 0) {
		return ErrFindings
	}
	return nil
}

// LoadRule is the rule id of a content problem found while loading: the tree could not be
// loaded, so no other rule ran.
const LoadRule = "load"

// lintTree loads and lints a content tree. Load errors come back as findings, so that every
// format reports them where they are (as annotations on GitHub, as entries in JSON).
func lintTree(load *cmdutil.Loader, dir string) ([]lintrules.Finding, error) {
	tree, err := load.Tree(dir)
	var loadErrs content.Errors
	if errors.As(err, &loadErrs) {
		findings := make([]lintrules.Finding, len(loadErrs))
		for i, e := range loadErrs {
			findings[i] = lintrules.Finding{Rule: LoadRule, Severity: lintrules.Error, Pos: e.Pos, Message: e.Msg}
		}
		return findings, nil
	}
	if err != nil {
		return nil, err
	}
	lock, err := load.Lock(dir)
	if err != nil {
		return nil, err
	}
	return lintrules.Run(tree, lock, lintrules.Options{}), nil
}

func write(opts *Options, format string, findings []lintrules.Finding) error {
	switch format {
	case workflow.FormatJSON:
		return writeJSON(opts.IO.Out, findings)
	case workflow.FormatGitHub:
		writeAnnotations(opts.IO.Out, findings)
		base := docBase(opts.Getenv)
		return workflow.AppendSummary(opts.Getenv, func(w io.Writer) { writeSummary(w, findings, base) })
	}
	writeText(opts.IO.Out, findings)
	return nil
}
