// Package github answers for PR, issue, commit and file citations from the GitHub REST API.
package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	gh "github.com/google/go-github/v62/github"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
)

// Defaults; each has an Option.
const (
	DefaultBaseURL     = "https://api.github.com/"
	DefaultMaxWait     = 60 * time.Second
	DefaultRetries     = 3
	DefaultTimeout     = 30 * time.Second
	DefaultConcurrency = 8
)

// Source is the GitHub source. It is safe for concurrent use.
type Source struct {
	gh      *gh.Client
	maxWait time.Duration
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error
	redact  func(string) string // a closure, so that printing a Source cannot show the token
	err     error               // a bad option, reported by every Fetch
	// resolved remembers, for this run, which commit each (repository, branch, at) names.
	resolved sync.Map
	// GraphQL batches (graphql*.go): the endpoint, the client that carries them (with the
	// token), targets per query, what Prefetch answered, and the commits it resolved.
	gqlURL        string
	http          *http.Client
	batchSize     int
	answers       sync.Map // answerKey -> verify.Answer
	batchResolved sync.Map // resolveKey -> resolved
	rawOnly       sync.Map // answerKey -> true: a file GraphQL found too big to carry
}

type config struct {
	baseURL     string
	graphQLURL  string
	batchSize   int
	token       string
	maxWait     time.Duration
	retries     int
	timeout     time.Duration
	concurrency int
	now         func() time.Time
	sleep       func(context.Context, time.Duration) error
}

// Option configures a Source.
type Option func(*config)

// WithBaseURL sets the API root, as GITHUB_API_URL gives it (https://api.github.com, https://HOST/api/v3).
func WithBaseURL(u string) Option { return func(c *config) { c.baseURL = u } }

// WithGraphQLURL sets the GraphQL endpoint (GITHUB_GRAPHQL_URL); by default it is derived
// from the API root: https://api.github.com/graphql, or https://HOST/api/graphql.
func WithGraphQLURL(u string) Option { return func(c *config) { c.graphQLURL = u } }

// WithBatchSize sets how many targets one GraphQL query asks for; 0 turns batching off, and
// every target is fetched over REST.
func WithBatchSize(n int) Option { return func(c *config) { c.batchSize = max(n, 0) } }

// WithToken authenticates requests (GITHUB_TOKEN). The token is sent, never shown.
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithMaxWait sets the longest rate-limit wait to sit out; a longer one stops the run.
func WithMaxWait(d time.Duration) Option { return func(c *config) { c.maxWait = d } }

// WithRetries sets how many times a 5xx, timeout or connection failure is retried.
func WithRetries(n int) Option { return func(c *config) { c.retries = max(n, 0) } }

// WithRequestTimeout sets the deadline of each attempt.
func WithRequestTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// WithConcurrency bounds requests in flight; GitHub's secondary limits punish bursts.
func WithConcurrency(n int) Option { return func(c *config) { c.concurrency = max(n, 1) } }

// WithClock replaces the clock and the sleep used for backoff and rate-limit waits (for tests).
func WithClock(now func() time.Time, sleep func(context.Context, time.Duration) error) Option {
	return func(c *config) { c.now, c.sleep = now, sleep }
}

// New builds a GitHub source.
func New(opts ...Option) *Source {
	c := config{baseURL: DefaultBaseURL, maxWait: DefaultMaxWait, retries: DefaultRetries,
		concurrency: DefaultConcurrency, now: time.Now, sleep: sleepCtx, batchSize: DefaultBatchSize}
	for _, o := range opts {
		o(&c)
	}
	s := &Source{maxWait: c.maxWait, now: c.now, sleep: c.sleep, redact: redactor(c.token), batchSize: c.batchSize}
	if c.token == "" {
		s.batchSize = 0 // GitHub's GraphQL API answers no one without a token: REST only
	}
	s.gh, s.err = client(c)
	if s.err == nil {
		s.http, s.gqlURL = s.gh.Client(), c.graphQLURL
		if s.gqlURL == "" {
			s.gqlURL = graphQLURL(s.gh.BaseURL)
		}
	}
	return s
}

