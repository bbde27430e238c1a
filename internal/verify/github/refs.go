package github

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	gh "github.com/google/go-github/v62/github"

	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
)

// fetchRef reads a PR or an issue through the issues endpoint alone: it tells the two apart
// and carries a PR's merge time, so one request answers every claim.
func (s *Source) fetchRef(ctx context.Context, owner, repo string, t verify.Target) (verify.Answer, error) {
	ctx = conditional(ctx, t)
	var is *gh.Issue
	resp, err := s.call(ctx, func() (r *gh.Response, err error) {
		is, r, err = s.gh.Issues.Get(ctx, owner, repo, t.Ref.Number)
		return r, err
	})
	if a, ok, err := fromPrev(resp, t); ok || err != nil {
		return a, err
	}
	if notFound(err, http.StatusNotFound, http.StatusGone) {
		return verify.Answer{Found: false}, nil
	}
	if err != nil {
		return verify.Answer{}, err
	}
	a := verify.Answer{Found: true, Observed: observeIssue(is), ETag: etagOf(resp), NotModified: replayed(resp)}
	return a, s.withHistory(ctx, owner, repo, t, &a, is.CreatedAt)
}

func observeIssue(is *gh.Issue) evidence.Observed {
	o := evidence.Observed{Exists: true, Kind: "issue", State: is.GetState(), ClosedAt: stamp(is.ClosedAt),
		Title: is.GetTitle(), Labels: labelNames(is.Labels)}
	if pr := is.PullRequestLinks; pr != nil {
		o.Kind, o.Draft = "pr", is.GetDraft()
		if pr.MergedAt != nil && !pr.MergedAt.IsZero() {
			o.Merged, o.MergedAt = true, stamp(pr.MergedAt)
		}
	}
	return o
}

func labelNames(ls []*gh.Label) []string {
	var names []string
	for _, l := range ls {
		names = append(names, l.GetName())
	}
	sort.Strings(names)
	return names
}

// fetchCommit reads a commit; an abbreviated SHA comes back full.
func (s *Source) fetchCommit(ctx context.Context, owner, repo string, t verify.Target) (verify.Answer, error) {
	ctx = conditional(ctx, t)
	var c *gh.RepositoryCommit
	resp, err := s.call(ctx, func() (r *gh.Response, err error) {
		c, r, err = s.gh.Repositories.GetCommit(ctx, owner, repo, t.Ref.SHA, nil)
		return r, err
	})
	if a, ok, err := fromPrev(resp, t); ok || err != nil {
		if err == nil {
			err = s.onBranch(ctx, owner, repo, t, &a)
		}
		return a, err
	}
	// 422: GitHub's answer for a SHA that names no commit.
	if notFound(err, http.StatusNotFound, http.StatusUnprocessableEntity) {
		return verify.Answer{Found: false}, nil
	}
	if err != nil {
		return verify.Answer{}, err
	}
	author := c.GetCommit().GetAuthor()
	title, _, _ := strings.Cut(c.GetCommit().GetMessage(), "\n")
	o := evidence.Observed{Exists: true, SHA: c.GetSHA(), Author: author.GetName(), Date: stamp(author.Date),
		Title: strings.TrimSpace(title)}
	a := verify.Answer{Found: true, Observed: o, ETag: etagOf(resp), NotModified: replayed(resp)}
	return a, s.onBranch(ctx, owner, repo, t, &a)
}

// conditional sends the previous run's ETag, so that an unchanged target costs a free 304;
// without one (GraphQL answered last time), the time GitHub last changed it.
func conditional(ctx context.Context, t verify.Target) context.Context {
	if t.Prev == nil || !t.Prev.Observed.Exists {
		return ctx
	}
	if t.History && !t.Prev.Observed.HistoryKnown() {
		return ctx // a 304 could not give the history the lock lacks
	}
	if t.Prev.ETag != "" {
		return withPrevETag(ctx, t.Prev.ETag)
	}
	if at, err := time.Parse(time.RFC3339, t.Prev.Observed.UpdatedAt); err == nil {
		return withPrevModified(ctx, at)
	}
	return ctx
}

// fromPrev rebuilds the answer from the lock when GitHub answered 304 to the previous ETag.
func fromPrev(resp *gh.Response, t verify.Target) (verify.Answer, bool, error) {
	if resp == nil || resp.Response == nil || resp.StatusCode != http.StatusNotModified {
		return verify.Answer{}, false, nil
	}
	if t.Prev == nil {
		return verify.Answer{}, false, fmt.Errorf("%s: GitHub answered 304 to a request we did not make conditional", t.Ref)
	}
	etag := etagOf(resp)
	if etag == "" {
		etag = t.Prev.ETag
	}
	return verify.Answer{Found: true, Observed: t.Prev.Observed, ETag: etag, NotModified: true}, true, nil
}

func etagOf(resp *gh.Response) string {
	if resp == nil || resp.Response == nil {
		return ""
	}
	return resp.Header.Get("ETag")
}

// replayed says the response came from the ETag cache after a 304.
func replayed(resp *gh.Response) bool {
	return resp != nil && resp.Response != nil && resp.Header.Get(headerFromCache) != ""
}
