package github

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

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
	first = append(first, s.resolveTargets(files)...)
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

// runBatches asks for targets in batches of batchSize, a few at a time. A rate limit stops
// it: Fetch will meet the same limit and stop the run.
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
		wg.Go(func() {
			defer func() { <-sem }()
			err := s.runBatch(ctx, b)
			var rl *verify.RateLimitError
			if errors.As(err, &rl) || errors.Is(err, context.Canceled) {
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
		if t.Prev == nil || !t.Prev.Observed.Exists || (t.Prev.ETag == "" && t.Prev.Observed.UpdatedAt == "") {
			refsLeft = append(refsLeft, t)
			continue
		}
		wg.Go(func() {
			owner, repo, _ := ownerRepo(t)
			a, err := s.fetchRef(ctx, owner, repo, t)
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

// refTarget asks for a PR or an issue with its timeline.
func (s *Source) refTarget(t verify.Target) *gqlTarget {
	owner, repo, _ := ownerRepo(t)
	return &gqlTarget{owner: owner, name: repo, fragment: "ref",
		field: fmt.Sprintf("issueOrPullRequest(number: %d) { ...ref }", t.Ref.Number),
		done: func(raw json.RawMessage, found bool) {
			if !found {
				s.keep(t, verify.Answer{Found: false})
				return
			}
			var n refNode
			if json.Unmarshal(raw, &n) != nil || !n.complete() {
				return // more labels or events than one page holds: REST reads them
			}
			a := verify.Answer{Found: true, Observed: n.observed()}
			if prev, ok := s.prefetched(t); ok && !prev.NotModified { // changed since the lock: keep REST's new ETag
				a.ETag = prev.ETag
			}
			s.keep(t, a)
		}}
}

// commitTarget asks for a commit; an abbreviated SHA comes back full.
func (s *Source) commitTarget(t verify.Target) *gqlTarget {
	owner, repo, _ := ownerRepo(t)
	return &gqlTarget{owner: owner, name: repo, fragment: "commit",
		field: fmt.Sprintf("object(expression: %s) { ...commit }", gqlString(t.Ref.SHA)),
		done: func(raw json.RawMessage, found bool) {
			var c commitNode
			if !found || json.Unmarshal(raw, &c) != nil || c.Typename != "Commit" {
				s.keep(t, verify.Answer{Found: false})
				return
			}
			title, _, _ := strings.Cut(c.Message, "\n")
			s.keep(t, verify.Answer{Found: true, Observed: evidence.Observed{Exists: true, SHA: c.OID, Author: c.Author.Name,
				Date: utc(c.Author.Date), Title: strings.TrimSpace(title)}})
		}}
}

// resolveTargets asks, once per (repository, branch, at), for the commit files are read at.
func (s *Source) resolveTargets(files []verify.Target) []*gqlTarget {
	var out []*gqlTarget
	seen := map[string]bool{}
	for _, t := range files {
		owner, repo, _ := ownerRepo(t)
		k := resolveKey(owner, repo, t)
		at := strings.TrimSpace(t.At)
		if seen[k] || fullSHA.MatchString(at) {
			continue
		}
		if _, ok := s.resolution(k); ok {
			continue
		}
		seen[k] = true
		branch := "defaultBranchRef"
		if t.Branch != "" {
			branch = fmt.Sprintf("ref(qualifiedName: %s)", gqlString("refs/heads/"+t.Branch))
		}
		g := &gqlTarget{owner: owner, name: repo}
		switch {
		case at == "":
			g.field, g.fragment = branch+" { ...head }", "head"
			g.done = func(raw json.RawMessage, found bool) {
				var h struct{ Target struct{ OID string } }
				if found && json.Unmarshal(raw, &h) == nil && h.Target.OID != "" {
					s.remember(k, h.Target.OID, true)
				} else if !found {
					s.remember(k, "", false)
				}
			}
		case shortSHA.MatchString(at):
			g.field, g.fragment = fmt.Sprintf("object(expression: %s) { ...commit }", gqlString(at)), "commit"
			g.done = func(raw json.RawMessage, found bool) {
				var c commitNode
				ok := found && json.Unmarshal(raw, &c) == nil && c.Typename == "Commit"
				s.remember(k, c.OID, ok)
			}
		default:
			day, err := time.Parse(time.DateOnly, at)
			if err != nil {
				continue // Fetch reports the bad date
			}
			until := day.Add(24*time.Hour - time.Second).Format(time.RFC3339)
			g.field = fmt.Sprintf("%s { target { ... on Commit { history(first: 1, until: %s) { nodes { oid } } } } }", branch, gqlString(until))
			g.done = func(raw json.RawMessage, found bool) {
				var h struct {
					Target struct {
						History struct{ Nodes []struct{ OID string } }
					}
				}
				if found && json.Unmarshal(raw, &h) != nil {
					return
				}
				if nodes := h.Target.History.Nodes; found && len(nodes) > 0 {
					s.remember(k, nodes[0].OID, true)
				} else {
					s.remember(k, "", false)
				}
			}
		}
		out = append(out, g)
	}
	return out
}

// blobTarget asks for a file's text at the commit its at resolved to; nil when that commit
// is unknown (Fetch then resolves it over REST) or the file is already answered.
func (s *Source) blobTarget(t verify.Target) *gqlTarget {
	owner, repo, _ := ownerRepo(t)
	at := strings.TrimSpace(t.At)
	sha, found := strings.ToLower(at), true
	if !fullSHA.MatchString(at) {
		r, ok := s.resolution(resolveKey(owner, repo, t))
		if !ok {
			return nil
		}
		sha, found = r.sha, r.found
	}
	if !found {
		s.keep(t, verify.Answer{Found: false})
		return nil
	}
	return &gqlTarget{owner: owner, name: repo, fragment: "blob",
		field: fmt.Sprintf("object(expression: %s) { ...blob }", gqlString(sha+":"+t.Ref.Path)),
		done: func(raw json.RawMessage, found bool) {
			o := evidence.Observed{SHA: sha}
			var b blobNode
			if !found || json.Unmarshal(raw, &b) != nil || b.Typename != "Blob" {
				s.keep(t, verify.Answer{Found: false, Observed: o}) // no such path, or a directory or submodule
				return
			}
			if b.Text == nil || b.IsBinary || b.IsTruncated {
				return // too big or binary for GraphQL: REST reads the raw bytes
			}
			o.Exists = true
			s.keep(t, verify.Answer{Found: true, Observed: o, Text: splitLines(*b.Text)})
		}}
}

// refNode is a PR or an issue as the ref fragment selects it.
type refNode struct {
	Typename  string `json:"__typename"`
	Title     string
	State     string
	IsDraft   bool
	Merged    bool
	MergedAt  string
	CreatedAt string
	UpdatedAt string
	ClosedAt  string
	Labels    struct {
		TotalCount int
		Nodes      []struct{ Name string }
	}
	TimelineItems struct {
		PageInfo struct{ HasNextPage bool }
		Nodes    []struct {
			Typename  string `json:"__typename"`
			CreatedAt string
			Label     *struct{ Name string }
		}
	}
}

// complete says one page held every label and event.
func (n refNode) complete() bool {
	return (n.Typename == "Issue" || n.Typename == "PullRequest") && n.Labels.TotalCount <= len(n.Labels.Nodes) &&
		!n.TimelineItems.PageInfo.HasNextPage
}

var graphqlEventTypes = map[string]string{"MergedEvent": evidence.EventMerged, "ClosedEvent": evidence.EventClosed,
	"ReopenedEvent": evidence.EventReopened, "ConvertToDraftEvent": evidence.EventConvertedToDraft,
	"ReadyForReviewEvent": evidence.EventReadyForReview, "LabeledEvent": evidence.EventLabeled, "UnlabeledEvent": evidence.EventUnlabeled}

// observed says what REST's issues endpoint would: state open or closed, a merged PR closed.
func (n refNode) observed() evidence.Observed {
	o := evidence.Observed{Exists: true, Kind: "issue", State: "open", Title: n.Title, ClosedAt: utc(n.ClosedAt),
		CreatedAt: utc(n.CreatedAt), UpdatedAt: utc(n.UpdatedAt)}
	if n.State != "OPEN" {
		o.State = "closed"
	}
	if n.Typename == "PullRequest" {
		o.Kind, o.Draft = "pr", n.IsDraft
		if n.Merged && n.MergedAt != "" {
			o.Merged, o.MergedAt = true, utc(n.MergedAt)
		}
	}
	for _, l := range n.Labels.Nodes {
		o.Labels = append(o.Labels, l.Name)
	}
	slices.Sort(o.Labels)
	for _, e := range n.TimelineItems.Nodes {
		typ, ok := graphqlEventTypes[e.Typename]
		if !ok {
			continue
		}
		ev := evidence.Event{Type: typ, At: utc(e.CreatedAt)}
		if e.Label != nil {
			ev.Label = e.Label.Name
		}
		o.Timeline = append(o.Timeline, ev)
	}
	return o
}

type commitNode struct {
	Typename string `json:"__typename"`
	OID      string
	Message  string
	Author   struct{ Name, Date string }
}

type blobNode struct {
	Typename    string `json:"__typename"`
	Text        *string
	IsBinary    bool
	IsTruncated bool
}

// utc renders a GitHub time as RFC 3339 UTC, the form evidence stores; "" stays "".
func utc(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.UTC().Format(time.RFC3339)
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
