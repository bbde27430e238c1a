package verify

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
)

// Build is one build of a job as the build-log bucket records it.
type Build struct {
	ID      string
	Started time.Time
	Result  string            // lower-case finished.json result; "" while the build runs
	Commits map[string]string // owner/repo -> the commit the build tested of it
	Err     error             // the build's metadata could not be read
}

// BuildReader lists the builds of a job that started at or after a time, newest first.
// An error wrapping ErrCannotAnswer says the bucket has no such job.
type BuildReader interface {
	BuildsSince(ctx context.Context, job string, since time.Time) ([]Build, error)
}

// MergeFinder names the commit a merged PR landed as (its merge or squash commit).
type MergeFinder interface {
	MergeCommit(ctx context.Context, repo string, number int) (sha string, ok bool, err error)
}

// AncestryChecker tells whether ancestor is in descendant's history; ok is false when it cannot tell.
type AncestryChecker interface {
	Name() string
	IsAncestor(ctx context.Context, repo, ancestor, descendant string) (is, ok bool, err error)
}

// FixOptions are the sources a fix check reads.
type FixOptions struct {
	Builds   BuildReader
	Merges   []MergeFinder     // asked in order for a PR's merge commit
	Ancestry []AncestryChecker // asked in order: a checkout first, then GitHub's compare API
	Now      func() time.Time
}

// FixTarget is a PR cited with role: fix and the jobs of the patterns and sub-patterns citing it.
type FixTarget struct {
	PR   citation.Ref
	Jobs []string
	Pos  content.Pos // the first place content cites it as a fix
}

// FixOutcome is one fix check of this run and where content cites the fix.
type FixOutcome struct {
	evidence.FixCheck
	Pos content.Pos
}

// FixTargets collects every PR cited with role: fix, with the jobs it is meant to fix: the
// jobs of the body citing it (a pattern's own, or else its sub-patterns'), or, for a tier
// item with role: fix, the jobs of the pattern it names.
func FixTargets(tree *content.Tree) []FixTarget {
	jobs := map[string]map[string]bool{}
	refs := map[string]citation.Ref{}
	pos := map[string]content.Pos{}
	add := func(ref citation.Ref, at content.Pos, js []content.JobRef) {
		if len(js) == 0 {
			return
		}
		key := ref.String()
		refs[key] = ref
		if _, ok := pos[key]; !ok {
			pos[key] = at
		}
		if jobs[key] == nil {
			jobs[key] = map[string]bool{}
		}
		for _, j := range js {
			jobs[key][j.Name] = true
		}
	}
	// A body's own jobs, or else (for a pattern) its sub-patterns'.
	addBody := func(b *content.Body, fallback []content.JobRef) {
		js := b.Jobs
		if len(js) == 0 {
			js = fallback
		}
		for _, c := range b.FixPRs() {
			add(c.Parsed, c.Pos, js)
		}
	}
	for _, p := range tree.Patterns {
		addBody(&p.Body, subPatternJobs(p))
		for i := range p.SubPatterns {
			addBody(&p.SubPatterns[i].Body, nil)
		}
	}
	// A tier item with role: fix makes the PRs among its refs fixes of its pattern's jobs.
	for _, r := range tree.Reports {
		for _, t := range r.Tiers {
			for _, a := range t.Items {
				p := tree.Pattern(a.Pattern)
				if p == nil {
					continue
				}
				js := p.Jobs
				if len(js) == 0 {
					js = subPatternJobs(p)
				}
				for _, ref := range tree.FixRefs(r, a) {
					add(ref, a.Pos, js)
				}
			}
		}
	}
	var out []FixTarget
	for _, k := range slices.Sorted(maps.Keys(refs)) {
		out = append(out, FixTarget{PR: refs[k], Jobs: slices.Sorted(maps.Keys(jobs[k])), Pos: pos[k]})
	}
	return out
}

func subPatternJobs(p *content.Pattern) []content.JobRef {
	var out []content.JobRef
	for _, sp := range p.SubPatterns {
		out = append(out, sp.Jobs...)
	}
	return out
}

// CheckFixes checks, for every fix PR the lock shows merged, the builds of its jobs since the
// merge, and records each (PR, job) in the lock. A check that cannot run keeps what the lock had.
func CheckFixes(ctx context.Context, tree *content.Tree, lock *evidence.Lock, opts FixOptions) []FixOutcome {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	checked := opts.Now().UTC().Format(time.RFC3339)
	keys := map[string]bool{}
	var out []FixOutcome
	for _, ft := range FixTargets(tree) {
		for _, job := range ft.Jobs {
			keys[evidence.FixKey(ft.PR.String(), job)] = true
		}
		e, ok := lock.Latest(ft.PR.String())
		if !ok || !e.Observed.Merged || opts.Builds == nil {
			continue // not known to be merged, or no bucket to read: nothing to check yet
		}
		for _, fc := range checkFix(ctx, ft, e.Observed, opts) {
			fc.CheckedAt = checked
			if prev, ok := lock.Fix(fc.PR, fc.Job); !ok || hasVerdict(fc) || !hasVerdict(prev) {
				lock.PutFix(fc) // a check that failed this time does not erase an earlier verdict
			}
			out = append(out, FixOutcome{FixCheck: fc, Pos: ft.Pos})
		}
	}
	lock.KeepFixes(keys)
	return out
}

