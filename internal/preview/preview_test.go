package preview_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/triagesite/triagesite/internal/preview"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// fixture writes the loader's minimal tree as content/, beside empty templates/ and assets/.
func fixture(t *testing.T) (root string) {
	t.Helper()
	data, err := os.ReadFile("../content/testdata/minimal.txtar")
	if err != nil {
		t.Fatal(err)
	}
	root = t.TempDir()
	for name, f := range txtarfs.FS(string(data)) {
		write(t, filepath.Join(root, "content", name), string(f.Data))
	}
	for _, d := range []string{"templates", "assets"} {
		if err := os.Mkdir(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func write(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// logBuffer is the server's log, written from its watch goroutine while the test reads it.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// start serves root's trees on a loopback port and returns the base URL.
func start(t *testing.T, root string) (string, *logBuffer) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	log := &logBuffer{}
	srv := preview.New(preview.Options{
		ContentDir:   filepath.Join(root, "content"),
		TemplatesDir: filepath.Join(root, "templates"),
		AssetsDir:    filepath.Join(root, "assets"),
		Interval:     50 * time.Millisecond,
		Log:          log,
		Version:      "test",
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String(), log
}

type sse struct{ name, data string }

// subscribe opens the event stream and returns its events; it returns once hello has
// arrived, so the server is watching and the next build will be delivered.
func subscribe(t *testing.T, base string) <-chan sse {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", base+preview.EventsPath, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events Content-Type %q", ct)
	}
	events := make(chan sse, 16)
	go readEvents(resp.Body, events)
	if e := next(t, events); e.name != "hello" {
		t.Fatalf("first event %+v, want hello", e)
	}
	return events
}

func readEvents(body io.ReadCloser, out chan<- sse) {
	defer body.Close()
	sc := bufio.NewScanner(body)
	var e sse
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			out <- e
			e = sse{}
		case strings.HasPrefix(line, "event: "):
			e.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			if e.data != "" {
				e.data += "\n"
			}
			e.data += strings.TrimPrefix(line, "data: ")
		}
	}
}

func next(t *testing.T, events <-chan sse) sse {
	t.Helper()
	select {
	case e := <-events:
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
	}
	return sse{}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// editTitle rewrites the fixture pattern's title; the new length changes the file's size,
// so the edit is seen even where modification times are coarse.
func editTitle(t *testing.T, root, title string) {
	t.Helper()
	p := filepath.Join(root, "content/patterns/node-flake.yaml")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(data), "title: Node e2e times out\n", "title: "+title+"\n", 1)
	if s == string(data) {
		t.Fatal("fixture title not found")
	}
	write(t, p, s)
}

func TestServeReloadsAfterContentEdit(t *testing.T) {
	root := fixture(t)
	base, _ := start(t, root)
	page := base + "/patterns/node-flake.html"
	if code, body := get(t, page); code != 200 || !strings.Contains(body, "Node e2e times out") || !strings.Contains(body, preview.EventsPath) {
		t.Fatalf("GET %s: %d, title or reload script missing", page, code)
	}
	events := subscribe(t, base)
	editTitle(t, root, "Node e2e waits ten seconds too few")
	if e := next(t, events); e.name != "build" {
		t.Fatalf("after the edit: event %+v, want build", e)
	}
	if _, body := get(t, page); !strings.Contains(body, "Node e2e waits ten seconds too few") {
		t.Errorf("page does not show the new title")
	}
}

func TestServeKeepsLastGoodSiteOnBrokenEdit(t *testing.T) {
	root := fixture(t)
	base, log := start(t, root)
	page := base + "/patterns/node-flake.html"
	events := subscribe(t, base)
	p := filepath.Join(root, "content/patterns/node-flake.yaml")
	good, _ := os.ReadFile(p)
	write(t, p, string(good)+"bogus: 1\n")
	e := next(t, events)
	wantPos := filepath.Join(root, "content/patterns/node-flake.yaml") + ":"
	if e.name != "build-failed" || !strings.Contains(e.data, wantPos) || !strings.Contains(e.data, `unknown key "bogus"`) {
		t.Fatalf("after the broken edit: event %+v, want build-failed naming %s…", e, wantPos)
	}
	code, body := get(t, page)
	if code != 200 || !strings.Contains(body, "Node e2e times out") {
		t.Errorf("the last good page is not served: %d", code)
	}
	if !strings.Contains(body, "triagesite-build-errors") || !strings.Contains(body, wantPos) {
		t.Errorf("the page does not show the problem at its position:\n%s", body)
	}
	if !strings.Contains(log.String(), "still serving the last good site") {
		t.Errorf("log:\n%s", log)
	}
	write(t, p, string(good))
	if e := next(t, events); e.name != "build" {
		t.Fatalf("after the fix: event %+v, want build", e)
	}
	if _, body := get(t, page); strings.Contains(body, "triagesite-build-errors") {
		t.Error("the overlay stays after the fix")
	}
}

func TestServeFirstBuildFails(t *testing.T) {
	root := fixture(t)
	write(t, filepath.Join(root, "content/repos.yaml"), "repos: [\n")
	base, _ := start(t, root)
	code, body := get(t, base+"/")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "repos.yaml:") || !strings.Contains(body, preview.EventsPath) {
		t.Errorf("GET / with no good build: %d\n%s", code, body)
	}
}

