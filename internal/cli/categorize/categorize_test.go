package categorize_test

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/triagesite/triagesite/internal/cli/categorize"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// writeTree writes testdata/tree.txtar under a new temporary directory, keeping only the
// files keep accepts (nil: all), and returns the directory.
func writeTree(t *testing.T, keep func(name string) bool) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "tree.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	fsys := txtarfs.FS(string(data))
	if keep != nil {
		maps.DeleteFunc(fsys, func(name string, _ *fstest.MapFile) bool { return !keep(name) })
	}
	root := t.TempDir()
	if err := txtarfs.Write(root, fsys); err != nil {
		t.Fatal(err)
	}
	return root
}

// writeFile writes a file into a new temporary directory and returns its path.
func writeFile(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t *testing.T, opts categorize.Options) (string, error) {
	t.Helper()
	io, out, _ := iostreams.Test()
	opts.IO = io
	err := categorize.Run(context.Background(), &opts)
	return out.String(), err
}

var trailingSpace = regexp.MustCompile(`(?m)[ \t]+$`)

// trimLines drops the padding the table leaves at the ends of lines, so that expectations
// can be written without trailing spaces; the columns inside lines are compared as printed.
func trimLines(s string) string { return trailingSpace.ReplaceAllString(s, "") }

// The latest failures snapshot. The table is largest category first; the scores are
// highest first, kops-grid and other tie at 0.500 and go by name; --top 2 stars two.
const failuresLatest = `Total: 7 jobs in 4 categories (LABEL)
  CATEGORY                            COUNT
  node                                3
  kops                                2
  kops-grid                           1
  other                               1

Appendix A cluster scores (investigate the top 2):
  RANK CATEGORY                             COUNT MAX-DAYS SCORE
* 1    kops                                     2      400 4.693
* 2    node                                     3      100 2.099
  3    kops-grid                                1       50 0.500
  4    other                                    1       50 0.500
`

// The same with the default --top 8: every cluster is starred.
const failuresLatestTop8 = `Total: 7 jobs in 4 categories (LABEL)
  CATEGORY                            COUNT
  node                                3
  kops                                2
  kops-grid                           1
  other                               1

Appendix A cluster scores (investigate the top 8):
  RANK CATEGORY                             COUNT MAX-DAYS SCORE
* 1    kops                                     2      400 4.693
* 2    node                                     3      100 2.099
* 3    kops-grid                                1       50 0.500
* 4    other                                    1       50 0.500
`

// The older stored failures snapshot, chosen by date.
const failuresOlder = `Total: 2 jobs in 2 categories (LABEL)
  CATEGORY                            COUNT
  node                                1
  other                               1

Appendix A cluster scores (investigate the top 1):
  RANK CATEGORY                             COUNT MAX-DAYS SCORE
* 1    node                                     1       99 0.990
  2    other                                    1       49 0.490
`

// Flakes: the worst figure is the lowest consistency, and scores add 1 − it.
const flakesLatest = `Total: 4 jobs in 3 categories (LABEL)
  CATEGORY                            COUNT
  node                                2
  kops                                1
  other                               1

Appendix A cluster scores (investigate the top 8):
  RANK CATEGORY                             COUNT    MIN-C SCORE
* 1    node                                     2      0.6 1.093
* 2    kops                                     1      0.3 0.700
* 3    other                                    1     0.99 0.010
`

// A snapshot file outside the tree: both jobs are kops, ln 2 + 200/100 = 2.693.
const failuresFile = `Total: 2 jobs in 1 category (LABEL)
  CATEGORY                            COUNT
  kops                                2

Appendix A cluster scores (investigate the top 0):
  RANK CATEGORY                             COUNT MAX-DAYS SCORE
  1    kops                                     2      200 2.693
`

// A dashboard file that published null has no jobs.
const flakesNullFile = `Total: 0 jobs in 0 categories (LABEL)
  CATEGORY                            COUNT

Appendix A cluster scores (investigate the top 8):
  RANK CATEGORY                             COUNT    MIN-C SCORE
`

