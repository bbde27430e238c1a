// Package digest is the `triagesite digest` command: one SIG's week of CI signal.
package digest

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/cli/cmdutil"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/snapshot"
)

// Options are the inputs of one digest run.
type Options struct {
	IO         *iostreams.IO
	ContentDir string
	SIG        string
	Since      string          // first day of the window; empty: the last week of snapshots
	Format     string          // markdown or text
	Load       *cmdutil.Loader // the tree and lock; nil reads ContentDir
}

// NewCmdDigest builds the command; runF replaces the run function in tests.
func NewCmdDigest(io *iostreams.IO, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: io}
	cmd := &cobra.Command{
		Use:   "digest --sig SIG [--since DATE] [--format markdown|text]",
		Short: "One SIG's CI signal over the last week of snapshots",
		Long: `Summarise one SIG's CI signal over the last 7 days of stored snapshots (or
since --since): the jobs it owns first that newly fail or flake, and that
recovered; the fixes it owns that the verification lock records as merged in
the window; the nudge targets of its patterns still open; and the jobs in its
categories or job prefixes that no pattern explains.

A job's primary owner is the first owner SIG of the sub-pattern that places it,
else of its pattern, else the first SIG sigs.yaml gives it by category or job
prefix. Markdown is fit to paste into a SIG meeting agenda.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.ContentDir, "content", "content", "content `directory`")
	cmd.Flags().StringVar(&opts.SIG, "sig", "", "SIG id from sigs.yaml, e.g. sig-node (required)")
	cmd.Flags().StringVar(&opts.Since, "since", "", "first `date` of the window (default: 7 days before the newest snapshot)")
	cmd.Flags().StringVar(&opts.Format, "format", "markdown", "markdown or text")
	_ = cmd.MarkFlagRequired("sig")
	return cmd
}

// Run loads the content and its lock, computes the digest and prints it.
func Run(_ context.Context, opts *Options) error {
	if opts.Format != "text" && opts.Format != "markdown" {
		return fmt.Errorf("--format %q: want markdown or text", opts.Format)
	}
	if opts.Since != "" {
		if _, err := time.Parse(time.DateOnly, opts.Since); err != nil {
			return fmt.Errorf("--since %q: want a date, YYYY-MM-DD", opts.Since)
		}
	}
	tree, err := opts.Load.Tree(opts.ContentDir)
	if err != nil {
		return err
	}
	if tree.SIG(opts.SIG) == nil {
		var ids []string
		for _, s := range tree.SIGs {
			ids = append(ids, s.ID)
		}
		return fmt.Errorf("--sig %q: sigs.yaml has no such SIG (it has %s)", opts.SIG, strings.Join(ids, ", "))
	}
	lock, err := opts.Load.Lock(opts.ContentDir)
	if err != nil {
		return err
	}
	d := analyze.DigestOf(Input(tree, lock), opts.SIG, opts.Since)
	if len(d.Datasets) == 0 && d.To == "" {
		return fmt.Errorf("no stored snapshot: nothing to digest")
	}
	Print(opts.IO.Out, tree, d, opts.Format == "markdown")
	return nil
}

// Input prepares what a digest reads from a loaded tree and its lock.
func Input(tree *content.Tree, lock *evidence.Lock) analyze.DigestInput {
	in := analyze.DigestInput{Tree: tree, Lock: lock, Categories: analyze.NewCategorizer(tree.Categories),
		History: map[snapshot.Dataset]*snapshot.History{}, Placements: map[snapshot.Dataset]*analyze.Placements{}}
	placer := analyze.NewPlacer(tree.Patterns)
	for _, ds := range []snapshot.Dataset{snapshot.Failures, snapshot.Flakes} {
		in.History[ds] = tree.History(ds)
		in.Placements[ds] = placer.PlaceAll(in.History[ds])
	}
	return in
}

// Print writes the digest as markdown (for an agenda) or plain text.
func Print(w io.Writer, t *content.Tree, d analyze.Digest, md bool) {
	p := printer{w: w, md: md, t: t}
	name := d.SIG
	if s := t.SIG(d.SIG); s != nil {
		name = s.Name
	}
	p.title(fmt.Sprintf("%s CI digest, %s to %s", name, d.Since, d.To))
	for _, dd := range d.Datasets {
		against := "compared with " + dd.Baseline
		if !dd.Compared {
			against = "no earlier snapshot to compare with"
		}
		are := "are"
		if dd.JobsOwned == 1 {
			are = "is"
		}
		p.line(fmt.Sprintf("\n%s: %s of %d in the %s snapshot %s %s's first; %s.",
			dd.Dataset, count(dd.JobsOwned, "job", "jobs"), dd.Total, dd.End, are, d.SIG, against))
		p.list("Newly "+dd.Dataset.Verb()+" ("+string(dd.Dataset)+")", notKnown(dd.NewNote()), p.jobLines(dd.Dataset, dd.New))
		p.list("Recovered ("+string(dd.Dataset)+")", notKnown(dd.RecoveredNote()), p.jobLines(dd.Dataset, dd.Recovered))
		p.list("Unexplained in "+d.SIG+"'s job categories and prefixes ("+string(dd.Dataset)+")", "", p.jobLines(dd.Dataset, dd.Unexplained))
	}
	var fixes []string
	for _, f := range d.Fixes {
		s := p.code(f.Ref.Short(t.Alias(f.Ref.Repo))) + " merged " + f.MergedAt
		if f.Title != "" {
			s += ": " + f.Title
		}
		fixes = append(fixes, s+" ("+f.Where+")")
	}
	p.list("Fixes merged, as the verification lock records them", "", fixes)
	var nudges []string
	for _, n := range d.Nudges {
		var refs []string
		for _, r := range n.Refs {
			refs = append(refs, p.code(r.Short(t.Alias(r.Repo))))
		}
		s := strings.Join(refs, ", ") + ": " + n.State + " (pattern " + n.Pattern + ", report " + n.Report + ")"
		if n.Block != "" {
			s += "; blocked on " + strings.Join(strings.Fields(string(n.Block)), " ")
		}
		nudges = append(nudges, s)
	}
	p.list("Open nudge targets", "", nudges)
}

// notKnown leads a list's note with why it is there; "" stays "".
func notKnown(note string) string {
	if note == "" {
		return ""
	}
	return "not known: " + note
}

type printer struct {
	w  io.Writer
	md bool
	t  *content.Tree
}

func (p printer) title(s string) {
	if p.md {
		fmt.Fprintf(p.w, "## %s\n", s)
		return
	}
	fmt.Fprintf(p.w, "%s\n%s\n", s, strings.Repeat("=", len([]rune(s))))
}

func (p printer) line(s string) { fmt.Fprintf(p.w, "%s\n", s) }

// list writes a section: its title and size, a note when the list cannot be known, and its items.
func (p printer) list(title, note string, items []string) {
	if p.md {
		fmt.Fprintf(p.w, "\n### %s (%d)\n\n", title, len(items))
	} else {
		fmt.Fprintf(p.w, "\n%s (%d):\n", title, len(items))
	}
	switch {
	case note != "":
		items = append([]string{note}, items...)
	case len(items) == 0:
		items = []string{"none"}
	}
	for _, s := range items {
		if p.md {
			fmt.Fprintf(p.w, "- %s\n", s)
		} else {
			fmt.Fprintf(p.w, "  %s\n", s)
		}
	}
}

func (p printer) code(s string) string {
	if p.md {
		return "`" + strings.ReplaceAll(s, "`", "'") + "`"
	}
	return s
}

func (p printer) jobLines(ds snapshot.Dataset, js []analyze.StatusJob) []string {
	out := []string{}
	for _, j := range js {
		out = append(out, p.jobLine(ds, j))
	}
	return out
}

func (p printer) jobLine(ds snapshot.Dataset, j analyze.StatusJob) string {
	fig := strconv.Itoa(j.Job.FailingDays) + "d"
	if ds == snapshot.Flakes {
		fig = "consistency " + strconv.FormatFloat(j.Job.Consistency, 'f', -1, 64)
	}
	s := p.code(j.Job.Name) + " (" + fig + ", " + string(j.Severity) + ")"
	if len(j.Claims) > 0 {
		s += ": " + j.Claims[0].Key()
	}
	return s
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