func TestServeTemplateChangeAsksForRestart(t *testing.T) {
	root := fixture(t)
	base, log := start(t, root)
	events := subscribe(t, base)
	write(t, filepath.Join(root, "templates/layout.templ"), "package templates\n")
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(log.String(), "restart serve") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(log.String(), "templates/layout.templ changed: templates are compiled into the binary") {
		t.Fatalf("log does not say a restart is needed:\n%s", log)
	}
	select {
	case e := <-events:
		t.Errorf("a template change sent %+v; the running binary cannot show it", e)
	case <-time.After(200 * time.Millisecond):
	}
}

func TestServeAssetsFromDisk(t *testing.T) {
	root := fixture(t)
	base, _ := start(t, root)
	events := subscribe(t, base)
	write(t, filepath.Join(root, "assets/site.css"), "body{color:rebeccapurple}\n")
	if e := next(t, events); e.name != "build" {
		t.Fatalf("after a stylesheet edit: %+v", e)
	}
	if _, body := get(t, base+"/assets/site.css"); !strings.Contains(body, "rebeccapurple") {
		t.Errorf("stylesheet not served from disk: %q", body)
	}
}

func TestServeNotFound(t *testing.T) {
	base, _ := start(t, fixture(t))
	if code, body := get(t, base+"/patterns/nope.html"); code != 404 || !strings.Contains(body, "Page not found") {
		t.Errorf("missing page: %d", code)
	}
	if code, _ := get(t, base+"/patterns/"); code != 200 {
		t.Errorf("directory index: %d", code)
	}
}

func TestServeIgnoresEditorScratchFiles(t *testing.T) {
	root := fixture(t)
	base, _ := start(t, root)
	events := subscribe(t, base)
	write(t, filepath.Join(root, "content/patterns/.node-flake.yaml.swp"), "x")
	write(t, filepath.Join(root, "content/patterns/node-flake.yaml~"), "x")
	select {
	case e := <-events:
		t.Errorf("a swap file sent %+v", e)
	case <-time.After(300 * time.Millisecond):
	}
}

// An edited pattern's page is served before the full build that follows it; that build then
// names the pages it changed, so only those reload.
func TestServeRendersAnEditedPatternFirst(t *testing.T) {
	root := fixture(t)
	base, log := start(t, root)
	events := subscribe(t, base)
	editTitle(t, root, "Node e2e waits ten seconds too few")
	if e := next(t, events); e.name != "build" || e.data != "fast" {
		t.Fatalf("after the edit: event %+v, want the fast render's build", e)
	}
	if _, body := get(t, base+"/patterns/node-flake.html"); !strings.Contains(body, "Node e2e waits ten seconds too few") {
		t.Errorf("the fast render is not served")
	}
	if !strings.Contains(log.String(), "rendered patterns/node-flake.html in") {
		t.Errorf("log:\n%s", log)
	}
	e := next(t, events)
	if e.name != "changed" || !strings.Contains(e.data, "patterns/index.html") {
		t.Fatalf("after the full build: event %+v, want changed naming patterns/index.html", e)
	}
	if _, body := get(t, base+"/patterns/"); !strings.Contains(body, "Node e2e waits ten seconds too few") {
		t.Errorf("the full build's pattern index is not served")
	}
}
