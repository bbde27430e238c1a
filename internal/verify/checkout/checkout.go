// Package checkout answers for commits and files from local git checkouts, without the network.
package checkout

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
)

// Source reads commits and files from git checkouts. It is safe for concurrent use.
type Source struct {
	dirs  map[string]string
	pulls bool // answer for pull requests from merge commits (WithPullRequests)

	mu     sync.Mutex
	merges map[string]*mergeIndex // by directory and branch
}

// New returns a Source for checkouts, keyed by owner/repo. A checkout may be a bare
// repository (a mirror) as well as a working tree.
func New(dirs map[string]string, opts ...Option) *Source {
	s := &Source{dirs: make(map[string]string, len(dirs)), merges: map[string]*mergeIndex{}}
	for repo, dir := range dirs {
		s.dirs[repo] = dir
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Name is the evidence source name.
func (s *Source) Name() string { return evidence.SourceCheckout }

// Fetch answers for a commit or a file of a repository it has a checkout of.
func (s *Source) Fetch(ctx context.Context, t verify.Target) (verify.Answer, error) {
	dir, ok := s.dirs[t.Ref.Repo]
	if !ok {
		return verify.Answer{}, verify.ErrCannotAnswer
	}
	r := repo{dir}
	switch t.Ref.Kind {
	case citation.KindCommit:
		a, err := r.commitAnswer(ctx, t.Ref.SHA)
		if err == nil && a.Found && t.At != "" {
			err = r.onBranch(ctx, t, &a)
		}
		return a, err
	case citation.KindFile:
		return r.fileAnswer(ctx, t)
	case citation.KindRef:
		if s.pullTarget(t) {
			return s.pullAnswer(ctx, t)
		}
	}
	return verify.Answer{}, verify.ErrCannotAnswer
}

func answer() verify.Answer {
	return verify.Answer{Source: evidence.SourceCheckout}
}

// commitAnswer reports a commit's full SHA, author, author date and subject.
func (r repo) commitAnswer(ctx context.Context, sha string) (verify.Answer, error) {
	a := answer()
	full, err := r.commit(ctx, sha)
	if err != nil || full == "" {
		return a, err
	}
	out, err := r.run(ctx, "show", "-s", "--no-show-signature", "--format=%H%x00%an%x00%at%x00%s", full)
	if err != nil {
		return a, err
	}
	f := strings.SplitN(strings.TrimSuffix(string(out), "\n"), "\x00", 4)
	if len(f) != 4 {
		return a, fmt.Errorf("%s: unexpected git show output %q", r.dir, out)
	}
	unix, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil {
		return a, fmt.Errorf("%s: commit %s: author date %q: %w", r.dir, full, f[2], err)
	}
	a.Found = true
	a.Observed = evidence.Observed{Exists: true, SHA: f[0], Author: f[1],
		Date: time.Unix(unix, 0).UTC().Format(time.RFC3339), Title: f[3]}
	return a, nil
}

// onBranch says whether the commit had landed on the branch by the end of the target's day:
// whether the branch's last commit then has it in its first-parent-or-merged history.
func (r repo) onBranch(ctx context.Context, t verify.Target, a *verify.Answer) error {
	tip, err := r.resolve(ctx, t.At, t.Branch)
	if err != nil || tip == "" {
		return err
	}
	a.Observed.BranchAt = tip
	a.Observed.OnBranch, err = r.isAncestor(ctx, a.Observed.SHA, tip)
	return err
}

// fileAnswer reads a file at the commit its target's At names.
func (r repo) fileAnswer(ctx context.Context, t verify.Target) (verify.Answer, error) {
	a := answer()
	sha, err := r.resolve(ctx, t.At, t.Branch)
	if err != nil || sha == "" {
		return a, err
	}
	a.Observed.SHA = sha
	oid, err := r.blob(ctx, sha, t.Ref.Path)
	if err != nil || oid == "" {
		return a, err
	}
	data, err := r.run(ctx, "cat-file", "blob", oid)
	if err != nil {
		return a, err
	}
	a.Found, a.Observed.Exists, a.Text = true, true, lines(string(data))
	return a, nil
}

var (
	shaRe  = regexp.MustCompile(`^[0-9a-f]{7,40}$`)
	dateRe = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

// resolve names the commit a file is read at: a SHA as given, the branch's last commit by
// the end of a date, or the branch now. "" with no error: nothing is there (a date before
// the repository began).
func (r repo) resolve(ctx context.Context, at, branch string) (string, error) {
	if shaRe.MatchString(at) {
		return r.commit(ctx, at)
	}
	tip, err := r.tip(ctx, branch)
	if err != nil || at == "" {
		return tip, err
	}
	before, err := endOf(at)
	if err != nil {
		return "", err
	}
	// --first-parent walks the branch itself, so a merge counts from when it landed, not
	// from when its side commits were made.
	out, err := r.run(ctx, "rev-list", "-1", "--first-parent", "--before="+before, tip)
	if err != nil {
		return "", err
	}
	if sha := strings.TrimSpace(string(out)); sha != "" {
		return sha, nil
	}
	return "", r.silent(ctx)
}

// endOf turns a claim's at: date (the end of that day, UTC) or time into git's date syntax.
func endOf(at string) (string, error) {
	if dateRe.MatchString(at) {
		if _, err := time.Parse(time.DateOnly, at); err != nil {
			return "", fmt.Errorf("at %q: %w", at, err)
		}
		return at + " 23:59:59 +0000", nil
	}
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return "", fmt.Errorf("at %q is neither a date (YYYY-MM-DD), a time (RFC 3339) nor a commit SHA", at)
	}
	return t.UTC().Format("2006-01-02 15:04:05 +0000"), nil
}

var branchRe = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_./-]*$`)

// tip is the SHA a branch points at. The remote-tracking branch comes first: it is what
// the last fetch saw on GitHub, while a local branch may be behind or carry local work.
func (r repo) tip(ctx context.Context, branch string) (string, error) {
	cands := []string{"refs/remotes/origin/HEAD", "HEAD"}
	if branch != "" {
		if !branchRe.MatchString(branch) || strings.Contains(branch, "..") {
			return "", fmt.Errorf("%q is not a branch name", branch)
		}
		cands = []string{"refs/remotes/origin/" + branch, "refs/heads/" + branch}
	}
	for _, c := range cands {
		if sha, ok := r.revParse(ctx, c+"^{commit}"); ok {
			return sha, nil
		}
	}
	return "", fmt.Errorf("%s: no branch %s (looked for %s)", r.dir, orDefault(branch), strings.Join(cands, ", "))
}

func orDefault(branch string) string {
	if branch == "" {
		return "(default)"
	}
	return branch
}

// lines splits a file into its lines, without their line endings.
func lines(data string) []string {
	if data == "" {
		return []string{}
	}
	out := strings.Split(strings.TrimSuffix(data, "\n"), "\n")
	for i, l := range out {
		out[i] = strings.TrimSuffix(l, "\r")
	}
	return out
}
