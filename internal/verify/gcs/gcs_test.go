package gcs

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/storage"
	"github.com/fsouza/fake-gcs-server/fakestorage"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/claim"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
)

const bucket = "kubernetes-ci-logs"

const buildLog = `I0510 starting
I0510 running tests
E0510 FAIL: TestFoo (3.2s)
I0510 done
`

// newServer serves objects (name or gs:// address -> content) from an in-process fake GCS over HTTP.
func newServer(t *testing.T, objects map[string]string) *fakestorage.Server {
	t.Helper()
	var initial []fakestorage.Object
	for name, content := range objects {
		initial = append(initial, fakeObject(name, content))
	}
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{
		Scheme: "http", Host: "127.0.0.1", InitialObjects: initial,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return srv
}

func fakeObject(name, content string) fakestorage.Object {
	b, n := bucket, name
	if rest, ok := strings.CutPrefix(name, "gs://"); ok {
		b, n, _ = strings.Cut(rest, "/")
	}
	return fakestorage.Object{
		ObjectAttrs: fakestorage.ObjectAttrs{BucketName: b, Name: n,
			ACL: []storage.ACLRule{{Entity: storage.AllUsers, Role: storage.RoleReader}}},
		Content: []byte(content),
	}
}

func build(t *testing.T, addr string) verify.Target {
	t.Helper()
	ref, err := citation.Parse(addr)
	if err != nil {
		t.Fatal(err)
	}
	return verify.Target{Ref: ref}
}

func fetch(t *testing.T, s *Source, addr string, quotes ...string) verify.Answer {
	t.Helper()
	tg := build(t, addr)
	tg.Quotes = quotes
	a, err := s.Fetch(context.Background(), tg)
	if err != nil {
		t.Fatalf("Fetch(%s): %v", addr, err)
	}
	return a
}

func TestFetchFindsQuoteLine(t *testing.T) {
	srv := newServer(t, map[string]string{"logs/ci-job/2053226169234362368/build-log.txt": buildLog})
	a := fetch(t, New(srv.Client()), "gs://kubernetes-ci-logs/logs/ci-job/2053226169234362368", "FAIL: TestFoo", "not in the log")
	if !a.Found || !a.Observed.Exists || a.Source != evidence.SourceGCS {
		t.Fatalf("answer = %+v, want found by gcs", a)
	}
	if want := "gs://kubernetes-ci-logs/logs/ci-job/2053226169234362368/build-log.txt"; a.Observed.Object != want {
		t.Errorf("Object = %q, want %q", a.Observed.Object, want)
	}
	if a.Observed.Generation == 0 {
		t.Error("Generation = 0, want the object's generation")
	}
	if got := a.QuoteAt["FAIL: TestFoo"]; !slices.Equal(got, []int{3}) {
		t.Errorf("QuoteAt[quote] = %v, want [3]", got)
	}
	if got := a.QuoteAt["not in the log"]; len(got) != 0 {
		t.Errorf("QuoteAt[absent] = %v, want none", got)
	}
}

func TestFetchExistenceOnly(t *testing.T) {
	srv := newServer(t, map[string]string{"logs/ci-job/2053226169234362368/build-log.txt": buildLog})
	s := New(useEmulator(t, srv))
	a := fetch(t, s, "gs://kubernetes-ci-logs/logs/ci-job/2053226169234362368")
	if !a.Found || !a.Observed.Exists || a.Observed.Generation == 0 {
		t.Errorf("answer = %+v, want found with a generation", a)
	}
	if st, msg, _ := verify.Judge(build(t, "gs://kubernetes-ci-logs/logs/ci-job/2053226169234362368").Ref, claim.Claim{}, a); st != evidence.Verified {
		t.Errorf("Judge = %s %q, want verified", st, msg)
	}
	if a := fetch(t, s, "gs://kubernetes-ci-logs/logs/ci-job/1111111111"); a.Found {
		t.Errorf("missing build: answer = %+v, want not found", a)
	}
}

func TestFetchQuoteOnSeveralLines(t *testing.T) {
	srv := newServer(t, map[string]string{"logs/ci-job/2053226169234362368/build-log.txt": buildLog})
	a := fetch(t, New(srv.Client()), "https://prow.k8s.io/view/gs/kubernetes-ci-logs/logs/ci-job/2053226169234362368/", "I0510")
	if got := a.QuoteAt["I0510"]; !slices.Equal(got, []int{1, 2, 4}) {
		t.Errorf("QuoteAt = %v, want [1 2 4]", got)
	}
}

func TestFetchObjectNamedDirectly(t *testing.T) {
	srv := newServer(t, map[string]string{"logs/ci-job/2053226169234362368/artifacts/junit.xml": "<testsuite>\n<failure>boom</failure>\n"})
	a := fetch(t, New(srv.Client()), "gs://kubernetes-ci-logs/logs/ci-job/2053226169234362368/artifacts/junit.xml", "boom")
	if !a.Found || !slices.Equal(a.QuoteAt["boom"], []int{2}) {
		t.Errorf("answer = %+v, want boom on line 2 of junit.xml", a)
	}
}

func TestFetchMissing(t *testing.T) {
	srv := newServer(t, map[string]string{"logs/ci-job/2053226169234362368/build-log.txt": buildLog})
	s := New(srv.Client(), WithTimeout(10*time.Second))
	for _, addr := range []string{
		"gs://kubernetes-ci-logs/logs/ci-job/2053226169234362369",
		"gs://no-such-bucket/logs/ci-job/2053226169234362368",
		"gs://kubernetes-ci-logs/pr-logs/directory/pull-job/2052555605717028864",
	} {
		a := fetch(t, s, addr, "FAIL")
		if a.Found || a.Observed.Exists {
			t.Errorf("%s: answer = %+v, want not found", addr, a)
		}
		st, msg, _ := verify.Judge(build(t, addr).Ref, claim.Claim{Quote: "FAIL"}, a)
		if st != evidence.Missing {
			t.Errorf("%s: Judge = %s %q, want missing", addr, st, msg)
		}
	}
}

func TestFetchFollowsPRLogsDirectoryPointer(t *testing.T) {
	const real = "pr-logs/pull/kubernetes-sigs_cloud-provider-azure/9001/pull-job/2052555605717028864"
	srv := newServer(t, map[string]string{
		"pr-logs/directory/pull-job/2052555605717028864.txt": "gs://kubernetes-ci-logs/" + real + "\n",
		real + "/build-log.txt":                              buildLog,
	})
	a := fetch(t, New(srv.Client()), "gs://kubernetes-ci-logs/pr-logs/directory/pull-job/2052555605717028864", "FAIL: TestFoo")
	if !a.Found || !slices.Equal(a.QuoteAt["FAIL: TestFoo"], []int{3}) {
		t.Fatalf("answer = %+v, want the quote on line 3 of the pointed-to log", a)
	}
	if want := "gs://kubernetes-ci-logs/" + real + "/build-log.txt"; a.Observed.Object != want {
		t.Errorf("Object = %q, want %q", a.Observed.Object, want)
	}
}

func TestFetchReadsThePointerFirst(t *testing.T) {
	const real = "pr-logs/pull/org_repo/1/pull-job/2052555605717028864"
	objects := map[string]string{
		"pr-logs/directory/pull-job/2052555605717028864.txt":           "gs://kubernetes-ci-logs/" + real,
		real + "/build-log.txt":                                        "pointed\n",
		real + "/finished.json":                                        `{"result":"SUCCESS"}`,
		"pr-logs/directory/pull-job/2052555605717028864/build-log.txt": "direct\n",
	}
	var initial []fakestorage.Object
	for name, content := range objects {
		initial = append(initial, fakeObject(name, content))
	}
	logs := &requestLog{}
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{Scheme: "http", Host: "127.0.0.1", InitialObjects: initial, Writer: logs})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	logs.take()
	a := fetch(t, New(srv.Client()), "gs://kubernetes-ci-logs/pr-logs/directory/pull-job/2052555605717028864", "pointed")
	if !a.Found || !slices.Equal(a.QuoteAt["pointed"], []int{1}) || a.Observed.Result != "success" {
		t.Errorf("answer = %+v, want the log the pointer names", a)
	}
	// The pointer, the log, finished.json: no request for the direct object, which Prow never writes.
	if n := logs.take(); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
	// Without a pointer, the direct object is read.
	direct := newServer(t, map[string]string{"pr-logs/directory/pull-job/2052555605717028864/build-log.txt": "direct\n"})
	if a := fetch(t, New(direct.Client()), "gs://kubernetes-ci-logs/pr-logs/directory/pull-job/2052555605717028864", "direct"); !a.Found {
		t.Errorf("answer = %+v, want the direct log", a)
	}
}

