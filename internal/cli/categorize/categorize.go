// Package categorize is the `triagesite categorize` command: the runbook's category table and cluster scores.
package categorize

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/cli/cmdutil"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
)

// Options are the inputs of one categorize run.
type Options struct {
	IO         *iostreams.IO
	ContentDir string
	Dataset    string
	Snapshot   string // a date of a stored snapshot, or a path to a JSON file; empty: the latest stored
	Top        int
	Load       *cmdutil.Loader // the tree; nil reads ContentDir
}

// NewCmdCategorize builds the command; runF replaces the run function in tests.
func NewCmdCategorize(io *iostreams.IO, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: io}
	cmd := &cobra.Command{
		Use:   "categorize --dataset failures|flakes [--snapshot DATE|FILE]",
		Short: "Print the category table and the runbook's Appendix A cluster scores",
		Long: `Categorize every job of a snapshot with the rules in content/categories.yaml
(the first rule that matches wins), print the categories largest first, then the
Appendix A scores: log(count) + max_failing_days/100 for failures,
log(count) + (1 - min_consistency) for flakes, highest first.`,
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
	cmd.Flags().StringVar(&opts.Snapshot, "snapshot", "", "stored snapshot `date`, or a JSON file; default: the latest stored")
	cmd.Flags().IntVar(&opts.Top, "top", 8, "how many clusters to mark for investigation")
	_ = cmd.MarkFlagRequired("dataset")
	return cmd
}

// Run prints the tables.
func Run(_ context.Context, opts *Options) error {
	ds, err := snapshot.ParseDataset(opts.Dataset)
	if err != nil {
		return err
	}
	if opts.Top < 0 {
		return fmt.Errorf("--top %d: want how many clusters to mark, 0 or more", opts.Top)
	}
	tree, err := opts.Load.Tree(opts.ContentDir)
	if err != nil {
		return err
	}
	snap, label, err := pick(tree, ds, opts.Snapshot)
	if err != nil {
		return err
	}
	rows := analyze.Categorize(analyze.NewCategorizer(tree.Categories), snap)
	analyze.WriteTable(opts.IO.Out, label, snap, rows, opts.Top)
	return nil
}

// storedRange says which dates of a dataset are stored, for an error about a missing one.
func storedRange(tree *content.Tree, ds snapshot.Dataset) string {
	var dates []string
	for _, s := range tree.Snapshots {
		if s.Meta.Dataset == string(ds) {
			dates = append(dates, s.Jobs.Date())
		}
	}
	switch len(dates) {
	case 0:
		return " (none is stored)"
	case 1:
		return " (the one stored is " + dates[0] + ")"
	}
	return fmt.Sprintf(" (%d stored, %s to %s)", len(dates), dates[0], dates[len(dates)-1])
}

func pick(tree *content.Tree, ds snapshot.Dataset, which string) (*snapshot.Snapshot, string, error) {
	if which != "" {
		if s := tree.Snapshot(ds, which); s != nil {
			return s.Jobs.Snapshot(), s.Path, nil
		}
		if _, err := time.Parse(time.DateOnly, which); err == nil {
			// A date names a stored snapshot, never a file that happens to be called that.
			return nil, "", fmt.Errorf("--snapshot %s: no stored %s snapshot of that date%s", which, ds, storedRange(tree, ds))
		}
		data, err := os.ReadFile(which)
		if err != nil {
			return nil, "", fmt.Errorf("--snapshot %s: not a stored %s snapshot date and not a readable file", which, ds)
		}
		s, err := snapshot.Parse(ds, data)
		if err != nil {
			return nil, "", fmt.Errorf("--snapshot %s: %w", which, err)
		}
		return s, which, nil
	}
	var latest *content.Snapshot
	for _, s := range tree.Snapshots {
		if s.Meta.Dataset == string(ds) {
			latest = s
		}
	}
	if latest == nil {
		return nil, "", fmt.Errorf("no stored %s snapshot; run `triagesite snapshot fetch --dataset %s` first", ds, ds)
	}
	return latest.Jobs.Snapshot(), latest.Path, nil
}
