package content

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
)

// errOutside refuses a file reached through a symbolic link that leaves the content tree:
// a link to /etc/passwd must not be read, let alone quoted back in an error.
var errOutside = errors.New("reached through a symbolic link out of the content directory; content must live inside it")

// maxLinks bounds the links followed to reach one file, as the kernel's ELOOP does.
const maxLinks = 16

// tooLarge refuses a file over a size limit before it is read.
type tooLarge struct {
	size, limit int64
	what        string
}

func (e tooLarge) Error() string {
	return fmt.Sprintf("%d bytes, over the %d MiB limit for %s", e.size, e.limit>>20, e.what)
}

// readFile reads a content file of at most limit bytes.
func (l *loader) readFile(name string, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	err := l.readInto(&buf, name, limit, "a content file")
	return buf.Bytes(), err
}

// readInto reads a whole file into buf, sized from the file's length when it is known. It
// refuses a file over limit bytes, and one reached through a link out of the tree.
func (l *loader) readInto(buf *bytes.Buffer, name string, limit int64, what string) error {
	if err := linksInside(l.fsys, name, 0); err != nil {
		return err
	}
	f, err := l.fsys.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	buf.Reset()
	if st, err := f.Stat(); err == nil {
		if st.Size() > limit {
			return tooLarge{st.Size(), limit, what}
		}
		if st.Size() > 0 {
			buf.Grow(int(st.Size()) + bytes.MinRead)
		}
	}
	n, err := buf.ReadFrom(io.LimitReader(f, limit+1))
	if n > limit {
		return tooLarge{n, limit, what}
	}
	return err
}

// linksInside checks every symbolic link on the way to name stays inside fsys. A file system
// that cannot read links (an in-memory tree) has none to follow.
func linksInside(fsys fs.FS, name string, depth int) error {
	if _, ok := fsys.(fs.ReadLinkFS); !ok {
		return nil
	}
	parts := strings.Split(name, "/")
	for i := range parts {
		prefix := path.Join(parts[:i+1]...)
		info, err := fs.Lstat(fsys, prefix)
		if err != nil {
			return nil // opening the file reports it
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		target, err := fs.ReadLink(fsys, prefix)
		if err != nil {
			return err
		}
		if depth >= maxLinks {
			return fmt.Errorf("more than %d symbolic links to follow", maxLinks)
		}
		if path.IsAbs(target) || filepath.IsAbs(target) {
			return errOutside
		}
		resolved := path.Join(path.Dir(prefix), filepath.ToSlash(target), path.Join(parts[i+1:]...))
		if !fs.ValidPath(resolved) {
			return errOutside
		}
		return linksInside(fsys, resolved, depth+1)
	}
	return nil
}

// readError records a file that could not be read.
func (l *loader) readError(name string, err error) {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		l.fileError(name, "missing: the content tree needs this file")
	case errors.Is(err, errOutside), errors.As(err, new(tooLarge)):
		l.fileError(name, "%v", err)
	default:
		l.fileError(name, "read: %v", err)
	}
}

// refuseMisnamed reports files in patterns/ and reports/ (and snapshot provenance) that end
// in .yml. They are refused rather than loaded: one spelling keeps one file per slug (a.yml
// beside a.yaml would be two patterns with one page), and verify --only, the editor schema
// globs and the pull-request workflow all look for .yaml.
func (l *loader) refuseMisnamed() {
	for _, pattern := range []string{"*.yml", "patterns/*.yml", "reports/*.yml", "snapshots/*/*.yml"} {
		for _, name := range l.glob(pattern) {
			l.fileError(name, "content files end in .yaml; rename it to %s", path.Base(strings.TrimSuffix(name, ".yml")+".yaml"))
		}
	}
}
