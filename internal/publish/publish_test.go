package publish_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/publish"
)

// tree reads every file under dir (links as their targets), keyed by slash path.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			files[filepath.ToSlash(rel)] = "-> " + target
			return err
		}
		b, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sameTree(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	if len(before) != len(after) {
		t.Errorf("%s: %d files before, %d after", what, len(before), len(after))
	}
	for p, b := range before {
		if a, ok := after[p]; !ok || a != b {
			t.Errorf("%s: %s changed or went", what, p)
		}
	}
}

// leftovers lists what a build left beside dest: staging, set-aside and lock files.
func leftovers(t *testing.T, dest string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func publishSite(t *testing.T, dest string, opts publish.Options, pages map[string]string) error {
	t.Helper()
	s, err := publish.Begin(dest, opts)
	if err != nil {
		return err
	}
	for p, data := range pages {
		if err := s.WritePage(p, []byte(data)); err != nil {
			s.Abort()
			return err
		}
	}
	return s.Commit()
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCommitPublishesSiteWithStamp(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "out", "site")
	s, err := publish.Begin(dest, publish.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"index.html", "jobs/a.html", "jobs/b.html", "assets/site.css"} {
		if err := s.WritePage(p, []byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	if s.Pages() != 4 {
		t.Errorf("Pages() = %d, want 4", s.Pages())
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	got := tree(t, dest)
	if got["jobs/b.html"] != "jobs/b.html" || got[publish.StampName] == "" || len(got) != 5 {
		t.Errorf("published tree: %v", got)
	}
	if l := leftovers(t, dest); len(l) != 0 {
		t.Errorf("left beside the site: %v", l)
	}
}

func TestCommitReplacesItsOwnSite(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "site")
	if err := publishSite(t, dest, publish.Options{}, map[string]string{"index.html": "one", "gone.html": "x"}); err != nil {
		t.Fatal(err)
	}
	if err := publishSite(t, dest, publish.Options{}, map[string]string{"index.html": "two"}); err != nil {
		t.Fatal(err)
	}
	got := tree(t, dest)
	if got["index.html"] != "two" || len(got) != 2 {
		t.Errorf("second site: %v", got)
	}
	if l := leftovers(t, dest); len(l) != 0 {
		t.Errorf("left beside the site: %v", l)
	}
}

func TestEmptyDirectoryIsReplaced(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "site")
	if err := os.Mkdir(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := publishSite(t, dest, publish.Options{}, map[string]string{"index.html": "x"}); err != nil {
		t.Fatal(err)
	}
	if tree(t, dest)["index.html"] != "x" {
		t.Error("the empty directory was not replaced by the site")
	}
}

func TestWritePageRefusesPathsOutsideTheSiteAndTwice(t *testing.T) {
	s, err := publish.Begin(filepath.Join(t.TempDir(), "site"), publish.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Abort()
	for path, want := range map[string]string{
		"../evil.html":     `page path "../evil.html" leaves the site`,
		"a/../../x":        `page path "a/../../x" leaves the site`,
		"/etc/passwd":      `page path "/etc/passwd" leaves the site`,
		".":                `page path "." leaves the site`,
		publish.StampName:  "is the output stamp",
		"jobs/../jobs/a":   "two pages are written to jobs/a",
		"jobs/./a":         "two pages are written to jobs/a",
		"..index.html":     "",
		"jobs/a/../b.html": "",
	} {
		if path == "jobs/../jobs/a" || path == "jobs/./a" {
			_ = s.WritePage("jobs/a", nil) // the first write; the spelled-differently one must clash
		}
		err := s.WritePage(path, []byte("x"))
		if want == "" {
			if err != nil {
				t.Errorf("WritePage(%q): %v", path, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("WritePage(%q): error %v, want %q", path, err, want)
		}
	}
	if s.Pages() != 3 { // jobs/a, ..index.html, jobs/b.html
		t.Errorf("Pages() = %d, want 3: a refused page is not a file", s.Pages())
	}
}

func TestAbortLeavesDestinationUntouched(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "site")
	if err := publishSite(t, dest, publish.Options{}, map[string]string{"index.html": "one"}); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dest)
	s, err := publish.Begin(dest, publish.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_ = s.WritePage("index.html", []byte("two"))
	s.Abort()
	sameTree(t, "after Abort", before, tree(t, dest))
	if l := leftovers(t, dest); len(l) != 0 {
		t.Errorf("left beside the site: %v", l)
	}
}

// TestRefusals: every --out the issue names is refused before anything is written, and
// nothing there or beside it changes.
func TestRefusals(t *testing.T) {
	root := t.TempDir()
	home := filepath.Join(root, "home", "me")
	work := filepath.Join(home, "work")
	contentDir := filepath.Join(work, "content")
	write(t, filepath.Join(contentDir, "reports", "r.yaml"), "id: r\n")
	write(t, filepath.Join(work, "mine", "notes.txt"), "my notes\n")
	write(t, filepath.Join(work, "plain"), "a file\n")
	write(t, filepath.Join(root, "elsewhere", "x.txt"), "x\n")
	if err := os.Symlink(filepath.Join(root, "elsewhere"), filepath.Join(work, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(contentDir, filepath.Join(root, "content-link")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home) // a fake home: the real one is never at stake
	t.Chdir(work)
	keep := []publish.Kept{{Dir: contentDir, What: "the content directory"}}
	before := tree(t, root)

	for _, c := range []struct {
		out   string
		force bool
		want  string
	}{
		{"mine", false, "holds files that triagesite did not write (there is no .triagesite-output stamp)"},
		{"plain", false, "it is a file, not a directory triagesite wrote"},
		{"link", false, "it is a symbolic link, not a directory triagesite wrote"},
		{"content", false, "it is the content directory " + contentDir},
		{"content", true, "it is the content directory " + contentDir},
		{filepath.Join(root, "content-link"), true, "it is the content directory " + contentDir},
		{".", false, "it is the working directory " + work},
		{work, true, "it is the working directory " + work},
		{home, false, "it is the home directory " + home},
		{"..", true, "it is the home directory " + home},
		{filepath.Join(root, "home"), true, "it is a directory that holds the content directory " + contentDir},
		{"/", true, "it is a directory that holds"},
	} {
		err := publishSite(t, c.out, publish.Options{Force: c.force, Keep: keep}, map[string]string{"index.html": "x"})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "refusing --out ") {
			t.Errorf("--out %s (force %v): error %v, want %q", c.out, c.force, err, c.want)
		}
	}
	sameTree(t, "after the refusals", before, tree(t, root))
}

func TestForceReplacesWhatTheUserMeans(t *testing.T) {
	dir := t.TempDir()
	mine, plain := filepath.Join(dir, "mine"), filepath.Join(dir, "plain")
	write(t, filepath.Join(mine, "notes.txt"), "old notes\n")
	write(t, plain, "a file\n")
	write(t, filepath.Join(dir, "beside.txt"), "beside\n")
	for _, out := range []string{mine, plain} {
		if err := publishSite(t, out, publish.Options{Force: true}, map[string]string{"index.html": "x"}); err != nil {
			t.Fatalf("--force --out %s: %v", out, err)
		}
		if got := tree(t, out); got["index.html"] != "x" || len(got) != 2 {
			t.Errorf("--force --out %s: %v", out, got)
		}
		if l := leftovers(t, out); len(l) != 0 {
			t.Errorf("left beside %s: %v", out, l)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "beside.txt")); string(b) != "beside\n" {
		t.Error("a file beside the output changed")
	}
	// Once replaced, it is ours: the next build needs no --force.
	if err := publishSite(t, mine, publish.Options{}, map[string]string{"index.html": "y"}); err != nil {
		t.Errorf("second build into a forced directory: %v", err)
	}
}

func TestCommitRefusesFilesAddedWhileBuilding(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "site")
	s, err := publish.Begin(dest, publish.Options{})
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dest, "mine.txt"), "mine\n")
	_ = s.WritePage("index.html", []byte("x"))
	if err := s.Commit(); err == nil || !strings.Contains(err.Error(), "did not write") {
		t.Errorf("Commit over a directory filled meanwhile: %v", err)
	}
	s.Abort()
	if got := tree(t, dest); len(got) != 1 || got["mine.txt"] != "mine\n" {
		t.Errorf("the user's directory changed: %v", got)
	}
	if l := leftovers(t, dest); len(l) != 0 {
		t.Errorf("left beside the site: %v", l)
	}
}

func TestSecondBuildIntoOneDirectoryIsRefused(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "site")
	first, err := publish.Begin(dest, publish.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := publish.Begin(dest, publish.Options{}); err == nil || !strings.Contains(err.Error(), "another build is writing it") {
		t.Errorf("second Begin while the first runs: %v", err)
	}
	if err := first.WritePage("index.html", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := first.Commit(); err != nil {
		t.Errorf("the first build, after a second was refused: %v", err)
	}
	second, err := publish.Begin(dest, publish.Options{})
	if err != nil {
		t.Fatalf("Begin after the first committed: %v", err)
	}
	second.Abort()
}

// TestBeginCleansUpAfterKilledRuns: staging and set-aside directories of killed runs are
// removed; a previous site set aside is put back; what is not ours is named and kept.
func TestBeginCleansUpAfterKilledRuns(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "site")
	write(t, filepath.Join(dir, ".site.tmp-111", publish.StampName), "stamp")
	write(t, filepath.Join(dir, ".site.tmp-111", "index.html"), "half")
	if err := os.Mkdir(filepath.Join(dir, ".site.tmp-222"), 0o700); err != nil { // killed before its stamp
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, ".site.tmp-333", "mine.txt"), "not ours")
	write(t, filepath.Join(dir, ".site.old-444", "site", publish.StampName), "stamp")
	write(t, filepath.Join(dir, ".site.old-444", "site", "index.html"), "previous")
	write(t, filepath.Join(dir, ".site.lock"), "")
	if err := os.Mkdir(filepath.Join(dir, ".site.old-000"), 0o700); err != nil { // killed before its first rename, and sorted first
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, ".other.tmp-555", "x"), "another output's")

	var log bytes.Buffer
	s, err := publish.Begin(dest, publish.Options{Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if got := tree(t, dest); got["index.html"] != "previous" {
		t.Errorf("the previous site was not put back: %v", got)
	}
	_ = s.WritePage("index.html", []byte("new"))
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != ".other.tmp-555 .site.tmp-333 site" {
		t.Errorf("after cleanup the directory holds %q", got)
	}
	if !strings.Contains(log.String(), ".site.tmp-333 was left by an earlier run and holds files triagesite did not write") {
		t.Errorf("log does not name the leftover it kept: %q", log.String())
	}
	if tree(t, dest)["index.html"] != "new" {
		t.Error("the new site is not in place")
	}
}

func TestCleanUpKeepsASetAsideSiteThatIsNotOurs(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "site")
	write(t, filepath.Join(dest, publish.StampName), "stamp")
	write(t, filepath.Join(dir, ".site.old-1", "site", "notes.txt"), "forced away, then killed")
	var log bytes.Buffer
	s, err := publish.Begin(dest, publish.Options{Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	s.Abort()
	if b, _ := os.ReadFile(filepath.Join(dir, ".site.old-1", "site", "notes.txt")); string(b) != "forced away, then killed" {
		t.Error("a set-aside directory that is not ours was removed")
	}
	if !strings.Contains(log.String(), ".site.old-1 was left by an earlier run") {
		t.Errorf("log: %q", log.String())
	}
}
