package github

import (
	"context"
	"net/http"

	gh "github.com/google/go-github/v62/github"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/verify"
)

// onBranch says whether a commit judged as of a day had landed on the default branch by the
// end of it: the branch's last commit that day (one listing per repository and day, shared
// with file reads) must have it in its history, which the compare API tells. Two SHAs' ancestry
// never changes, so an answer the lock holds for the same pair is kept without asking.
func (s *Source) onBranch(ctx context.Context, owner, repo string, t verify.Target, a *verify.Answer) error {
	if t.At == "" || !a.Found {
		return nil
	}
	if p := t.Prev; p != nil && p.Observed.BranchAt != "" && p.Claim.Day() == t.At && p.Observed.SHA == a.Observed.SHA && s.settled(t.At, p) {
		// The day had long ended when the lock recorded its branch: nothing asked again.
		a.Observed.BranchAt, a.Observed.OnBranch = p.Observed.BranchAt, p.Observed.OnBranch
		return nil
	}
	a.Observed.BranchAt, a.Observed.OnBranch = "", false
	tip, found, err := s.resolveAt(ctx, owner, repo, verify.Target{Ref: t.Ref, At: t.At, Branch: t.Branch})
	if err != nil || !found {
		return err // no commit on the branch by then: nothing can be on it
	}
	a.Observed.BranchAt = tip
	if p := t.Prev; p != nil && p.Observed.BranchAt == tip && p.Observed.SHA == a.Observed.SHA {
		a.Observed.OnBranch = p.Observed.OnBranch
		return nil
	}
	var cmp *gh.CommitsComparison
	_, err = s.call(ctx, func() (r *gh.Response, err error) {
		cmp, r, err = s.gh.Repositories.CompareCommits(ctx, owner, repo, a.Observed.SHA, tip, &gh.ListOptions{PerPage: 1})
		return r, err
	})
	if notFound(err, http.StatusNotFound) {
		a.Observed.BranchAt = "" // GitHub could not compare them: unknown, not a verdict
		return nil
	}
	if err != nil {
		return err
	}
	// base...head is "ahead" or "identical" when base (the commit) is in head's history.
	st := cmp.GetStatus()
	a.Observed.OnBranch = st == "ahead" || st == "identical"
	return nil
}

// dated completes an answer from a batch or the lock for a commit judged as of a day: whether
// the branch had it then is asked apart from the commit itself.
func (s *Source) dated(ctx context.Context, owner, repo string, t verify.Target, a verify.Answer) (verify.Answer, error) {
	if t.Ref.Kind != citation.KindCommit {
		return a, nil
	}
	if err := s.onBranch(ctx, owner, repo, t, &a); err != nil {
		return verify.Answer{}, s.clean(err)
	}
	return a, nil
}
