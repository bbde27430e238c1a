// Package drift is the `triagesite drift` command: what changed between two snapshots.
package drift

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/cli/cmdutil"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/snapshot"
)

// Options are the inputs of one drift run.
type Options struct {
	IO         *iostreams.IO
	ContentDir string
	Dataset    string
	From, To   string          // stored snapshot dates; empty: the two latest
	Format     string          // text or markdown
	Load       *cmdutil.Loader // the tree; nil reads ContentDir
}

// NewCmdDrift builds the command; runF replaces the run function in tests.
func NewCmdDrift(io *iostreams.IO, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: io}
	cmd := &cobra.Command{
		Use:   "drift --dataset failures|flakes [--from DATE --to DATE] [--format text|markdown]",
		Short: "Compare two stored snapshots: added, removed, resets, reappearances",
		Long: `Compare two stored snapshots of a dataset (by default the two latest).

For failures, every job in both should have grown by exactly the days between
the snapshots; the ones that did not are listed (a smaller figure is a reset:
the job passed in between). Jobs that come back after an absence are listed as
reappeared. For flakes, consistency changes are listed, largest first.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.ContentDir, "content", "content", "content `directory`")
	cmd.Flags().StringVar(&opts.Dataset, "dataset", "", "failures or flakes (required)")
	cmd.Flags().StringVar(&opts.From, "from", "", "earlier snapshot `date`")
	cmd.Flags().StringVar(&opts.To, "to", "", "later snapshot `date`")
	cmd.Flags().StringVar(&opts.Format, "format", "text", "text or markdown")
	_ = cmd.MarkFlagRequired("dataset")
	return cmd
}

// Run computes and prints the drift.
func Run(_ context.Context, opts *Options) error {
	ds, err := snapshot.ParseDataset(opts.Dataset)
	if err != nil {
		return err
	}
	if opts.Format != "text" && opts.Format != "markdown" {
		return fmt.Errorf("--format %q: want text or markdown", opts.Format)
	}
	tree, err := opts.Load.Tree(opts.ContentDir)
	if err != nil {
		return err
	}
	h := tree.History(ds)
	from, to, err := window(h, opts.From, opts.To)
	if err != nil {
		return err
	}
	Print(opts.IO.Out, analyze.Compare(h, from, to), opts.Format == "markdown")
	return nil
}

// window finds the two snapshots to compare: by date, or the newest and the one before it.
func window(h *snapshot.History, from, to string) (int, int, error) {
	if h.Len() < 2 {
		return 0, 0, fmt.Errorf("drift needs two stored %s snapshots; there are %d", h.Dataset, h.Len())
	}
	find := func(date string, dflt int) (int, error) {
		if date == "" {
			return dflt, nil
		}
		if d, ok := h.Find(date); ok {
			return d.Index(), nil
		}
		return 0, fmt.Errorf("no stored %s snapshot dated %s", h.Dataset, date)
	}
	ti, err := find(to, h.Len()-1)
	if err != nil {
		return 0, 0, err
	}
	if from == "" && ti == 0 {
		return 0, 0, fmt.Errorf("no stored %s snapshot is older than %s, the oldest; give a later --to", h.Dataset, h.Day(ti).Date())
	}
	fi, err := find(from, ti-1)
	if err != nil {
		return 0, 0, err
	}
	if fi >= ti {
		return 0, 0, fmt.Errorf("--from %s must be earlier than --to %s", h.Day(fi).Date(), h.Day(ti).Date())
	}
	return fi, ti, nil
}

// Print writes the drift as text or markdown.
func Print(w io.Writer, d analyze.Drift, md bool) {
	h := func(title string, n int) {
		if md {
			fmt.Fprintf(w, "\n### %s (%d)\n\n", title, n)
		} else {
			fmt.Fprintf(w, "\n%s (%d):\n", title, n)
		}
	}
	item := func(s string) {
		if md {
			fmt.Fprintf(w, "- %s\n", s)
		} else {
			fmt.Fprintf(w, "  %s\n", s)
		}
	}
	if md {
		fmt.Fprintf(w, "## %s drift %s → %s\n\n", d.Dataset, d.From, d.To)
	} else {
		fmt.Fprintf(w, "%s drift %s -> %s\n", d.Dataset, d.From, d.To)
	}
	if len(d.Empty) > 0 {
		fmt.Fprintf(w, "Not compared: the snapshot of %s lists no jobs (the file is null or {}), so every job would read as %s. See the input-health page.\n",
			strings.Join(d.Empty, " and "), emptyReading(d))
		return
	}
	before := d.Common + len(d.Removed)
	after := d.Common + len(d.Added)
	days := "days"
	if d.Days == 1 {
		days = "day"
	}
	fmt.Fprintf(w, "%d %s apart; %d -> %d jobs (net %+d); %d added, %d removed, %d in both.\n", d.Days, days, before, after, after-before, len(d.Added), len(d.Removed), d.Common)
	h("Added", len(d.Added))
	for _, j := range d.Added {
		item(jobLine(d.Dataset, j))
	}
	h("Removed", len(d.Removed))
	for _, j := range d.Removed {
		item(jobLine(d.Dataset, j))
	}
	if d.Dataset == snapshot.Failures {
		h(fmt.Sprintf("Did not grow by exactly %d day(s)", d.Days), len(d.NotGrown))
		for _, c := range d.NotGrown {
			item(fmt.Sprintf("%s: %d -> %d (expected %d): %s", c.Job, c.Before, c.After, c.Expected, c.Growth.Says()))
		}
	} else {
		h("Consistency changed", len(d.Consistency))
		for _, c := range d.Consistency {
			item(fmt.Sprintf("%s: %s -> %s", c.Job, strconv.FormatFloat(c.Before, 'f', -1, 64), strconv.FormatFloat(c.After, 'f', -1, 64)))
		}
	}
	h("Reappeared after a gap", len(d.Reappeared))
	for _, r := range d.Reappeared {
		item(fmt.Sprintf("%s (last seen %s)", r.Job, r.LastSeen))
	}
}

// emptyReading is what an empty snapshot would make of every job.
func emptyReading(d analyze.Drift) string {
	switch {
	case len(d.Empty) == 2:
		return "neither removed nor added"
	case d.Empty[0] == d.To:
		return "removed"
	}
	return "added"
}

func jobLine(ds snapshot.Dataset, j snapshot.Job) string {
	if ds == snapshot.Flakes {
		return fmt.Sprintf("%s (consistency %s, flakes %d)", j.Name, strconv.FormatFloat(j.Consistency, 'f', -1, 64), j.Flakes)
	}
	return fmt.Sprintf("%s (%dd)", j.Name, j.FailingDays)
}
