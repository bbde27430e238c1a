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
	"github.com/triagesite/triagesite/internal/claim"
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
	Claim     claim.Claim       `json:"claim"`
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
	claim claim.Claim
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
	rep.Lock.Fixes = append([]evidence.FixCheck(nil), prev.Fixes...) // CheckFixes refreshes them
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
		return rep.Results[i].Claim.Key(citation.Ref{}) < rep.Results[j].Claim.Key(citation.Ref{})
	})
	return rep
}

// targetKey groups citations that need the same fetch: files differ by the ref they are read at.
func targetKey(ref citation.Ref, c claim.Claim) string {
	switch ref.Kind {
	case citation.KindFile:
		return ref.Repo + ":" + ref.Path + "@" + readAt(c)
	case citation.KindCommit:
		return ref.String() + "@" + c.Day()
	}
	return ref.String()
}

// readAt is where a file claim is read: its own at: (a date or a SHA), else its date.
func readAt(c claim.Claim) string {
	if c.At != "" {
		return c.At
	}
	return c.AsOf
}

func collect(tree *content.Tree, prev *evidence.Lock, only map[string]bool) ([]*group, map[string]bool) {
	byTarget := map[string]*group{}
	allKeys := map[string]bool{}
	for _, c := range tree.Citations {
		claimed, key := c.Claimed(), c.Key()
		allKeys[key] = true
		if only != nil && !only[c.Pos.File] {
			continue
		}
		tk := targetKey(c.Ref, claimed)
		g := byTarget[tk]
		if g == nil {
			g = &group{target: Target{Ref: c.Ref, Branch: branchOf(tree, c.Ref.Repo)}, claims: map[string]*claimUse{}}
			switch c.Ref.Kind {
			case citation.KindFile:
				g.target.At = readAt(claimed)
			case citation.KindCommit:
				g.target.At = claimed.Day()
			}
			if e, ok := prev.Latest(c.Ref.String()); ok && c.Ref.Kind != citation.KindFile {
				g.target.Prev = &e
			}
			byTarget[tk] = g
		}
		if day := claimed.Day(); day != "" && c.Ref.Kind == citation.KindRef {
			g.target.History = true
		}
		if claimed.Quote != "" && c.Ref.Kind == citation.KindBuild && !slices.Contains(g.target.Quotes, claimed.Quote) {
			g.target.Quotes = append(g.target.Quotes, claimed.Quote)
		}
		u := g.claims[key]
		if u == nil {
			u = &claimUse{ref: c.Ref, claim: claimed}
			g.claims[key] = u
		}
		u.locs = append(u.locs, Location{File: c.Pos.File, Line: c.Pos.Line, Column: c.Pos.Col})
	}
	var out []*group
	for _, k := range slices.Sorted(maps.Keys(byTarget)) {
		g := byTarget[k]
		if g.target.Ref.Kind == citation.KindFile {
			g.target.Prev = filePrev(g, prev)
		}
		out = append(out, g)
	}
	return out, allKeys
}