// requestLog counts the lines fake-gcs-server logs: one per request it handles.
type requestLog struct {
	mu sync.Mutex
	n  int
}

func (l *requestLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n += bytes.Count(p, []byte("\n"))
	return len(p), nil
}

func (l *requestLog) take() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.n
	l.n = 0
	return n
}

// TestFailingStorageIsGivenUp: a bucket that keeps failing costs a few quick retries per
// build, then no request at all for the rest of the run.
func TestFailingStorageIsGivenUp(t *testing.T) {
	var mu sync.Mutex
	requests := 0
	unavailable := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests++
		mu.Unlock()
		http.Error(w, "try again", http.StatusServiceUnavailable)
	}))
	defer unavailable.Close()
	t.Setenv("STORAGE_EMULATOR_HOST", strings.TrimPrefix(unavailable.URL, "http://"))
	client, err := NewClient(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	s := New(client, WithBackoff(time.Millisecond, 2*time.Millisecond))
	for i := range 5 {
		tg := build(t, "gs://kubernetes-ci-logs/logs/ci-job/205322616923436236"+strconv.Itoa(i))
		tg.Quotes = []string{"FAIL"}
		_, err := s.Fetch(context.Background(), tg)
		if err == nil {
			t.Fatalf("build %d: no error from a failing bucket", i)
		}
		if gaveUp := strings.Contains(err.Error(), "not asking it again"); gaveUp != (i >= maxFailures) {
			t.Errorf("build %d: err = %v", i, err)
		}
	}
	if requests != maxFailures*maxAttempts {
		t.Errorf("%d requests, want %d: %d builds tried %d times each, then none", requests, maxFailures*maxAttempts, maxFailures, maxAttempts)
	}
}

