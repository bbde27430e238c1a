package githubtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Fault is a scripted response: a status, headers and a body.
type Fault func(w http.ResponseWriter, r *http.Request, now time.Time)

// PrimaryLimit is a 403 with no requests left until in from now.
func PrimaryLimit(in time.Duration) Fault {
	return func(w http.ResponseWriter, r *http.Request, now time.Time) {
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(in).Unix(), 10))
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message":"API rate limit exceeded for installation ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}`)
	}
}

// SecondaryLimit is a 403 naming the secondary limit, with Retry-After.
func SecondaryLimit(retryAfter int) Fault {
	return func(w http.ResponseWriter, r *http.Request, now time.Time) {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`)
	}
}

// TooMany is a 429 with Retry-After.
func TooMany(retryAfter int) Fault {
	return func(w http.ResponseWriter, r *http.Request, now time.Time) {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"message":"Too many requests"}`)
	}
}

// TooManyUntil is a 429 with the reset time only.
func TooManyUntil(in time.Duration) Fault {
	return func(w http.ResponseWriter, r *http.Request, now time.Time) {
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(in).Unix(), 10))
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"message":"Too many requests"}`)
	}
}

// GraphQLRateLimited is GraphQL's primary limit: 200, no points left, an error of type RATE_LIMITED.
func GraphQLRateLimited(in time.Duration) Fault {
	return func(w http.ResponseWriter, r *http.Request, now time.Time) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(in).Unix(), 10))
		fmt.Fprint(w, `{"errors":[{"type":"RATE_LIMITED","message":"API rate limit exceeded for user ID 1."}]}`)
	}
}

// Status answers code with GitHub's usual message.
func Status(code int) Fault {
	return func(w http.ResponseWriter, r *http.Request, now time.Time) {
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"message":"%s"}`, http.StatusText(code))
	}
}

// HangUp drops the connection halfway through the body. (Dropping it before answering would
// be retried by net/http itself, on a reused connection, and hide the client's retries.)
func HangUp(w http.ResponseWriter, r *http.Request, now time.Time) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"sha\":")
	buf.Flush()
	conn.Close()
}

// EchoAuth answers code with the Authorization header in the message: a server that leaks it.
func EchoAuth(code int) Fault {
	return func(w http.ResponseWriter, r *http.Request, now time.Time) {
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(map[string]any{"message": "bad request with " + r.Header.Get("Authorization")})
	}
}

// Always repeats a fault n times (a path that keeps failing).
func Always(n int, f Fault) []Fault {
	fs := make([]Fault, n)
	for i := range fs {
		fs[i] = f
	}
	return fs
}

// Clock is a test clock whose Sleep returns at once and moves time on.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

// NewClock starts a clock at 2026-05-11 06:00 UTC, the morning after the bundled reports.
func NewClock() *Clock { return &Clock{now: time.Date(2026, 5, 11, 6, 0, 0, 0, time.UTC)} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep moves the clock on by d, unless ctx is done.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

// Sleeps are the durations slept so far.
func (c *Clock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}
