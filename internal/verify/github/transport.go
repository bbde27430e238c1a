package github

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/triagesite/triagesite/internal/verify"
)

// maxRateLimitWaits bounds how often one request sits out a rate limit, so that a server
// that keeps answering "wait" cannot hold a run forever.
const maxRateLimitWaits = 3

// headerFromCache marks a response replayed from the ETag cache after a 304; go-github
// (following httpcache) does not take rate-limit figures from such a response.
const headerFromCache = "X-From-Cache"

// maxCachedBody bounds what the ETag cache keeps per response: a run cites thousands of
// targets, and a raw file may be 100 MB; a bigger body is simply fetched again.
const maxCachedBody = 4 << 20

// transport sits under go-github's client, so that go-github only sees final answers: it
// makes requests conditional, sits out short rate limits (including the 429s go-github does
// not recognise), retries transient failures and gives each attempt a deadline.
type transport struct {
	next        http.RoundTripper
	retries     int
	maxWait     time.Duration
	timeout     time.Duration
	now         func() time.Time
	sleep       func(context.Context, time.Duration) error
	slots       chan struct{} // bounds requests in flight
	mu          sync.Mutex
	cache       map[string]cached // by method, Accept and URL
	blockedTill time.Time         // no request before this: GitHub told us to wait
}

// cached is a 200 response kept for replay when GitHub answers 304.
type cached struct {
	etag   string
	header http.Header
	body   []byte
}

func newTransport(c config) *transport {
	t := &transport{next: http.DefaultTransport, retries: c.retries, maxWait: c.maxWait, timeout: c.timeout,
		now: c.now, sleep: c.sleep, slots: make(chan struct{}, c.concurrency), cache: map[string]cached{}}
	if t.timeout <= 0 {
		t.timeout = DefaultTimeout
	}
	return t
}

type (
	prevETagKey     struct{}
	prevModifiedKey struct{}
	safeToRepeatKey struct{}
)

// withPrevETag asks for a conditional request with an ETag from the previous run's lock.
func withPrevETag(ctx context.Context, etag string) context.Context {
	return context.WithValue(ctx, prevETagKey{}, etag)
}

// withPrevModified asks for a conditional request: modified since the time the lock recorded?
func withPrevModified(ctx context.Context, at time.Time) context.Context {
	return context.WithValue(ctx, prevModifiedKey{}, at)
}

