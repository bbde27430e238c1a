package drift_test

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/triagesite/triagesite/internal/cli/drift"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// writeTree writes the files of the testdata archives named (later ones replacing earlier
// ones' files) under a new temporary directory, keeping only those keep accepts (nil: all),
// and returns the directory.
func writeTree(t *testing.T, keep func(name string) bool, archives ...string) string {
	t.Helper()
	var texts []string
	for _, a := range archives {
		data, err := os.ReadFile(filepath.Join("testdata", a))
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(data))
	}
	fsys := txtarfs.FS(texts...)
	if keep != nil {
		maps.DeleteFunc(fsys, func(name string, _ *fstest.MapFile) bool { return !keep(name) })
	}
	root := t.TempDir()
	if err := txtarfs.Write(root, fsys); err != nil {
		t.Fatal(err)
	}
	return root
}

// fullTree is the base tree with three failures snapshots and two flakes snapshots.
func fullTree(t *testing.T) string {
	t.Helper()
	return writeTree(t, nil, "base.txtar", "failures.txtar", "flakes.txtar")
}

// run runs drift on opts and returns what it printed.
func run(t *testing.T, opts drift.Options) (string, error) {
	t.Helper()
	io, out, _ := iostreams.Test()
	opts.IO = io
	err := drift.Run(context.Background(), &opts)
	return out.String(), err
}

const failuresText = `failures drift 2026-05-08 -> 2026-05-10
2 days apart; 5 -> 5 jobs (net +0); 2 added, 2 removed, 3 in both.

Added (2):
  job-back (7d)
  job-new (0d)

Removed (2):
  job-gone (50d)
  job-gone-small (3d)

Did not grow by exactly 2 day(s) (2):
  job-fast: 4 -> 9 (expected 6): grew faster than the calendar
  job-reset: 30 -> 1 (expected 32): reset: it passed in between

Reappeared after a gap (1):
  job-back (last seen 2026-05-01)
`

const failuresMarkdown = `## failures drift 2026-05-08 → 2026-05-10

2 days apart; 5 -> 5 jobs (net +0); 2 added, 2 removed, 3 in both.

### Added (2)

- job-back (7d)
- job-new (0d)

### Removed (2)

- job-gone (50d)
- job-gone-small (3d)

### Did not grow by exactly 2 day(s) (2)

- job-fast: 4 -> 9 (expected 6): grew faster than the calendar
- job-reset: 30 -> 1 (expected 32): reset: it passed in between

### Reappeared after a gap (1)

- job-back (last seen 2026-05-01)
`

// The first two snapshots: job-steady grows by exactly the 7 days, so nothing is listed
// as not grown; the added jobs are worst first; job-back leaves. Nothing reappears, since
// no snapshot precedes 2026-05-01.
const failuresFirstWeek = `failures drift 2026-05-01 -> 2026-05-08
7 days apart; 2 -> 5 jobs (net +3); 4 added, 1 removed, 1 in both.

Added (4):
  job-gone (50d)
  job-reset (30d)
  job-fast (4d)
  job-gone-small (3d)

Removed (1):
  job-back (5d)

Did not grow by exactly 7 day(s) (0):

Reappeared after a gap (0):
`

// The first snapshot to the last, skipping the middle one: 9 days. job-back is in both
// ends, so it is common (and reset), not reappeared.
const failuresSkip = `failures drift 2026-05-01 -> 2026-05-10
9 days apart; 2 -> 5 jobs (net +3); 3 added, 0 removed, 2 in both.

Added (3):
  job-fast (9d)
  job-reset (1d)
  job-new (0d)

Removed (0):

Did not grow by exactly 9 day(s) (1):
  job-back: 5 -> 7 (expected 14): reset: it passed in between

Reappeared after a gap (0):
`

