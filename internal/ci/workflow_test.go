package ci_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

type workflow struct {
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		Steps []struct {
			Uses string `yaml:"uses"`
			Run  string `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

var pinned = regexp.MustCompile(`^[\w.-]+/[\w.-]+@[0-9a-f]{40}$`)

// TestWorkflowsRunTheScript: every workflow runs its commands only through check.sh (so the
// test below runs exactly what CI runs), pins every action to a commit and reads only.
func TestWorkflowsRunTheScript(t *testing.T) {
	for file, mode := range map[string]string{"pr.yml": "pr", "publish.yml": "main"} {
		data, err := os.ReadFile(filepath.Join("../../.github/workflows", file))
		if err != nil {
			t.Fatal(err)
		}
		var w workflow
		if err := yaml.Unmarshal(data, &w); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if len(w.Permissions) != 1 || w.Permissions["contents"] != "read" {
			t.Errorf("%s: permissions %v, want only contents: read", file, w.Permissions)
		}
		runs := 0
		for _, job := range w.Jobs {
			for _, s := range job.Steps {
				if s.Uses != "" && !pinned.MatchString(s.Uses) {
					t.Errorf("%s: %s is not pinned to a commit SHA", file, s.Uses)
				}
				if s.Run != "" {
					runs++
					if got := strings.TrimSpace(s.Run); got != "bash .github/scripts/check.sh "+mode {
						t.Errorf("%s: step runs %q; run commands through .github/scripts/check.sh %s", file, got, mode)
					}
				}
			}
		}
		if runs == 0 {
			t.Errorf("%s runs nothing", file)
		}
	}
}

// TestCheckScript runs the workflows' script as CI would, offline, on a copy of the content.
func TestCheckScript(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go run three times")
	}
	tmp := t.TempDir()
	contentDir := filepath.Join(tmp, "content")
	if err := os.CopyFS(contentDir, os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	// The script's steps are under test, not the bundled evidence: the bundled lock holds
	// citations the checkouts contradicted, which lint rightly fails on (see lint's
	// TestBundledContent). Start from an empty lock, as a fresh repository would.
	if err := os.WriteFile(filepath.Join(contentDir, "evidence.lock.json"), []byte(`{"version": 1, "entries": []}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"pr", "main"} {
		out := filepath.Join(tmp, "site-"+mode)
		cmd := exec.Command("bash", ".github/scripts/check.sh", mode)
		cmd.Dir = "../.."
		cmd.Env = append(os.Environ(), "CONTENT="+contentDir, "OUT="+out, "VERIFY_FLAGS=--offline",
			"CHANGED="+filepath.Join(contentDir, "reports/2026-05-10-failures.yaml"), "GITHUB_ACTIONS=", "GITHUB_STEP_SUMMARY=")
		summary := filepath.Join(tmp, "summary-"+mode+".md")
		if mode == "pr" { // as the pull request workflow runs it: annotations and a step summary
			cmd.Env = append(cmd.Env, "GITHUB_ACTIONS=true", "GITHUB_STEP_SUMMARY="+summary)
		}
		output, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("check.sh %s: %v\n%s", mode, err, output)
		}
		if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
			t.Errorf("check.sh %s built no site: %v\n%s", mode, err, output)
		}
		if mode == "pr" {
			data, err := os.ReadFile(summary)
			if err != nil || !strings.Contains(string(data), "## triagesite verify") || !strings.Contains(string(data), "## triagesite lint") {
				t.Errorf("check.sh pr under GitHub Actions: step summary %q (%v) lacks the lint and verify summaries", data, err)
			}
		}
	}
}
