package publish

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// exchange swaps a and b in one step (renameat2 RENAME_EXCHANGE). It reports false, and
// changes nothing, where the file system cannot do it.
func exchange(a, b string) (bool, error) {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EOPNOTSUPP):
		return false, nil
	}
	return false, err
}

// lock holds an exclusive lock on path until the returned function is called, so that two
// builds into one directory do not remove each other's staging directories. The lock file
// is removed on unlock; one a killed run left is taken over by the next.
func lock(path string) (func(), error) {
	for {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
		if err != nil {
			return nil, err
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, unix.EWOULDBLOCK) {
				return nil, fmt.Errorf("another build is writing it (it holds %s)", path)
			}
			return nil, err
		}
		// The holder before us may have removed the file between our open and our lock:
		// then the lock is on a file nobody else will open, so take the one at path again.
		if held, err := f.Stat(); err == nil {
			if now, err := os.Stat(path); err == nil && os.SameFile(held, now) {
				var once sync.Once
				return func() {
					once.Do(func() {
						_ = os.Remove(path)
						f.Close()
					})
				}, nil
			}
		}
		f.Close()
	}
}
