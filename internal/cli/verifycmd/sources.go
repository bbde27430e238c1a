package verifycmd

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/verify"
	"github.com/triagesite/triagesite/internal/verify/checkout"
	"github.com/triagesite/triagesite/internal/verify/gcs"
	"github.com/triagesite/triagesite/internal/verify/github"
)

// DefaultSources asks local checkouts first (offline and free), then, unless --offline,
// GitHub and the build-log bucket.
func DefaultSources(ctx context.Context, opts *Options, tree *content.Tree) ([]verify.Source, error) {
	dirs, err := checkoutDirs(opts, tree)
	if err != nil {
		return nil, err
	}
	return sourcesFor(ctx, opts, dirs)
}

// checkoutDirs merges repos.yaml's checkout: fields with --checkout flags (flags win).
func checkoutDirs(opts *Options, tree *content.Tree) (map[string]string, error) {
	dirs := map[string]string{}
	for _, r := range tree.Repos {
		if r.Checkout != "" {
			dirs[r.Repo] = r.Checkout
		}
	}
	for _, c := range opts.Checkouts {
		repo, dir, ok := strings.Cut(c, "=")
		if !ok || repo == "" || dir == "" {
			return nil, fmt.Errorf("--checkout %q: want owner/repo=DIR", c)
		}
		if full, ok := tree.Resolve(repo); ok {
			repo = full
		}
		dirs[repo] = dir
	}
	return dirs, nil
}

// sourcesFor builds the sources in the order they are asked.
func sourcesFor(ctx context.Context, opts *Options, dirs map[string]string) ([]verify.Source, error) {
	var out []verify.Source
	if len(dirs) > 0 {
		var co []checkout.Option
		if opts.Offline { // online, GitHub tells more of a PR than its merge commit
			co = append(co, checkout.WithPullRequests())
		}
		out = append(out, checkout.New(dirs, co...))
	}
	if opts.Offline {
		return out, nil
	}
	gh := []github.Option{github.WithConcurrency(max(opts.Concurrency, 1))}
	if u := os.Getenv("GITHUB_API_URL"); u != "" {
		gh = append(gh, github.WithBaseURL(u))
	}
	if u := os.Getenv("GITHUB_GRAPHQL_URL"); u != "" { // set by GitHub Actions, Enterprise included
		gh = append(gh, github.WithGraphQLURL(u))
	}
	if tok := os.Getenv("GITHUB_TOKEN"); tok != "" {
		gh = append(gh, github.WithToken(tok))
	}
	client, err := gcs.NewClient(ctx)
	if err != nil {
		return nil, fmt.Errorf("storage client for build logs: %w", err)
	}
	return append(out, github.New(gh...), gcs.New(client)), nil
}
