//go:build unix

package publish

import (
	"errors"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// writeFile writes a new page with three system calls: open, write, close. os.WriteFile
// makes eight on Linux (it offers each file to the poller, which refuses regular files, and
// sets and clears non-blocking mode around that), and a build writes tens of thousands of
// pages. The staging directory is unseen until Commit, so a page cut short by a crash is
// never published: the next Begin removes the whole directory.
func writeFile(name string, data []byte) error {
	fd, err := retryEINTR(func() (int, error) {
		return unix.Open(name, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC|unix.O_CLOEXEC, 0o644)
	})
	if err != nil {
		return &os.PathError{Op: "open", Path: name, Err: err}
	}
	for len(data) > 0 && err == nil {
		var n int
		n, err = retryEINTR(func() (int, error) { return unix.Write(fd, data) })
		if err == nil && n == 0 {
			err = io.ErrShortWrite
		}
		data = data[max(n, 0):]
	}
	if cerr := unix.Close(fd); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return &os.PathError{Op: "write", Path: name, Err: err}
	}
	return nil
}

// retryEINTR calls f again while a signal interrupts it, as the os package does.
func retryEINTR(f func() (int, error)) (int, error) {
	for {
		n, err := f()
		if !errors.Is(err, unix.EINTR) {
			return n, err
		}
	}
}
