package verifycmd_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/verifycmd"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/verify"
	"github.com/triagesite/triagesite/internal/verify/github"
	"github.com/triagesite/triagesite/internal/verify/github/githubtest"
)

// benchRepos are the repositories the benchmark's citations spread over.
var benchRepos = []struct{ repo, alias string }{
	{"kubernetes/kubernetes", "k/k"},
	{"kubernetes/test-infra", "test-infra"},
	{"kubernetes-sigs/kind", "kind"},
}

// benchSHA is the commit the benchmark's i-th commit citation names.
func benchSHA(i int) string {
	sum := sha256.Sum256([]byte(strconv.Itoa(i)))
	return hex.EncodeToString(sum[:20])
}

// benchHead is the commit every date resolves to in the benchmark's fake.
var benchHead = strings.Repeat("be", 20)

// benchContent writes a content tree with one pattern file holding n distinct citations:
// a quarter each PRs, issues, commits and file:line quotes (each a different file), spread
// over three repositories.
func benchContent(tb testing.TB, dir string, n int) {
	var p strings.Builder
	p.WriteString("slug: bench\ndataset: failures\ndefault_repo: kubernetes/kubernetes\ntitle: A thousand citations\nsummary: Many.\ncitations:\n")
	for i := range n {
		r := benchRepos[i%len(benchRepos)].alias
		switch i % 4 {
		case 0:
			fmt.Fprintf(&p, "  - ref: %s#%d\n    kind: pr\n    state: merged\n", r, 1000+i)
		case 1:
			fmt.Fprintf(&p, "  - ref: %s#%d\n    kind: issue\n    state: open\n", r, 1000+i)
		case 2:
			fmt.Fprintf(&p, "  - ref: %s@%s\n    author: Bot\n", r, benchSHA(i))
		case 3:
			fmt.Fprintf(&p, "  - ref: %s:pkg/gen/f%04d.go:3\n    at: \"2026-05-10\"\n    quote: const n = %d\n", r, i, i)
		}
	}
	var repos strings.Builder
	repos.WriteString("repos:\n")
	for _, r := range benchRepos {
		fmt.Fprintf(&repos, "  - repo: %s\n    aliases: [%s]\n", r.repo, r.alias)
	}
	files := map[string]string{
		"repos.yaml":          repos.String(),
		"sigs.yaml":           "sigs:\n  - id: sig-testing\n    name: SIG Testing\n    label: sig/testing\n",
		"categories.yaml":     "rules:\n  - category: other\n    contains: e2e\nfallback: other\n",
		"patterns/bench.yaml": p.String(),
	}
	for name, text := range files {
		path := filepath.Join(dir, "content", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// benchGitHub answers every target benchContent cites, after latency.
func benchGitHub(tb testing.TB, latency time.Duration) *fakeGitHub {
	f := newFakeGitHub(tb)
	f.Latency = latency
	for _, r := range benchRepos {
		f.Repo(r.repo).Commits = []githubtest.Commit{{SHA: benchHead, Author: "Bot", Message: "head", Date: time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC)}}
	}
	f.Gen = &githubtest.Generator{
		Issue: func(repo string, n int) (githubtest.Issue, bool) {
			if (n-1000)%4 == 0 {
				return prJSON(n, "closed", "a fix", false, "2026-05-10T04:57:45Z", "2026-05-10T04:57:45Z"), true
			}
			return issueJSON(n, "open", "a flake", ""), true
		},
		Commit: func(repo, sha string) (githubtest.Commit, bool) {
			return githubtest.Commit{SHA: sha, Author: "Bot", Message: "a change", Date: time.Date(2026, 5, 10, 1, 0, 0, 0, time.UTC)}, true
		},
		File: func(repo, sha, path string) (string, bool) {
			var i int
			fmt.Sscanf(strings.TrimPrefix(path, "pkg/gen/f"), "%04d.go", &i)
			return fmt.Sprintf("package gen\n\nconst n = %d\n", i), true
		},
	}
	return f
}

// BenchmarkVerify1000 verifies 1,000 distinct citations against a GitHub that takes 50 ms
// to answer each request, as the command runs it by default and with --concurrency 16.
func BenchmarkVerify1000(b *testing.B) {
	const n = 1000
	gh := benchGitHub(b, 50*time.Millisecond)
	sources := func(_ context.Context, opts *verifycmd.Options, _ *content.Tree) ([]verify.Source, error) {
		return []verify.Source{github.New(github.WithBaseURL(gh.URL+"/"), github.WithToken(token),
			github.WithConcurrency(opts.Concurrency))}, nil
	}
	for _, bc := range []struct {
		name string
		args []string
	}{
		{"concurrency=default", nil},
		{"concurrency=16", []string{"--concurrency", "16"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			dir := b.TempDir()
			benchContent(b, dir, n)
			contentDir := filepath.Join(dir, "content")
			gh.Take()
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				os.Remove(filepath.Join(contentDir, "evidence.lock.json")) // every run starts cold
				io, out, errOut := iostreams.Test()
				cmd := verifycmd.NewCmdVerify(io, func(ctx context.Context, opts *verifycmd.Options) error {
					opts.Sources, opts.Fixes = sources, nil // no fix in the content: nothing to check
					return verifycmd.Run(ctx, opts)
				})
				cmd.SetArgs(append([]string{"--json", "--content", contentDir}, bc.args...))
				cmd.SilenceUsage, cmd.SilenceErrors = true, true
				b.StartTimer()
				err := cmd.ExecuteContext(context.Background())
				b.StopTimer()
				if err != nil {
					b.Fatalf("verify: %v\n%s", err, errOut)
				}
				var res struct {
					Citations []struct {
						Status string `json:"status"`
					} `json:"citations"`
				}
				if err := json.Unmarshal(out.Bytes(), &res); err != nil {
					b.Fatal(err)
				}
				if len(res.Citations) != n {
					b.Fatalf("%d citations verified, want %d", len(res.Citations), n)
				}
				b.StartTimer()
			}
			b.StopTimer()
			c := gh.Take()
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "citations/s")
			b.ReportMetric(float64(c.Requests())/float64(b.N), "requests/op")
			b.ReportMetric(float64(c.GraphQL)/float64(b.N), "graphql/op")
		})
	}
}
