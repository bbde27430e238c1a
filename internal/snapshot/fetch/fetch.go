// Package fetch reads the bytes of a dashboard snapshot from a file, an https URL or a gs://bucket/object.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"cloud.google.com/go/storage"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	"github.com/triagesite/triagesite/internal/snapshot"
)

// DefaultTimeout bounds one fetch when the Fetcher sets none.
const DefaultTimeout = time.Minute

var (
	// ErrNotFound: the file, URL or object does not exist.
	ErrNotFound = errors.New("not found")
	// ErrDenied: the source refused an anonymous read.
	ErrDenied = errors.New("anonymous read denied")
	// ErrUnsupported: the source is neither a file, an https URL nor a gs:// object.
	ErrUnsupported = errors.New("unsupported source")
	// ErrTimeout: the source did not answer within the Fetcher's timeout.
	ErrTimeout = errors.New("no answer")
)

// DefaultSource is where the dashboard publishes the latest file of a dataset.
func DefaultSource(ds snapshot.Dataset) string {
	return "gs://k8s-metrics/" + string(ds) + "-latest.json"
}

// Fetcher reads snapshots. The zero value is ready to use.
type Fetcher struct {
	// HTTP fetches https sources; nil means http.DefaultClient.
	HTTP *http.Client
	// NewStorage opens the client for gs:// sources; nil means AnonymousStorage.
	NewStorage func(context.Context) (*storage.Client, error)
	// Timeout bounds each fetch; zero means DefaultTimeout.
	Timeout time.Duration
}

// AnonymousStorage opens a storage client without credentials: the dashboard
// buckets are public, and a missing login should not stop a fetch. The client
// honours STORAGE_EMULATOR_HOST by itself.
func AnonymousStorage(ctx context.Context) (*storage.Client, error) {
	// JSON reads go through the same /storage/v1 endpoint as every other call,
	// so an emulator needs no separate public host for downloads.
	return storage.NewClient(ctx, option.WithoutAuthentication(), storage.WithJSONReads())
}

// Object is what a fetch read: the bytes exactly as stored and, for a gs:// object, the
// object's own update time and generation (zero for files and https URLs).
type Object struct {
	Data       []byte
	Updated    time.Time
	Generation int64
}

// Fetch returns the bytes of src exactly as stored.
func (f *Fetcher) Fetch(ctx context.Context, src string) ([]byte, error) {
	o, err := f.FetchObject(ctx, src)
	return o.Data, err
}

// FetchObject returns the bytes of src and what the store says of the object.
func (f *Fetcher) FetchObject(ctx context.Context, src string) (Object, error) {
	switch {
	case strings.HasPrefix(src, "gs://"):
		return f.fetchGCS(ctx, src)
	case strings.HasPrefix(src, "https://"):
		data, err := f.fetchHTTPS(ctx, src)
		return Object{Data: data}, err
	case strings.Contains(src, "://"):
		return Object{}, fmt.Errorf("%s: %w: want a file path, an https:// URL or gs://bucket/object", src, ErrUnsupported)
	}
	data, err := fetchFile(src)
	return Object{Data: data}, err
}

func fetchFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: file %w", path, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := readAll(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}

func (f *Fetcher) fetchHTTPS(ctx context.Context, src string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, f.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	hc := f.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, f.callError(ctx, src, err)
	}
	defer resp.Body.Close()
	if err := statusError(src, resp); err != nil {
		return nil, err
	}
	data, err := readAll(resp.Body)
	if err != nil {
		return nil, f.callError(ctx, src, err)
	}
	return data, nil
}

func statusError(src string, resp *http.Response) error {
	switch {
	case resp.StatusCode == http.StatusOK:
		return nil
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return fmt.Errorf("%s: %w (HTTP %s)", src, ErrNotFound, resp.Status)
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return fmt.Errorf("%s: %w (HTTP %s)", src, ErrDenied, resp.Status)
	}
	return fmt.Errorf("%s: HTTP %s", src, resp.Status)
}

func (f *Fetcher) fetchGCS(ctx context.Context, src string) (Object, error) {
	bucket, object, ok := strings.Cut(strings.TrimPrefix(src, "gs://"), "/")
	if !ok || bucket == "" || object == "" {
		return Object{}, fmt.Errorf("%s: %w: want gs://bucket/object", src, ErrUnsupported)
	}
	// The storage client retries idempotent reads until its context ends, so the
	// deadline is what stops a fetch from hanging on a flaky network.
	ctx, cancel := context.WithTimeout(ctx, f.timeout())
	defer cancel()
	newStorage := f.NewStorage
	if newStorage == nil {
		newStorage = AnonymousStorage
	}
	client, err := newStorage(ctx)
	if err != nil {
		return Object{}, fmt.Errorf("%s: storage client: %w", src, err)
	}
	defer client.Close()
	r, err := client.Bucket(bucket).Object(object).NewReader(ctx)
	if err != nil {
		return Object{}, f.gcsError(ctx, src, err)
	}
	defer r.Close()
	data, err := readAll(r)
	if err != nil {
		return Object{}, f.callError(ctx, src, err)
	}
	// The reader's attributes come with the object's bytes, so they describe this very
	// generation: a second metadata call could see a newer one.
	return Object{Data: data, Updated: r.Attrs.LastModified.UTC(), Generation: r.Attrs.Generation}, nil
}

func (f *Fetcher) gcsError(ctx context.Context, src string, err error) error {
	var gerr *googleapi.Error
	switch {
	case errors.Is(err, storage.ErrObjectNotExist) || errors.Is(err, storage.ErrBucketNotExist):
		return fmt.Errorf("%s: object %w", src, ErrNotFound)
	case errors.As(err, &gerr) && (gerr.Code == http.StatusUnauthorized || gerr.Code == http.StatusForbidden):
		return fmt.Errorf("%s: %w", src, ErrDenied)
	}
	return f.callError(ctx, src, err)
}

// callError names a timeout as one, since the underlying error only says "context deadline exceeded".
func (f *Fetcher) callError(ctx context.Context, src string, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w within %s", src, ErrTimeout, f.timeout())
	}
	// A *url.Error repeats the method and URL the message already starts with.
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	return fmt.Errorf("%s: %w", src, err)
}

func readAll(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, snapshot.MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > snapshot.MaxSize {
		return nil, fmt.Errorf("larger than %d MiB, the limit for a snapshot, so not a dashboard snapshot", snapshot.MaxSize>>20)
	}
	return data, nil
}

func (f *Fetcher) timeout() time.Duration {
	if f.Timeout > 0 {
		return f.Timeout
	}
	return DefaultTimeout
}
