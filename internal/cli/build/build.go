// Package build is the `triagesite build` command: content in, site out.
package build

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/cli/cmdutil"
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
	Force      bool
	ListRows   int
	Version    string
	// Begin starts the output; nil means publish.Begin. Tests wrap it to stop a build mid-write.
	Begin func(dest string, o publish.Options) (Stage, error)
	// Now is --now: the time snapshot ages are measured at (RFC 3339, or a date).
	Now        string
	StaleAfter time.Duration
	// Getenv reads SOURCE_DATE_EPOCH, the time when --now is not given, and GOMEMLIMIT; nil
	// means os.Getenv.
	Getenv func(string) string
	// MemoryLimit is --memory-limit, the soft limit on the Go heap ("512MiB"); "" or "off"
	// sets none.
	MemoryLimit string
	// SetMemoryLimit applies it; nil means debug.SetMemoryLimit. Tests record it instead.
	SetMemoryLimit func(int64) int64
	// Load loads the tree (render-only: a build never lints) and the lock; nil reads ContentDir.
	Load *cmdutil.Loader
}

// Stage is where a build writes its pages: a publish.Staging, or a test's wrapper of one.
type Stage interface {
	WritePage(path string, data []byte) error
	Pages() int
	Commit() error
	Abort()
}

func beginStaging(dest string, o publish.Options) (Stage, error) { return publish.Begin(dest, o) }

// NewCmdBuild builds the command; runF replaces the run function in tests.
func NewCmdBuild(io *iostreams.IO, version string, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: io, Version: version}
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Render the site from the content tree",
		Long: `Load and validate content/, then render every page into the output directory.

The site is written into a temporary directory beside the output and swapped in
only when every page was written, so a failed build leaves the previous site as
it was. Build reads recorded evidence only: it never touches the network.

The output directory is marked with a ` + "`" + publish.StampName + "`" + ` file. Build replaces only a
directory that holds it, or an empty one; --force replaces any other directory or file.
It never replaces the content directory, the working directory, the home directory, or a
directory that holds one of them.`,
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
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace --out even when triagesite did not write it (a file, or a directory with no stamp)")
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "fail when any citation is not verified in the evidence lock (a contradiction its claim acknowledges is listed, not failed)")
	cmd.Flags().IntVar(&opts.ListRows, "list-rows", site.DefaultListRows, "`rows` on each page of the long lists (verification, cited refs, everything A–Z)")
	cmd.Flags().StringVar(&opts.Now, "now", "", "`time` snapshot ages are measured at, RFC 3339 or YYYY-MM-DD (default $SOURCE_DATE_EPOCH, else the newest snapshot's time, so the same content builds the same site)")
	cmd.Flags().DurationVar(&opts.StaleAfter, "stale-after", analyze.DefaultStaleAfter, "`age` from which a dataset's newest snapshot is flagged stale")
	cmd.Flags().StringVar(&opts.MemoryLimit, "memory-limit", defaultMemoryLimitFlag,
		"soft `limit` on the Go heap, such as 512MiB or 2GiB, or off; the collector runs sooner near it, and a build that needs more still finishes (GOMEMLIMIT, when set, wins)")
	return cmd
}

// Run loads, renders and publishes.
func Run(ctx context.Context, opts *Options) error {
	if opts.ListRows < 0 {
		return fmt.Errorf("--list-rows %d: want a number of rows, 1 or more (0 for the default, %d)", opts.ListRows, site.DefaultListRows)
	}
	now, err := buildTime(opts)
	if err != nil {
		return err
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if err := memoryLimit(opts, getenv); err != nil {
		return err
	}
	tree, err := opts.Load.Tree(opts.ContentDir, content.RenderOnly())
	if err != nil {
		return reportLoadErrors(opts, err)
	}
	lock, err := opts.Load.Lock(opts.ContentDir)
	if err != nil {
		return err
	}
	ev := site.LockEvidence{Lock: lock}
	if opts.Strict {
		if err := requireVerified(opts, tree, ev); err != nil {
			return err
		}
	}
	begin := opts.Begin
	if begin == nil {
		begin = beginStaging
	}
	stage, err := begin(opts.OutDir, publish.Options{
		Force: opts.Force,
		Keep:  []publish.Kept{{Dir: opts.ContentDir, What: "the content directory"}},
		Log:   opts.IO.ErrOut,
	})
	if err != nil {
		return err
	}
	so := site.Options{BaseURL: opts.BaseURL, Version: opts.Version, Minify: !opts.NoMinify, Evidence: ev, ListRows: opts.ListRows,
		Now: now, StaleAfter: opts.StaleAfter}
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

// buildTime is the time snapshot ages are measured at: --now, else SOURCE_DATE_EPOCH (the
// reproducible-builds convention), else zero, which the site reads as the newest snapshot's
// time. The wall clock is never read: the same content and flags build the same bytes.
func buildTime(opts *Options) (time.Time, error) {
	if opts.StaleAfter < 0 {
		return time.Time{}, fmt.Errorf("--stale-after %s: want a positive age, such as 48h", opts.StaleAfter)
	}
	if opts.Now != "" {
		for _, layout := range []string{time.RFC3339, time.DateOnly} {
			if t, err := time.Parse(layout, opts.Now); err == nil {
				return t.UTC(), nil
			}
		}
		return time.Time{}, fmt.Errorf("--now %q: want an RFC 3339 time (2026-05-11T06:00:00Z) or a date (2026-05-11)", opts.Now)
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if v := getenv("SOURCE_DATE_EPOCH"); v != "" {
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q: want seconds since 1970-01-01 UTC", v)
		}
		return time.Unix(secs, 0).UTC(), nil
	}
	return time.Time{}, nil
}

// requireVerified lists every citation whose recorded status is not verified, and fails
// unless each of them is a contradiction its claim acknowledges: verify's exit status passes
// those too, and lint makes them warnings.
func requireVerified(opts *Options, tree *content.Tree, ev site.Evidence) error {
	bad, acked := 0, 0
	by := map[evidence.Status]int{}
	for _, c := range tree.Citations {
		st, msg := ev.Status(c.Ref, c.Claim)
		switch {
		case st == evidence.Verified:
		case acknowledges(c, st):
			acked++
			fmt.Fprintf(opts.IO.ErrOut, "%s: %s is %s (acknowledged): %s\n", c.Pos, c.Ref, st, msg)
		default:
			bad++
			by[st]++
			fmt.Fprintf(opts.IO.ErrOut, "%s: %s is %s: %s\n", c.Pos, c.Ref, st, msg)
		}
	}
	if bad == 0 {
		return nil
	}
	besides := ""
	if acked > 0 {
		besides = fmt.Sprintf(", besides %d acknowledged", acked)
	}
	return fmt.Errorf("--strict: %d of %d citations are not verified (%d contradicted, %d missing, %d unverifiable, %d error)%s; run triagesite verify, or fix the claims above",
		bad, len(tree.Citations), by[evidence.Contradicted], by[evidence.Missing], by[evidence.Unverifiable], by[evidence.Error], besides)
}

// acknowledges says the citation's claim acknowledges its status.
func acknowledges(c content.Citation, st evidence.Status) bool {
	return c.Claim != nil && c.Claim.Acknowledged != "" && st.Acknowledgeable()
}

func reportLoadErrors(opts *Options, err error) error {
	var errs content.Errors
	if errors.As(err, &errs) {
		for _, e := range errs {
			fmt.Fprintln(opts.IO.ErrOut, e.Error())
		}
		return fmt.Errorf("content has %d problem(s); fix them and build again (the previous %s is unchanged)", len(errs), opts.OutDir)
	}
	return err
}
