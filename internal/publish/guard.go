package publish

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// refuseKept refuses a dest that is, or holds, a directory that must survive the build.
func refuseKept(dest string, keep []Kept) error {
	if wd, err := os.Getwd(); err == nil {
		keep = append(keep, Kept{wd, "the working directory"})
	}
	if home, err := os.UserHomeDir(); err == nil {
		keep = append(keep, Kept{home, "the home directory"})
	}
	realDest := realPath(dest)
	// Name the directory dest is before one it merely holds: "--out ." is the working directory.
	for _, exact := range []bool{true, false} {
		for _, k := range keep {
			abs, err := filepath.Abs(k.Dir)
			if k.Dir == "" || err != nil {
				continue
			}
			real := realPath(abs)
			if same := real == realDest; same == exact && within(real, realDest) {
				what := k.What + " " + abs
				if !same {
					what = "a directory that holds " + what
				}
				return fmt.Errorf("refusing --out %s: it is %s, and a build replaces its output directory with the site; choose another directory", dest, what)
			}
		}
	}
	return nil
}

// realPath resolves the symbolic links of p, or of its nearest existing ancestor, so that
// two spellings of one directory compare equal.
func realPath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	parent := filepath.Dir(p)
	if parent == p {
		return p
	}
	return filepath.Join(realPath(parent), filepath.Base(p))
}

// within reports whether p is dir or inside it.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// replaceable refuses a dest that triagesite did not write: a file, a link, or a directory
// that holds something and no stamp. Nothing there, or an empty directory, is fine.
func replaceable(dest string, force bool) error {
	if force {
		return nil
	}
	fi, err := os.Lstat(dest)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("refusing --out %s: it is a %s, not a directory triagesite wrote; remove it, choose another path, or pass --force to replace it", dest, kindOf(fi))
	}
	if !ours(dest) {
		return fmt.Errorf("refusing --out %s: it holds files that triagesite did not write (there is no %s stamp); choose another directory, empty it, or pass --force to replace all of it (once, for a site built before the stamp existed)", dest, StampName)
	}
	return nil
}

func kindOf(fi fs.FileInfo) string {
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return "symbolic link"
	case fi.Mode().IsRegular():
		return "file"
	}
	return "special file"
}

// ours reports whether dir is a directory that is empty or holds our stamp.
func ours(dir string) bool {
	if fi, err := os.Lstat(dir); err != nil || !fi.IsDir() {
		return false
	}
	if fi, err := os.Lstat(filepath.Join(dir, StampName)); err == nil && fi.Mode().IsRegular() {
		return true
	}
	entries, err := os.ReadDir(dir)
	return err == nil && len(entries) == 0
}

// cleanUp removes the staging and set-aside directories that killed runs left beside dest.
// A previous site left aside by a run killed between its two renames is put back first, if
// dest is missing. Leftovers that are not ours are named in log and left alone.
func cleanUp(dest string, log io.Writer) error {
	parent, base := filepath.Dir(dest), filepath.Base(dest)
	olds, _ := filepath.Glob(filepath.Join(parent, "."+globEscape(base)+".old-*"))
	tmps, _ := filepath.Glob(filepath.Join(parent, "."+globEscape(base)+".tmp-*"))
	for _, o := range olds {
		site := filepath.Join(o, "site")
		if missing(dest) && !missing(site) {
			if err := os.Rename(site, dest); err != nil {
				return fmt.Errorf("publish: put back the previous site from %s: %w", o, err)
			}
		}
		if entries, err := os.ReadDir(o); err == nil && (len(entries) == 0 || len(entries) == 1 && entries[0].Name() == "site" && ours(site)) {
			if err := os.RemoveAll(o); err != nil {
				return fmt.Errorf("publish: remove %s left by an earlier run: %w", o, err)
			}
			continue
		}
		fmt.Fprintf(log, "warning: %s was left by an earlier run and holds files triagesite did not write; it is left alone\n", o)
	}
	for _, t := range tmps {
		if !ours(t) {
			fmt.Fprintf(log, "warning: %s was left by an earlier run and holds files triagesite did not write; it is left alone\n", t)
			continue
		}
		if err := os.RemoveAll(t); err != nil {
			return fmt.Errorf("publish: remove %s left by an earlier run: %w", t, err)
		}
	}
	return nil
}

func missing(p string) bool {
	_, err := os.Lstat(p)
	return errors.Is(err, fs.ErrNotExist)
}

// globEscape quotes the pattern characters of a literal name.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