// hasVerdict says the builds were read and placed: anything but error and unverifiable.
func hasVerdict(fc evidence.FixCheck) bool {
	return fc.Verdict != evidence.FixError && fc.Verdict != evidence.FixUnverifiable
}

// checkFix checks one merged fix against each of its jobs.
func checkFix(ctx context.Context, ft FixTarget, o evidence.Observed, opts FixOptions) []evidence.FixCheck {
	base := evidence.FixCheck{PR: ft.PR.String(), MergedAt: o.MergedAt}
	merged, err := time.Parse(time.RFC3339, o.MergedAt)
	if err == nil {
		base.MergeSHA, err = mergeCommit(ctx, ft.PR, o, opts.Merges)
	}
	var out []evidence.FixCheck
	for _, job := range ft.Jobs {
		fc := base
		fc.Job = job
		switch {
		case err != nil:
			fc.Verdict, fc.Message = evidence.FixUnverifiable, err.Error()
		default:
			fc = judgeJob(ctx, fc, merged, ft.PR.Repo, opts)
		}
		out = append(out, fc)
	}
	return out
}

// mergeCommit is the commit the fix landed as: a checkout's merge commit is already in the
// observation; otherwise the finders are asked.
func mergeCommit(ctx context.Context, pr citation.Ref, o evidence.Observed, finders []MergeFinder) (string, error) {
	if o.SHA != "" {
		return o.SHA, nil
	}
	for _, f := range finders {
		sha, ok, err := f.MergeCommit(ctx, pr.Repo, pr.Number)
		if err != nil {
			return "", fmt.Errorf("the merge commit of %s: %w", pr, err)
		}
		if ok {
			return sha, nil
		}
	}
	return "", fmt.Errorf("no source named the merge commit of %s", pr)
}

// judgeJob reads the job's builds since the merge and decides by what each build tested.
func judgeJob(ctx context.Context, fc evidence.FixCheck, merged time.Time, repo string, opts FixOptions) evidence.FixCheck {
	builds, err := opts.Builds.BuildsSince(ctx, fc.Job, merged)
	if errors.Is(err, ErrCannotAnswer) {
		fc.Verdict, fc.Message = evidence.FixUnverifiable, err.Error()
		return fc
	}
	if err != nil {
		fc.Verdict, fc.Message = evidence.FixError, err.Error()
		return fc
	}
	for _, b := range builds {
		fc.Builds = append(fc.Builds, placeBuild(ctx, b, repo, fc.MergeSHA, opts.Ancestry))
	}
	fc.Verdict, fc.Message = fixVerdict(fc.Builds)
	return fc
}

// placeBuild records a build and whether the commit it tested contains the merge.
func placeBuild(ctx context.Context, b Build, repo, merge string, checkers []AncestryChecker) evidence.BuildTested {
	bt := evidence.BuildTested{ID: b.ID, Result: b.Result, Contains: evidence.ContainsUnknown}
	if !b.Started.IsZero() {
		bt.Started = b.Started.UTC().Format(time.RFC3339)
	}
	if b.Err != nil {
		bt.Problem = b.Err.Error()
		return bt
	}
	bt.Commit = b.Commits[repo]
	if bt.Commit == "" {
		bt.Problem = "the build does not say which commit of " + repo + " it tested"
		return bt
	}
	var problems []string
	for _, c := range checkers {
		is, ok, err := c.IsAncestor(ctx, repo, merge, bt.Commit)
		if err != nil {
			problems = append(problems, c.Name()+": "+err.Error())
			continue
		}
		if ok {
			bt.Contains, bt.Via = evidence.ContainsNo, c.Name()
			if is {
				bt.Contains = evidence.ContainsYes
			}
			return bt
		}
	}
	bt.Problem = "no source could tell whether " + short(bt.Commit) + " contains the merge"
	if len(problems) > 0 {
		bt.Problem += " (" + strings.Join(problems, "; ") + ")"
	}
	return bt
}

// fixVerdict decides from the placed builds. A build that cannot be placed is never a verdict,
// but it blocks "not yet tested", and a doubtful pass blocks "still failing".
func fixVerdict(bs []evidence.BuildTested) (evidence.FixVerdict, string) {
	var passed, failed, older, doubtful, doubtfulPass int
	for _, b := range bs {
		switch {
		case b.Contains == evidence.ContainsUnknown:
			doubtful++
			if b.Result == "" || b.Result == "success" {
				doubtfulPass++
			}
		case b.Contains == evidence.ContainsNo:
			older++
		case b.Result == "success":
			passed++
		case b.Result == "failure":
			failed++
		}
	}
	tested := fmt.Sprintf("%d of %d builds since the merge tested it", passed+failed, len(bs))
	switch {
	case passed > 0:
		return evidence.FixFixed, fmt.Sprintf("%s: %d passed, %d failed", tested, passed, failed)
	case failed > 0 && doubtfulPass == 0:
		return evidence.FixStillFailing, fmt.Sprintf("%s, and all %d failed", tested, failed)
	case failed > 0 || doubtful > 0:
		return evidence.FixUnverifiable, fmt.Sprintf("%s; %d could not be placed", tested, doubtful)
	case len(bs) == 0:
		return evidence.FixNotYetTested, "no build has started since the merge"
	}
	return evidence.FixNotYetTested, fmt.Sprintf("none of the %d builds since the merge has finished testing a commit that contains it (%d tested older commits)", len(bs), older)
}
