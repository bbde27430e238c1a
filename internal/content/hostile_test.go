package content_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// billionLaughs is a categories.yaml of the right shape whose matchers nest aliases ten
// deep, ten wide: 10^10 matchers once expanded.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString("rules:\n  - category: x\n    any: &m0 [" + strings.Repeat("{contains: a}, ", 9) + "{contains: a}]\n")
	for i := 1; i <= 9; i++ {
		prev := "{any: *m" + strconv.Itoa(i-1) + "}"
		b.WriteString("  - category: x\n    any: &m" + strconv.Itoa(i) + " [" + strings.Repeat(prev+", ", 9) + prev + "]\n")
	}
	b.WriteString("fallback: other\n")
	return b.String()
}

// TestHostileInput holds each malformed or hostile file to one error, at the line and
// column of the offending byte or value.
func TestHostileInput(t *testing.T) {
	tests := []struct {
		name     string
		override string
		want     []string // every error, exactly, in order
	}{
		{
			name:     "a tab in the indentation, at its own line",
			override: "-- sigs.yaml --\nsigs:\n  - id: sig-node\n\tname: SIG Node\n",
			want:     []string{`content/sigs.yaml:3:1: invalid YAML: a tab in the indentation; YAML indents with spaces`},
		},
		{
			name:     "invalid UTF-8",
			override: "-- sigs.yaml --\nsigs:\n  - id: sig-node\n    name: SIG \xffNode\n",
			want:     []string{`content/sigs.yaml:3:15: invalid UTF-8 (byte 0xff); content files are UTF-8 text`},
		},
		{
			name:     "a NUL byte",
			override: "-- sigs.yaml --\nsigs:\n  - id: sig-node\n    name: SIG é\x00Node\n",
			want:     []string{`content/sigs.yaml:3:16: control character U+0000 is not allowed in YAML`},
		},
		{
			name:     "a second document",
			override: "-- sigs.yaml --\nsigs:\n  - id: sig-node\n    name: SIG Node\n---\nsigs: []\n",
			want:     []string{`content/sigs.yaml:4:1: a second YAML document starts here; a content file holds one document (remove the ---)`},
		},
		{
			name:     "a number where text is wanted",
			override: "-- patterns/node-flake.yaml --\nslug: node-flake\ndataset: failures\ntitle: 42\n",
			want: []string{
				`content/patterns/node-flake.yaml:3:8: want text, got the whole number "42"; quote it if it is meant as text`,
			},
		},
		{
			name:     "a list at the top level",
			override: "-- patterns/node-flake.yaml --\n- slug: node-flake\n- dataset: failures\n",
			want: []string{
				`content/patterns/node-flake.yaml:1:1: want a mapping with keys as_of, by_design, causal_chain, citations, cross_lists, dataset, default_repo, details, fix, job_count, jobs, match, owner_sigs, root_cause, slug, status, subpatterns, summary, title, tracker at the top level, got a list`,
			},
		},
		{
			name:     "billion laughs",
			override: "-- categories.yaml --\n" + billionLaughs(),
			want:     []string{`content/categories.yaml:13:21: aliases expand this file past 250000 values, the limit; write the values out instead`},
		},
		{
			name:     "an impossible date",
			override: "-- reports/2026-05-10-failures.yaml --\ntitle: R\ndate: \"2026-02-30\"\ndataset: failures\nsnapshot: \"2026-05-10\"\n",
			want: []string{
				`content/reports/2026-05-10-failures.yaml:1:1: report file must be named 2026-02-30-failures.yaml after its date and dataset`,
				`content/reports/2026-05-10-failures.yaml:2:7: date "2026-02-30" must be a real date, YYYY-MM-DD`,
			},
		},
		{
			name:     "a line number past int64 in prose",
			override: "-- patterns/node-flake.yaml --\nslug: node-flake\ndataset: failures\ntitle: T\nsummary: |\n  The wait at\n  k/k:test/e2e_node/a_test.go:9223372036854775808 is short.\n",
			want: []string{
				`content/patterns/node-flake.yaml:6:3: citation "k/k:test/e2e_node/a_test.go:9223372036854775808": line number 9223372036854775808 is past 1073741824, the largest a citation may name`,
			},
		},
		{
			name:     "a pattern saved as .yml",
			override: "-- patterns/extra.yml --\nslug: extra\n",
			want:     []string{`content/patterns/extra.yml:1:1: content files end in .yaml; rename it to extra.yaml`},
		},
		{
			name:     "a long bad value is quoted in part",
			override: "-- patterns/node-flake.yaml --\n" + strings.Repeat("root:x:0:0:root:/root:/bin/bash ", 40) + "\n",
			want: []string{
				`content/patterns/node-flake.yaml:1:1: want a mapping with keys as_of, by_design, causal_chain, citations, cross_lists, dataset, default_repo, details, fix, job_count, jobs, match, owner_sigs, root_cause, slug, status, subpatterns, summary, title, tracker at the top level, got "root:x:0:0:root:/root:/bin/bash root:x:0"…`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := content.Load(minimal(t, tc.override), "content")
			assertErrors(t, err, tc.want)
		})
	}
}

