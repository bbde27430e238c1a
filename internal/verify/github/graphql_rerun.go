package github

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
)

// settleAfter is how long after a day ends its last commit is taken as final: a commit
// pushed later with an older date is possible, but Prow's merges are stamped when they land.
const settleAfter = 24 * time.Hour

// fromLock answers, without a request, a target that cannot have changed since the lock
// recorded GitHub's answer: a commit found, or a file read at a commit (named by its SHA, or
// by a day that had long ended when it was resolved).
func (s *Source) fromLock(t verify.Target) (verify.Answer, bool) {
	p := t.Prev
	if p == nil || p.Source != evidence.SourceGitHub || !fullSHA.MatchString(p.Observed.SHA) {
		return verify.Answer{}, false
	}
	switch t.Ref.Kind {
	case citation.KindCommit:
		if !p.Observed.Exists || !strings.HasPrefix(p.Observed.SHA, strings.ToLower(t.Ref.SHA)) {
			return verify.Answer{}, false
		}
		// Judged as of a day: whether the branch held it then is settled once that day is.
		if t.At != "" && (p.Observed.BranchAt == "" || !s.settled(t.At, p)) {
			return verify.Answer{}, false
		}
	case citation.KindFile:
		if !s.settled(strings.TrimSpace(t.At), p) {
			return verify.Answer{}, false
		}
	default:
		return verify.Answer{}, false
	}
	return verify.Answer{Source: evidence.SourceGitHub, Found: p.Observed.Exists, Observed: p.Observed, ETag: p.ETag, Cached: true}, true
}

// settled says a file's at names the commit the lock read it at for good.
func (s *Source) settled(at string, p *evidence.Entry) bool {
	if at != "" && shortSHA.MatchString(at) || fullSHA.MatchString(at) {
		return strings.HasPrefix(p.Observed.SHA, strings.ToLower(at))
	}
	day, err := time.Parse(time.DateOnly, at)
	if err != nil {
		return false
	}
	checked, err := time.Parse(time.RFC3339, p.CheckedAt)
	return err == nil && !checked.Before(day.Add(24*time.Hour+settleAfter))
}

// revalidate asks GitHub, conditionally, whether what the lock holds changed: each PR or
// issue, and each branch head a file was read at. It returns what is left to fetch.
func (s *Source) revalidate(ctx context.Context, refs, files []verify.Target) ([]verify.Target, []verify.Target) {
	var mu sync.Mutex
	var refsLeft []verify.Target
	var wg sync.WaitGroup
	for _, t := range refs {
		// A dated claim needs the history a lock entry without it cannot give: the batch asks.
		if t.Prev == nil || !t.Prev.Observed.Exists || (t.Prev.ETag == "" && t.Prev.Observed.UpdatedAt == "") ||
			(t.History && !t.Prev.Observed.HistoryKnown()) {
			refsLeft = append(refsLeft, t)
			continue
		}
		wg.Go(func() {
			owner, repo, _ := ownerRepo(t)
			rt := t
			rt.History = false // a change is asked again in the batch, timeline included: no REST timeline
			a, err := s.fetchRef(ctx, owner, repo, rt)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil && a.NotModified:
				s.keep(t, a)
			case err == nil && a.Found:
				// Changed: keep the new ETag, and ask GraphQL for the timeline too.
				s.keep(t, a)
				refsLeft = append(refsLeft, t)
			default:
				refsLeft = append(refsLeft, t)
			}
		})
	}
	wg.Wait()
	return refsLeft, s.revalidateHeads(ctx, files)
}

// revalidateHeads checks the branch heads files without an at were read at: GitHub answers
// 304 to the head's SHA sent as its ETag when the branch has not moved. A file whose head
// has not moved keeps every claim's verdict.
func (s *Source) revalidateHeads(ctx context.Context, files []verify.Target) []verify.Target {
	heads := map[string]string{} // resolution key -> the SHA the lock read at
	for _, t := range files {
		if strings.TrimSpace(t.At) == "" && t.Prev != nil && t.Prev.Source == evidence.SourceGitHub && fullSHA.MatchString(t.Prev.Observed.SHA) {
			owner, repo, _ := ownerRepo(t)
			heads[resolveKey(owner, repo, t)] = t.Prev.Observed.SHA
		}
	}
	var wg sync.WaitGroup
	for _, t := range files {
		owner, repo, _ := ownerRepo(t)
		k := resolveKey(owner, repo, t)
		prev, ok := heads[k]
		if !ok {
			continue
		}
		delete(heads, k)
		wg.Go(func() {
			sha, err := s.headSHA(ctx, owner, repo, t.Branch, prev)
			if err == nil && sha != "" {
				s.remember(k, sha, true)
			}
		})
	}
	wg.Wait()
	var left []verify.Target
	for _, t := range files {
		owner, repo, _ := ownerRepo(t)
		if r, ok := s.resolution(resolveKey(owner, repo, t)); ok && r.found && t.Prev != nil && r.sha == t.Prev.Observed.SHA &&
			t.Prev.Source == evidence.SourceGitHub {
			s.keep(t, verify.Answer{Found: t.Prev.Observed.Exists, Observed: t.Prev.Observed, NotModified: true})
			continue
		}
		left = append(left, t)
	}
	return left
}

// headSHA asks for a branch's head SHA, sending the SHA the lock read at as the ETag: GitHub
// answers 304, free, when the branch has not moved. "" when GitHub does not say.
func (s *Source) headSHA(ctx context.Context, owner, repo, branch, prev string) (string, error) {
	if branch == "" {
		branch = "HEAD"
	}
	u := s.gh.BaseURL.JoinPath("repos", owner, repo, "commits", branch)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", "application/vnd.github.sha")
	req.Header.Set("User-Agent", "triagesite")
	req.Header.Set("If-None-Match", `"`+prev+`"`)
	resp, err := s.http.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNotModified:
		return prev, nil
	case http.StatusOK:
		b, err := io.ReadAll(io.LimitReader(resp.Body, 100))
		if sha := strings.TrimSpace(string(b)); err == nil && fullSHA.MatchString(sha) {
			return strings.ToLower(sha), nil
		}
	}
	return "", nil
}
