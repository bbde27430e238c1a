package publish

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestWriteFileWritesAndReplaces(t *testing.T) {
	name := filepath.Join(t.TempDir(), "page.html")
	big := bytes.Repeat([]byte("<p>x</p>"), 1<<17) // 1 MiB: more than one write may take
	for _, data := range [][]byte{[]byte("a longer first version"), big, []byte("short"), nil} {
		if err := writeFile(name, data); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("read back %d bytes, want %d", len(got), len(data))
		}
	}
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if want := fs.FileMode(0o644) &^ umask(t); fi.Mode().Perm() != want {
		t.Errorf("mode %v, want %v", fi.Mode().Perm(), want)
	}
}

func TestWriteFileNamesThePathInItsError(t *testing.T) {
	name := filepath.Join(t.TempDir(), "missing", "page.html")
	err := writeFile(name, []byte("x"))
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), name) {
		t.Errorf("error %v, want one that says %s does not exist", err, name)
	}
}

// umask is the process's umask, read by making a file with every permission bit asked for.
func umask(t *testing.T) fs.FileMode {
	t.Helper()
	name := filepath.Join(t.TempDir(), "probe")
	if err := os.WriteFile(name, nil, 0o777); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	return 0o777 &^ fi.Mode().Perm()
}

// BenchmarkWritePage stages 1,000 pages of 10 KB in 20 directories, as a build does.
func BenchmarkWritePage(b *testing.B) {
	page := bytes.Repeat([]byte("<p>page</p>"), 1000)
	for b.Loop() {
		s, err := Begin(filepath.Join(b.TempDir(), "site"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		for i := range 1000 {
			if err := s.WritePage("d"+strconv.Itoa(i%20)+"/p"+strconv.Itoa(i)+".html", page); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		s.Abort()
		b.StartTimer()
	}
}