// withSafeToRepeat marks a POST that only reads (a GraphQL query): a 5xx may be retried.
func withSafeToRepeat(ctx context.Context) context.Context {
	return context.WithValue(ctx, safeToRepeatKey{}, true)
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	key := req.Method + " " + req.Header.Get("Accept") + " " + req.URL.String()
	t.mu.Lock()
	hit, ok := t.cache[key]
	t.mu.Unlock()
	etag := hit.etag
	if !ok {
		etag, _ = req.Context().Value(prevETagKey{}).(string)
	}
	if etag != "" && req.Method == http.MethodGet {
		req = req.Clone(req.Context())
		req.Header.Set("If-None-Match", etag)
	} else if at, ok := req.Context().Value(prevModifiedKey{}).(time.Time); ok && req.Method == http.MethodGet {
		req = req.Clone(req.Context())
		req.Header.Set("If-Modified-Since", at.UTC().Format(http.TimeFormat))
	}
	resp, body, err := t.send(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusNotModified && ok {
		return hit.replay(req, resp), nil
	}
	if e := resp.Header.Get("ETag"); resp.StatusCode == http.StatusOK && e != "" && req.Method == http.MethodGet &&
		len(body) <= maxCachedBody {
		t.mu.Lock()
		t.cache[key] = cached{etag: e, header: resp.Header.Clone(), body: body}
		t.mu.Unlock()
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// replay turns a 304 into the 200 it stands for, keeping the 304's fresh rate-limit headers.
func (c cached) replay(req *http.Request, notModified *http.Response) *http.Response {
	h := c.header.Clone()
	for k, v := range notModified.Header {
		h[k] = v
	}
	h.Set(headerFromCache, "1")
	h.Set("ETag", c.etag)
	return &http.Response{Status: "200 OK", StatusCode: http.StatusOK, Proto: notModified.Proto,
		ProtoMajor: notModified.ProtoMajor, ProtoMinor: notModified.ProtoMinor, Header: h,
		Body: io.NopCloser(bytes.NewReader(c.body)), ContentLength: int64(len(c.body)), Request: req}
}

// send makes attempts until one gives a final answer: not a 5xx, not a rate limit, not a
// transient failure. A failure is retried only for GET, HEAD and a POST marked safe to repeat;
// a rate limit is waited out for every method, since GitHub refused the request unread.
func (t *transport) send(req *http.Request) (*http.Response, []byte, error) {
	ctx := req.Context()
	safe, _ := ctx.Value(safeToRepeatKey{}).(bool)
	idempotent := req.Method == http.MethodGet || req.Method == http.MethodHead || safe
	failures, waits := 0, 0
	for {
		if err := t.waitIfBlocked(ctx); err != nil {
			return nil, nil, err
		}
		resp, body, err := t.attempt(req)
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		if (err != nil && transient(err)) || (err == nil && resp.StatusCode >= 500) {
			if !idempotent || failures >= t.retries {
				return resp, body, err
			}
			failures++
			if err := t.sleep(ctx, backoff(failures)); err != nil {
				return nil, nil, err
			}
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if wait, limited := rateLimitWait(resp, body, t.now()); limited {
			waits++
			until := t.block(wait)
			if waits > maxRateLimitWaits {
				return nil, nil, &verify.RateLimitError{Until: until}
			}
			continue
		}
		return resp, body, nil
	}
}

// attempt makes one request under its own deadline and reads the whole body under it, so
// that a stalled body is a retryable timeout rather than a hang.
func (t *transport) attempt(req *http.Request) (*http.Response, []byte, error) {
	select {
	case t.slots <- struct{}{}:
		defer func() { <-t.slots }()
	case <-req.Context().Done():
		return nil, nil, req.Context().Err()
	}
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	defer cancel()
	req = req.WithContext(ctx)
	if req.GetBody != nil { // every attempt sends the whole body again
		b, err := req.GetBody()
		if err != nil {
			return nil, nil, err
		}
		req.Body = b
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	return resp, body, nil
}

// block records that GitHub asked us to wait; every goroutine honours it before its next request.
func (t *transport) block(wait time.Duration) time.Time {
	until := t.now().Add(wait)
	t.mu.Lock()
	defer t.mu.Unlock()
	if until.After(t.blockedTill) {
		t.blockedTill = until
	}
	return t.blockedTill
}

// waitIfBlocked sits out a rate limit up to maxWait; a longer one stops the run.
func (t *transport) waitIfBlocked(ctx context.Context) error {
	t.mu.Lock()
	until := t.blockedTill
	t.mu.Unlock()
	d := until.Sub(t.now())
	if d <= 0 {
		return nil
	}
	if d > t.maxWait {
		return &verify.RateLimitError{Until: until}
	}
	return t.sleep(ctx, d)
}

// transient says a failed attempt may succeed if repeated: timeouts, resets, refused connections.
func transient(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, context.DeadlineExceeded)
}

// backoff is 1s, 2s, 4s, … capped at 30s, with up to 25% jitter so that goroutines failing
// together do not retry together.
func backoff(n int) time.Duration {
	d := min(time.Second<<min(n-1, 5), 30*time.Second)
	return d + time.Duration(rand.Int64N(int64(d)/4+1))
}

// rateLimitWait recognises GitHub's rate limits: a 429 (primary or secondary), a 403 with no
// requests remaining (primary), a 403 with Retry-After or naming the secondary limit, and
// GraphQL's primary limit, a 200 whose error is RATE_LIMITED.
func rateLimitWait(resp *http.Response, body []byte, now time.Time) (time.Duration, bool) {
	h := resp.Header
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
	case resp.StatusCode == http.StatusOK && bytes.Contains(body, []byte(`"RATE_LIMITED"`)) && bytes.HasPrefix(bytes.TrimSpace(body), []byte(`{"errors"`)):
	case resp.StatusCode != http.StatusForbidden:
		return 0, false
	case h.Get("X-RateLimit-Remaining") == "0", h.Get("Retry-After") != "":
	case bytes.Contains(body, []byte("secondary rate limit")), bytes.Contains(body, []byte("secondary-rate-limits")),
		bytes.Contains(body, []byte("abuse-rate-limits")):
	default:
		return 0, false
	}
	return retryAfter(h, now), true
}

// retryAfter reads how long to wait: Retry-After (seconds or a date), else x-ratelimit-reset
// (epoch seconds), else the minute GitHub's documentation says to wait. At least a second.
func retryAfter(h http.Header, now time.Time) time.Duration {
	d := time.Minute
	if v := h.Get("Retry-After"); v != "" {
		if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
			d = time.Duration(secs) * time.Second
		} else if at, err := http.ParseTime(v); err == nil {
			d = at.Sub(now)
		}
	} else if v := h.Get("X-RateLimit-Reset"); v != "" {
		if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
			d = time.Unix(secs, 0).Sub(now)
		}
	}
	return max(d, time.Second)
}
