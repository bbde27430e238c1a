// Package cmdutil is what the commands share beyond their streams: one loader of the content
// tree and its verification lock, so every command words a failed load alike and a test can
// hand a command a tree or a lock it made itself (gh's cmdutil.Factory, for our two inputs).
package cmdutil

import (
	"path/filepath"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
)

// Loader loads a command's content tree and lock. A nil *Loader, or one with nil fields,
// reads the disk, so a command's Options need not set it (and stay comparable); a test sets
// LoadTree or ReadLock to inject what it built instead.
type Loader struct {
	// LoadTree loads the tree in dir; nil means content.Load of os.DirFS(dir) under dir.
	LoadTree func(dir string, opts ...content.Option) (*content.Tree, error)
	// ReadLock reads the lock file at path; nil means evidence.Read.
	ReadLock func(path string) (*evidence.Lock, error)
}

// Tree loads the content tree in dir. A failure is a *TreeError: every content problem at
// its path:line:col under "load DIR:", and still content.Errors to errors.As.
func (l *Loader) Tree(dir string, opts ...content.Option) (*content.Tree, error) {
	load := loadDir
	if l != nil && l.LoadTree != nil {
		load = l.LoadTree
	}
	tree, err := load(dir, opts...)
	if err != nil {
		return nil, &TreeError{Dir: dir, Err: err}
	}
	return tree, nil
}

// Lock reads the verification lock of the content in dir; a tree without one has an empty lock.
func (l *Loader) Lock(dir string) (*evidence.Lock, error) {
	return l.LockFile(LockPath(dir))
}

// LockFile reads the lock at path (audit's --lock). The error is evidence.Read's own, which
// names the file and, for one that does not parse, how to rebuild it: nothing is added, so a
// command says it the same way whichever lock it reads.
func (l *Loader) LockFile(path string) (*evidence.Lock, error) {
	read := evidence.Read
	if l != nil && l.ReadLock != nil {
		read = l.ReadLock
	}
	return read(path)
}

// LockPath is where the content in dir keeps its lock, for a command that writes it back.
func LockPath(dir string) string { return filepath.Join(dir, evidence.FileName) }
