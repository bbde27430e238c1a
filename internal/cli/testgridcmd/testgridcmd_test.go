package testgridcmd_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/testgridcmd"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// checkout is a two-file test-infra tree.
const checkout = `
-- config/testgrids/kubernetes/sig-release/config.yaml --
dashboard_groups:
- name: sig-release
  dashboard_names: [sig-release-master-blocking, sig-release-master-informing, sig-release-misc]
-- config/jobs/kubernetes/sig-node/node.yaml --
periodics:
- name: ci-node-e2e
  annotations:
    testgrid-dashboards: sig-release-master-blocking, sig-node
- name: ci-node-extra
  annotations:
    testgrid-dashboards: sig-release-master-informing
`

// gitRepo makes a git repository of the checkout with one commit at a fixed date, and
// returns its directory and the commit.
func gitRepo(t *testing.T) (string, string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	if err := txtarfs.Write(dir, txtarfs.FS(checkout)); err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
			"GIT_COMMITTER_EMAIL=t@example.com", "GIT_AUTHOR_DATE=2026-08-22T06:43:13Z", "GIT_COMMITTER_DATE=2026-08-22T06:43:13Z",
			"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q", "-b", "main")
	git("add", ".")
	git("commit", "-q", "-m", "fixture")
	return dir, git("rev-parse", "HEAD")
}

func run(t *testing.T, opts testgridcmd.Options) (string, string, error) {
	t.Helper()
	io, out, _ := iostreams.Test()
	opts.IO = io
	opts.ContentDir = t.TempDir()
	err := testgridcmd.Run(context.Background(), &opts)
	return opts.ContentDir, out.String(), err
}

func checkFile(t *testing.T, contentDir, commit string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(contentDir, content.TestGridFile))
	if err != nil {
		t.Fatal(err)
	}
	want := `# yaml-language-server: $schema=../schema/testgrid.json
# Written by ` + "`triagesite testgrid refresh`" + ` from kubernetes/test-infra at ` + commit + `;
# edit test-infra's dashboards and refresh rather than editing this file.
source: kubernetes/test-infra
commit: ` + commit + `
commit_date: "2026-08-22T06:43:13+00:00"
dashboards:
  - name: sig-release-master-blocking
    kind: blocking
    jobs:
      - ci-node-e2e
  - name: sig-release-master-informing
    kind: informing
    jobs:
      - ci-node-extra
`
	if string(data) != want {
		t.Errorf("testgrid.yaml:\n%s\nwant\n%s", data, want)
	}
	// The loader takes what the refresher writes.
	minimal, err := os.ReadFile("../../content/testdata/minimal.txtar")
	if err != nil {
		t.Fatal(err)
	}
	tree, err := content.Load(txtarfs.FS(string(minimal), "-- testgrid.yaml --\n"+string(data)), ".")
	if err != nil {
		t.Fatalf("the written file does not load: %v", err)
	}
	if tree.TestGrid == nil || tree.TestGrid.Commit != commit || len(tree.TestGrid.Dashboards) != 2 {
		t.Errorf("loaded: %+v", tree.TestGrid)
	}
}

func TestRefreshFromCheckout(t *testing.T) {
	dir, commit := gitRepo(t)
	contentDir, out, err := run(t, testgridcmd.Options{Checkout: dir})
	if err != nil {
		t.Fatal(err)
	}
	checkFile(t, contentDir, commit)
	if !strings.Contains(out, "2 dashboards, 2 job listings, test-infra at "+commit) {
		t.Errorf("output: %q", out)
	}
}

// Without --checkout the repository is cloned, here from a local one: no network.
func TestRefreshByCloning(t *testing.T) {
	dir, commit := gitRepo(t)
	contentDir, _, err := run(t, testgridcmd.Options{Repo: "file://" + dir})
	if err != nil {
		t.Fatal(err)
	}
	checkFile(t, contentDir, commit)
}

func TestRefreshErrorsWriteNothing(t *testing.T) {
	notGit := t.TempDir()
	if err := txtarfs.Write(notGit, txtarfs.FS(checkout)); err != nil {
		t.Fatal(err)
	}
	dir, _ := gitRepo(t)
	if err := os.WriteFile(filepath.Join(dir, "config/jobs/bad.yaml"), []byte("periodics: [\ntestgrid-dashboards"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, opts := range map[string]testgridcmd.Options{
		"not a git checkout": {Checkout: notGit},
		"a broken job file":  {Checkout: dir},
		"no such repository": {Repo: "file://" + filepath.Join(t.TempDir(), "nope")},
	} {
		contentDir, _, err := run(t, opts)
		if err == nil {
			t.Errorf("%s: no error", name)
		}
		if _, serr := os.Stat(filepath.Join(contentDir, content.TestGridFile)); serr == nil {
			t.Errorf("%s: testgrid.yaml written", name)
		}
		if name == "a broken job file" && (err == nil || !strings.Contains(err.Error(), "config/jobs/bad.yaml")) {
			t.Errorf("%s: error does not name the file: %v", name, err)
		}
	}
}
