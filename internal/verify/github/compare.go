package github

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	gh "github.com/google/go-github/v62/github"
)

// IsAncestor asks GitHub's compare API whether ancestor is in descendant's history: the
// comparison base...head is "ahead" or "identical" exactly when head contains base.
// ok is false when GitHub knows neither commit.
func (s *Source) IsAncestor(ctx context.Context, repo, ancestor, descendant string) (is, ok bool, err error) {
	owner, name, err := s.split(repo)
	if err != nil {
		return false, false, err
	}
	var cmp *gh.CommitsComparison
	_, err = s.call(ctx, func() (r *gh.Response, err error) {
		cmp, r, err = s.gh.Repositories.CompareCommits(ctx, owner, name, ancestor, descendant, &gh.ListOptions{PerPage: 1})
		return r, err
	})
	if notFound(err, http.StatusNotFound, http.StatusUnprocessableEntity) {
		return false, false, nil
	}
	if err != nil {
		return false, false, s.clean(err)
	}
	switch st := cmp.GetStatus(); st {
	case "ahead", "identical":
		return true, true, nil
	case "behind", "diverged":
		return false, true, nil
	default:
		return false, false, fmt.Errorf("compare %s...%s in %s: unknown status %q", ancestor, descendant, repo, st)
	}
}

// MergeCommit names the commit a merged PR landed as (merge_commit_sha); false: not merged.
func (s *Source) MergeCommit(ctx context.Context, repo string, number int) (string, bool, error) {
	owner, name, err := s.split(repo)
	if err != nil {
		return "", false, err
	}
	var pr *gh.PullRequest
	_, err = s.call(ctx, func() (r *gh.Response, err error) {
		pr, r, err = s.gh.PullRequests.Get(ctx, owner, name, number)
		return r, err
	})
	if notFound(err, http.StatusNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, s.clean(err)
	}
	if !pr.GetMerged() || pr.GetMergeCommitSHA() == "" {
		return "", false, nil
	}
	return pr.GetMergeCommitSHA(), true, nil
}

func (s *Source) split(repo string) (owner, name string, err error) {
	if s.err != nil {
		return "", "", s.err
	}
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || owner == "" || name == "" {
		return "", "", fmt.Errorf("repository %q is not owner/repo", repo)
	}
	return owner, name, nil
}
