package build_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triagesite/triagesite/internal/cli/build"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/publish"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// writeTree writes the loader's minimal fixture, with override applied, under dir.
func writeTree(t *testing.T, dir, override string) {
	t.Helper()
	data, err := os.ReadFile("../../content/testdata/minimal.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if err := txtarfs.Write(dir, txtarfs.FS(string(data), override)); err != nil {
		t.Fatal(err)
	}
}

func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		files[strings.TrimPrefix(p, dir)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestFailedBuildLeavesPreviousSite(t *testing.T) {
	tmp := t.TempDir()
	contentDir, out := filepath.Join(tmp, "content"), filepath.Join(tmp, "site")
	writeTree(t, contentDir, "")
	io, _, _ := iostreams.Test()
	opts := &build.Options{IO: io, ContentDir: contentDir, OutDir: out, Version: "test"}
	if err := build.Run(context.Background(), opts); err != nil {
		t.Fatalf("first build: %v", err)
	}
	before := snapshotDir(t, out)
	if len(before) < 10 {
		t.Fatalf("first build wrote %d files", len(before))
	}

	writeTree(t, contentDir, "-- patterns/node-flake.yaml --\nslug: node-flake\ndataset: failures\ntitle: T\nbogus: 1\n")
	io, _, errOut := iostreams.Test()
	opts.IO = io
	err := build.Run(context.Background(), opts)
	if err == nil {
		t.Fatal("build of broken content succeeded")
	}
	if !strings.Contains(errOut.String(), filepath.Join(contentDir, "patterns/node-flake.yaml")+":4:1: unknown key \"bogus\"") {
		t.Errorf("stderr does not name the problem at its position:\n%s", errOut.String())
	}
	after := snapshotDir(t, out)
	if len(after) != len(before) {
		t.Fatalf("site has %d files after the failed build, %d before", len(after), len(before))
	}
	for p, b := range before {
		if after[p] != b {
			t.Errorf("%s changed in a failed build", p)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(tmp, ".site.*"))
	if len(leftovers) != 0 {
		t.Errorf("staging directories left behind: %v", leftovers)
	}
}

func TestBuildTwiceIsByteIdentical(t *testing.T) {
	tmp := t.TempDir()
	contentDir := filepath.Join(tmp, "content")
	writeTree(t, contentDir, "")
	var sites []map[string]string
	for _, out := range []string{"a", "b"} {
		io, _, _ := iostreams.Test()
		dir := filepath.Join(tmp, out)
		if err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: contentDir, OutDir: dir}); err != nil {
			t.Fatal(err)
		}
		sites = append(sites, snapshotDir(t, dir))
	}
	if len(sites[0]) != len(sites[1]) {
		t.Fatalf("%d files, then %d", len(sites[0]), len(sites[1]))
	}
	for p, b := range sites[0] {
		if sites[1][p] != b {
			t.Errorf("%s differs between two builds", p)
		}
	}
}

// TestListRows: --list-rows sets the rows a list page shows, and a negative count is refused
// before anything is loaded or written.
func TestListRows(t *testing.T) {
	tmp := t.TempDir()
	contentDir := filepath.Join(tmp, "content")
	writeTree(t, contentDir, "")
	io, _, _ := iostreams.Test()
	err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: contentDir, OutDir: filepath.Join(tmp, "refused"), ListRows: -3})
	if err == nil || err.Error() != "--list-rows -3: want a number of rows, 1 or more (0 for the default, 500)" {
		t.Errorf("--list-rows -3: error %v", err)
	}
	if _, statErr := os.Stat(filepath.Join(tmp, "refused")); !os.IsNotExist(statErr) {
		t.Errorf("a refused build wrote its output directory: %v", statErr)
	}
	out := filepath.Join(tmp, "site")
	if err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: contentDir, OutDir: out, ListRows: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "refs", "index", "2.html")); err != nil {
		t.Errorf("with one row a page, the refs index has no second page: %v", err)
	}
}

// TestStrictListsWhatIsNotVerified builds the bundled content with --strict: every citation
// its lock leaves unverified is listed at its path:line:col, with the counts per status.
func TestStrictListsWhatIsNotVerified(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	io, _, errOut := iostreams.Test()
	err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: "../../../content", OutDir: out, Version: "test", Strict: true})
	if err == nil || !strings.Contains(err.Error(), "unverifiable") || !strings.Contains(err.Error(), "citations are not verified (") {
		t.Fatalf("err = %v, want the counts of what is not verified", err)
	}
	lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
	unverifiable := 0
	for _, l := range lines {
		// content/patterns/x.yaml:12:9: kubernetes/kops#1 is unverifiable: why
		if !strings.HasPrefix(l, "../../../content/") || !strings.Contains(l, " is ") {
			t.Errorf("line not of the form path:line:col: ref is status: message: %q", l)
		}
		if strings.Contains(l, " is unverifiable: ") {
			unverifiable++
		}
	}
	if unverifiable == 0 || !strings.Contains(err.Error(), fmt.Sprintf("%d unverifiable", unverifiable)) {
		t.Errorf("%d unverifiable lines; the error says %v", unverifiable, err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a --strict failure wrote the site")
	}
}

