// Package verifycmd is the `triagesite verify` command: check every citation and record the evidence.
package verifycmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/triagesite/triagesite/internal/cli/cmdutil"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/workflow"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
)

// Options are the inputs of one verification run.
type Options struct {
	IO         *iostreams.IO
	ContentDir string
	Offline    bool
	Checkouts  []string // owner/repo=DIR
	Only       []string // content files to limit the run to
	JSON       bool     // the same as Format "json", kept for scripts that use it
	Format     string   // text, github or json; empty chooses github under GitHub Actions, else text
	// Getenv reads GITHUB_ACTIONS and GITHUB_STEP_SUMMARY; tests inject it (nil: nothing set).
	Getenv      func(string) string
	Concurrency int
	// FailOn lists the statuses that make the command exit 1; by default anything not verified.
	FailOn []string
	// Sources builds the sources to ask; tests inject fakes.
	Sources func(ctx context.Context, opts *Options, tree *content.Tree) ([]verify.Source, error)
	// Fixes builds what the fix checks read (fixes.go); nil skips them.
	Fixes func(ctx context.Context, opts *Options, tree *content.Tree) (verify.FixOptions, error)
	// Terminal says whether progress may redraw one line.
	Terminal bool
	// Load loads the tree and the lock; nil reads ContentDir.
	Load *cmdutil.Loader
}

// ErrNotAllVerified is returned (exit status 1) when anything is not verified.
var ErrNotAllVerified = fmt.Errorf("not every citation is verified")

// NewCmdVerify builds the command; runF replaces the run function in tests.
func NewCmdVerify(io *iostreams.IO, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: io, Sources: DefaultSources, Fixes: DefaultFixSources, Terminal: isTerminal(io.ErrOut), Getenv: os.Getenv}
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check every cited PR, issue, commit, file:line and build, and record the evidence",
		Long: `Check every citation in content/ against the sources that can answer for it:
local git checkouts first (--checkout owner/repo=DIR, or checkout: in repos.yaml),
then GitHub (GITHUB_TOKEN, GITHUB_API_URL and GITHUB_GRAPHQL_URL as GitHub Actions
sets them; with a token, in GraphQL batches), then the build logs in Google Cloud
Storage (anonymous; STORAGE_EMULATOR_HOST honoured). A re-run asks only what may
have changed, conditionally: unchanged content costs no rate-limit point.

Each distinct citation ends in one status: verified, contradicted, missing,
unverifiable or error. What the sources answered is written to
content/evidence.lock.json atomically; entries no longer cited are dropped, and
an entry that could not be refreshed is kept. The exit status is 1 when anything
is not verified.

Every claim is judged as of its date: its own at:, else the date of the report
that makes it, else (in a pattern) the pattern's as_of: or the date of the newest
report that places it. A PR's state that day comes from its timeline; a file is
read on the default branch as it was at the end of that day. What happened since
is recorded beside the verdict, and pages show it as news.

Formats: text (for people), json, and github (an annotation at the content's
path:line:col for each contradicted or missing citation, so a pull request shows
them on its diff, plus a markdown summary appended to $GITHUB_STEP_SUMMARY; the
default when GITHUB_ACTIONS=true).`,
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
	f.BoolVar(&opts.Offline, "offline", false, "touch no network: answer from checkouts and the lock only")
	f.StringArrayVar(&opts.Checkouts, "checkout", nil, "`owner/repo=DIR` local git checkout to read commits and files from (repeatable)")
	f.StringSliceVar(&opts.Only, "only", nil, "verify only the citations in these content `files` (e.g. the files a PR changes)")
	f.BoolVar(&opts.JSON, "json", false, "print the results as JSON (the same as --format json)")
	f.StringVar(&opts.Format, "format", "", "output `format`: text, github or json (default github under GitHub Actions, else text)")
	f.IntVar(&opts.Concurrency, "concurrency", 4, "how many fetches run at once")
	f.StringSliceVar(&opts.FailOn, "fail-on", []string{"contradicted", "missing", "unverifiable", "error"},
		"`statuses` that make the exit status 1 (a pull request check may want only contradicted,missing)")
	return cmd
}

