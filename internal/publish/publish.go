// Package publish writes a built site into a directory atomically: all pages or none.
package publish

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
)

// StampName is the file that marks a directory as triagesite's output. Begin replaces only
// a directory that holds it, or an empty one, unless forced.
const StampName = ".triagesite-output"

// stamp is the stamp file's content: constant, so that two builds stay byte-identical.
const stamp = "This directory was written by triagesite build; the next build replaces all of it.\n"

// Options say what Begin may replace.
type Options struct {
	// Force replaces dest even when it is a file, or a directory that holds files and no
	// stamp. It never lets dest be, or hold, a kept directory.
	Force bool
	// Keep lists directories that must survive the build, such as the content directory.
	// The working directory and the home directory are always kept.
	Keep []Kept
	// Log is told of leftovers of earlier runs that are not ours and so are left alone.
	Log io.Writer
}

// Kept is a directory that dest may neither be nor hold, with what it is, for the error.
type Kept struct{ Dir, What string }

// Staging is a site being written beside its destination; Commit swaps it in.
// Staging is safe for concurrent WritePage calls.
type Staging struct {
	dest, tmp string
	force     bool
	unlock    func()
	pages     atomic.Int64
	dirs      sync.Map // directories already made
	written   sync.Map // page paths already written
}

// Begin starts writing a site that will replace dest. It refuses a dest that is not safe to
// replace, and removes what earlier runs that were killed left beside it.
func Begin(dest string, opts Options) (*Staging, error) {
	dest, err := filepath.Abs(dest)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if err := refuseKept(dest, opts.Keep); err != nil {
		return nil, err
	}
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	unlock, err := lock(filepath.Join(parent, "."+filepath.Base(dest)+".lock"))
	if err != nil {
		return nil, fmt.Errorf("publish: %s: %w", dest, err)
	}
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	if err := cleanUp(dest, log); err != nil {
		unlock()
		return nil, err
	}
	if err := replaceable(dest, opts.Force); err != nil {
		unlock()
		return nil, err
	}
	tmp, err := makeStaging(dest)
	if err != nil {
		unlock()
		return nil, err
	}
	return &Staging{dest: dest, tmp: tmp, force: opts.Force, unlock: unlock}, nil
}

// makeStaging makes the stamped staging directory beside dest, readable by a web server
// that runs as another user (os.MkdirTemp makes it 0700).
func makeStaging(dest string) (string, error) {
	tmp, err := os.MkdirTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".tmp-")
	if err != nil {
		return "", fmt.Errorf("publish: %w", err)
	}
	err = os.Chmod(tmp, 0o755)
	if err == nil {
		err = os.WriteFile(filepath.Join(tmp, StampName), []byte(stamp), 0o644)
	}
	if err != nil {
		_ = os.RemoveAll(tmp)
		return "", fmt.Errorf("publish: %w", err)
	}
	return tmp, nil
}

// WritePage writes one file under the staging directory. The path is the page's path in the
// site; a second page at the same path is an error, so no page silently replaces another.
func (s *Staging) WritePage(path string, data []byte) error {
	clean := filepath.Clean(filepath.FromSlash(path))
	if filepath.IsAbs(clean) || clean == "." || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return fmt.Errorf("publish: page path %q leaves the site", path)
	}
	if clean == StampName {
		return fmt.Errorf("publish: page path %q is the output stamp", path)
	}
	if _, dup := s.written.LoadOrStore(clean, true); dup {
		return fmt.Errorf("publish: two pages are written to %s", filepath.ToSlash(clean))
	}
	full := filepath.Join(s.tmp, clean)
	if dir := filepath.Dir(full); !s.made(dir) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		s.dirs.Store(dir, true)
	}
	if err := writeFile(full, data); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	s.pages.Add(1)
	return nil
}

func (s *Staging) made(dir string) bool {
	_, ok := s.dirs.Load(dir)
	return ok
}

// Pages is how many files were written, each at its own path (the stamp not counted).
func (s *Staging) Pages() int { return int(s.pages.Load()) }

// Commit replaces dest with the staged site. Where the system can exchange two directories
// in one step, a reader of dest sees the old site or the new one at every instant;
// elsewhere there is a moment between two renames when dest is absent, and a run killed in
// it leaves the previous site aside, where the next Begin puts it back.
func (s *Staging) Commit() error {
	defer s.unlock()
	if err := replaceable(s.dest, s.force); err != nil { // it may have changed while the site was built
		_ = os.RemoveAll(s.tmp)
		return err
	}
	if _, err := os.Lstat(s.dest); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(s.tmp, s.dest); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		return nil
	}
	if exchanged, err := exchange(s.tmp, s.dest); err != nil {
		return fmt.Errorf("publish: swap in the new site: %w", err)
	} else if exchanged {
		// s.tmp now holds the previous site; a run killed here leaves it for the next to remove.
		if err := os.RemoveAll(s.tmp); err != nil {
			return fmt.Errorf("publish: remove the previous site: %w", err)
		}
		return nil
	}
	return s.renameTwice()
}

// renameTwice moves the previous site aside, then the new one in.
func (s *Staging) renameTwice() error {
	o, err := os.MkdirTemp(filepath.Dir(s.dest), "."+filepath.Base(s.dest)+".old-")
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	old := filepath.Join(o, "site")
	if err := os.Rename(s.dest, old); err != nil {
		_ = os.Remove(o)
		return fmt.Errorf("publish: move previous site aside: %w", err)
	}
	if err := os.Rename(s.tmp, s.dest); err != nil {
		_ = os.Rename(old, s.dest) // put the previous site back
		_ = os.Remove(o)
		return fmt.Errorf("publish: %w", err)
	}
	if err := os.RemoveAll(o); err != nil {
		return fmt.Errorf("publish: remove the previous site: %w", err)
	}
	return nil
}

// Abort discards the staged site; dest is untouched.
func (s *Staging) Abort() {
	_ = os.RemoveAll(s.tmp)
	s.unlock()
}
