package verifycmd_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fsouza/fake-gcs-server/fakestorage"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/verifycmd"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/verify"
	"github.com/triagesite/triagesite/internal/verify/gcs"
	"github.com/triagesite/triagesite/internal/verify/github"
	"github.com/triagesite/triagesite/internal/verify/github/githubtest"
)

// The request budget (issue 13): the bundled content's citations cold in at most 40 GitHub
// requests, 2,000 citations in at most 100, and a re-run of unchanged content for no
// rate-limit point at all.
const (
	bundledBudget   = 40
	synthetic       = 2000
	syntheticBudget = 100
)

// traffic is what one verify run cost: GitHub's requests and points, and GCS's requests.
type traffic struct {
	github      githubtest.Counts
	gcs         int
	citations   int
	targetsSeen int
}

// longFile runs past every line the bundled content cites (3,461 at most).
var longFile = func() string {
	var b strings.Builder
	for i := 1; i <= 3500; i++ {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	return b.String()
}()

// anyGitHub is a fake GitHub where every PR, issue, commit and file anyone cites exists: the
// benchmark counts what verifying costs, whatever the verdicts.
func anyGitHub(tb testing.TB) *fakeGitHub {
	f := newFakeGitHub(tb)
	hexRe := regexp.MustCompile(`^[0-9a-f]{4,40}$`)
	f.Gen = &githubtest.Generator{
		Issue: func(repo string, n int) (githubtest.Issue, bool) {
			if n%2 == 0 {
				pr := prJSON(n, "closed", "a fix", false, "2026-05-10T04:57:45Z", "2026-05-10T04:57:45Z", "lgtm")
				pr.MergeCommit = fmt.Sprintf("%040x", n)
				return pr, true
			}
			return issueJSON(n, "open", "a flake", "", "kind/flake"), true
		},
		Commit: func(repo, sha string) (githubtest.Commit, bool) {
			if !hexRe.MatchString(sha) {
				return githubtest.Commit{}, false
			}
			return githubtest.Commit{SHA: sha + strings.Repeat("0", 40-len(sha)), Author: "Bot", Message: "a change",
				Date: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}, true
		},
		File: func(repo, sha, path string) (string, bool) { return longFile, true },
	}
	return f
}

// budgetSources are GitHub and GCS as the command builds them, pointed at the fakes; each
// cited repository gets a history for dates and heads to resolve to.
func budgetSources(f *fakeGitHub, bucket *fakestorage.Server, batch int) func(context.Context, *verifycmd.Options, *content.Tree) ([]verify.Source, error) {
	return func(_ context.Context, opts *verifycmd.Options, tree *content.Tree) ([]verify.Source, error) {
		f.Mu.Lock()
		for _, r := range tree.Repos {
			if r.DefaultBranch != "" {
				f.Repo(r.Repo).DefaultBranch = r.DefaultBranch
			}
		}
		for _, c := range tree.Citations {
			if c.Ref.Kind != citation.KindBuild && len(f.Repo(c.Ref.Repo).Commits) == 0 {
				f.Repo(c.Ref.Repo).Commits = []githubtest.Commit{{SHA: strings.Repeat("5e", 20), Author: "Bot", Message: "head",
					Date: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}}
			}
		}
		f.Mu.Unlock()
		gh := github.New(github.WithBaseURL(f.URL+"/"), github.WithToken(token), github.WithConcurrency(opts.Concurrency),
			github.WithBatchSize(batch))
		return []verify.Source{gh, gcs.New(bucket.Client())}, nil
	}
}

// verifyOnce runs `triagesite verify --json` on a content directory and returns its traffic.
func verifyOnce(tb testing.TB, contentDir string, f *fakeGitHub, bucket *fakestorage.Server, logs *lineCounter, batch int) traffic {
	tb.Helper()
	io, out, errOut := iostreams.Test()
	cmd := verifycmd.NewCmdVerify(io, func(ctx context.Context, opts *verifycmd.Options) error {
		opts.Sources = budgetSources(f, bucket, batch)
		opts.Fixes = func(context.Context, *verifycmd.Options, *content.Tree) (verify.FixOptions, error) {
			hub := github.New(github.WithBaseURL(f.URL+"/"), github.WithToken(token))
			return verify.FixOptions{Builds: gcs.New(bucket.Client()), Merges: []verify.MergeFinder{hub},
				Ancestry: []verify.AncestryChecker{hub}}, nil
		}
		return verifycmd.Run(ctx, opts)
	})
	cmd.SetArgs([]string{"--json", "--content", contentDir})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.ExecuteContext(context.Background())
	if err != nil && err != verifycmd.ErrNotAllVerified {
		tb.Fatalf("verify: %v\n%s", err, errOut)
	}
	return traffic{github: f.Take(), gcs: logs.take(), citations: strings.Count(out.String(), `"target":`)}
}

// bundledCopy copies the bundled content into a temporary directory without its lock.
func bundledCopy(tb testing.TB) string {
	dir := filepath.Join(tb.TempDir(), "content")
	if err := os.CopyFS(dir, os.DirFS("../../../content")); err != nil {
		tb.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "evidence.lock.json"))
	return dir
}

