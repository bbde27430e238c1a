package github

import (
	"context"
	"encoding/json"
	"strings"
	"sync"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
)

// Prefetch answers many targets in few requests, for Fetch to hand out. In order:
//  1. what the lock answers for certain: commits, and files at a commit (no request);
//  2. what the lock knows but may have changed, asked conditionally over REST: PRs and issues
//     (If-None-Match or If-Modified-Since), the branch heads files were read at (the head's
//     SHA as the ETag); a 304 costs no rate-limit point;
//  3. the rest in GraphQL batches: PRs, issues and commits, with the commits files are to
//     be read at; then the files' contents.
//
// What a batch could not answer is left to Fetch, which asks over REST.
func (s *Source) Prefetch(ctx context.Context, ts []verify.Target) {
	if s.err != nil || s.batchSize < 1 {
		return
	}
	var refs, commits, files []verify.Target
	for _, t := range ts {
		if _, _, ok := ownerRepo(t); !ok {
			continue
		}
		if a, ok := s.fromLock(t); ok {
			s.keep(t, a)
			continue
		}
		switch t.Ref.Kind {
		case citation.KindRef:
			refs = append(refs, t)
		case citation.KindCommit:
			commits = append(commits, t)
		case citation.KindFile:
			files = append(files, t)
		}
	}
	refs, files = s.revalidate(ctx, refs, files)
	if ctx.Err() != nil {
		return
	}
	var first []*gqlTarget
	for _, t := range refs {
		first = append(first, s.refTarget(t))
	}
	for _, t := range commits {
		first = append(first, s.commitTarget(t))
	}
	first = append(first, s.resolveTargets(append(files, dated(commits)...))...)
	if err := s.runBatches(ctx, first); err != nil {
		return
	}
	var blobs []*gqlTarget
	for _, t := range files {
		if g := s.blobTarget(t); g != nil {
			blobs = append(blobs, g)
		}
	}
	s.runBatches(ctx, blobs)
}

// runBatches asks for targets in batches of batchSize, a few at a time. A batch that fails
// as a whole (a rate limit, a refused token, an endpoint that is not there) stops it: what is
// left is asked over REST, or meets the same rate limit there and stops the run.
func (s *Source) runBatches(ctx context.Context, ts []*gqlTarget) error {
	ts = dedupe(ts)
	var batches [][]*gqlTarget
	for len(ts) > 0 {
		n := min(len(ts), s.batchSize)
		batches = append(batches, ts[:n])
		ts = ts[n:]
	}
	var mu sync.Mutex
	var stop error
	sem := make(chan struct{}, 2) // GitHub asks for GraphQL queries one after another; two overlap the waiting
	var wg sync.WaitGroup
	for _, b := range batches {
		sem <- struct{}{}
		mu.Lock()
		failed := stop != nil
		mu.Unlock()
		if failed {
			<-sem
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := s.runBatch(ctx, b); err != nil {
				mu.Lock()
				stop = err
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return stop
}

// dedupe asks once for what several targets need: a commit cited and also named as a file's
// at, one blob read for a file cited at an abbreviated and at a full SHA.
func dedupe(ts []*gqlTarget) []*gqlTarget {
	byField := map[string]*gqlTarget{}
	var out []*gqlTarget
	for _, t := range ts {
		k := t.owner + "/" + t.name + " " + t.field
		d, ok := byField[k]
		if !ok {
			c := *t
			byField[k] = &c
			out = append(out, &c)
			continue
		}
		first, then := d.done, t.done
		d.done = func(raw json.RawMessage, found bool) { first(raw, found); then(raw, found) }
	}
	return out
}

// dated are the commits judged as of a day: the branch's last commit that day is resolved
// in the same batch as the files' commits.
func dated(commits []verify.Target) []verify.Target {
	var out []verify.Target
	for _, t := range commits {
		if t.At != "" {
			out = append(out, verify.Target{Ref: t.Ref, At: t.At, Branch: t.Branch})
		}
	}
	return out
}

// datedCommit adds, to a commit a batch found, whether the default branch held it by the
// end of its claims' day (onBranch: the compare API, unless the lock holds the same pair).
func (s *Source) datedCommit(ctx context.Context, owner, repo string, t verify.Target, a *verify.Answer) error {
	if t.Ref.Kind != citation.KindCommit || a.Cached || a.NotModified {
		return nil
	}
	return s.onBranch(ctx, owner, repo, t, a)
}

// answerKey names a target among the prefetched answers.
func answerKey(t verify.Target) string {
	return t.Ref.String() + "\x00" + t.At + "\x00" + t.Branch
}

func (s *Source) keep(t verify.Target, a verify.Answer) {
	a.Source = evidence.SourceGitHub
	s.answers.Store(answerKey(t), a)
}

// prefetched hands out, once, what Prefetch answered for a target.
func (s *Source) prefetched(t verify.Target) (verify.Answer, bool) {
	v, ok := s.answers.LoadAndDelete(answerKey(t))
	if !ok {
		return verify.Answer{}, false
	}
	return v.(verify.Answer), true
}

func ownerRepo(t verify.Target) (string, string, bool) {
	owner, repo, ok := strings.Cut(t.Ref.Repo, "/")
	return owner, repo, ok && owner != "" && repo != "" && !strings.Contains(repo, "/")
}
