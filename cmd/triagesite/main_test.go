package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/txtarfs"
)

// TestMain runs the command itself when the test binary is started as the command, so that
// tests see its exit status and streams as a user's shell would.
func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("TRIAGESITE_RUN_MAIN"); ok {
		os.Args = append([]string{"triagesite"}, strings.Split(args, "\n")...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// run starts the command with args and returns its exit status and streams.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "TRIAGESITE_RUN_MAIN="+strings.Join(args, "\n"), "GITHUB_TOKEN=")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return code, out.String(), errOut.String()
}

// TestStrictBuildExitsOne: with no lock nothing is verified, so build --strict names every
// citation, says why it stops, exits 1 and writes nothing; without --strict the same content
// builds and exits 0.
func TestStrictBuildExitsOne(t *testing.T) {
	tmp := t.TempDir()
	contentDir, out := filepath.Join(tmp, "content"), filepath.Join(tmp, "site")
	fixture, err := os.ReadFile("../../internal/content/testdata/minimal.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if err := txtarfs.Write(contentDir, txtarfs.FS(string(fixture))); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := run(t, "build", "--strict", "--content", contentDir, "--out", out)
	if code != 1 {
		t.Errorf("build --strict exited %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "error: --strict: 12 of 12 citations are not verified (0 contradicted, 0 missing, 12 unverifiable, 0 error)") {
		t.Errorf("last line of stderr %q", last)
	}
	for _, l := range lines[:len(lines)-1] {
		if !strings.HasPrefix(l, filepath.Join(contentDir, "patterns", "node-flake.yaml")+":") && !strings.HasPrefix(l, filepath.Join(contentDir, "reports")) {
			t.Errorf("a citation not named at its path:line:col: %q", l)
		}
	}
	if len(lines) != 13 || stdout != "" {
		t.Errorf("%d lines on stderr for 12 citations, stdout %q:\n%s", len(lines), stdout, stderr)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused build wrote %s: %v", out, err)
	}

	code, stdout, stderr = run(t, "build", "--content", contentDir, "--out", out)
	if code != 0 || !strings.HasPrefix(stdout, "built ") || stderr != "" {
		t.Errorf("build without --strict: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
