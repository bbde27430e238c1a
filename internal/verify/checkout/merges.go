package checkout

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
)

// Merge is the commit that merged a pull request into a branch, and when it landed there.
type Merge struct {
	SHA string
	At  string // the merge commit's committer time, RFC 3339 UTC: when the branch got it
}

// mergeSubject is the subject GitHub (and Prow's tide) give the merge commit of a pull request.
var mergeSubject = regexp.MustCompile(`^Merge pull request #([0-9]+) from `)

// mergeIndex is every pull request merged into one branch by a merge commit, read once.
type mergeIndex struct {
	byNumber  map[int]Merge
	ambiguous map[int]bool // a number two merge commits claim (imported history): no answer
}

// WithPullRequests lets the Source answer for pull requests from their merge commits. It is
// meant for offline runs: online, GitHub answers the same question with labels, draft state
// and a timeline, which a merge commit cannot give.
func WithPullRequests() Option {
	return func(s *Source) { s.pulls = true }
}

// Option configures a Source.
type Option func(*Source)

// pullAnswer answers for owner/repo#N when the branch's first-parent history holds its merge
// commit. Anything else (an issue, an open PR, a squash merge, a cherry-pick) gets no answer:
// the absence of a merge commit proves nothing.
func (s *Source) pullAnswer(ctx context.Context, t verify.Target) (verify.Answer, error) {
	m, ok, err := s.MergeOf(ctx, t.Ref.Repo, t.Branch, t.Ref.Number)
	if err != nil {
		return verify.Answer{}, err
	}
	if !ok {
		return verify.Answer{}, verify.ErrCannotAnswer
	}
	a := answer()
	a.Found = true
	a.Observed = evidence.Observed{Exists: true, Kind: "pr", State: "closed", Merged: true, MergedAt: m.At, SHA: m.SHA}
	return a, nil
}

// MergeOf finds the merge commit of pull request number in the first-parent history of
// branch ("" is the default branch); false: there is none, or more than one.
func (s *Source) MergeOf(ctx context.Context, repoName, branch string, number int) (Merge, bool, error) {
	dir, ok := s.dirs[repoName]
	if !ok {
		return Merge{}, false, nil
	}
	idx, err := s.index(ctx, dir, branch)
	if err != nil {
		return Merge{}, false, err
	}
	m, ok := idx.byNumber[number]
	return m, ok && !idx.ambiguous[number], nil
}

// index reads a branch's merge commits once per run; every PR of the repository shares it.
func (s *Source) index(ctx context.Context, dir, branch string) (*mergeIndex, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := dir + "\x00" + branch
	if idx, ok := s.merges[key]; ok {
		return idx, nil
	}
	idx, err := readMerges(ctx, repo{dir}, branch)
	if err != nil {
		return nil, err // not cached: a cancelled run must not poison the next question
	}
	s.merges[key] = idx
	return idx, nil
}

func readMerges(ctx context.Context, r repo, branch string) (*mergeIndex, error) {
	tip, err := r.tip(ctx, branch)
	if err != nil {
		return nil, err
	}
	out, err := r.run(ctx, "log", "--first-parent", "--merges", "--format=%H%x00%ct%x00%s", tip)
	if err != nil {
		return nil, err
	}
	idx := &mergeIndex{byNumber: map[int]Merge{}, ambiguous: map[int]bool{}}
	for _, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		f := strings.SplitN(line, "\x00", 3)
		if len(f) != 3 {
			continue
		}
		sub := mergeSubject.FindStringSubmatch(f[2])
		if sub == nil {
			continue
		}
		n, err1 := strconv.Atoi(sub[1])
		unix, err2 := strconv.ParseInt(f[1], 10, 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s: merge commit %s: unreadable %q", r.dir, f[0], line)
		}
		if _, seen := idx.byNumber[n]; seen {
			idx.ambiguous[n] = true
			continue
		}
		idx.byNumber[n] = Merge{SHA: f[0], At: time.Unix(unix, 0).UTC().Format(time.RFC3339)}
	}
	return idx, nil
}

// IsAncestor reports whether commit ancestor is in the history of commit descendant, in the
// checkout of repoName. ok is false when the checkout cannot tell: no checkout of that
// repository, or either commit is not in it (a shallow or stale clone).
func (s *Source) IsAncestor(ctx context.Context, repoName, ancestor, descendant string) (is, ok bool, err error) {
	dir, found := s.dirs[repoName]
	if !found {
		return false, false, nil
	}
	r := repo{dir}
	for _, sha := range []string{ancestor, descendant} {
		full, err := r.commit(ctx, sha)
		if err != nil || full == "" {
			return false, false, ignoreCannotAnswer(err)
		}
	}
	_, err = r.run(ctx, "merge-base", "--is-ancestor", ancestor, descendant)
	if err == nil {
		return true, true, nil
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 { // git's "no": not an ancestor
		return false, true, nil
	}
	return false, false, err
}

func ignoreCannotAnswer(err error) error {
	if errors.Is(err, verify.ErrCannotAnswer) {
		return nil
	}
	return err
}

// pullTarget reports whether t is a PR or issue number this source may answer for.
func (s *Source) pullTarget(t verify.Target) bool {
	return s.pulls && t.Ref.Kind == citation.KindRef
}

// MergeCommit is MergeOf on the default branch, for the fix check.
func (s *Source) MergeCommit(ctx context.Context, repoName string, number int) (string, bool, error) {
	m, ok, err := s.MergeOf(ctx, repoName, "", number)
	return m.SHA, ok, err
}
