package verifycmd_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/verifycmd"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
)

// mergedPRs answers every PR as merged on May 10 by merge commit "m…", and nothing else.
type mergedPRs struct{}

func (mergedPRs) Name() string { return "fake" }
func (mergedPRs) Fetch(_ context.Context, t verify.Target) (verify.Answer, error) {
	if t.Ref.Kind.String() != "ref" {
		return verify.Answer{}, verify.ErrCannotAnswer
	}
	return verify.Answer{Source: evidence.SourceGitHub, Found: true, Observed: evidence.Observed{Exists: true, Kind: "pr",
		State: "closed", Merged: true, MergedAt: "2026-05-10T04:57:45Z", SHA: strings.Repeat("m", 40)}}, nil
}

// failingBuilds: every job has one build since the merge, which tested the merge and failed.
type failingBuilds struct{}

func (failingBuilds) BuildsSince(_ context.Context, job string, since time.Time) ([]verify.Build, error) {
	return []verify.Build{{ID: "7", Started: since.Add(time.Hour), Result: "failure",
		Commits: map[string]string{"kubernetes/kubernetes": strings.Repeat("c", 40)}}}, nil
}

type everythingContains struct{}

func (everythingContains) Name() string { return "fake" }
func (everythingContains) IsAncestor(context.Context, string, string, string) (bool, bool, error) {
	return true, true, nil
}

// TestVerifyChecksFixes: a run records the fix check in the lock and names the fix that did
// not fix at its content position; an offline run (no bucket) keeps the record.
func TestVerifyChecksFixes(t *testing.T) {
	dir := t.TempDir()
	writeContent(t, dir, nil)
	t.Chdir(dir)
	run := func(args ...string) string {
		io, out, errOut := iostreams.Test()
		cmd := verifycmd.NewCmdVerify(io, func(ctx context.Context, opts *verifycmd.Options) error {
			opts.Sources = func(context.Context, *verifycmd.Options, *content.Tree) ([]verify.Source, error) {
				if opts.Offline {
					return nil, nil
				}
				return []verify.Source{mergedPRs{}}, nil
			}
			opts.Fixes = func(context.Context, *verifycmd.Options, *content.Tree) (verify.FixOptions, error) {
				if opts.Offline {
					return verify.FixOptions{}, nil
				}
				return verify.FixOptions{Builds: failingBuilds{}, Ancestry: []verify.AncestryChecker{everythingContains{}}}, nil
			}
			return verifycmd.Run(ctx, opts)
		})
		cmd.SetArgs(args)
		cmd.SetOut(errOut)
		cmd.SetErr(errOut)
		cmd.SilenceUsage, cmd.SilenceErrors = true, true
		_ = cmd.ExecuteContext(context.Background())
		return out.String()
	}
	out := run()
	want := "content/patterns/node-flake.yaml:"
	line := ""
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "fix kubernetes/kubernetes#100 in job ci-node-e2e-a still_failing") {
			line = l
		}
	}
	if !strings.HasPrefix(line, want) {
		t.Errorf("no line naming the fix that did not fix at its position in:\n%s", out)
	}
	if !strings.Contains(out, "1 fix checks: 0 fixed, 1 still failing with the fix") {
		t.Errorf("no fix summary in:\n%s", out)
	}
	lockPath := filepath.Join("content", evidence.FileName)
	for _, when := range []string{"after the run", "after an offline run"} {
		lock, err := evidence.Read(lockPath)
		if err != nil {
			t.Fatal(err)
		}
		if f, ok := lock.Fix("kubernetes/kubernetes#100", "ci-node-e2e-a"); !ok || f.Verdict != evidence.FixStillFailing || f.MergeSHA != strings.Repeat("m", 40) {
			t.Errorf("%s: lock fix = %+v, %v", when, f, ok)
		}
		run("--offline")
	}
}