func assertErrors(t *testing.T, err error, want []string) {
	t.Helper()
	var errs content.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Load error = %v, want content.Errors", err)
	}
	got := strings.Split(errs.Error(), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestLinksOutOfContentAreNotFollowed reads a tree on disk whose pattern is a link to a file
// outside it: the file is refused, and nothing of the target is quoted.
func TestLinksOutOfContentAreNotFollowed(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "content")
	if err := txtarfs.Write(dir, minimal(t, "")); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(tmp, "secret")
	if err := os.WriteFile(secret, []byte("root:x:0:0:secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	inside := filepath.Join(dir, "patterns", "node-flake.yaml")
	if err := os.Rename(inside, filepath.Join(dir, "node-flake.yaml.orig")); err != nil {
		t.Fatal(err)
	}
	// A link inside the tree is followed; one out of it is not.
	if err := os.Symlink("../node-flake.yaml.orig", inside); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../secret", filepath.Join(dir, "patterns", "leak.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(dir, "patterns", "abs.yaml")); err != nil {
		t.Fatal(err)
	}
	_, err := content.Load(os.DirFS(dir), "content")
	assertErrors(t, err, []string{
		`content/patterns/abs.yaml:1:1: reached through a symbolic link out of the content directory; content must live inside it`,
		`content/patterns/leak.yaml:1:1: reached through a symbolic link out of the content directory; content must live inside it`,
	})
}

// bigFS reports one file as larger than it is, to test size limits without writing them.
type bigFS struct {
	fs.FS
	name string
	size int64
}

func (b bigFS) Open(name string) (fs.File, error) {
	f, err := b.FS.Open(name)
	if err != nil || name != b.name {
		return f, err
	}
	return bigFile{f, b.size}, nil
}

type bigFile struct {
	fs.File
	size int64
}

func (f bigFile) Stat() (fs.FileInfo, error) {
	fi, err := f.File.Stat()
	return bigInfo{fi, f.size}, err
}

type bigInfo struct {
	fs.FileInfo
	size int64
}

func (i bigInfo) Size() int64 { return i.size }

// TestSnapshotSizeLimit: a snapshot over snapshot.MaxSize is refused before it is read,
// with the limit in the message, and the report naming it has no follow-on error.
func TestSnapshotSizeLimit(t *testing.T) {
	name := "snapshots/failures/2026-05-10.json"
	fsys := bigFS{minimal(t, ""), name, snapshot.MaxSize + 1}
	_, err := content.Load(fsys, "content")
	assertErrors(t, err, []string{
		`content/snapshots/failures/2026-05-10.json:1:1: 268435457 bytes, over the 256 MiB limit for a snapshot`,
	})
}

// TestFolderLinkOutOfContent: a folder of the tree that is a link out of it is reported
// once, and nothing in the folder it points to is listed or read.
func TestFolderLinkOutOfContent(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "content")
	if err := txtarfs.Write(dir, minimal(t, "")); err != nil {
		t.Fatal(err)
	}
	elsewhere := filepath.Join(tmp, "elsewhere")
	if err := os.MkdirAll(elsewhere, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(elsewhere, "private-name.yaml"), []byte("x: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, "patterns")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, filepath.Join(dir, "patterns")); err != nil {
		t.Fatal(err)
	}
	_, err := content.Load(os.DirFS(dir), "content")
	assertErrors(t, err, []string{
		`content/patterns:1:1: reached through a symbolic link out of the content directory; content must live inside it`,
		`content/reports/2026-05-10-failures.yaml:15:14: pattern "node-flake": no patterns/node-flake.yaml`,
	})
}
