// Package preview serves the site from memory while content is edited, rebuilding and live-reloading on change.
package preview

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/site"
)

// EventsPath is the Server-Sent Events endpoint the injected script listens on.
const EventsPath = "/__triagesite/events"

// Options configure a preview server.
type Options struct {
	ContentDir   string
	TemplatesDir string // watched only to say that a change needs a restart
	AssetsDir    string // served from disk over the embedded copies, so stylesheet edits show at once
	Version      string
	Interval     time.Duration // how often the watched trees are polled, at most; 0 means 100ms
	Log          io.Writer
}

// Server holds the last good build and the problems of the latest one.
type Server struct {
	opts     Options
	instance string // changes on restart, so open pages reload onto the new binary
	hub      *hub

	mu       sync.RWMutex
	pages    map[string][]byte // nil until a build succeeds
	problems []string          // of the latest build; empty when it succeeded
	tree     *content.Tree     // of the last good build, for fast renders
	prepared *site.Prepared    // likewise
	gen      uint64            // counts content changes: a build begun before the latest one is stale
	fast     bool              // pages holds fast renders newer than the last full build
	cancel   context.CancelFunc

	want chan struct{} // a full build is due; see fullBuilds
}

// New returns a server; Serve starts it.
func New(opts Options) *Server {
	if opts.Interval == 0 {
		opts.Interval = 100 * time.Millisecond
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return &Server{opts: opts, instance: hex.EncodeToString(b), hub: newHub(), want: make(chan struct{}, 1)}
}

// Serve builds the site, then serves it on ln and rebuilds on change until ctx ends.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	// Scan before the first build, so an edit made while it runs is still seen as a change.
	seen := s.scan()
	_ = s.Rebuild(ctx) // a failed first build is shown in the overlay; fixing the content reloads
	var workers sync.WaitGroup
	defer workers.Wait() // a full build that is loading finishes its load before Serve returns
	workers.Go(func() { s.fullBuilds(ctx) })
	go s.watch(ctx, seen)
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		// Request contexts end with ctx, so open event streams close and Shutdown does not wait on them.
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	go func() {
		<-ctx.Done()
		stop, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(stop)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Rebuild loads the content and renders the site into memory. On failure the last good site
// stays and the problems are kept for the overlay; either way open pages are told.
func (s *Server) Rebuild(ctx context.Context) error {
	s.mu.RLock()
	gen := s.gen
	s.mu.RUnlock()
	return s.rebuild(ctx, gen)
}

// rebuild is Rebuild for the content as of change gen. A build that a later change made
// stale is dropped: the build queued after that change replaces it.
func (s *Server) rebuild(ctx context.Context, gen uint64) error {
	start := time.Now()
	b, err := s.build(ctx)
	s.mu.Lock()
	if s.gen != gen || ctx.Err() != nil {
		s.mu.Unlock()
		return ctx.Err()
	}
	old, fast := s.pages, s.fast
	if err == nil {
		s.pages, s.problems, s.tree, s.prepared, s.fast = b.pages.m, nil, b.tree, b.prepared, false
	} else {
		s.problems = problemsOf(err)
	}
	s.mu.Unlock()
	if err != nil {
		fmt.Fprintf(s.opts.Log, "build failed; still serving the last good site:\n%s\n", err)
		s.hub.send(event{name: "build-failed", data: err.Error()})
		return err
	}
	fmt.Fprintf(s.opts.Log, "built %d pages in %s\n", len(b.pages.m), time.Since(start).Round(time.Millisecond))
	if fast {
		// Open pages reloaded after the fast render: only those the full build changed again do.
		s.hub.send(changedEvent(old, b.pages.m))
		return nil
	}
	s.hub.send(event{name: "build", data: start.Format(time.RFC3339Nano)})
	return nil
}

// built is a successful build: its pages, and what a fast render needs of it.
type built struct {
	pages    *memPages
	tree     *content.Tree
	prepared *site.Prepared
}

// build loads from disk itself, not through the commands' cmdutil.Loader: the tree must be
// the watched directory (fast renders read single pattern files beside it), and its errors
// go unwrapped to the overlay, one path:line:col a line.
func (s *Server) build(ctx context.Context) (built, error) {
	tree, err := content.Load(os.DirFS(s.opts.ContentDir), s.opts.ContentDir, content.RenderOnly())
	if err != nil {
		return built{}, err
	}
	lock, err := evidence.Read(filepath.Join(s.opts.ContentDir, evidence.FileName))
	if err != nil {
		return built{}, err
	}
	pages := &memPages{m: map[string][]byte{}}
	so := site.Options{Version: s.opts.Version, Evidence: site.LockEvidence{Lock: lock}}
	prepared, err := site.BuildPrepared(ctx, tree, so, pages)
	if err != nil {
		return built{}, fmt.Errorf("build: %w", err)
	}
	return built{pages, tree, prepared}, nil
}

// problemsOf lists a build's errors one a line; content errors carry path:line:col.
func problemsOf(err error) []string {
	var errs content.Errors
	if errors.As(err, &errs) {
		out := make([]string, len(errs))
		for i, e := range errs {
			out[i] = e.Error()
		}
		return out
	}
	return []string{err.Error()}
}

// memPages is a site.PageWriter that keeps pages in memory.
type memPages struct {
	mu sync.Mutex
	m  map[string][]byte
}

// WritePage implements site.PageWriter; the build calls it from many goroutines and reuses
// its render buffers, so the bytes are copied.
func (p *memPages) WritePage(path string, data []byte) error {
	data = bytes.Clone(data)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.m[path] = data
	return nil
}
