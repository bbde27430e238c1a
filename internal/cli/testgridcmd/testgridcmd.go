// Package testgridcmd is the `triagesite testgrid refresh` command: content/testgrid.yaml from kubernetes/test-infra.
package testgridcmd

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/triagesite/triagesite/internal/atomicfile"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/testgrid"
)

// DefaultRepo is where test-infra is cloned from when no checkout is given.
const DefaultRepo = "https://github.com/kubernetes/test-infra"

// Options are the inputs of one refresh.
type Options struct {
	IO         *iostreams.IO
	Checkout   string // a test-infra checkout; empty means clone Repo
	Repo       string // a git URL to clone (sparse, shallow) when Checkout is empty
	ContentDir string
	// Git runs git in dir and returns its standard output; swapped in tests. nil runs the
	// git on PATH.
	Git func(ctx context.Context, dir string, args ...string) ([]byte, error)
}

// NewCmdTestgrid builds the `testgrid` command and its `refresh` subcommand; runF replaces
// the run function in tests.
func NewCmdTestgrid(io *iostreams.IO, runF func(context.Context, *Options) error) *cobra.Command {
	cmd := &cobra.Command{Use: "testgrid", Short: "The release dashboards' jobs, read from kubernetes/test-infra"}
	opts := &Options{IO: io}
	refresh := &cobra.Command{
		Use:   "refresh [--checkout DIR | --repo URL]",
		Short: "Rewrite content/testgrid.yaml from a test-infra checkout or from GitHub",
		Long: `Read which prow jobs are on sig-release's release-blocking and release-informing
TestGrid dashboards, and write them to content/testgrid.yaml with the test-infra
commit they were read at. The dashboards are those of the sig-release group in
config/testgrids/kubernetes/sig-release/config.yaml; a job is on one when its
testgrid-dashboards annotation (config/jobs) or the dashboard's own tabs name it.

Without --checkout, test-infra is cloned from --repo (shallow, and only config/jobs
and config/testgrids) into a temporary directory that is removed afterwards.`,
		Example: `  triagesite testgrid refresh --checkout ../test-infra
  triagesite testgrid refresh`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	f := refresh.Flags()
	f.StringVar(&opts.Checkout, "checkout", "", "a kubernetes/test-infra checkout `directory`")
	f.StringVar(&opts.Repo, "repo", DefaultRepo, "git `URL` to clone when no --checkout is given")
	f.StringVar(&opts.ContentDir, "content", "content", "content `directory`")
	cmd.AddCommand(refresh)
	return cmd
}

// Run reads the dashboards and writes the file; nothing is written when reading fails.
func Run(ctx context.Context, opts *Options) error {
	if opts.Git == nil {
		opts.Git = runGit
	}
	if fi, err := os.Stat(opts.ContentDir); err != nil || !fi.IsDir() {
		return fmt.Errorf("testgrid refresh: content directory %s not found; run from the repository root or pass --content", opts.ContentDir)
	}
	dir := opts.Checkout
	if dir == "" {
		tmp, err := os.MkdirTemp("", "test-infra-*")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		if err := clone(ctx, opts, tmp); err != nil {
			return fmt.Errorf("testgrid refresh: clone %s: %w", opts.Repo, err)
		}
		dir = tmp
	}
	tg, err := read(ctx, opts, dir)
	if err != nil {
		return fmt.Errorf("testgrid refresh: %s: %w (nothing was written)", dir, err)
	}
	data, err := testgrid.Encode(tg)
	if err != nil {
		return err
	}
	out := filepath.Join(opts.ContentDir, content.TestGridFile)
	if err := atomicfile.WriteFile(out, data, 0o644); err != nil {
		return fmt.Errorf("testgrid refresh: %w", err)
	}
	jobs := 0
	for _, d := range tg.Dashboards {
		jobs += len(d.Jobs)
	}
	fmt.Fprintf(opts.IO.Out, "wrote %s: %d dashboards, %d job listings, test-infra at %s\n", out, len(tg.Dashboards), jobs, tg.Commit)
	return nil
}

// read takes the dashboards and the commit they were read at from a checkout.
func read(ctx context.Context, opts *Options, dir string) (content.TestGrid, error) {
	commit, err := opts.Git(ctx, dir, "rev-parse", "HEAD")
	if err != nil {
		return content.TestGrid{}, fmt.Errorf("not a git checkout: %w", err)
	}
	date, err := opts.Git(ctx, dir, "log", "-1", "--format=%cI", "HEAD")
	if err != nil {
		return content.TestGrid{}, err
	}
	dashboards, err := testgrid.Read(os.DirFS(dir))
	if err != nil {
		return content.TestGrid{}, err
	}
	return content.TestGrid{Source: "kubernetes/test-infra", Commit: strings.TrimSpace(string(commit)),
		CommitDate: strings.TrimSpace(string(date)), Dashboards: dashboards}, nil
}

// clone fetches only what Read needs: the newest commit, and the two config folders.
func clone(ctx context.Context, opts *Options, dir string) error {
	if _, err := opts.Git(ctx, "", "clone", "--quiet", "--depth=1", "--filter=blob:none", "--sparse", opts.Repo, dir); err != nil {
		return err
	}
	_, err := opts.Git(ctx, dir, "sparse-checkout", "set", testgrid.JobsDir, testgrid.TestgridsDir)
	return err
}

func runGit(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}