// filePrev is the previous entry of a file target when every claim made of it has one, all
// read at the same commit by the same source: the source may then answer "unchanged" and
// every claim keep its verdict. Otherwise nil: the file is read and judged again.
func filePrev(g *group, prev *evidence.Lock) *evidence.Entry {
	var first *evidence.Entry
	for _, key := range slices.Sorted(maps.Keys(g.claims)) {
		e, ok := prev.Get(key)
		if !ok || e.Observed.SHA == "" || e.Status == evidence.Error {
			return nil
		}
		if first != nil && (e.Observed.SHA != first.Observed.SHA || e.Source != first.Source) {
			return nil
		}
		if first == nil {
			first = &e
		}
	}
	return first
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

// fetchAll fetches every group once, asking the sources in order: each source gets, all at
// once, the groups the sources before it could not answer (a Prefetcher batches them), with
// bounded concurrency. A rate limit stops new fetches.
func fetchAll(ctx context.Context, groups []*group, opts Options, rep *Report) []outcome {
	out := make([]outcome, len(groups))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pending := make([]int, len(groups))
	for i := range groups {
		pending[i] = i
		out[i] = outcome{err: ErrCannotAnswer}
	}
	done := 0
	for si, s := range opts.Sources {
		if len(pending) == 0 || ctx.Err() != nil {
			break
		}
		if p, ok := s.(Prefetcher); ok {
			ts := make([]Target, len(pending))
			for j, i := range pending {
				ts[j] = groups[i].target
			}
			p.Prefetch(ctx, ts)
		}
		last := si == len(opts.Sources)-1
		pending = fetchFrom(ctx, cancel, s, groups, pending, out, opts, rep, last, &done)
	}
	for _, i := range pending { // no source could answer, or the run stopped before asking the next
		if err := ctx.Err(); err != nil {
			out[i] = outcome{err: err}
		}
		done++
		if opts.Progress != nil {
			opts.Progress(done, len(groups), groups[i].target.Ref.String())
		}
	}
	return out
}

// fetchFrom asks one source for the pending groups and returns those it cannot answer.
func fetchFrom(ctx context.Context, cancel func(), s Source, groups []*group, pending []int, out []outcome,
	opts Options, rep *Report, last bool, done *int) []int {
	var mu sync.Mutex
	var next []int
	sem := make(chan struct{}, opts.Concurrency)
	var wg sync.WaitGroup
	for _, i := range pending {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			o := outcome{err: ctx.Err()}
			if o.err == nil {
				o = ask(ctx, s, groups[i].target)
			}
			mu.Lock()
			defer mu.Unlock()
			out[i] = o
			if errors.Is(o.err, ErrCannotAnswer) && !last {
				next = append(next, i)
				return
			}
			var rl *RateLimitError
			if errors.As(o.err, &rl) && rep.Stopped == nil {
				rep.Stopped = rl
				cancel()
			}
			if o.err == nil {
				rep.Fetched++
				if o.answer.NotModified || o.answer.Cached {
					rep.NotModified++
				}
			}
			*done++
			if opts.Progress != nil {
				opts.Progress(*done, len(groups), groups[i].target.Ref.String())
			}
		}()
	}
	wg.Wait()
	slices.Sort(next)
	return next
}

func ask(ctx context.Context, s Source, t Target) outcome {
	a, err := s.Fetch(ctx, t)
	if err == nil && a.Source == "" {
		a.Source = s.Name()
	}
	return outcome{answer: a, err: err}
}

// record judges every claim of a group and updates the lock. What could not be checked keeps
// the entry a previous run recorded: a failed run never loses evidence.
func (rep *Report) record(g *group, o outcome, checked string) {
	if o.err == nil && o.answer.Cached && g.target.Prev != nil {
		checked = g.target.Prev.CheckedAt // nothing was asked: the last answer's time stands
	}
	for _, key := range slices.Sorted(maps.Keys(g.claims)) {
		u := g.claims[key]
		ref := u.ref
		res := Result{Target: ref.String(), Claim: u.claim, Locations: u.locs}
		switch {
		case o.err == nil && ref.Kind == citation.KindFile && o.answer.Text == nil && (o.answer.NotModified || o.answer.Cached):
			rep.reuse(&res, key, o.answer, checked)
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

// reuse keeps the lock's verdict for a claim on a file the source says is unchanged: the
// same bytes judged against the same claim give the same verdict. Run hands a file's previous
// entry to the source only when every claim has one, so a missing entry is a bug.
func (rep *Report) reuse(res *Result, key string, a Answer, checked string) {
	e, ok := rep.Lock.Get(key)
	if !ok {
		res.Status, res.Source, res.Message = evidence.Error, evidence.SourceNone, "the file is unchanged, but the lock holds no verdict for this claim"
		return
	}
	e.CheckedAt, e.Source = checked, a.Source
	if a.ETag != "" {
		e.ETag = a.ETag
	}
	rep.Lock.Put(e)
	res.Status, res.Message, res.Observed, res.Source = e.Status, e.Message, e.Observed, e.Source
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
