package cmdutil

import (
	"errors"
	"os"

	"github.com/triagesite/triagesite/internal/content"
)

// TreeError is a content tree that did not load. Every command words it the same way:
// "load DIR:" or, when the command said why it needs the tree, "load DIR (why):", then the
// problems one a line.
type TreeError struct {
	Dir string
	Why string // what the command needs the tree for and what to do, e.g. "fix these first"; may be empty
	Err error  // content.Errors, or why the directory could not be read
}

func (e *TreeError) Error() string {
	head := "load " + e.Dir
	if e.Why != "" {
		head += " (" + e.Why + ")"
	}
	return head + ":\n" + e.Err.Error()
}

func (e *TreeError) Unwrap() error { return e.Err }

// Because adds why the command needs the tree to a *TreeError from Tree (a command that is not
// obviously about content says what it reads it for); any other error comes back as it is.
func Because(err error, why string) error {
	var te *TreeError
	if !errors.As(err, &te) {
		return err
	}
	return &TreeError{Dir: te.Dir, Why: why, Err: te.Err}
}

func loadDir(dir string, opts ...content.Option) (*content.Tree, error) {
	return content.Load(os.DirFS(dir), dir, opts...)
}
