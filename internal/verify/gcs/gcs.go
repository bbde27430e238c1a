// Package gcs answers for build citations by reading their logs from Google Cloud Storage.
package gcs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"cloud.google.com/go/storage"
	"github.com/googleapis/gax-go/v2"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
)

// DefaultTimeout bounds the reading of one object when no WithTimeout is given.
const DefaultTimeout = 60 * time.Second

// Reads that fail are retried a few times, quickly; a bucket whose reads keep failing is
// given up for the run, so that an outage costs seconds, not a minute per build.
const (
	maxAttempts    = 3
	maxFailures    = 3 // failed reads in a row before the bucket is given up
	initialBackoff = 200 * time.Millisecond
	maxBackoff     = 2 * time.Second
)

// logName is the file Prow writes a build's log to, inside the build's directory.
const logName = "build-log.txt"

// maxPointer caps a pr-logs/directory pointer file, which holds one gs:// path.
const maxPointer = 4 << 10

// Source reads build logs. It is safe for concurrent use.
type Source struct {
	client  *storage.Client
	timeout time.Duration
	backoff gax.Backoff
	mu      sync.Mutex
	failing map[string]int   // failed reads in a row, by bucket
	lastErr map[string]error // the last failure, by bucket
}

// Option configures a Source.
type Option func(*Source)

// WithTimeout bounds each object read (opening and streaming it); d <= 0 keeps the default.
func WithTimeout(d time.Duration) Option {
	return func(s *Source) {
		if d > 0 {
			s.timeout = d
		}
	}
}

// WithBackoff sets the first and longest wait between retries of a failed read (for tests).
func WithBackoff(initial, longest time.Duration) Option {
	return func(s *Source) { s.backoff = gax.Backoff{Initial: initial, Max: longest, Multiplier: 2} }
}

