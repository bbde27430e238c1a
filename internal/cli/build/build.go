// Package build is the `triagesite build` command: content in, site out.
package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/publish"
	"github.com/triagesite/triagesite/internal/site"
)

// Options are the inputs of one build.
type Options struct {
	IO         *iostreams.IO
	ContentDir string
	OutDir     string
	BaseURL    string
	NoMinify   bool
	Strict     bool
	ListRows   int
	Version    string
}

// NewCmdBuild builds the command; runF replaces the run function in tests.
func NewCmdBuild(io *iostreams.IO, version string, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: io, Version: version}
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Render the site from the content tree",
		Long: `Load and validate content/, then render every page into the output directory.

The site is written into a temporary directory beside the output and swapped in
only when every page was written, so a failed build leaves the previous site as
it was. Build reads recorded evidence only: it never touches the network.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.ContentDir, "content", "content", "content `directory`")
	cmd.Flags().StringVar(&opts.OutDir, "out", "site", "output `directory`, replaced atomically")
	cmd.Flags().StringVar(&opts.BaseURL, "base-url", "", "absolute `URL` the site is published at, for canonical links")
	cmd.Flags().BoolVar(&opts.NoMinify, "no-minify", false, "leave prose and stylesheets as rendered (templates write minified HTML regardless)")
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "fail when any citation is not verified in the evidence lock")
	cmd.Flags().IntVar(&opts.ListRows, "list-rows", site.DefaultListRows, "`rows` on each page of the long lists (verification, cited refs, everything A–Z)")
	return cmd
}

// Run loads, renders and publishes.
func Run(ctx context.Context, opts *Options) error {
	if opts.ListRows < 0 {
		return fmt.Errorf("--list-rows %d: want a number of rows, 1 or more (0 for the default, %d)", opts.ListRows, site.DefaultListRows)
	}
	tree, err := content.Load(os.DirFS(opts.ContentDir), opts.ContentDir)
	if err != nil {
		return reportLoadErrors(opts, err)
	}
	lock, err := evidence.Read(filepath.Join(opts.ContentDir, evidence.FileName))
	if err != nil {
		return err
	}
	ev := site.LockEvidence{Lock: lock}
	if opts.Strict {
		if err := requireVerified(opts, tree, ev); err != nil {
			return err
		}
	}
	stage, err := publish.Begin(opts.OutDir)
	if err != nil {
		return err
	}
	so := site.Options{BaseURL: opts.BaseURL, Version: opts.Version, Minify: !opts.NoMinify, Evidence: ev, ListRows: opts.ListRows}
	if err := site.Build(ctx, tree, so, stage); err != nil {
		stage.Abort()
		return fmt.Errorf("build: %w (the previous %s is unchanged)", err, opts.OutDir)
	}
	if err := stage.Commit(); err != nil {
		stage.Abort()
		return err
	}
	fmt.Fprintf(opts.IO.Out, "built %d files into %s\n", stage.Pages(), opts.OutDir)
	return nil
}

// requireVerified lists every citation whose recorded status is not verified.
func requireVerified(opts *Options, tree *content.Tree, ev site.Evidence) error {
	bad := 0
	by := map[evidence.Status]int{}
	for _, c := range tree.Citations {
		st, msg := ev.Status(c.Ref, c.Claim)
		if st != evidence.Verified {
			bad++
			by[st]++
			fmt.Fprintf(opts.IO.ErrOut, "%s: %s is %s: %s\n", c.Pos, c.Ref, st, msg)
		}
	}
	if bad > 0 {
		return fmt.Errorf("--strict: %d of %d citations are not verified (%d contradicted, %d missing, %d unverifiable, %d error); run triagesite verify, or fix the claims above",
			bad, len(tree.Citations), by[evidence.Contradicted], by[evidence.Missing], by[evidence.Unverifiable], by[evidence.Error])
	}
	return nil
}

func reportLoadErrors(opts *Options, err error) error {
	if errs, ok := err.(content.Errors); ok {
		for _, e := range errs {
			fmt.Fprintln(opts.IO.ErrOut, e.Error())
		}
		return fmt.Errorf("content has %d problem(s); fix them and build again (the previous %s is unchanged)", len(errs), opts.OutDir)
	}
	return err
}
