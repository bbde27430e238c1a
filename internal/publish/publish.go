// Package publish writes a built site into a directory atomically: all pages or none.
package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
)

// Staging is a site being written beside its destination; Commit swaps it in.
// Staging is safe for concurrent WritePage calls.
type Staging struct {
	dest, tmp string
	pages     atomic.Int64
	dirs      sync.Map // directories already made
}

// Begin starts writing a site that will replace dest.
func Begin(dest string) (*Staging, error) {
	dest = filepath.Clean(dest)
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dest)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	return &Staging{dest: dest, tmp: tmp}, nil
}

// WritePage writes one file under the staging directory. The path is the page's path in the site.
func (s *Staging) WritePage(path string, data []byte) error {
	clean := filepath.Clean(filepath.FromSlash(path))
	if filepath.IsAbs(clean) || clean == "." || strings.HasPrefix(clean, "..") {
		return fmt.Errorf("publish: page path %q leaves the site", path)
	}
	full := filepath.Join(s.tmp, clean)
	if dir := filepath.Dir(full); !s.made(dir) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		s.dirs.Store(dir, true)
	}
	if err := os.WriteFile(full, data, 0o644); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	s.pages.Add(1)
	return nil
}

func (s *Staging) made(dir string) bool {
	_, ok := s.dirs.Load(dir)
	return ok
}

// Pages is how many files were written.
func (s *Staging) Pages() int { return int(s.pages.Load()) }

// Commit replaces dest with the staged site. The previous site is removed only once the new one is in place.
func (s *Staging) Commit() error {
	old := ""
	if _, err := os.Stat(s.dest); err == nil {
		o, err := os.MkdirTemp(filepath.Dir(s.dest), "."+filepath.Base(s.dest)+".old-")
		if err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		old = filepath.Join(o, "site")
		if err := os.Rename(s.dest, old); err != nil {
			os.Remove(o)
			return fmt.Errorf("publish: move previous site aside: %w", err)
		}
		defer os.RemoveAll(o)
	}
	if err := os.Rename(s.tmp, s.dest); err != nil {
		if old != "" {
			_ = os.Rename(old, s.dest) // put the previous site back
		}
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}

// Abort discards the staged site; dest is untouched.
func (s *Staging) Abort() { _ = os.RemoveAll(s.tmp) }
