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
	Interval     time.Duration // how often the watched trees are polled; 0 means 300ms
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
}

// New returns a server; Serve starts it.
func New(opts Options) *Server {
	if opts.Interval == 0 {
		opts.Interval = 300 * time.Millisecond
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return &Server{opts: opts, instance: hex.EncodeToString(b), hub: newHub()}
}

// Serve builds the site, then serves it on ln and rebuilds on change until ctx ends.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	// Scan before the first build, so an edit made while it runs is still seen as a change.
	seen := s.scan()
	_ = s.Rebuild(ctx) // a failed first build is shown in the overlay; fixing the content reloads
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
	start := time.Now()
	pages, err := s.build(ctx)
	s.mu.Lock()
	if err == nil {
		s.pages, s.problems = pages.m, nil
	} else {
		s.problems = problemsOf(err)
	}
	s.mu.Unlock()
	if err != nil {
		fmt.Fprintf(s.opts.Log, "build failed; still serving the last good site:\n%s\n", err)
		s.hub.send(event{name: "build-failed", data: err.Error()})
		return err
	}
	fmt.Fprintf(s.opts.Log, "built %d pages in %s\n", len(pages.m), time.Since(start).Round(time.Millisecond))
	s.hub.send(event{name: "build", data: start.Format(time.RFC3339Nano)})
	return nil
}

func (s *Server) build(ctx context.Context) (*memPages, error) {
	tree, err := content.Load(os.DirFS(s.opts.ContentDir), s.opts.ContentDir)
	if err != nil {
		return nil, err
	}
	lock, err := evidence.Read(filepath.Join(s.opts.ContentDir, evidence.FileName))
	if err != nil {
		return nil, err
	}
	pages := &memPages{m: map[string][]byte{}}
	so := site.Options{Version: s.opts.Version, Evidence: site.LockEvidence{Lock: lock}}
	if err := site.Build(ctx, tree, so, pages); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	return pages, nil
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
