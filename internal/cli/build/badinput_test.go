package build_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/cli/build"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// badInputs is the catalogue of malformed and hostile content: each case breaks the
// loader's minimal tree in one way, and build must refuse it with exactly these lines on
// stderr, each at the offending byte or value.
var badInputs = []struct {
	name     string
	override string                         // a txtar archive of files replacing the tree's
	setup    func(t *testing.T, dir string) // changes txtar cannot make (links, large files)
	want     []string
}{
	{
		name:     "tab indentation",
		override: "-- sigs.yaml --\nsigs:\n  - id: sig-node\n\tname: SIG Node\n",
		want:     []string{`content/sigs.yaml:3:1: invalid YAML: a tab in the indentation; YAML indents with spaces`},
	},
	{
		name:     "invalid UTF-8",
		override: "-- sigs.yaml --\nsigs:\n  - id: sig-node\n    name: SIG \xc3Node\n",
		want:     []string{`content/sigs.yaml:3:15: invalid UTF-8 (byte 0xc3); content files are UTF-8 text`},
	},
	{
		name:     "NUL byte",
		override: "-- repos.yaml --\nrepos:\n  - repo: kubernetes/kubernetes\n    aliases: [k/k]\n  - repo: kubernetes/test-infra\x00\n",
		want:     []string{`content/repos.yaml:4:32: control character U+0000 is not allowed in YAML`},
	},
	{
		name:     "second YAML document",
		override: "-- categories.yaml --\nrules: []\nfallback: other\n---\nrules: []\n",
		want: []string{
			`content/categories.yaml:3:1: a second YAML document starts here; a content file holds one document (remove the ---)`,
		},
	},
	{
		name:     "top level is a list",
		override: "-- repos.yaml --\n- repo: kubernetes/kubernetes\n- repo: kubernetes/test-infra\n",
		want: []string{
			`content/repos.yaml:1:1: want a mapping with keys repos at the top level, got a list`,
		},
	},
	{
		name: "unknown SIG, category and pattern in a report",
		override: `-- sigs.yaml --
sigs:
  - id: sig-node
    name: SIG Node
    categories: [k/k-node-e2e, k/k-nope]
-- reports/2026-05-10-failures.yaml --
title: Failures triage
date: "2026-05-10"
dataset: failures
snapshot: "2026-05-10"
patterns:
  - letter: A
    pattern: node-flakes
tiers:
  - tier: 2
    items:
      - id: "2.1"
        action: Bump the wait
        sigs: [sig-node, sig-nodes]
`,
		want: []string{
			`content/reports/2026-05-10-failures.yaml:7:14: pattern "node-flakes": no patterns/node-flakes.yaml`,
			`content/reports/2026-05-10-failures.yaml:13:26: action names SIG "sig-nodes", which sigs.yaml does not define`,
			`content/sigs.yaml:4:32: SIG "sig-node" owns category "k/k-nope", which categories.yaml does not define`,
		},
	},
	{
		name:     "impossible date",
		override: "-- reports/2026-05-10-failures.yaml --\ntitle: T\ndate: 2026-02-30\ndataset: failures\nsnapshot: \"2026-05-10\"\ncitations:\n  - ref: k/k#100\n    state: merged\n    merged_at: 2026-02-30T10:00:00Z\n",
		want: []string{
			`content/reports/2026-05-10-failures.yaml:1:1: report file must be named 2026-02-30-failures.yaml after its date and dataset`,
			`content/reports/2026-05-10-failures.yaml:2:7: date "2026-02-30" must be a real date, YYYY-MM-DD`,
			`content/reports/2026-05-10-failures.yaml:8:16: k/k#100: merged_at "2026-02-30T10:00:00Z" must be a date or an RFC 3339 time`,
		},
	},
	{
		name:     "sha256 mismatch",
		override: "-- snapshots/failures/2026-05-09.meta.yaml --\ndataset: failures\ndate: \"2026-05-09\"\nsource: gs://k8s-metrics/failures-latest.json\nsha256: ab00000000000000000000000000000000000000000000000000000000000000\n",
		want: []string{
			`content/snapshots/failures/2026-05-09.meta.yaml:4:9: sha256 "ab00000000000000000000000000000000000000"… does not match 2026-05-09.json (its sha256 is 10a08cbbe8d1e81a533dba7d44d749607007fa3b40ac74ad3ea79d3bf0554853)`,
		},
	},
	{
		name:     "a number where the schema says text",
		override: "-- patterns/node-flake.yaml --\nslug: node-flake\ndataset: failures\ntitle: 42\nsubpatterns:\n  - id: the-wait\n    title: true\n",
		want: []string{
			`content/patterns/node-flake.yaml:3:8: want text, got the whole number "42"; quote it if it is meant as text`,
			`content/patterns/node-flake.yaml:6:12: want text, got the boolean "true"; quote it if it is meant as text`,
		},
	},
	{
		name:     "truncated snapshot",
		override: "-- snapshots/failures/2026-05-09.json --\n{\"ci-node-e2e-a\": {\"failing_days\": 9},\n \"e2e-kops-gone\": {\"failing_d\n",
		want: []string{
			`content/snapshots/failures/2026-05-09.json:3:1: snapshot: job "e2e-kops-gone": not JSON: cannot parse object: cannot parse object value: cannot parse object: cannot parse object key: missing closing '"'`,
		},
	},
	{
		name:     "pattern saved as .yml",
		override: "-- patterns/other.yml --\nslug: other\n-- reports/2026-05-09-failures.yml --\ntitle: T\n",
		want: []string{
			`content/patterns/other.yml:1:1: content files end in .yaml; rename it to other.yaml`,
			`content/reports/2026-05-09-failures.yml:1:1: content files end in .yaml; rename it to 2026-05-09-failures.yaml`,
		},
	},
	{
		name:     "citation line number past int64",
		override: "-- patterns/node-flake.yaml --\nslug: node-flake\ndataset: failures\ntitle: T\ncitations:\n  - ref: k/k:test/e2e_node/a_test.go:9223372036854775808\n",
		want: []string{
			`content/patterns/node-flake.yaml:5:10: citation "k/k:test/e2e_node/a_test.go:9223372036854775808": line number 9223372036854775808 is past 1073741824, the largest a citation may name`,
		},
	},
	{
		name:     "citation line number past int64 in prose",
		override: "-- patterns/node-flake.yaml --\nslug: node-flake\ndataset: failures\ntitle: T\nsummary: The wait at k/k:test/e2e_node/a_test.go:99999999999999999999.\n",
		want: []string{
			`content/patterns/node-flake.yaml:4:22: citation "k/k:test/e2e_node/a_test.go:99999999999999999999": line number 99999999999999999999 is past 1073741824, the largest a citation may name`,
		},
	},
	{
		name:     "billion laughs",
		override: "-- categories.yaml --\n" + billionLaughs(),
		want: []string{
			`content/categories.yaml:13:21: aliases expand this file past 250000 values, the limit; write the values out instead`,
		},
	},
	{
		name: "YAML file over the size limit",
		setup: func(t *testing.T, dir string) {
			big := "rules: []\nfallback: other\n# " + strings.Repeat("x", 1<<20) + "\n"
			write(t, filepath.Join(dir, "categories.yaml"), big)
		},
		want: []string{`content/categories.yaml:1:1: 1048605 bytes, over the 1 MiB limit for a content file`},
	},
	{
		name: "link out of content",
		setup: func(t *testing.T, dir string) {
			secret, err := filepath.Abs(filepath.Join(dir, "..", "secret.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			write(t, secret, "slug: "+strings.Repeat("root:x:0:0:", 20)+"\n")
			if err := os.Symlink(secret, filepath.Join(dir, "patterns", "secret.yaml")); err != nil {
				t.Fatal(err)
			}
		},
		want: []string{`content/patterns/secret.yaml:1:1: reached through a symbolic link out of the content directory; content must live inside it`},
	},
}

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

func write(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBadInputCatalogue builds each bad input over a site built from good content: the
// build fails with the catalogued errors, and the previous site/ and the lock are
// byte-identical afterwards.
func TestBadInputCatalogue(t *testing.T) {
	minimal, err := os.ReadFile("../../content/testdata/minimal.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range badInputs {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			t.Chdir(root) // positions then read content/…, as in a repository
			if err := txtarfs.Write("content", txtarfs.FS(string(minimal))); err != nil {
				t.Fatal(err)
			}
			lockPath := filepath.Join("content", evidence.FileName)
			if err := evidence.New(nil).Write(lockPath); err != nil {
				t.Fatal(err)
			}
			io, _, _ := iostreams.Test()
			opts := &build.Options{IO: io, ContentDir: "content", OutDir: "site", Version: "test"}
			if err := build.Run(context.Background(), opts); err != nil {
				t.Fatalf("build of the good tree: %v", err)
			}
			site, lock := snapshotDir(t, "site"), readFile(t, lockPath)

			if tc.override != "" {
				if err := txtarfs.Write("content", txtarfs.FS(tc.override)); err != nil {
					t.Fatal(err)
				}
			}
			if tc.setup != nil {
				tc.setup(t, "content")
			}
			io, _, errOut := iostreams.Test()
			opts.IO = io
			if err := build.Run(context.Background(), opts); err == nil {
				t.Fatal("build of bad content succeeded")
			}
			if got, want := strings.TrimSuffix(errOut.String(), "\n"), strings.Join(tc.want, "\n"); got != want {
				t.Errorf("stderr:\n%s\nwant:\n%s", got, want)
			}
			if after := snapshotDir(t, "site"); !equalTrees(site, after) {
				t.Error("the previous site/ changed")
			}
			if !bytes.Equal(readFile(t, lockPath), lock) {
				t.Error("the lock changed")
			}
		})
	}
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func equalTrees(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
