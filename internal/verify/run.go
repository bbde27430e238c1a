package verify

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
)

// Location is where content cites something.
type Location struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// Result is one distinct citation (target and claim) and what this run concluded.
type Result struct {
	Kind      string            `json:"kind"`
	Target    string            `json:"target"`
	Status    evidence.Status   `json:"status"`
	Message   string            `json:"message"`
	Claim     evidence.Claim    `json:"claim"`
	Observed  evidence.Observed `json:"observed"`
	Source    string            `json:"source"`
	Locations []Location        `json:"locations"`
}

// Options configure a run.
type Options struct {
	Sources     []Source // asked in order; the first that can answer does
	Concurrency int
	Only        map[string]bool // content files (as positions show them) to limit the run to; nil: all
	Now         func() time.Time
	Progress    func(done, total int, target string)
}

// Report is what a run found, and the lock to write.
type Report struct {
	Results []Result
	Lock    *evidence.Lock
	// Stopped is set when a rate limit ended the run early; unrefreshed entries were kept.
	Stopped error
	// Fetched counts the distinct targets fetched; NotModified those answered by a 304.
	Fetched, NotModified int
}

// group is one distinct target and every claim made of it.
type group struct {
	target Target
	claims map[string]*claimUse // by evidence key
}

type claimUse struct {
	ref   citation.Ref // files of one fetch may cite different lines
	claim evidence.Claim
	locs  []Location
}

// Run verifies the citations of tree, starting from the previous lock.
func Run(ctx context.Context, tree *content.Tree, prev *evidence.Lock, opts Options) *Report {
	if opts.Concurrency < 1 {
		opts.Concurrency = 4
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	groups, allKeys := collect(tree, prev, opts.Only)
	rep := &Report{Lock: evidence.New(prev.Entries)}
	answers := fetchAll(ctx, groups, opts, rep)
	checked := opts.Now().UTC().Format(time.RFC3339)
	for i, g := range groups {
		rep.record(g, answers[i], checked)
	}
	if opts.Only == nil {
		rep.Lock.Keep(allKeys)
	}
	sort.Slice(rep.Results, func(i, j int) bool {
		if rep.Results[i].Target != rep.Results[j].Target {
			return rep.Results[i].Target < rep.Results[j].Target
		}
		return evidence.Key(citation.Ref{}, rep.Results[i].Claim) < evidence.Key(citation.Ref{}, rep.Results[j].Claim)
	})
	return rep
}

// targetKey groups citations that need the same fetch: files differ by the ref they are read at.
func targetKey(ref citation.Ref, c evidence.Claim) string {
	switch ref.Kind {
	case citation.KindFile:
		return ref.Repo + ":" + ref.Path + "@" + readAt(c)
	case citation.KindCommit:
		return ref.String() + "@" + c.Day()
	}
	return ref.String()
}

// readAt is where a file claim is read: its own at: (a date or a SHA), else its date.
func readAt(c evidence.Claim) string {
	if c.At != "" {
		return c.At
	}
	return c.AsOf
}

func collect(tree *content.Tree, prev *evidence.Lock, only map[string]bool) ([]*group, map[string]bool) {
	byTarget := map[string]*group{}
	allKeys := map[string]bool{}
	for _, c := range tree.Citations {
		claim := evidence.ClaimOfCitation(c)
		allKeys[evidence.Key(c.Ref, claim)] = true
		if only != nil && !only[c.Pos.File] {
			continue
		}
		tk := targetKey(c.Ref, claim)
		g := byTarget[tk]
		if g == nil {
			g = &group{target: Target{Ref: c.Ref, Branch: branchOf(tree, c.Ref.Repo)}, claims: map[string]*claimUse{}}
			switch c.Ref.Kind {
			case citation.KindFile:
				g.target.At = readAt(claim)
			case citation.KindCommit:
				g.target.At = claim.Day()
			}
			if e, ok := prev.ForTarget(c.Ref.String()); ok && c.Ref.Kind != citation.KindFile {
				g.target.Prev = &e
			}
			byTarget[tk] = g
		}
		if day := claim.Day(); day != "" && c.Ref.Kind == citation.KindRef {
			g.target.History = true
		}
		if claim.Quote != "" && c.Ref.Kind == citation.KindBuild && !slices.Contains(g.target.Quotes, claim.Quote) {
			g.target.Quotes = append(g.target.Quotes, claim.Quote)
		}
		key := evidence.Key(c.Ref, claim)
		u := g.claims[key]
		if u == nil {
			u = &claimUse{ref: c.Ref, claim: claim}
			g.claims[key] = u
		}
		u.locs = append(u.locs, Location{File: c.Pos.File, Line: c.Pos.Line, Column: c.Pos.Col})
	}
	var out []*group
	for _, k := range slices.Sorted(maps.Keys(byTarget)) {
		out = append(out, byTarget[k])
	}
	return out, allKeys
}

func branchOf(tree *content.Tree, repo string) string {
	for _, r := range tree.Repos {
		if strings.EqualFold(r.Repo, repo) {
			return r.DefaultBranch
		}
	}
	return ""
}

// outcome is a fetch's result: an answer from a source, or why there is none.
type outcome struct {
	answer Answer
	err    error // nil, ErrCannotAnswer (no source could), or a failure
}

// fetchAll fetches every group once, with bounded concurrency, and stops starting new
// fetches after a rate limit.
func fetchAll(ctx context.Context, groups []*group, opts Options, rep *Report) []outcome {
	out := make([]outcome, len(groups))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	done := 0
	sem := make(chan struct{}, opts.Concurrency)
	var wg sync.WaitGroup
	for i, g := range groups {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if ctx.Err() != nil {
				out[i] = outcome{err: ctx.Err()}
				return
			}
			out[i] = ask(ctx, opts.Sources, g.target)
			mu.Lock()
			defer mu.Unlock()
			var rl *RateLimitError
			if errors.As(out[i].err, &rl) && rep.Stopped == nil {
				rep.Stopped = rl
				cancel()
			}
			if out[i].err == nil {
				rep.Fetched++
				if out[i].answer.NotModified {
					rep.NotModified++
				}
			}
			done++
			if opts.Progress != nil {
				opts.Progress(done, len(groups), g.target.Ref.String())
			}
		}()
	}
	wg.Wait()
	return out
}

