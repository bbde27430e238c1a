package verifycmd

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
	"github.com/triagesite/triagesite/internal/verify/checkout"
	"github.com/triagesite/triagesite/internal/verify/gcs"
	"github.com/triagesite/triagesite/internal/verify/github"
)

// DefaultFixSources reads builds from the build-log bucket and decides ancestry from
// checkouts first, then GitHub's compare API. Offline there is no bucket, so no fix is
// checked and the lock keeps what it recorded.
func DefaultFixSources(ctx context.Context, opts *Options, tree *content.Tree) (verify.FixOptions, error) {
	if opts.Offline {
		return verify.FixOptions{}, nil
	}
	dirs, err := checkoutDirs(opts, tree)
	if err != nil {
		return verify.FixOptions{}, err
	}
	client, err := gcs.NewClient(ctx)
	if err != nil {
		return verify.FixOptions{}, fmt.Errorf("storage client for build logs: %w", err)
	}
	var gh []github.Option
	if u := os.Getenv("GITHUB_API_URL"); u != "" {
		gh = append(gh, github.WithBaseURL(u))
	}
	if tok := os.Getenv("GITHUB_TOKEN"); tok != "" {
		gh = append(gh, github.WithToken(tok))
	}
	co, hub := checkout.New(dirs), github.New(gh...)
	return verify.FixOptions{Builds: gcs.New(client), Merges: []verify.MergeFinder{co, hub},
		Ancestry: []verify.AncestryChecker{co, hub}}, nil
}

// checkFixes runs the fix checks of a whole-content run into the lock and returns them. A run
// limited by --only, or stopped by a rate limit, leaves them as they were.
func checkFixes(ctx context.Context, opts *Options, tree *content.Tree, rep *verify.Report) ([]verify.FixOutcome, error) {
	if opts.Fixes == nil || len(opts.Only) > 0 || rep.Stopped != nil {
		return nil, nil
	}
	fo, err := opts.Fixes(ctx, opts, tree)
	if err != nil {
		return nil, err
	}
	return verify.CheckFixes(ctx, tree, rep.Lock, fo), nil
}

// writeFixes prints the fixes that did not fix, and the counts.
func writeFixes(w io.Writer, checks []verify.FixOutcome) {
	n := map[evidence.FixVerdict]int{}
	for _, c := range checks {
		n[c.Verdict]++
		if c.Verdict != evidence.FixFixed && c.Verdict != evidence.FixNotYetTested {
			fmt.Fprintf(w, "%s: fix %s in job %s %s: %s\n", c.Pos, c.PR, c.Job, c.Verdict, c.Message)
		}
	}
	if len(checks) > 0 {
		fmt.Fprintf(w, "%d fix checks: %d fixed, %d still failing with the fix, %d not yet tested, %d unverifiable, %d error\n",
			len(checks), n[evidence.FixFixed], n[evidence.FixStillFailing], n[evidence.FixNotYetTested], n[evidence.FixUnverifiable], n[evidence.FixError])
	}
}
