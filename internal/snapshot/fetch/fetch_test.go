package fetch

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/storage"
	"github.com/fsouza/fake-gcs-server/fakestorage"
)

const doc = `{"ci-a": {"failing_days": 3}}`

// newGCS serves one public object from an in-process fake GCS over plain HTTP.
func newGCS(t *testing.T, bucket, object string, content []byte) *fakestorage.Server {
	t.Helper()
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{
		Scheme: "http",
		Host:   "127.0.0.1",
		InitialObjects: []fakestorage.Object{{
			ObjectAttrs: fakestorage.ObjectAttrs{
				BucketName: bucket,
				Name:       object,
				ACL:        []storage.ACLRule{{Entity: storage.AllUsers, Role: storage.RoleReader}},
			},
			Content: content,
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return srv
}

// useEmulator points the default, anonymous client at srv the way a user would.
func useEmulator(t *testing.T, srv *fakestorage.Server) {
	t.Setenv("STORAGE_EMULATOR_HOST", strings.TrimPrefix(srv.URL(), "http://"))
}

func TestFetchGCSThroughEmulatorHost(t *testing.T) {
	useEmulator(t, newGCS(t, "k8s-metrics", "failures-latest.json", []byte(doc)))
	got, err := (&Fetcher{}).Fetch(context.Background(), "gs://k8s-metrics/failures-latest.json")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != doc {
		t.Errorf("got %q, want %q", got, doc)
	}
}

func TestFetchGCSWithInjectedClient(t *testing.T) {
	srv := newGCS(t, "b", "dir/o.json", []byte(doc))
	f := &Fetcher{NewStorage: func(context.Context) (*storage.Client, error) { return srv.Client(), nil }}
	got, err := f.Fetch(context.Background(), "gs://b/dir/o.json")
	if err != nil || string(got) != doc {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestFetchGCSNotFound(t *testing.T) {
	useEmulator(t, newGCS(t, "k8s-metrics", "failures-latest.json", []byte(doc)))
	for _, src := range []string{"gs://k8s-metrics/nope.json", "gs://no-such-bucket/x.json"} {
		_, err := (&Fetcher{Timeout: 10 * time.Second}).Fetch(context.Background(), src)
		if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), src+": object not found") {
			t.Errorf("%s: err = %v, want %q and ErrNotFound", src, err, src+": object not found")
		}
	}
}

func TestFetchGCSBadSource(t *testing.T) {
	for _, src := range []string{"gs://", "gs://bucket", "gs://bucket/", "gs:///object"} {
		if _, err := (&Fetcher{}).Fetch(context.Background(), src); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: err = %v, want ErrUnsupported", src, err)
		}
	}
}

func TestFetchHTTPS(t *testing.T) {
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/flakes-latest.json" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(doc))
	}))
	defer ts.Close()
	f := &Fetcher{HTTP: ts.Client()}
	got, err := f.Fetch(context.Background(), ts.URL+"/flakes-latest.json")
	if err != nil || string(got) != doc {
		t.Fatalf("got %q, %v", got, err)
	}
	_, err = f.Fetch(context.Background(), ts.URL+"/gone.json")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "404") {
		t.Errorf("404: err = %v, want ErrNotFound naming the status", err)
	}
}

func TestFetchHTTPSStatusErrors(t *testing.T) {
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code := map[string]int{"/denied": 403, "/broken": 500}[r.URL.Path]
		http.Error(w, "no", code)
	}))
	defer ts.Close()
	f := &Fetcher{HTTP: ts.Client()}
	if _, err := f.Fetch(context.Background(), ts.URL+"/denied"); !errors.Is(err, ErrDenied) {
		t.Errorf("403: err = %v, want ErrDenied", err)
	}
	_, err := f.Fetch(context.Background(), ts.URL+"/broken")
	if err == nil || !strings.Contains(err.Error(), "500") {
		t.Errorf("500: err = %v, want the status named", err)
	}
}

func TestFetchHTTPSTimesOut(t *testing.T) {
	release := make(chan struct{})
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer ts.Close()
	defer close(release)
	f := &Fetcher{HTTP: ts.Client(), Timeout: 50 * time.Millisecond}
	_, err := f.Fetch(context.Background(), ts.URL+"/slow")
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "50ms") {
		t.Errorf("err = %v, want ErrTimeout naming the deadline", err)
	}
}

func TestFetchFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "failures.json")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := (&Fetcher{}).Fetch(context.Background(), path)
	if err != nil || !bytes.Equal(got, []byte(doc)) {
		t.Fatalf("got %q, %v", got, err)
	}
	if _, err := (&Fetcher{}).Fetch(context.Background(), path+".missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing file: err = %v, want ErrNotFound", err)
	}
}

func TestFetchRefusesOtherSchemes(t *testing.T) {
	for _, src := range []string{"http://example.com/x.json", "s3://bucket/x.json"} {
		if _, err := (&Fetcher{}).Fetch(context.Background(), src); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: err = %v, want ErrUnsupported", src, err)
		}
	}
}