// Run verifies, writes the lock and prints the results.
func Run(ctx context.Context, opts *Options) error {
	if opts.Concurrency < 1 {
		opts.Concurrency = 4
	}
	for _, s := range opts.FailOn {
		switch evidence.Status(strings.TrimSpace(s)) {
		case evidence.Verified, evidence.Contradicted, evidence.Missing, evidence.Unverifiable, evidence.Error:
		default:
			return fmt.Errorf("--fail-on %q: want some of contradicted, missing, unverifiable, error", s)
		}
	}
	format, err := chooseFormat(opts)
	if err != nil {
		return err
	}
	if err := checkOnly(opts); err != nil {
		return err
	}
	tree, err := opts.Load.Tree(opts.ContentDir)
	if err != nil {
		return cmdutil.Because(err, "fix these first")
	}
	prev, err := opts.Load.Lock(opts.ContentDir)
	if err != nil {
		return err
	}
	lockPath := cmdutil.LockPath(opts.ContentDir)
	sources, err := opts.Sources(ctx, opts, tree)
	if err != nil {
		return err
	}
	vo := verify.Options{Sources: sources, Concurrency: opts.Concurrency, Only: onlySet(opts), Progress: progress(opts, format == workflow.FormatJSON)}
	rep := verify.Run(ctx, tree, prev, vo)
	checks, err := checkFixes(ctx, opts, tree, rep)
	if err != nil {
		return err
	}
	if err := rep.Lock.Write(lockPath); err != nil {
		return fmt.Errorf("write %s: %w", lockPath, err)
	}
	acknowledged := acknowledgedAt(tree)
	switch format {
	case workflow.FormatJSON:
		if err := writeJSON(opts.IO.Out, rep); err != nil {
			return err
		}
	case workflow.FormatGitHub:
		writeFixes(opts.IO.Out, checks)
		writeAnnotations(opts.IO.Out, opts, rep, acknowledged)
		writeText(opts.IO.ErrOut, rep)
		if err := workflow.AppendSummary(opts.Getenv, func(w io.Writer) { writeSummary(w, rep) }); err != nil {
			return err
		}
	default:
		writeFixes(opts.IO.Out, checks)
		writeText(opts.IO.Out, rep)
	}
	if rep.Stopped != nil {
		return rep.Stopped
	}
	return failOn(opts, rep, acknowledged)
}

// failSet is the statuses --fail-on names: by default every one but verified.
func failSet(opts *Options) map[evidence.Status]bool {
	fail := map[evidence.Status]bool{}
	for _, s := range opts.FailOn {
		fail[evidence.Status(strings.TrimSpace(s))] = true
	}
	if len(opts.FailOn) == 0 {
		fail = map[evidence.Status]bool{evidence.Contradicted: true, evidence.Missing: true, evidence.Unverifiable: true, evidence.Error: true}
	}
	return fail
}

// failOn returns ErrNotAllVerified when any result has a status --fail-on names.
func failOn(opts *Options, rep *verify.Report, acknowledged map[verify.Location]bool) error {
	fail := failSet(opts)
	for _, r := range rep.Results {
		if fail[r.Status] && !allAcknowledged(r, acknowledged) {
			return ErrNotAllVerified
		}
	}
	return nil
}

// acknowledgedAt is where content acknowledges a contradiction it keeps as its report wrote it.
func acknowledgedAt(tree *content.Tree) map[verify.Location]bool {
	at := map[verify.Location]bool{}
	for _, c := range tree.Citations {
		if c.Claim != nil && c.Claim.Acknowledged != "" {
			at[verify.Location{File: c.Pos.File, Line: c.Pos.Line, Column: c.Pos.Col}] = true
		}
	}
	return at
}

// allAcknowledged says every place that makes a result's claim acknowledges its status: the
// exit status then stays 0 for it, as lint's does, while the output still reports it.
func allAcknowledged(r verify.Result, acknowledged map[verify.Location]bool) bool {
	if len(r.Locations) == 0 || !r.Status.Acknowledgeable() {
		return false
	}
	for _, l := range r.Locations {
		if !acknowledged[l] {
			return false
		}
	}
	return true
}