// New returns a Source reading through client.
func New(client *storage.Client, opts ...Option) *Source {
	s := &Source{client: client, timeout: DefaultTimeout, failing: map[string]int{}, lastErr: map[string]error{},
		backoff: gax.Backoff{Initial: initialBackoff, Max: maxBackoff, Multiplier: 2}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// NewClient opens an anonymous client: the CI log buckets are public, and a missing
// login must not stop verification. The client honours STORAGE_EMULATOR_HOST by itself.
func NewClient(ctx context.Context) (*storage.Client, error) {
	// JSON reads go through the same /storage/v1 endpoint as every other call,
	// so an emulator needs no separate public host for downloads.
	return storage.NewClient(ctx, option.WithoutAuthentication(), storage.WithJSONReads())
}

// Name is the evidence source name.
func (s *Source) Name() string { return evidence.SourceGCS }

// Fetch reads the build log a build citation names and finds every quote in it.
func (s *Source) Fetch(ctx context.Context, t verify.Target) (verify.Answer, error) {
	if t.Ref.Kind != citation.KindBuild {
		return verify.Answer{}, verify.ErrCannotAnswer
	}
	if err := s.givenUp(t.Ref.Bucket); err != nil {
		return verify.Answer{}, err
	}
	a, err := s.fetch(ctx, t)
	s.record(t.Ref.Bucket, err)
	return a, err
}

// fetch reads the log. Prow keeps a presubmit's logs under pr-logs/pull/…, and leaves at
// pr-logs/directory/ only a pointer file to them: that pointer is read first, and the
// direct object only when there is no pointer.
func (s *Source) fetch(ctx context.Context, t verify.Target) (verify.Answer, error) {
	obj := object{t.Ref.Bucket, logObject(t.Ref.Object)}
	if ptr, rest, ok := pointerOf(obj.name); ok {
		dir, found, err := s.readPointer(ctx, object{obj.bucket, ptr})
		if err != nil {
			return verify.Answer{}, err
		}
		if found {
			obj = object{dir.bucket, dir.name + rest}
		}
	}
	a, err := s.read(ctx, obj, t.Quotes)
	return s.withResult(ctx, obj, a, err)
}

// givenUp fails at once for a bucket whose reads kept failing this run.
func (s *Source) givenUp(bucket string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failing[bucket] < maxFailures {
		return nil
	}
	return fmt.Errorf("gs://%s: %d reads in a row failed, not asking it again this run: %w", bucket, s.failing[bucket], s.lastErr[bucket])
}

// record counts a read's failure against its bucket; an answer, even "no such object", resets it.
func (s *Source) record(bucket string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil || errors.Is(err, context.Canceled) {
		s.failing[bucket] = 0
		return
	}
	s.failing[bucket]++
	s.lastErr[bucket] = err
}

// object returns a handle whose calls are retried maxAttempts times with a short backoff;
// the client's default retries until the deadline.
func (s *Source) object(o object) *storage.ObjectHandle {
	return s.client.Bucket(o.bucket).Object(o.name).Retryer(storage.WithMaxAttempts(maxAttempts), storage.WithBackoff(s.backoff))
}

// withResult adds the build's result from Prow's finished.json beside its build-log.txt.
// A missing or unreadable finished.json leaves the result unknown: it is not an error.
func (s *Source) withResult(ctx context.Context, logObj object, a verify.Answer, err error) (verify.Answer, error) {
	if err != nil || !a.Found || path.Base(logObj.name) != logName {
		return a, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	r, rerr := s.object(object{logObj.bucket, path.Dir(logObj.name) + "/finished.json"}).NewReader(ctx)
	if rerr != nil {
		return a, nil
	}
	defer r.Close()
	var finished struct {
		Result string `json:"result"`
	}
	if json.NewDecoder(io.LimitReader(r, 1<<16)).Decode(&finished) == nil {
		a.Observed.Result = strings.ToLower(finished.Result)
	}
	return a, nil
}

// object is one GCS object's address.
type object struct{ bucket, name string }

func (o object) String() string { return "gs://" + o.bucket + "/" + o.name }

// logObject names the object a build address stands for: the build directory's
// build-log.txt, or the object itself when the address ends in a file name.
func logObject(name string) string {
	base := path.Base(name)
	if path.Ext(base) != "" && !isDigits(base) {
		return name
	}
	return name + "/" + logName
}

var directoryRe = regexp.MustCompile(`^(pr-logs/directory/[^/]+/[0-9]+)(/.+)$`)

// pointerOf returns, for an object under pr-logs/directory/<job>/<id>/, Prow's pointer file
// <id>.txt and the object's path below the build directory.
func pointerOf(name string) (ptr, rest string, ok bool) {
	m := directoryRe.FindStringSubmatch(name)
	if m == nil {
		return "", "", false
	}
	return m[1] + ".txt", m[2], true
}

// read streams one object and records the lines each quote stands on.
func (s *Source) read(ctx context.Context, obj object, quotes []string) (verify.Answer, error) {
	a := verify.Answer{Source: evidence.SourceGCS, Observed: evidence.Observed{Object: obj.String()}}
	if !slices.ContainsFunc(quotes, func(q string) bool { return q != "" }) {
		return s.stat(ctx, obj, a)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	r, err := s.object(obj).NewReader(ctx)
	if isNotFound(err) {
		return a, nil
	}
	if err != nil {
		return a, s.callError(ctx, obj, err)
	}
	defer r.Close()
	at, err := scan(r, quotes)
	if err != nil {
		return a, s.callError(ctx, obj, err)
	}
	a.Found, a.QuoteAt = true, at
	a.Observed.Exists, a.Observed.Generation = true, r.Attrs.Generation
	return a, nil
}

// stat answers for an object's existence from its metadata: nobody quotes the log, so
// there is no reason to download it.
func (s *Source) stat(ctx context.Context, obj object, a verify.Answer) (verify.Answer, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	attrs, err := s.object(obj).Attrs(ctx)
	if isNotFound(err) {
		return a, nil
	}
	if err != nil {
		return a, s.callError(ctx, obj, err)
	}
	a.Found, a.QuoteAt = true, map[string][]int{}
	a.Observed.Exists, a.Observed.Generation = true, attrs.Generation
	return a, nil
}

// readPointer reads a pr-logs/directory pointer file: the gs:// path of a build directory.
func (s *Source) readPointer(ctx context.Context, obj object) (object, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	r, err := s.object(obj).NewReader(ctx)
	if isNotFound(err) {
		return object{}, false, nil
	}
	if err != nil {
		return object{}, false, s.callError(ctx, obj, err)
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, maxPointer))
	if err != nil {
		return object{}, false, s.callError(ctx, obj, err)
	}
	dir, ok := parseGS(strings.TrimSpace(string(data)))
	if !ok {
		return object{}, false, fmt.Errorf("%s: want the gs:// path of a build directory, got %q", obj, truncate(string(data), 80))
	}
	return dir, true, nil
}

// parseGS splits gs://bucket/dir, dropping a trailing slash.
func parseGS(s string) (object, bool) {
	rest, ok := strings.CutPrefix(s, "gs://")
	if !ok {
		return object{}, false
	}
	bucket, name, ok := strings.Cut(strings.TrimSuffix(rest, "/"), "/")
	if !ok || bucket == "" || name == "" || strings.ContainsAny(name, "\n\r") {
		return object{}, false
	}
	return object{bucket, name}, true
}

// isNotFound says the object or its bucket does not exist: a 404 is final, not worth a retry.
func isNotFound(err error) bool {
	var gerr *googleapi.Error
	return errors.Is(err, storage.ErrObjectNotExist) || errors.Is(err, storage.ErrBucketNotExist) ||
		(errors.As(err, &gerr) && gerr.Code == http.StatusNotFound)
}

// callError names a timeout as one, since the client only says "context deadline exceeded".
func (s *Source) callError(ctx context.Context, obj object, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%s: no answer within %s: %w", obj, s.timeout, err)
	}
	return fmt.Errorf("%s: %w", obj, err)
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