// TestOutSafety: build refuses every --out the issue names, before writing anything, and
// leaves every file where it was; --force replaces a directory the user means to replace.
func TestOutSafety(t *testing.T) {
	tmp := t.TempDir()
	home := filepath.Join(tmp, "home")
	work := filepath.Join(home, "work")
	contentDir := filepath.Join(work, "content")
	writeTree(t, contentDir, "")
	writeFile(t, filepath.Join(work, "mine", "notes.txt"), "my notes\n")
	writeFile(t, filepath.Join(work, "plain.txt"), "a file\n")
	t.Setenv("HOME", home) // a fake home
	t.Chdir(work)
	before := snapshotDir(t, tmp)

	for _, c := range []struct{ out, want string }{
		{"mine", "refusing --out " + filepath.Join(work, "mine") + ": it holds files that triagesite did not write"},
		{"plain.txt", "refusing --out " + filepath.Join(work, "plain.txt") + ": it is a file, not a directory triagesite wrote"},
		{"content", "refusing --out " + contentDir + ": it is the content directory " + contentDir},
		{work, "refusing --out " + work + ": it is the working directory " + work},
		{".", "refusing --out " + work + ": it is the working directory " + work},
		{home, "refusing --out " + home + ": it is the home directory " + home},
	} {
		io, out, _ := iostreams.Test()
		err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: "content", OutDir: c.out})
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("--out %s: error %v, want %q", c.out, err, c.want)
		}
		if out.Len() != 0 {
			t.Errorf("--out %s: a refused build printed %q", c.out, out.String())
		}
	}
	after := snapshotDir(t, tmp)
	if len(after) != len(before) {
		t.Errorf("%d files after the refusals, %d before", len(after), len(before))
	}
	for p, b := range before {
		if after[p] != b {
			t.Errorf("%s changed or went in a refused build", p)
		}
	}

	io, out, _ := iostreams.Test()
	if err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: "content", OutDir: "mine", Force: true}); err != nil {
		t.Fatalf("--force --out mine: %v", err)
	}
	if _, err := os.Stat(filepath.Join(work, "mine", "index.html")); err != nil {
		t.Errorf("--force did not build into mine: %v", err)
	}
	if !strings.HasPrefix(out.String(), "built ") {
		t.Errorf("--force: printed %q", out.String())
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBuiltCountsRealFiles: "built N files" is the number of files in the output, the stamp aside.
func TestBuiltCountsRealFiles(t *testing.T) {
	tmp := t.TempDir()
	contentDir, out := filepath.Join(tmp, "content"), filepath.Join(tmp, "site")
	writeTree(t, contentDir, "")
	io, stdout, _ := iostreams.Test()
	if err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: contentDir, OutDir: out}); err != nil {
		t.Fatal(err)
	}
	files := snapshotDir(t, out)
	if _, ok := files[string(filepath.Separator)+publish.StampName]; !ok {
		t.Errorf("no %s stamp in the output", publish.StampName)
	}
	want := fmt.Sprintf("built %d files into %s\n", len(files)-1, out)
	if stdout.String() != want {
		t.Errorf("printed %q, want %q", stdout.String(), want)
	}
}

// Snapshot ages are measured at --now, else SOURCE_DATE_EPOCH, else the newest snapshot's
// time; the wall clock never enters, so two builds of the same input are the same.
func TestBuildTime(t *testing.T) {
	tmp := t.TempDir()
	contentDir := filepath.Join(tmp, "content")
	writeTree(t, contentDir, "")
	health := func(now, epoch string) (string, error) {
		t.Helper()
		out := filepath.Join(t.TempDir(), "site")
		io, _, _ := iostreams.Test()
		opts := &build.Options{IO: io, ContentDir: contentDir, OutDir: out, Now: now, StaleAfter: 48 * time.Hour,
			Getenv: func(k string) string {
				if k == "SOURCE_DATE_EPOCH" {
					return epoch
				}
				return ""
			}}
		if err := build.Run(context.Background(), opts); err != nil {
			return "", err
		}
		b, err := os.ReadFile(filepath.Join(out, "health.html"))
		return string(b), err
	}
	for _, tc := range []struct{ now, epoch, want string }{
		{"", "", "Ages are measured at 2026-05-10T00:00:00Z, the newest snapshot"},
		{"2026-05-13", "", "Ages are measured at 2026-05-13T00:00:00Z, the build&#39;s --now"},
		{"2026-05-13T06:00:00+02:00", "1", "Ages are measured at 2026-05-13T04:00:00Z"},
		{"", "1778644800", "Ages are measured at 2026-05-13T04:00:00Z"},
	} {
		got, err := health(tc.now, tc.epoch)
		if err != nil {
			t.Fatalf("--now %q, SOURCE_DATE_EPOCH %q: %v", tc.now, tc.epoch, err)
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("--now %q, SOURCE_DATE_EPOCH %q: health.html lacks %q", tc.now, tc.epoch, tc.want)
		}
	}
	a, _ := health("", "")
	if b, _ := health("", ""); a != b {
		t.Error("two builds without a clock differ")
	}
	for _, bad := range [][2]string{{"yesterday", ""}, {"", "soon"}} {
		if _, err := health(bad[0], bad[1]); err == nil {
			t.Errorf("--now %q, SOURCE_DATE_EPOCH %q accepted", bad[0], bad[1])
		}
	}
}