func syntheticCopy(tb testing.TB, n int) string {
	dir := tb.TempDir()
	benchContent(tb, dir, n)
	return filepath.Join(dir, "content")
}

// emptyBucket is a fake GCS holding no build: every build citation costs its requests and is missing.
func emptyBucket(tb testing.TB) (*fakestorage.Server, *lineCounter) {
	logs := &lineCounter{}
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{Scheme: "http", Host: "127.0.0.1", Writer: logs,
		InitialObjects: []fakestorage.Object{fakeObject("kubernetes-ci-logs", "README", "")}})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(srv.Stop)
	logs.take()
	return srv, logs
}

func fakeObject(bucket, name, text string) fakestorage.Object {
	return fakestorage.Object{ObjectAttrs: fakestorage.ObjectAttrs{BucketName: bucket, Name: name}, Content: []byte(text)}
}

// TestRequestBudget holds verification to its request budget, cold and re-run.
func TestRequestBudget(t *testing.T) {
	for _, tc := range []struct {
		name    string
		content func(testing.TB) string
		budget  int
	}{
		{"bundled", bundledCopy, bundledBudget},
		{fmt.Sprintf("synthetic-%d", synthetic), func(tb testing.TB) string { return syntheticCopy(tb, synthetic) }, syntheticBudget},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := anyGitHub(t)
			bucket, logs := emptyBucket(t)
			dir := tc.content(t)
			cold := verifyOnce(t, dir, f, bucket, logs, github.DefaultBatchSize)
			if n := cold.github.Requests(); n > tc.budget || cold.citations == 0 {
				t.Errorf("cold: %d GitHub requests for %d citations, budget %d", n, cold.citations, tc.budget)
			}
			rerun := verifyOnce(t, dir, f, bucket, logs, github.DefaultBatchSize)
			if rerun.github.Points != 0 || rerun.github.GraphQL != 0 {
				t.Errorf("re-run: %d rate-limit points, %d GraphQL queries; want none", rerun.github.Points, rerun.github.GraphQL)
			}
			if rerun.github.REST != len(rerun.github.NotMod) || rerun.citations != cold.citations {
				t.Errorf("re-run: %d REST requests, %d answered 304; %d citations, cold %d", rerun.github.REST, len(rerun.github.NotMod),
					rerun.citations, cold.citations)
			}
			for what, tr := range map[string]traffic{"cold": cold, "re-run": rerun} {
				t.Logf("%s %s: %d citations; GitHub %d requests (%d GraphQL, %d REST, %d answered 304), %d points; GCS %d requests",
					tc.name, what, tr.citations, tr.github.Requests(), tr.github.GraphQL, tr.github.REST, sum(tr.github.NotMod),
					tr.github.Points, tr.gcs)
			}
		})
	}
}

// BenchmarkVerifyRequests reports what verifying costs in requests, cold and re-run, for the
// bundled content and 2,000 synthetic citations; cold-rest-only turns batching off (REST
// alone, as before GraphQL).
func BenchmarkVerifyRequests(b *testing.B) {
	for _, tc := range []struct {
		name    string
		content func(testing.TB) string
	}{
		{"bundled", bundledCopy},
		{fmt.Sprintf("synthetic-%d", synthetic), func(tb testing.TB) string { return syntheticCopy(tb, synthetic) }},
	} {
		for _, run := range []struct {
			name  string
			rerun bool
			batch int
		}{{"cold", false, github.DefaultBatchSize}, {"rerun", true, github.DefaultBatchSize}, {"cold-rest-only", false, 0}} {
			rerun := run.rerun
			b.Run(tc.name+"/"+run.name, func(b *testing.B) {
				f := anyGitHub(b)
				bucket, logs := emptyBucket(b)
				dir := tc.content(b)
				var total traffic
				for range b.N {
					b.StopTimer()
					os.Remove(filepath.Join(dir, "evidence.lock.json"))
					if rerun {
						verifyOnce(b, dir, f, bucket, logs, run.batch)
					}
					b.StartTimer()
					tr := verifyOnce(b, dir, f, bucket, logs, run.batch)
					total.github.REST += tr.github.REST
					total.github.GraphQL += tr.github.GraphQL
					total.github.Points += tr.github.Points
					total.gcs += tr.gcs
					total.citations = tr.citations
				}
				n := float64(b.N)
				b.ReportMetric(float64(total.citations), "citations")
				b.ReportMetric(float64(total.github.REST+total.github.GraphQL)/n, "github-requests/op")
				b.ReportMetric(float64(total.github.GraphQL)/n, "graphql/op")
				b.ReportMetric(float64(total.github.REST)/n, "rest/op")
				b.ReportMetric(float64(total.github.Points)/n, "points/op")
				b.ReportMetric(float64(total.gcs)/n, "gcs-requests/op")
			})
		}
	}
}