func client(c config) (*gh.Client, error) {
	base, err := url.Parse(c.baseURL)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("GitHub API URL %q is not an absolute URL", c.baseURL)
	}
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
	}
	g := gh.NewClient(&http.Client{Transport: newTransport(c)})
	if c.token != "" {
		g = g.WithAuthToken(c.token)
	}
	// Set directly: WithEnterpriseURLs would append /api/v3/ to a test server's URL.
	g.BaseURL = base
	g.UserAgent = "triagesite"
	return g, nil
}

func redactor(token string) func(string) string {
	return func(s string) string {
		if token == "" {
			return s
		}
		return strings.ReplaceAll(s, token, "[REDACTED]")
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Name is the source's name in evidence.
func (s *Source) Name() string { return evidence.SourceGitHub }

// Fetch answers for a PR/issue, commit or file; a build is not GitHub's to answer.
func (s *Source) Fetch(ctx context.Context, t verify.Target) (verify.Answer, error) {
	if t.Ref.Kind == citation.KindBuild {
		return verify.Answer{}, verify.ErrCannotAnswer
	}
	if s.err != nil {
		return verify.Answer{}, s.err
	}
	owner, repo, ok := strings.Cut(t.Ref.Repo, "/")
	if !ok || owner == "" || repo == "" {
		return verify.Answer{}, fmt.Errorf("%s: repository %q is not owner/repo", t.Ref, t.Ref.Repo)
	}
	if a, ok := s.prefetched(t); ok {
		if err := s.datedCommit(ctx, owner, repo, t, &a); err != nil {
			return verify.Answer{}, s.clean(err)
		}
		return a, nil
	}
	if a, ok := s.fromLock(t); ok {
		return s.dated(ctx, owner, repo, t, a)
	}
	var a verify.Answer
	var err error
	switch t.Ref.Kind {
	case citation.KindRef:
		a, err = s.fetchRef(ctx, owner, repo, t)
	case citation.KindCommit:
		a, err = s.fetchCommit(ctx, owner, repo, t)
	case citation.KindFile:
		a, err = s.fetchFile(ctx, owner, repo, t)
	default:
		return verify.Answer{}, verify.ErrCannotAnswer
	}
	if err != nil {
		return verify.Answer{}, s.clean(err)
	}
	a.Source = evidence.SourceGitHub
	return a, nil
}

// clean unwraps a stop-the-run rate limit from the url.Error around it, and makes sure no
// error carries the token, even if a server echoed it back.
func (s *Source) clean(err error) error {
	var rl *verify.RateLimitError
	if errors.As(err, &rl) {
		return rl
	}
	if msg := err.Error(); s.redact(msg) != msg {
		return errors.New(s.redact(msg))
	}
	return err
}

// call runs one go-github call. After a response reporting no requests left, go-github refuses
// further calls itself, without asking GitHub, until the reset: sit that out like any rate limit.
func (s *Source) call(ctx context.Context, fn func() (*gh.Response, error)) (*gh.Response, error) {
	for i := 0; ; i++ {
		resp, err := fn()
		var rl *gh.RateLimitError
		if !errors.As(err, &rl) {
			return resp, err
		}
		until := rl.Rate.Reset.Time
		wait := until.Sub(s.now())
		if i >= maxRateLimitWaits || wait > s.maxWait {
			return resp, &verify.RateLimitError{Until: until}
		}
		if err := s.sleep(ctx, max(wait, time.Second)); err != nil {
			return resp, err
		}
	}
}

// notFound says err is GitHub's final word that the thing does not exist.
func notFound(err error, codes ...int) bool {
	var er *gh.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil {
		return false
	}
	for _, c := range codes {
		if er.Response.StatusCode == c {
			return true
		}
	}
	return false
}

// stamp renders a GitHub time as RFC 3339 UTC, the form evidence stores.
func stamp(t *gh.Timestamp) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
