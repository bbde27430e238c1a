// Package atomicfile replaces a file whole, so a reader sees the old content or the new, never part of either.
package atomicfile

import (
	"io/fs"
	"os"
	"path/filepath"
)

// Stage writes data to a new temporary file beside path (in the same directory, so that a
// rename over path is atomic), synced to disk and with mode perm exactly, umask aside:
// CreateTemp makes 0600, and the files written here are shared (content, the lock). It
// returns the file's name for the caller to rename over path, or to remove. The name starts
// with a dot and does not end in .json or .yaml, so the content loader never reads a leftover.
func Stage(path string, data []byte, perm fs.FileMode) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync() // the data is on disk before the rename makes it the file
	}
	if err == nil {
		err = f.Chmod(perm)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// WriteFile replaces path with data, mode perm: a crash or a failed write leaves the old file
// (and at worst a dot-file leftover beside it), never a partial one.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	tmp, err := Stage(path, data, perm)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
