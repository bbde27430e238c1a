// Package newcmd is the `triagesite new` command: scaffold a pattern or a report that already loads.
package newcmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/triagesite/triagesite/internal/cli/cmdutil"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/scaffold"
	"github.com/triagesite/triagesite/internal/snapshot"
)

// NewCmdNew groups the scaffolding subcommands.
func NewCmdNew(io *iostreams.IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "new",
		Short: "Create a pattern or report file with every section in place",
		Long: `Create a content file that already loads, with the yaml-language-server schema
line first and a comment above every section saying what goes there. Existing
files are never overwritten.`,
	}
	cmd.AddCommand(NewCmdPattern(io, nil), NewCmdReport(io, nil))
	return cmd
}

// PatternOptions are the inputs of `new pattern`.
type PatternOptions struct {
	IO         *iostreams.IO
	ContentDir string
	Slug       string
	Dataset    string
}

// NewCmdPattern builds `new pattern`; runF replaces the run function in tests.
func NewCmdPattern(io *iostreams.IO, runF func(context.Context, *PatternOptions) error) *cobra.Command {
	opts := &PatternOptions{IO: io}
	cmd := &cobra.Command{
		Use:     "pattern SLUG [--dataset failures|flakes]",
		Short:   "Create content/patterns/SLUG.yaml",
		Example: "  triagesite new pattern gcb-docker-gcloud-pins --dataset failures",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Slug = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return RunPattern(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.ContentDir, "content", "content", "content `directory`")
	cmd.Flags().StringVar(&opts.Dataset, "dataset", "failures", "failures or flakes")
	return cmd
}

// RunPattern writes the new pattern.
func RunPattern(_ context.Context, opts *PatternOptions) error {
	ds, err := snapshot.ParseDataset(opts.Dataset)
	if err != nil {
		return err
	}
	f, err := scaffold.Pattern(opts.Slug, ds)
	if err != nil {
		return err
	}
	return create(opts.IO, opts.ContentDir, f)
}

// ReportOptions are the inputs of `new report`.
type ReportOptions struct {
	IO         *iostreams.IO
	ContentDir string
	Dataset    string
	Date       string
	Load       *cmdutil.Loader // the tree the report joins; nil reads ContentDir
}

// NewCmdReport builds `new report`; runF replaces the run function in tests.
func NewCmdReport(io *iostreams.IO, runF func(context.Context, *ReportOptions) error) *cobra.Command {
	opts := &ReportOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "report --dataset failures|flakes --date YYYY-MM-DD",
		Short: "Create content/reports/DATE-DATASET.yaml from the stored snapshot of that date",
		Long: `Create a report for a stored snapshot. The category table and the runbook's
Appendix A cluster scores are written in as comments, the top 8 clusters as
status.clusters rows, and prior_snapshot is the previous stored snapshot of the
dataset, if there is one.`,
		Example: "  triagesite new report --dataset failures --date 2026-05-10",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return RunReport(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.ContentDir, "content", "content", "content `directory`")
	cmd.Flags().StringVar(&opts.Dataset, "dataset", "", "failures or flakes (required)")
	cmd.Flags().StringVar(&opts.Date, "date", "", "snapshot `date`, YYYY-MM-DD (required)")
	_ = cmd.MarkFlagRequired("dataset")
	_ = cmd.MarkFlagRequired("date")
	return cmd
}

// RunReport writes the new report.
func RunReport(_ context.Context, opts *ReportOptions) error {
	ds, err := snapshot.ParseDataset(opts.Dataset)
	if err != nil {
		return err
	}
	// The report must load beside everything else, so the tree it joins has to load first.
	tree, err := opts.Load.Tree(opts.ContentDir)
	if err != nil {
		return cmdutil.Because(err, "fix these first; the new report has to load beside them")
	}
	f, err := scaffold.Report(tree, ds, opts.Date)
	if err != nil {
		return err
	}
	return create(opts.IO, opts.ContentDir, f)
}

func create(io *iostreams.IO, contentDir string, f scaffold.File) error {
	p, err := scaffold.Create(contentDir, f)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "created %s\nfill in the commented sections; `triagesite build` checks it, `triagesite serve` previews it\n", p)
	return nil
}