// Consistency changes are largest first by absolute change, whatever their sign, and a
// job whose flakes count changed but whose consistency did not (flaky-same) is not listed.
const flakesText = `flakes drift 2026-05-09 -> 2026-05-10
1 day apart; 5 -> 5 jobs (net +0); 1 added, 1 removed, 4 in both.

Added (1):
  flaky-new (consistency 0.95, flakes 1)

Removed (1):
  flaky-gone (consistency 0.7, flakes 4)

Consistency changed (3):
  flaky-c: 0.95 -> 0.45
  flaky-b: 0.5 -> 0.75
  flaky-a: 0.9 -> 0.85

Reappeared after a gap (0):
`

const flakesMarkdown = `## flakes drift 2026-05-09 → 2026-05-10

1 day apart; 5 -> 5 jobs (net +0); 1 added, 1 removed, 4 in both.

### Added (1)

- flaky-new (consistency 0.95, flakes 1)

### Removed (1)

- flaky-gone (consistency 0.7, flakes 4)

### Consistency changed (3)

- flaky-c: 0.95 -> 0.45
- flaky-b: 0.5 -> 0.75
- flaky-a: 0.9 -> 0.85

### Reappeared after a gap (0)

`

func TestRun(t *testing.T) {
	dir := fullTree(t)
	for _, tc := range []struct {
		name string
		opts drift.Options
		want string
	}{
		{"failures text, two latest", drift.Options{Dataset: "failures", Format: "text"}, failuresText},
		{"failures markdown, two latest", drift.Options{Dataset: "failures", Format: "markdown"}, failuresMarkdown},
		{"failures, both dates given", drift.Options{Dataset: "failures", Format: "text", From: "2026-05-08", To: "2026-05-10"}, failuresText},
		{"failures, from and to", drift.Options{Dataset: "failures", Format: "text", From: "2026-05-01", To: "2026-05-08"}, failuresFirstWeek},
		{"failures, to only: from is the one before", drift.Options{Dataset: "failures", Format: "text", To: "2026-05-08"}, failuresFirstWeek},
		{"failures, from only: to is the latest", drift.Options{Dataset: "failures", Format: "text", From: "2026-05-01"}, failuresSkip},
		{"flakes text", drift.Options{Dataset: "flakes", Format: "text"}, flakesText},
		{"flakes markdown", drift.Options{Dataset: "flakes", Format: "markdown"}, flakesMarkdown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.ContentDir = dir
			got, err := run(t, tc.opts)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if got != tc.want {
				t.Errorf("output differs\n--- got\n%s\n--- want\n%s", got, tc.want)
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	full := fullTree(t)
	// Only the base tree and the later flakes snapshot: no failures, one flakes.
	sparse := writeTree(t, func(name string) bool {
		return !strings.HasPrefix(name, "snapshots/") || strings.HasPrefix(name, "snapshots/flakes/2026-05-10.")
	}, "base.txtar", "flakes.txtar")
	missing := filepath.Join(t.TempDir(), "nowhere")
	for _, tc := range []struct {
		name string
		opts drift.Options
		want string // the whole error, or its start when it ends in "…"
	}{
		{"unknown dataset", drift.Options{ContentDir: full, Dataset: "flaky", Format: "text"}, `unknown dataset "flaky": want failures or flakes`},
		{"empty dataset", drift.Options{ContentDir: full, Format: "text"}, `unknown dataset "": want failures or flakes`},
		{"unknown format", drift.Options{ContentDir: full, Dataset: "failures", Format: "html"}, `--format "html": want text or markdown`},
		{"format checked before loading", drift.Options{ContentDir: missing, Dataset: "failures", Format: "json"}, `--format "json": want text or markdown`},
		{"no content tree", drift.Options{ContentDir: missing, Dataset: "failures", Format: "text"}, "load " + missing + ":\n…"},
		{"no snapshots", drift.Options{ContentDir: sparse, Dataset: "failures", Format: "text"}, "drift needs two stored failures snapshots; there are 0"},
		{"one snapshot", drift.Options{ContentDir: sparse, Dataset: "flakes", Format: "markdown"}, "drift needs two stored flakes snapshots; there are 1"},
		{"unknown from", drift.Options{ContentDir: full, Dataset: "failures", Format: "text", From: "2026-05-09"}, "no stored failures snapshot dated 2026-05-09"},
		{"unknown to", drift.Options{ContentDir: full, Dataset: "flakes", Format: "text", To: "2026-05-11"}, "no stored flakes snapshot dated 2026-05-11"},
		{"unknown to, known from", drift.Options{ContentDir: full, Dataset: "failures", Format: "text", From: "2026-05-01", To: "2026-04-30"}, "no stored failures snapshot dated 2026-04-30"},
		{"from after to", drift.Options{ContentDir: full, Dataset: "failures", Format: "text", From: "2026-05-10", To: "2026-05-01"}, "--from 2026-05-10 must be earlier than --to 2026-05-01"},
		{"from equals to", drift.Options{ContentDir: full, Dataset: "failures", Format: "text", From: "2026-05-08", To: "2026-05-08"}, "--from 2026-05-08 must be earlier than --to 2026-05-08"},
		{"from is the latest, to defaulted", drift.Options{ContentDir: full, Dataset: "flakes", Format: "text", From: "2026-05-10"}, "--from 2026-05-10 must be earlier than --to 2026-05-10"},
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

// TestRunToOldest asks for the drift to the oldest snapshot without --from: there is no
// earlier snapshot to compare with, so it should be an error.
func TestRunToOldest(t *testing.T) {
	opts := drift.Options{ContentDir: fullTree(t), Dataset: "failures", Format: "text", To: "2026-05-01"}
	var err error
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("Run panicked: %v", r)
			}
		}()
		_, err = run(t, opts)
	}()
	if err == nil {
		t.Fatal("Run succeeded, want an error: nothing precedes 2026-05-01")
	}
	if want := "no stored failures snapshot is older than 2026-05-01, the oldest; give a later --to"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

// TestRunBundledContent runs drift on the repository's own content: the two failures
// snapshots are a day apart, 2026-05-10 dropped one job of 2026-05-09 and every other job
// grew by exactly one day (checked with jq against the JSON files).
func TestRunBundledContent(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "content")
	if _, err := os.Stat(filepath.Join(dir, "snapshots", "failures", "2026-05-09.json")); err != nil {
		t.Skipf("bundled content not found: %v", err)
	}
	out, err := run(t, drift.Options{ContentDir: dir, Dataset: "failures", Format: "text"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"failures drift 2026-05-09 -> 2026-05-10\n1 day apart; 37 -> 36 jobs (net -1); 0 added, 1 removed, 36 in both.\n",
		"\nAdded (0):\n",
		"\nRemoved (1):\n  ci-kubernetes-e2e-azure-dra-with-workload-scalability (",
		"\nDid not grow by exactly 1 day(s) (0):\n",
		"\nReappeared after a gap (0):\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := run(t, drift.Options{ContentDir: dir, Dataset: "flakes", Format: "text"}); err == nil ||
		err.Error() != "drift needs two stored flakes snapshots; there are 1" {
		t.Errorf("flakes: err = %v, want the one-snapshot error", err)
	}
}

func TestNewCmdDrift(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		want    *drift.Options // nil: the command fails before running
		wantErr string
	}{
		{
			name: "defaults",
			args: []string{"--dataset", "failures"},
			want: &drift.Options{ContentDir: "content", Dataset: "failures", Format: "text"},
		},
		{
			name: "every flag",
			args: []string{"--dataset=flakes", "--content", "x/content", "--from", "2026-05-01", "--to", "2026-05-10", "--format", "markdown"},
			want: &drift.Options{ContentDir: "x/content", Dataset: "flakes", From: "2026-05-01", To: "2026-05-10", Format: "markdown"},
		},
		{
			name: "values are checked by Run, not by the flags",
			args: []string{"--dataset", "nope", "--format", "html"},
			want: &drift.Options{ContentDir: "content", Dataset: "nope", Format: "html"},
		},
		{name: "dataset is required", args: nil, wantErr: `required flag(s) "dataset" not set`},
		{name: "dataset is required with other flags", args: []string{"--from", "2026-05-01"}, wantErr: `required flag(s) "dataset" not set`},
		{name: "no positional arguments", args: []string{"--dataset", "failures", "extra"}, wantErr: `unknown command "extra" for "drift"`},
		{name: "unknown flag", args: []string{"--dataset", "failures", "--since", "2026-05-01"}, wantErr: "unknown flag: --since"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			io, _, _ := iostreams.Test()
			var got *drift.Options
			cmd := drift.NewCmdDrift(io, func(_ context.Context, o *drift.Options) error {
				got = o
				return nil
			})
			var sink bytes.Buffer
			cmd.SetOut(&sink)
			cmd.SetErr(&sink)
			cmd.SetArgs(tc.args)
			err := cmd.Execute()
			if tc.want == nil {
				if err == nil || err.Error() != tc.wantErr {
					t.Errorf("err = %v, want %q", err, tc.wantErr)
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
				t.Error("Options.IO is not the streams given to NewCmdDrift")
			}
			got.IO = nil
			if *got != *tc.want {
				t.Errorf("Options = %+v, want %+v", *got, *tc.want)
			}
		})
	}
}

// TestNewCmdDriftRuns checks that without runF the command runs Run and prints to the
// streams it was given.
func TestNewCmdDriftRuns(t *testing.T) {
	io, out, _ := iostreams.Test()
	cmd := drift.NewCmdDrift(io, nil)
	var sink bytes.Buffer
	cmd.SetOut(&sink)
	cmd.SetErr(&sink)
	cmd.SetArgs([]string{"--dataset", "failures", "--content", fullTree(t)})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if out.String() != failuresText {
		t.Errorf("output differs\n--- got\n%s\n--- want\n%s", out, failuresText)
	}

	io, out, _ = iostreams.Test()
	cmd = drift.NewCmdDrift(io, nil)
	cmd.SetOut(&sink)
	cmd.SetErr(&sink)
	cmd.SetArgs([]string{"--dataset", "failures", "--content", fullTree(t), "--format", "csv"})
	if err := cmd.Execute(); err == nil || err.Error() != `--format "csv": want text or markdown` {
		t.Errorf("err = %v, want the --format error", err)
	}
	if out.Len() != 0 {
		t.Errorf("printed %q on error", out)
	}
}

// A {} snapshot is not drifted: every job would read as removed. The output says so instead.
func TestRunEmptySnapshot(t *testing.T) {
	dir := writeTree(t, nil, "base.txtar", "flakes.txtar")
	if err := txtarfs.Write(dir, txtarfs.FS(`-- snapshots/flakes/2026-05-11.json --
{}
-- snapshots/flakes/2026-05-11.meta.yaml --
dataset: flakes
date: "2026-05-11"
source: gs://k8s-metrics/flakes-latest.json
sha256: auto
`)); err != nil {
		t.Fatal(err)
	}
	got, err := run(t, drift.Options{Dataset: "flakes", Format: "text", ContentDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	want := "flakes drift 2026-05-10 -> 2026-05-11\nNot compared: the snapshot of 2026-05-11 lists no jobs (the file is null or {}), so every job would read as removed. See the input-health page.\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestRunTruncatedSnapshot: a snapshot cut short is reported once, at the line and column
// where it stops, with the job being read there.
func TestRunTruncatedSnapshot(t *testing.T) {
	dir := fullTree(t)
	name := filepath.Join(dir, "snapshots", "failures", "2026-05-08.json")
	doc := "{\"ci-a\": {\"failing_days\": 1},\n \"ci-b\": {\"failing_da"
	if err := os.WriteFile(name, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := run(t, drift.Options{ContentDir: dir, Dataset: "failures", Format: "text"})
	if err == nil {
		t.Fatal("drift over a truncated snapshot succeeded")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 2 {
		t.Fatalf("want the load line and one error, got:\n%s", err)
	}
	want := name + `:2:22: snapshot: job "ci-b": not JSON: `
	if !strings.HasPrefix(lines[1], want) {
		t.Errorf("error:\n%s\nwant it to start %s", lines[1], want)
	}
}