func ask(ctx context.Context, sources []Source, t Target) outcome {
	for _, s := range sources {
		a, err := s.Fetch(ctx, t)
		if errors.Is(err, ErrCannotAnswer) {
			continue
		}
		if err == nil && a.Source == "" {
			a.Source = s.Name()
		}
		return outcome{answer: a, err: err}
	}
	return outcome{err: ErrCannotAnswer}
}

// record judges every claim of a group and updates the lock. What could not be checked keeps
// the entry a previous run recorded: a failed run never loses evidence.
func (rep *Report) record(g *group, o outcome, checked string) {
	for _, key := range slices.Sorted(maps.Keys(g.claims)) {
		u := g.claims[key]
		ref := u.ref
		res := Result{Target: ref.String(), Claim: u.claim, Locations: u.locs}
		switch {
		case o.err == nil:
			st, msg, obs := Judge(ref, u.claim, o.answer)
			res.Status, res.Message, res.Observed, res.Source = st, msg, obs, o.answer.Source
			rep.Lock.Put(evidence.Entry{Key: key, Kind: evidence.KindOf(ref, u.claim, obs), Target: res.Target, Claim: u.claim,
				Observed: obs, Source: res.Source, CheckedAt: checked, Status: st, Message: msg, ETag: o.answer.ETag})
		case errors.Is(o.err, ErrCannotAnswer) || errors.Is(o.err, context.Canceled) || isRateLimit(o.err):
			res.Status, res.Source, res.Message = evidence.Unverifiable, evidence.SourceNone, "no source could answer"
			if isRateLimit(o.err) || errors.Is(o.err, context.Canceled) {
				res.Message = "not checked: the run stopped early (" + o.err.Error() + ")"
			}
			res.fromLock(rep.Lock, key)
		default:
			res.Status, res.Source, res.Message = evidence.Error, evidence.SourceNone, o.err.Error()
		}
		res.Kind = evidence.KindOf(ref, u.claim, res.Observed)
		rep.Results = append(rep.Results, res)
	}
}

// fromLock reports what the lock already recorded, when it has something: an offline run
// shows the last verdict rather than forgetting it.
func (res *Result) fromLock(lock *evidence.Lock, key string) {
	if e, ok := lock.Get(key); ok {
		res.Status, res.Message, res.Observed, res.Source = e.Status, e.Message+" (recorded "+e.CheckedAt+")", e.Observed, evidence.SourceLock
	}
}

func isRateLimit(err error) bool {
	var rl *RateLimitError
	return errors.As(err, &rl)
}

// NotVerified counts the results that are not verified.
func (rep *Report) NotVerified() int {
	n := 0
	for _, r := range rep.Results {
		if r.Status != evidence.Verified {
			n++
		}
	}
	return n
}