func TestRun(t *testing.T) {
	dir := writeTree(t, nil)
	stored := func(ds, date string) string { return dir + "/snapshots/" + ds + "/" + date + ".json" }
	kopsFile := writeFile(t, "kops.json", `{"e2e-kops-z": {"failing_days": 200}, "E2E-KOPS-y": {"failing_days": 1}}`)
	nullFile := writeFile(t, "null.json", "null")
	for _, tc := range []struct {
		name  string
		opts  categorize.Options
		label string
		want  string
	}{
		{"failures latest", categorize.Options{Dataset: "failures", Top: 2}, stored("failures", "2026-05-10"), failuresLatest},
		{"failures latest, top 8", categorize.Options{Dataset: "failures", Top: 8}, stored("failures", "2026-05-10"), failuresLatestTop8},
		{"failures latest by date", categorize.Options{Dataset: "failures", Top: 2, Snapshot: "2026-05-10"}, stored("failures", "2026-05-10"), failuresLatest},
		{"failures older by date", categorize.Options{Dataset: "failures", Top: 1, Snapshot: "2026-05-09"}, stored("failures", "2026-05-09"), failuresOlder},
		{"flakes latest", categorize.Options{Dataset: "flakes", Top: 8}, stored("flakes", "2026-05-10"), flakesLatest},
		{"failures from a file", categorize.Options{Dataset: "failures", Top: 0, Snapshot: kopsFile}, kopsFile, failuresFile},
		{"flakes from a null file", categorize.Options{Dataset: "flakes", Top: 8, Snapshot: nullFile}, nullFile, flakesNullFile},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.ContentDir = dir
			got, err := run(t, tc.opts)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			want := strings.Replace(tc.want, "LABEL", tc.label, 1)
			if trimLines(got) != want {
				t.Errorf("output differs\n--- got\n%s\n--- want\n%s", got, want)
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	dir := writeTree(t, nil)
	noFlakes := writeTree(t, func(name string) bool { return !strings.HasPrefix(name, "snapshots/flakes/") })
	missing := filepath.Join(t.TempDir(), "nowhere")
	notJSON := writeFile(t, "broken.json", `{"e2e-kops-z": {"failing_days": 200}`)
	flakesShape := writeFile(t, "flakes.json", `{"e2e-kops-f": {"consistency": 0.3, "flakes": 9, "test_flakes": null}}`)
	// A readable file named like a date, in the working directory: --snapshot 2026-05-07
	// must still mean the stored snapshot of that date.
	t.Chdir(filepath.Dir(writeFile(t, "2026-05-07", `{"e2e-kops-z": {"failing_days": 200}}`)))
	const dated = "2026-05-07"
	for _, tc := range []struct {
		name string
		opts categorize.Options
		want string // the whole error, or its start when it ends in "…"
	}{
		{"unknown dataset", categorize.Options{ContentDir: dir, Dataset: "fails"}, `unknown dataset "fails": want failures or flakes`},
		{"dataset checked before loading", categorize.Options{ContentDir: missing, Dataset: ""}, `unknown dataset "": want failures or flakes`},
		{"no content tree", categorize.Options{ContentDir: missing, Dataset: "failures"}, "load " + missing + ":\n…"},
		{"no stored snapshot", categorize.Options{ContentDir: noFlakes, Dataset: "flakes"}, "no stored flakes snapshot; run `triagesite snapshot fetch --dataset flakes` first"},
		{"unknown date", categorize.Options{ContentDir: dir, Dataset: "failures", Snapshot: "2026-05-08"}, "--snapshot 2026-05-08: no stored failures snapshot of that date (2 stored, 2026-05-09 to 2026-05-10)"},
		{"a date of the other dataset", categorize.Options{ContentDir: dir, Dataset: "flakes", Snapshot: "2026-05-09"}, "--snapshot 2026-05-09: no stored flakes snapshot of that date (the one stored is 2026-05-10)"},
		{"a missing file", categorize.Options{ContentDir: dir, Dataset: "failures", Snapshot: missing + ".json"}, "--snapshot " + missing + ".json: not a stored failures snapshot date and not a readable file"},
		{"a file that is not JSON", categorize.Options{ContentDir: dir, Dataset: "failures", Snapshot: notJSON}, "--snapshot " + notJSON + ": snapshot: not JSON…"},
		{"a file of the other dataset", categorize.Options{ContentDir: dir, Dataset: "failures", Snapshot: flakesShape}, "--snapshot " + flakesShape + `: snapshot: job "e2e-kops-f": field "consistency": not a failures field (want [failing_days])`},
		{"a date is never read as a file", categorize.Options{ContentDir: dir, Dataset: "failures", Snapshot: dated}, "--snapshot " + dated + ": no stored failures snapshot of that date (2 stored, 2026-05-09 to 2026-05-10)"},
		{"a negative --top", categorize.Options{ContentDir: dir, Dataset: "failures", Top: -1}, "--top -1: want how many clusters to mark, 0 or more"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := run(t, tc.opts)
			if err == nil {
				t.Fatalf("Run succeeded, want error %q; printed:\n%s", tc.want, out)
			}
			if prefix, ok := strings.CutSuffix(tc.want, "…"); ok {
				if !strings.HasPrefix(err.Error(), prefix) {
					t.Errorf("error = %q, want it to start with %q", err, prefix)
				}
			} else if err.Error() != tc.want {
				t.Errorf("error = %q, want %q", err, tc.want)
			}
			if out != "" {
				t.Errorf("printed %q on error, want nothing", out)
			}
		})
	}
}

// TestRunBundledContent categorizes the repository's own latest failures snapshot, which
// holds 36 jobs, and checks that --top 8 stars exactly eight clusters.
func TestRunBundledContent(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "content")
	if _, err := os.Stat(filepath.Join(dir, "categories.yaml")); err != nil {
		t.Skipf("bundled content not found: %v", err)
	}
	out, err := run(t, categorize.Options{ContentDir: dir, Dataset: "failures", Top: 8})
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(out, "\n")
	m := regexp.MustCompile(`^Total: 36 jobs in (\d+) categories \(\.\./\.\./\.\./content/snapshots/failures/2026-05-10\.json\)$`).FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("first line = %q, want the 36 jobs of failures/2026-05-10.json", first)
	}
	if n := strings.Count(out, "\n* "); n != 8 {
		t.Errorf("%d clusters starred, want 8 (there are %s categories):\n%s", n, m[1], out)
	}
	// Rows derived by hand from categories.yaml and the JSON: gci-gce-flaky holds
	// ci-kubernetes-e2e-gci-gce-flaky (1637d) and its -repro (221d), ln 2 + 16.37 = 17.063;
	// e2e-kops-aws-hostname-bug121018 (530d) alone is kops-aws; the two
	// e2e-kops-staging-registry jobs (146d, 144d) score ln 2 + 1.46 = 2.153, ninth, unstarred.
	for _, want := range []string{
		"\n* 1    k/k-gci-gce-flaky                        2     1637 17.063\n",
		"\n* 3    kops-aws                                 1      530 5.300\n",
		"\n  9    kops-staging-registry                    2      146 2.153\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestNewCmdCategorize(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		want    *categorize.Options // nil: the command fails before running
		wantErr string              // the whole error, or its start when it ends in "…"
	}{
		{
			name: "defaults",
			args: []string{"--dataset", "failures"},
			want: &categorize.Options{ContentDir: "content", Dataset: "failures", Top: 8},
		},
		{
			name: "every flag",
			args: []string{"--dataset=flakes", "--content", "x/content", "--snapshot", "2026-05-10", "--top", "3"},
			want: &categorize.Options{ContentDir: "x/content", Dataset: "flakes", Snapshot: "2026-05-10", Top: 3},
		},
		{
			name: "values are checked by Run, not by the flags",
			args: []string{"--dataset", "nope", "--top", "-1"},
			want: &categorize.Options{ContentDir: "content", Dataset: "nope", Top: -1},
		},
		{name: "dataset is required", args: nil, wantErr: `required flag(s) "dataset" not set`},
		{name: "top is a number", args: []string{"--dataset", "failures", "--top", "many"}, wantErr: `invalid argument "many" for "--top" flag: …`},
		{name: "no positional arguments", args: []string{"--dataset", "failures", "extra"}, wantErr: `unknown command "extra" for "categorize"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			io, _, _ := iostreams.Test()
			var got *categorize.Options
			cmd := categorize.NewCmdCategorize(io, func(_ context.Context, o *categorize.Options) error {
				got = o
				return nil
			})
			var sink bytes.Buffer
			cmd.SetOut(&sink)
			cmd.SetErr(&sink)
			cmd.SetArgs(tc.args)
			err := cmd.Execute()
			if tc.want == nil {
				prefix, partial := strings.CutSuffix(tc.wantErr, "…")
				switch {
				case err == nil:
					t.Errorf("Execute succeeded, want %q", tc.wantErr)
				case partial && !strings.HasPrefix(err.Error(), prefix), !partial && err.Error() != tc.wantErr:
					t.Errorf("err = %q, want %q", err, tc.wantErr)
				}
				if got != nil {
					t.Errorf("runF was called with %+v", *got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got == nil {
				t.Fatal("runF was not called")
			}
			if got.IO != io {
				t.Error("Options.IO is not the streams given to NewCmdCategorize")
			}
			got.IO = nil
			if *got != *tc.want {
				t.Errorf("Options = %+v, want %+v", *got, *tc.want)
			}
		})
	}
}

// TestNewCmdCategorizeRuns checks that without runF the command runs Run with the flags'
// values and prints to the streams it was given.
func TestNewCmdCategorizeRuns(t *testing.T) {
	dir := writeTree(t, nil)
	io, out, _ := iostreams.Test()
	cmd := categorize.NewCmdCategorize(io, nil)
	var sink bytes.Buffer
	cmd.SetOut(&sink)
	cmd.SetErr(&sink)
	cmd.SetArgs([]string{"--dataset", "failures", "--content", dir, "--top", "2"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(failuresLatest, "LABEL", dir+"/snapshots/failures/2026-05-10.json", 1)
	if trimLines(out.String()) != want {
		t.Errorf("output differs\n--- got\n%s\n--- want\n%s", out, want)
	}
}
