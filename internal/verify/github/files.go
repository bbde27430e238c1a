package github

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	gh "github.com/google/go-github/v62/github"

	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
)

var (
	fullSHA  = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)
	shortSHA = regexp.MustCompile(`^[0-9a-fA-F]{4,39}$`)
)

// fetchFile reads a file at the commit the target names and returns its lines. The ETag is
// left empty: a file's answer spans several requests, so no single validator stands for it.
func (s *Source) fetchFile(ctx context.Context, owner, repo string, t verify.Target) (verify.Answer, error) {
	sha, found, err := s.resolveAt(ctx, owner, repo, t)
	if err != nil || !found {
		return verify.Answer{}, err
	}
	o := evidence.Observed{SHA: sha}
	read := s.readFile
	if _, big := s.rawOnly.Load(answerKey(t)); big {
		read = s.readRaw
	}
	text, found, err := read(ctx, owner, repo, t.Ref.Path, sha)
	if err != nil || !found {
		return verify.Answer{Observed: o}, err
	}
	o.Exists = true
	return verify.Answer{Found: true, Observed: o, Text: splitLines(text)}, nil
}

// resolveAt turns the target's At into the full SHA of the commit to read at: a SHA as is
// (an abbreviated one expanded), a date as the newest commit on the branch by the end of that
// day UTC, nothing as the branch head. Without a branch GitHub lists the default branch, which
// saves asking for the repository first.
//
// Many files are cited at the same date, so each (repository, branch, at) is resolved once per
// run; a failure is not remembered, so a later target asks again.
func (s *Source) resolveAt(ctx context.Context, owner, repo string, t verify.Target) (string, bool, error) {
	key := resolveKey(owner, repo, t)
	if r, ok := s.resolution(key); ok {
		return r.sha, r.found, nil
	}
	v, _ := s.resolved.LoadOrStore(key, &resolution{})
	r := v.(*resolution)
	r.once.Do(func() { r.sha, r.found, r.err = s.resolveAtUncached(ctx, owner, repo, t) })
	if r.err != nil {
		s.resolved.CompareAndDelete(key, r)
	}
	return r.sha, r.found, r.err
}

func resolveKey(owner, repo string, t verify.Target) string {
	return owner + "/" + repo + "\x00" + t.Branch + "\x00" + strings.TrimSpace(t.At)
}

// resolved is a commit a batch or a head check found for a (repository, branch, at).
type resolved struct {
	sha   string
	found bool
}

// remember records what a batch resolved, so that resolveAt does not ask again.
func (s *Source) remember(key, sha string, found bool) {
	s.batchResolved.Store(key, resolved{sha: sha, found: found})
}

func (s *Source) resolution(key string) (resolved, bool) {
	v, ok := s.batchResolved.Load(key)
	if !ok {
		return resolved{}, false
	}
	return v.(resolved), true
}

// resolution is one resolved (repository, branch, at).
type resolution struct {
	once  sync.Once
	sha   string
	found bool
	err   error
}

func (s *Source) resolveAtUncached(ctx context.Context, owner, repo string, t verify.Target) (string, bool, error) {
	at := strings.TrimSpace(t.At)
	if fullSHA.MatchString(at) {
		return strings.ToLower(at), true, nil
	}
	opts := &gh.CommitsListOptions{SHA: t.Branch, ListOptions: gh.ListOptions{PerPage: 1}}
	switch {
	case at == "":
	case shortSHA.MatchString(at):
		opts.SHA = at // listing from a commit starts with that commit
	default:
		day, err := time.Parse(time.DateOnly, at)
		if err != nil {
			return "", false, fmt.Errorf("%s: at %q is neither a date (YYYY-MM-DD) nor a commit SHA", t.Ref, at)
		}
		opts.Until = day.Add(24*time.Hour - time.Second)
	}
	var commits []*gh.RepositoryCommit
	_, err := s.call(ctx, func() (r *gh.Response, err error) {
		commits, r, err = s.gh.Repositories.ListCommits(ctx, owner, repo, opts)
		return r, err
	})
	// 404: no such repository or branch; 409: an empty repository; 422: no such commit.
	if notFound(err, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity) {
		return "", false, nil
	}
	if err != nil || len(commits) == 0 {
		return "", false, err
	}
	return commits[0].GetSHA(), true, nil
}

// readFile reads a file's text at a commit. A path that is a directory or a submodule is not
// a file; a file over 1 MB comes without content, and is read again as raw bytes.
func (s *Source) readFile(ctx context.Context, owner, repo, path, sha string) (string, bool, error) {
	var fc *gh.RepositoryContent
	_, err := s.call(ctx, func() (r *gh.Response, err error) {
		fc, _, r, err = s.gh.Repositories.GetContents(ctx, owner, repo, path, &gh.RepositoryContentGetOptions{Ref: sha})
		return r, err
	})
	if notFound(err, http.StatusNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	if fc == nil || (fc.GetType() != "file" && fc.GetType() != "") {
		return "", false, nil
	}
	if fc.GetEncoding() == "none" || (fc.Content == nil && fc.GetSize() > 0) {
		return s.readRaw(ctx, owner, repo, path, sha)
	}
	text, err := fc.GetContent()
	if err != nil {
		return "", false, fmt.Errorf("%s/%s:%s at %s: %w", owner, repo, path, sha, err)
	}
	return text, true, nil
}

// readRaw reads a file through the contents endpoint's raw media type, which serves files up to 100 MB.
func (s *Source) readRaw(ctx context.Context, owner, repo, path, sha string) (string, bool, error) {
	u := fmt.Sprintf("repos/%s/%s/contents/%s?ref=%s", owner, repo, (&url.URL{Path: path}).String(), url.QueryEscape(sha))
	var buf bytes.Buffer
	_, err := s.call(ctx, func() (*gh.Response, error) {
		req, err := s.gh.NewRequest(http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/vnd.github.raw+json")
		buf.Reset()
		return s.gh.Do(ctx, req, &buf)
	})
	if notFound(err, http.StatusNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return buf.String(), true, nil
}

// splitLines gives a file's lines, Text[0] being line 1. A final newline ends the last line
// rather than starting an empty one; a CRLF file's lines lose their CR.
func splitLines(text string) []string {
	if text == "" {
		return nil
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}
