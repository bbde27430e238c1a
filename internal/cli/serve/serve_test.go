package serve_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/serve"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

func TestServeFlags(t *testing.T) {
	io, _, _ := iostreams.Test()
	var got *serve.Options
	cmd := serve.NewCmdServe(io, "v", func(_ context.Context, o *serve.Options) error { got = o; return nil })
	cmd.SetArgs([]string{"--content", "c", "--addr", "127.0.0.1:0"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.ContentDir != "c" || got.Addr != "127.0.0.1:0" || got.TemplatesDir != "templates" || got.AssetsDir != "assets" || got.Version != "v" {
		t.Errorf("options %+v", got)
	}
}

// lockedBuffer is written by the server's goroutines while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestServeRunsUntilCancelled(t *testing.T) {
	data, err := os.ReadFile("../../content/testdata/minimal.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := txtarfs.Write(dir, txtarfs.FS(string(data))); err != nil {
		t.Fatal(err)
	}
	out := &lockedBuffer{}
	opts := &serve.Options{IO: &iostreams.IO{In: &bytes.Buffer{}, Out: out, ErrOut: out}, ContentDir: dir, Addr: "127.0.0.1:0"}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve.Run(ctx, opts) }()
	url := waitFor(t, out, regexp.MustCompile(`serving (http://127\.0\.0\.1:\d+/)`))
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "__triagesite/events") {
		t.Errorf("GET %s: %d", url, resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func waitFor(t *testing.T, out *lockedBuffer, re *regexp.Regexp) string {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("no %s in output:\n%s", re, out)
	return ""
}