func TestFetchBadPointerIsAnError(t *testing.T) {
	srv := newServer(t, map[string]string{"pr-logs/directory/pull-job/2052555605717028864.txt": "<html>oops</html>"})
	_, err := New(srv.Client()).Fetch(context.Background(), build(t, "gs://kubernetes-ci-logs/pr-logs/directory/pull-job/2052555605717028864"))
	if err == nil || !strings.Contains(err.Error(), "want the gs:// path of a build directory") {
		t.Errorf("err = %v, want a complaint about the pointer", err)
	}
}

func TestFetchOtherKindsCannotAnswer(t *testing.T) {
	s := New(nil)
	for _, c := range []string{"kubernetes/kubernetes#1", "kubernetes/kubernetes@abcdef0", "kubernetes/kubernetes:go.mod:1"} {
		ref, err := citation.Parse(c)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Fetch(context.Background(), verify.Target{Ref: ref}); !errors.Is(err, verify.ErrCannotAnswer) {
			t.Errorf("%s: err = %v, want ErrCannotAnswer", c, err)
		}
	}
}

func TestFetchQuoteOnLastLineOfLargeLog(t *testing.T) {
	const lines = 200_000 // ~16 MB
	content, err := io.ReadAll(io.MultiReader(&logGen{lines: lines - 1}, strings.NewReader("E0510 the needle at the end\n")))
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, map[string]string{"logs/ci-big/2053226169234362368/build-log.txt": string(content)})
	a := fetch(t, New(srv.Client()), "gs://kubernetes-ci-logs/logs/ci-big/2053226169234362368", "the needle at the end")
	if got := a.QuoteAt["the needle at the end"]; !slices.Equal(got, []int{lines}) {
		t.Errorf("QuoteAt = %v, want [%d]", got, lines)
	}
}

// useEmulator points the default, anonymous client at srv the way a user would.
func useEmulator(t *testing.T, srv *fakestorage.Server) *storage.Client {
	t.Helper()
	t.Setenv("STORAGE_EMULATOR_HOST", strings.TrimPrefix(srv.URL(), "http://"))
	client, err := NewClient(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return client
}

func TestFetchThroughEmulatorHost(t *testing.T) {
	srv := newServer(t, map[string]string{"logs/ci-job/2053226169234362368/build-log.txt": buildLog})
	client := useEmulator(t, srv)
	a := fetch(t, New(client), "gs://kubernetes-ci-logs/logs/ci-job/2053226169234362368", "FAIL: TestFoo")
	if !a.Found || !slices.Equal(a.QuoteAt["FAIL: TestFoo"], []int{3}) {
		t.Errorf("answer = %+v, want the quote on line 3", a)
	}
	if a = fetch(t, New(client), "gs://kubernetes-ci-logs/logs/ci-job/1111111111", "x"); a.Found {
		t.Errorf("missing build: answer = %+v, want not found", a)
	}
}

// Prow uploads some logs gzip-encoded; GCS (and the client) serve them decompressed.
func TestFetchGzipEncodedLog(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(buildLog))
	zw.Close()
	obj := fakeObject("logs/ci-job/2053226169234362368/build-log.txt", buf.String())
	obj.ContentType, obj.ContentEncoding = "text/plain", "gzip"
	srv := newServer(t, nil)
	srv.CreateObject(obj)
	a := fetch(t, New(useEmulator(t, srv)), "gs://kubernetes-ci-logs/logs/ci-job/2053226169234362368", "FAIL: TestFoo")
	if !a.Found || !slices.Equal(a.QuoteAt["FAIL: TestFoo"], []int{3}) {
		t.Errorf("answer = %+v, want the quote on line 3 of the decompressed log", a)
	}
}

// The client retries a failing read until its context ends: only the deadline stops it.
func TestFetchDeadline(t *testing.T) {
	stall := make(chan struct{})
	unavailable := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // a storage that never answers
		case <-stall:
		case <-r.Context().Done():
		}
	}))
	defer close(stall)
	defer unavailable.Close()
	t.Setenv("STORAGE_EMULATOR_HOST", strings.TrimPrefix(unavailable.URL, "http://"))
	client, err := NewClient(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	s := New(client, WithTimeout(300*time.Millisecond))
	for _, quotes := range [][]string{nil, {"FAIL"}} {
		tg := build(t, "gs://kubernetes-ci-logs/logs/ci-job/2053226169234362368")
		tg.Quotes = quotes
		if _, err := s.Fetch(context.Background(), tg); err == nil || !strings.Contains(err.Error(), "no answer within 300ms") {
			t.Errorf("quotes %q: err = %v, want no answer within the deadline", quotes, err)
		}
	}
}