// checkOnly refuses --only files that do not exist, as given or under the content
// directory: a typo would otherwise verify nothing and pass.
func checkOnly(opts *Options) error {
	var missing []string
	for _, f := range opts.Only {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if _, err := os.Stat(f); err == nil {
			continue
		}
		if _, err := os.Stat(filepath.Join(opts.ContentDir, f)); err == nil {
			continue
		}
		missing = append(missing, f)
	}
	if len(missing) > 0 {
		return fmt.Errorf("--only: no such file: %s (give content files, as a path or relative to %s)", strings.Join(missing, ", "), opts.ContentDir)
	}
	return nil
}

// onlySet maps --only files to the way positions name them (under the content prefix).
func onlySet(opts *Options) map[string]bool {
	if len(opts.Only) == 0 {
		return nil
	}
	set := map[string]bool{}
	for _, f := range opts.Only {
		f = filepath.ToSlash(filepath.Clean(f))
		set[f] = true
		set[filepath.ToSlash(filepath.Join(opts.ContentDir, f))] = true
	}
	return set
}

func writeJSON(w io.Writer, rep *verify.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	results := rep.Results
	if results == nil {
		results = []verify.Result{}
	}
	return enc.Encode(struct {
		Citations []verify.Result `json:"citations"`
	}{results})
}

func writeText(w io.Writer, rep *verify.Report) {
	counts := map[evidence.Status]int{}
	for _, r := range rep.Results {
		counts[r.Status]++
		if r.Status == evidence.Verified {
			continue
		}
		loc := ""
		if len(r.Locations) > 0 {
			l := r.Locations[0]
			loc = fmt.Sprintf("%s:%d:%d: ", l.File, l.Line, l.Column)
		}
		fmt.Fprintf(w, "%s%s %s: %s\n", loc, r.Target, r.Status, r.Message)
	}
	for _, n := range news(rep) {
		fmt.Fprintf(w, "%s%s since %s: %s\n", firstPlace(n.result), n.result.Target, n.day, n.since)
	}
	var parts []string
	for _, st := range []evidence.Status{evidence.Verified, evidence.Contradicted, evidence.Missing, evidence.Unverifiable, evidence.Error} {
		parts = append(parts, fmt.Sprintf("%d %s", counts[st], st))
	}
	fmt.Fprintf(w, "%d citations: %s (%d fetched, %d unchanged since the last run)\n", len(rep.Results), strings.Join(parts, ", "), rep.Fetched, rep.NotModified)
}

// firstPlace is "path:line:col: " of the first place that cites a result, or "".
func firstPlace(r verify.Result) string {
	if len(r.Locations) == 0 {
		return ""
	}
	l := r.Locations[0]
	return fmt.Sprintf("%s:%d:%d: ", l.File, l.Line, l.Column)
}

// newsItem is what happened to a PR or issue after the day a claim of it speaks for.
type newsItem struct {
	result     verify.Result
	day, since string
}

// news lists, once per target and day, the PRs and issues that changed after the day their
// claims speak for: what a reporter writes up as "done since the report".
func news(rep *verify.Report) []newsItem {
	var out []newsItem
	seen := map[string]bool{}
	for _, r := range rep.Results {
		day := r.Claim.Day()
		since := strings.Join(r.Observed.Since(day), ", ")
		if since == "" || seen[r.Target+" "+day] {
			continue
		}
		seen[r.Target+" "+day] = true
		out = append(out, newsItem{r, day, since})
	}
	return out
}

// progress redraws one line on a terminal and prints every 50th target otherwise; a JSON run
// not on a terminal prints none, so that its output is the JSON alone.
func progress(opts *Options, jsonOut bool) func(done, total int, target string) {
	if jsonOut && !opts.Terminal {
		return nil
	}
	return func(done, total int, target string) {
		if opts.Terminal {
			fmt.Fprintf(opts.IO.ErrOut, "\r\033[Kverify %d/%d %s", done, total, target)
			if done == total {
				fmt.Fprintln(opts.IO.ErrOut)
			}
			return
		}
		if done%50 == 0 || done == total {
			fmt.Fprintf(opts.IO.ErrOut, "verify: %d/%d\n", done, total)
		}
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
