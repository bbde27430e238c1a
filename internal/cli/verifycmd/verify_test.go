package verifycmd_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/storage"
	"github.com/fsouza/fake-gcs-server/fakestorage"
	"golang.org/x/tools/txtar"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/claim"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/verifycmd"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/txtarfs"
	"github.com/triagesite/triagesite/internal/verify"
	"github.com/triagesite/triagesite/internal/verify/checkout"
	"github.com/triagesite/triagesite/internal/verify/gcs"
	"github.com/triagesite/triagesite/internal/verify/github"
	"github.com/triagesite/triagesite/internal/verify/github/githubtest"
)

// token is the GitHub token the tests hand the source; it must never be shown.
const token = "s3cr3t-token"

const (
	kk = "kubernetes/kubernetes"
	ti = "kubernetes/test-infra"
)

// The fake GitHub's history of kubernetes/kubernetes (default branch master), newest first.
var (
	kk3 = "9f3a6b1c2d3e4f5061728394a5b6c7d8e9f0a1b2"
	kk2 = "4c7f84c517c0a1b2c3d4e5f60718293a4b5c6d7e"
	kk1 = "daa2e07f08c5e1d2c3b4a5968778695a4b3c2d1e"
	kk0 = "abcdef1234567890abcdef1234567890abcdef12"
)

// ---------------------------------------------------------------------------------------
// A fake GitHub: the shared fake, REST and GraphQL, with ETags, 304s and counters.

type fakeGitHub struct {
	*githubtest.Server
}

func newFakeGitHub(tb testing.TB) *fakeGitHub {
	return &fakeGitHub{githubtest.New(tb, token)}
}

// take returns the REST counters and forgets every counter.
func (f *fakeGitHub) take() (hits, cond, notMod map[string]int) {
	c := f.Take()
	return c.Hits, c.Cond, c.NotMod
}

func prJSON(n int, state, title string, draft bool, mergedAt, closedAt string, labels ...string) githubtest.Issue {
	is := issueJSON(n, state, title, closedAt, labels...)
	is.PR, is.Draft, is.MergedAt = true, draft, mergedAt
	return is
}

func issueJSON(n int, state, title string, closedAt string, labels ...string) githubtest.Issue {
	return githubtest.Issue{Number: n, State: state, Title: title, ClosedAt: closedAt, Labels: labels,
		CreatedAt: "2026-04-01T00:00:00Z", UpdatedAt: "2026-05-10T06:00:00Z"}
}

// kkGitHub is kubernetes/kubernetes as the fixture cites it, and kubernetes/test-infra#77.
func kkGitHub(tb testing.TB) *fakeGitHub {
	f := newFakeGitHub(tb)
	k := f.Repo(kk)
	k.DefaultBranch = "master"
	for _, is := range []githubtest.Issue{
		prJSON(1, "closed", "kubelet: fix eviction ordering", false, "2026-05-10T04:57:45Z", "2026-05-10T04:57:45Z", "approved", "lgtm"),
		prJSON(2, "closed", "Revert eviction change", false, "", "2026-05-09T08:00:00Z"),
		prJSON(3, "open", "WIP: new eviction API", true, "", "", "do-not-merge/work-in-progress"),
		prJSON(4, "open", "Tidy the node e2e", false, "", "", "lgtm", "needs-ok-to-test"),
		issueJSON(5, "open", "Flaky: eviction e2e times out", "", "kind/flake", "sig/node"),
		prJSON(6, "closed", "Fix the flake", false, "2026-05-08T12:00:00Z", "2026-05-08T12:00:00Z"),
		prJSON(7, "closed", "Bump the wait", false, "2026-05-10T04:58:00Z", "2026-05-10T04:58:00Z"),
		issueJSON(8, "closed", "Old flake", "2026-04-30T10:00:00Z"),
		prJSON(100, "closed", "node e2e: wait longer", false, "2026-05-10T04:57:45Z", "2026-05-10T04:57:45Z"),
		issueJSON(101, "open", "arm64 node e2e", ""),
	} {
		k.Issues[is.Number] = is
	}
	f.Repo(ti).Issues[77] = prJSON(77, "closed", "jobs: raise timeout", false, "2026-05-09T11:00:00Z", "2026-05-09T11:00:00Z")
	// A server that leaks the credentials it was sent into its error message.
	f.Break("/repos/kubernetes/kubernetes/issues/500", githubtest.EchoAuth(http.StatusInternalServerError))
	k.Commits = []githubtest.Commit{
		{SHA: kk3, Author: "Carol", Message: "Third\n\nbody", Date: time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC)},
		{SHA: kk2, Author: "Davanum Srinivas", Message: "Bump the wait\n\nSigned-off-by: Davanum Srinivas", Date: time.Date(2026, 5, 10, 20, 19, 15, 0, time.UTC)},
		{SHA: kk1, Author: "Alice", Message: "Add pkg/a", Date: time.Date(2026, 5, 5, 12, 0, 0, 0, time.UTC)},
		{SHA: kk0, Author: "Bob", Message: "Add the node test", Date: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)},
	}
	var aTest strings.Builder
	for i := 1; i <= 20; i++ {
		if i == 12 {
			aTest.WriteString("\ttime.Sleep(10 * time.Second)\n")
			continue
		}
		fmt.Fprintf(&aTest, "// line %d\n", i)
	}
	a10 := "package a\n\nfunc f() {\n\ttimeout := 10 * time.Second\n\t_ = timeout\n}\n"
	a5 := strings.Replace(a10, "10 *", "5 *", 1)
	k.Files[kk3] = map[string]string{"pkg/a.go": a10, "test/e2e_node/a_test.go": aTest.String()}
	k.Files[kk2] = map[string]string{"pkg/a.go": a10, "test/e2e_node/a_test.go": aTest.String()}
	k.Files[kk1] = map[string]string{"pkg/a.go": a5, "test/e2e_node/a_test.go": aTest.String()}
	k.Files[kk0] = map[string]string{"test/e2e_node/a_test.go": aTest.String()}
	return f
}

// ---------------------------------------------------------------------------------------
// Fake GCS, a checkout, and the content tree.

// lineCounter counts the lines fake-gcs-server logs: one per request it handles.
type lineCounter struct {
	mu sync.Mutex
	n  int
}

func (c *lineCounter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n += bytes.Count(p, []byte("\n"))
	return len(p), nil
}

func (c *lineCounter) take() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.n
	c.n = 0
	return n
}

func newFakeGCS(t *testing.T, logs *lineCounter) *fakestorage.Server {
	obj := func(name, text string) fakestorage.Object {
		return fakestorage.Object{ObjectAttrs: fakestorage.ObjectAttrs{BucketName: "kubernetes-ci-logs", Name: name,
			ACL: []storage.ACLRule{{Entity: storage.AllUsers, Role: storage.RoleReader}}}, Content: []byte(text)}
	}
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{Scheme: "http", Host: "127.0.0.1", Writer: logs,
		InitialObjects: []fakestorage.Object{
			obj("logs/ci-node-e2e-a/2053609951732961280/build-log.txt", "I0510 E2E suite started\nI0510 waiting\nE0510 FAIL: timed out\n"),
			obj("logs/ci-node-e2e-a/2053609951732961281/build-log.txt", "I0510 E2E suite started\nI0510 PASS\n"),
			obj("logs/ci-node-e2e-a/2053609951732961283/build-log.txt", "I0510 PASS\n"),
			// A failed build as Prow records it: the log, and finished.json with the result.
			obj("logs/ci-node-e2e-a/2053609951732961284/build-log.txt", "I0510 E2E suite started\nE0510 FAIL: timed out\n"),
			obj("logs/ci-node-e2e-a/2053609951732961284/finished.json", `{"timestamp":1778389065,"passed":false,"result":"FAILURE"}`),
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	logs.take()
	return srv
}

// gitCheckout makes a three-commit repository for kubernetes/test-infra and returns its
// directory and commit SHAs, oldest first.
func gitCheckout(t *testing.T) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	git := func(env []string, args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		cmd.Env = append(cmd.Env, env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git(nil, "init", "-q")
	var shas []string
	for _, c := range []struct{ author, date, timeout string }{
		{"Bob Builder", "2026-05-01T10:00:00Z", "5m"},
		{"Alice Example", "2026-05-09T10:00:00Z", "10m"},
		{"Carol Later", "2026-05-12T10:00:00Z", "20m"},
	} {
		if err := os.MkdirAll(filepath.Join(dir, "config"), 0o755); err != nil {
			t.Fatal(err)
		}
		jobs := "jobs:\n- name: ci-test-infra-x\n  timeout: " + c.timeout + "\n"
		if err := os.WriteFile(filepath.Join(dir, "config", "jobs.yaml"), []byte(jobs), 0o644); err != nil {
			t.Fatal(err)
		}
		env := []string{"GIT_AUTHOR_NAME=" + c.author, "GIT_AUTHOR_EMAIL=a@example.com", "GIT_AUTHOR_DATE=" + c.date,
			"GIT_COMMITTER_NAME=" + c.author, "GIT_COMMITTER_EMAIL=a@example.com", "GIT_COMMITTER_DATE=" + c.date}
		git(env, "add", "-A")
		git(env, "commit", "-q", "-m", "timeout "+c.timeout)
		shas = append(shas, git(nil, "rev-parse", "HEAD"))
	}
	return dir, shas
}

// writeContent writes minimal.txtar and the fixtures over it into dir/content.
func writeContent(t testing.TB, dir string, replace *strings.Replacer, archives ...[]byte) {
	t.Helper()
	base, err := os.ReadFile("../../content/testdata/minimal.txtar")
	if err != nil {
		t.Fatal(err)
	}
	// txtarfs fills in the snapshots' "sha256: auto"; write what it built.
	var names []string
	strs := []string{string(base)}
	for _, a := range archives {
		s := string(a)
		if replace != nil {
			s = replace.Replace(s)
		}
		strs = append(strs, s)
	}
	for _, s := range strs {
		for _, f := range txtar.Parse([]byte(s)).Files {
			names = append(names, f.Name)
		}
	}
	fsys := txtarfs.FS(strs...)
	for _, name := range names {
		p := filepath.Join(dir, "content", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, fsys[name].Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// ---------------------------------------------------------------------------------------
// Running the command.

// declaredOnly asks a source only about repositories content/repos.yaml declares, so that
// a citation of any other repository is one no source answers for.
type declaredOnly struct {
	verify.Source
	tree *content.Tree
}

func (d declaredOnly) Fetch(ctx context.Context, t verify.Target) (verify.Answer, error) {
	if t.Ref.Kind != citation.KindBuild {
		if !d.tree.Declared(t.Ref.Repo) {
			return verify.Answer{}, verify.ErrCannotAnswer
		}
	}
	return d.Source.Fetch(ctx, t)
}

// Prefetch hands the source's batches only the targets in declared repositories.
func (d declaredOnly) Prefetch(ctx context.Context, ts []verify.Target) {
	p, ok := d.Source.(verify.Prefetcher)
	if !ok {
		return
	}
	var declared []verify.Target
	for _, t := range ts {
		if d.tree.Declared(t.Ref.Repo) || t.Ref.Kind == citation.KindBuild {
			declared = append(declared, t)
		}
	}
	p.Prefetch(ctx, declared)
}

func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

type harness struct {
	t       *testing.T
	gh      *fakeGitHub
	gcs     *fakestorage.Server
	gcsLogs *lineCounter
	tiDir   string
	tiSHAs  []string
	dir     string // holds content/
	// defaultSources makes every run use the command's DefaultSources, configured through
	// the environment as a user would.
	defaultSources bool
	// env is what the command's Getenv sees (GITHUB_ACTIONS, GITHUB_STEP_SUMMARY); nothing else is set.
	env map[string]string
}

// newHarness starts the fakes and writes the content tree: minimal.txtar, the fixture, and
// any extra archives over them.
func newHarness(t *testing.T, extra ...string) *harness {
	h := &harness{t: t, gh: kkGitHub(t), gcsLogs: &lineCounter{}}
	h.gcs = newFakeGCS(t, h.gcsLogs)
	h.tiDir, h.tiSHAs = gitCheckout(t)
	h.dir = t.TempDir()
	claims, err := os.ReadFile("testdata/citations.txtar")
	if err != nil {
		t.Fatal(err)
	}
	writeContent(t, h.dir, strings.NewReplacer(
		"{{TI_1}}", h.tiSHAs[0], "{{TI_1_SHORT}}", h.tiSHAs[0][:10], "{{TI_2_SHORT}}", h.tiSHAs[1][:10]), claims)
	for _, a := range extra {
		writeContent(t, h.dir, nil, []byte(a))
	}
	t.Chdir(h.dir) // positions read content/…, as in a real site
	return h
}

// sources is Options.Sources: the real checkout, GitHub and GCS sources against the fakes.
// --offline goes through the command's own DefaultSources.
func (h *harness) sources(ctx context.Context, opts *verifycmd.Options, tree *content.Tree) ([]verify.Source, error) {
	if opts.Offline || h.defaultSources {
		return verifycmd.DefaultSources(ctx, opts, tree)
	}
	gh := github.New(github.WithBaseURL(h.gh.URL+"/"), github.WithToken(token),
		github.WithConcurrency(opts.Concurrency), github.WithRetries(1), github.WithClock(time.Now, noSleep),
		github.WithMaxWait(time.Second))
	return []verify.Source{
		checkout.New(map[string]string{ti: h.tiDir}),
		declaredOnly{gh, tree},
		gcs.New(h.gcs.Client()),
	}, nil
}

// result is one citation of the --json output.
type result struct {
	Kind      string            `json:"kind"`
	Target    string            `json:"target"`
	Status    string            `json:"status"`
	Message   string            `json:"message"`
	Claim     claim.Claim       `json:"claim"`
	Observed  evidence.Observed `json:"observed"`
	Source    string            `json:"source"`
	Locations []struct {
		File   string `json:"file"`
		Line   int    `json:"line"`
		Column int    `json:"column"`
	} `json:"locations"`
}

func (r result) key() string {
	ref, err := citation.Parse(r.Target)
	if err != nil {
		panic(err)
	}
	return r.Claim.Key(ref)
}

type runOutput struct {
	results          []result
	byKey            map[string]result
	stdout, stderr   string
	err              error
	hits, cond, n304 map[string]int // GitHub REST requests during the run
	gh               githubtest.Counts
	gcsRequests      int
}

// run runs `triagesite verify --json --checkout test-infra=DIR args…` through the command's
// own flag parsing, with Sources replaced.
func (h *harness) run(args ...string) runOutput {
	h.t.Helper()
	ro := h.exec(append([]string{"--json"}, args...)...)
	h.checkJSON(&ro)
	return ro
}

// exec runs `triagesite verify --checkout test-infra=DIR args…`.
func (h *harness) exec(args ...string) runOutput {
	h.t.Helper()
	io, out, errOut := iostreams.Test()
	cmd := verifycmd.NewCmdVerify(io, func(ctx context.Context, opts *verifycmd.Options) error {
		opts.Sources = h.sources
		opts.Fixes = nil                                        // fixcheck_test.go covers them
		opts.Getenv = func(k string) string { return h.env[k] } // the same output under GitHub Actions
		return verifycmd.Run(ctx, opts)
	})
	cmd.SetArgs(append([]string{"--checkout", "test-infra=" + h.tiDir}, args...))
	cmd.SetOut(errOut)
	cmd.SetErr(errOut)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ro := runOutput{err: cmd.ExecuteContext(ctx), stdout: out.String(), stderr: errOut.String()}
	ro.gh = h.gh.Take()
	ro.hits, ro.cond, ro.n304 = ro.gh.Hits, ro.gh.Cond, ro.gh.NotMod
	ro.gcsRequests = h.gcsLogs.take()
	return ro
}

// checkJSON decodes stdout as {"citations": […]} and checks every citation has every field.
func (h *harness) checkJSON(ro *runOutput) {
	t := h.t
	t.Helper()
	var raw struct {
		Citations []map[string]json.RawMessage `json:"citations"`
	}
	dec := json.NewDecoder(strings.NewReader(ro.stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		t.Fatalf("stdout is not {\"citations\": […]}: %v\n%s\nstderr: %s\nerr: %v", err, ro.stdout, ro.stderr, ro.err)
	}
	for i, c := range raw.Citations {
		for _, field := range []string{"kind", "target", "status", "message", "claim", "observed", "source", "locations"} {
			v, ok := c[field]
			if !ok {
				t.Errorf("citation %d: no %q field: %v", i, field, c)
				continue
			}
			want := map[string]byte{"claim": '{', "observed": '{', "locations": '['}[field]
			if want == 0 {
				want = '"'
			}
			if len(v) == 0 || v[0] != want {
				t.Errorf("citation %d: %q is %s", i, field, v)
			}
		}
	}
	var decoded struct {
		Citations []result `json:"citations"`
	}
	if err := json.Unmarshal([]byte(ro.stdout), &decoded); err != nil {
		t.Fatal(err)
	}
	ro.results = decoded.Citations
	ro.byKey = map[string]result{}
	for _, r := range ro.results {
		if _, dup := ro.byKey[r.key()]; dup {
			t.Errorf("citation %s %+v is reported twice", r.Target, r.Claim)
		}
		ro.byKey[r.key()] = r
	}
}

// lockFile reads content/evidence.lock.json, checking it is sorted by key.
func (h *harness) lockFile() (raw []byte, entries map[string]evidence.Entry) {
	t := h.t
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(h.dir, "content", evidence.FileName))
	if err != nil {
		t.Fatalf("lock: %v", err)
	}
	var l struct {
		Version int              `json:"version"`
		Entries []evidence.Entry `json:"entries"`
	}
	if err := json.Unmarshal(raw, &l); err != nil {
		t.Fatalf("lock: %v", err)
	}
	if l.Version != 1 {
		t.Errorf("lock version %d", l.Version)
	}
	if !slices.IsSortedFunc(l.Entries, func(a, b evidence.Entry) int { return strings.Compare(a.Key, b.Key) }) {
		t.Error("lock entries are not sorted by key")
	}
	if _, err := evidence.Read(filepath.Join(h.dir, "content", evidence.FileName)); err != nil {
		t.Errorf("the lock does not read back: %v", err)
	}
	entries = map[string]evidence.Entry{}
	for _, e := range l.Entries {
		entries[e.Key] = e
	}
	return raw, entries
}

// ---------------------------------------------------------------------------------------
// What the fixture must come to.

// want is one distinct citation: its target, a fragment of its claim's JSON ("" for the
// bare existence claim), and what verification must find.
type want struct {
	target, claim        string
	kind, status, source string
	message              string // a fragment of the message
	file                 string // the content file citing it (first location)
}

const (
	e2e  = "content/patterns/verify-e2e.yaml"
	node = "content/patterns/node-flake.yaml"
	rep  = "content/reports/2026-05-10-failures.yaml"
	logs = "gs://kubernetes-ci-logs/logs/ci-node-e2e-a/"
)

func wants(h *harness) []want {
	ti1, ti2 := h.tiSHAs[0], h.tiSHAs[1]
	return []want{
		// PRs and issues.
		{kk + "#1", `"state":"merged"`, "pr", "verified", "github", "pr is merged", e2e},
		{kk + "#1", "", "pr", "verified", "github", "pr is merged", e2e},
		{kk + "#2", `"state":"merged"`, "pr", "contradicted", "github", "claimed merged, but it is closed", e2e},
		{kk + "#3", `"state":"draft"`, "pr", "verified", "github", "pr is draft", e2e},
		{kk + "#4", `"state":"open"`, "pr", "verified", "github", "pr is open", e2e},
		{kk + "#4", `"labels":["approved"]`, "pr", "contradicted", "github", "claimed label approved, which it does not carry (labels: lgtm, needs-ok-to-test)", e2e},
		{kk + "#5", `"kind":"issue"`, "issue", "verified", "github", "issue is open", e2e},
		{kk + "#5", "", "issue", "verified", "github", "issue is open", e2e},
		{kk + "#6", `"kind":"issue"`, "pr", "contradicted", "github", "claimed an issue, but it is a pr", e2e},
		{kk + "#7", `"merged_at":"2026-05-09T04:57:45Z"`, "pr", "contradicted", "github", `claimed merged at 2026-05-09T04:57:45Z, but merged_at is "2026-05-10T04:58:00Z"`, e2e},
		{kk + "#8", `"closed_at":"2026-04-30"`, "issue", "verified", "github", "issue is closed", e2e},
		{kk + "#404", "", "ref", "missing", "github", "no such PR or issue at github", e2e},
		{kk + "#500", "", "ref", "error", "none", "500", e2e},
		{ti + "#77", `"state":"merged"`, "pr", "verified", "github", "pr is merged", e2e},
		{"other/repo#9", "", "ref", "unverifiable", "none", "no source could answer", e2e},
		{kk + "#100", `"state":"merged"`, "pr", "verified", "github", "pr is merged", node},
		{kk + "#100", "", "pr", "verified", "github", "pr is merged", node},
		{kk + "#101", "", "issue", "verified", "github", "issue is open", node},
		// Commits.
		{kk + "@4c7f84c517c", `"author":"Davanum Srinivas"`, "commit", "verified", "github", "commit 4c7f84c517c0 exists", e2e},
		{kk + "@daa2e07f08c", `"author":"Someone Else"`, "commit", "contradicted", "github", "claimed author Someone Else, but it is Alice", e2e},
		{kk + "@0000000000", "", "commit", "missing", "github", "no such commit at github", e2e},
		{kk + "@abcdef1234", "", "commit", "verified", "github", "commit abcdef123456 exists", node},
		{ti + "@" + ti2[:10], `"author":"Alice Example"`, "commit", "verified", "checkout", "commit " + ti2[:12] + " exists", e2e},
		{ti + "@" + ti2[:10], "", "commit", "verified", "checkout", "exists", e2e},
		{ti + "@" + ti1[:10], `"author":"Somebody Wrong"`, "commit", "contradicted", "checkout", "claimed author Somebody Wrong, but it is Bob Builder", e2e},
		{ti + "@0123456789ab", "", "commit", "missing", "checkout", "no such commit at checkout", e2e},
		// Files from GitHub.
		{kk + ":pkg/a.go:4", `"at":"2026-05-10"`, "file", "verified", "github", "the quote is on line 4 at " + kk2[:12], e2e},
		{kk + ":pkg/a.go:3", `"at":"2026-05-10"`, "file", "contradicted", "github", "the quote is not on the cited line(s); it is on line 4 at " + kk2[:12], e2e},
		{kk + ":pkg/a.go:40", `"at":"2026-05-10"`, "file", "missing", "github", "line 40 is past the end of the file (6 lines at " + kk2[:12] + ")", e2e},
		{kk + ":pkg/missing.go:1", `"at":"2026-05-10"`, "file", "missing", "github", "no such file at github", e2e},
		{kk + ":pkg/a.go:4", `"at":"` + kk1 + `"`, "file", "verified", "github", "the quote is on line 4 at " + kk1[:12], e2e},
		{kk + ":pkg/a.go:3-5", `"at":"daa2e07f08c"`, "file", "contradicted", "github", "the quote is nowhere in the file at " + kk1[:12], e2e},
		{kk + ":test/e2e_node/a_test.go:12", `"at":"2026-05-10"`, "file", "verified", "github", "the quote is on line 12 at " + kk2[:12], node},
		// Cited inline in a pattern the 2026-05-10 report places: read as of that day, not at the head.
		{kk + ":test/e2e_node/a_test.go:12", "", "file", "verified", "github", "as of 2026-05-10: the cited lines exist at " + kk2[:12], node},
		// Files from the checkout.
		{ti + ":config/jobs.yaml:3", `"at":"2026-05-10"`, "file", "verified", "checkout", "the quote is on line 3 at " + ti2[:12], e2e},
		{ti + ":config/jobs.yaml:2", `"at":"2026-05-10"`, "file", "contradicted", "checkout", "it is on line 3 at " + ti2[:12], e2e},
		{ti + ":config/jobs.yaml:99", `"at":"` + ti1 + `"`, "file", "missing", "checkout", "line 99 is past the end of the file (3 lines at " + ti1[:12] + ")", e2e},
		{ti + ":config/missing.yaml:1", `"at":"2026-05-10"`, "file", "missing", "checkout", "no such file at checkout", e2e},
		{ti + ":config/jobs.yaml:3", `"quote":"timeout: 5m"`, "file", "verified", "checkout", "the quote is on line 3 at " + ti1[:12], e2e},
		// Builds.
		{logs + "2053609951732961280", `"quote":"FAIL: timed out"`, "build", "verified", "gcs", "the quote is on line 3 of " + logs + "2053609951732961280/build-log.txt", node},
		{logs + "2053609951732961280", `"quote":"E2E suite started"`, "build", "verified", "gcs", "the quote is on line 1 of", e2e},
		{logs + "2053609951732961281", `"quote":"FAIL: timed out"`, "build", "contradicted", "gcs", "the quote is not in the build log " + logs + "2053609951732961281/build-log.txt", e2e},
		{logs + "2053609951732961282", `"job":"ci-node-e2e-a"`, "build", "missing", "gcs", "no such build log at gcs", e2e},
		{logs + "2053609951732961283", `"job":"ci-node-e2e-a"`, "build", "verified", "gcs", "the build log exists: " + logs + "2053609951732961283/build-log.txt", e2e},
	}
}

// match finds the result a want describes.
var asOfField = regexp.MustCompile(`"as_of":"[0-9-]+"`)

func (w want) match(ro runOutput) (result, bool) {
	for _, r := range ro.results {
		claim, _ := json.Marshal(r.Claim)
		if r.Target != w.target {
			continue
		}
		// The date a claim is judged as of is not what it claims.
		claim = asOfField.ReplaceAll(claim, nil)
		claim = []byte(strings.Replace(string(claim), ",}", "}", 1))
		if (w.claim == "" && string(claim) == "{}") || (w.claim != "" && strings.Contains(string(claim), w.claim)) {
			return r, true
		}
	}
	return result{}, false
}

// checkLocations checks every location points into content/ at the citation itself: a
// claim's "- ref:" line, or the inline citation's text.
func checkLocations(t *testing.T, r result, aliases map[string]string) {
	t.Helper()
	if len(r.Locations) == 0 {
		t.Errorf("%s: no locations", r.Target)
	}
	for _, l := range r.Locations {
		if !strings.HasPrefix(l.File, "content/") || l.Line < 1 || l.Column < 1 {
			t.Errorf("%s: location %+v is not a file:line:column in content/", r.Target, l)
			continue
		}
		data, err := os.ReadFile(filepath.FromSlash(l.File))
		if err != nil {
			t.Errorf("%s: location %+v: %v", r.Target, l, err)
			continue
		}
		lines := strings.Split(string(data), "\n")
		if l.Line > len(lines) {
			t.Errorf("%s: location %+v is past the end of the file", r.Target, l)
			continue
		}
		line := lines[l.Line-1]
		var written string
		if m := keyValue.FindStringSubmatch(line[min(l.Column-1, len(line)):]); m != nil {
			written = m[1] // a claim's ref: or a fix sketch's file:
		} else if l.Column <= len(line) {
			written = line[l.Column-1:]
			if i := strings.IndexAny(written, " ,.\n"); i >= 0 && !strings.HasPrefix(written, "gs://") {
				// "k/k:test/e2e_node/a_test.go:12." ends a sentence: keep the dots of the path.
				written = strings.TrimRight(strings.Fields(written)[0], ".,")
			}
		}
		if got := canonical(written, aliases); got != r.Target {
			t.Errorf("%s: location %s:%d:%d holds %q (%q)", r.Target, l.File, l.Line, l.Column, written, line)
		}
	}
}

var keyValue = regexp.MustCompile(`^(?:ref|file): (\S+)\s*$`)

// canonical resolves a citation as written against the fixture's aliases.
func canonical(written string, aliases map[string]string) string {
	ref, err := citation.Parse(strings.Trim(written, `"`))
	if err != nil {
		return "unparsable " + written
	}
	if ref.Kind == citation.KindBuild {
		return ref.String()
	}
	switch full, ok := aliases[ref.Repo]; {
	case ref.Repo == "":
		ref.Repo = kk
	case ok:
		ref.Repo = full
	}
	return ref.String()
}

var aliases = map[string]string{"k/k": kk, "test-infra": ti}

func tokenFree(t *testing.T, what, s string) {
	t.Helper()
	if strings.Contains(s, token) {
		t.Errorf("the GitHub token appears in %s:\n%s", what, s)
	}
}

// ---------------------------------------------------------------------------------------
// The test.

// TestVerifyEndToEnd runs the command with the real checkout, GitHub and GCS sources against
// fakes: a first run, a second that costs only 304s, --offline, and --only.
func TestVerifyEndToEnd(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	h := newHarness(t)
	ws := wants(h)

	// 1. The first run: every citation fetched once from the source that serves it.
	first := h.run()
	if !errors.Is(first.err, verifycmd.ErrNotAllVerified) {
		t.Fatalf("first run: err = %v, want ErrNotAllVerified\nstderr: %s", first.err, first.stderr)
	}
	statuses := map[string]bool{}
	for _, w := range ws {
		r, ok := w.match(first)
		if !ok {
			t.Errorf("no result for %s %s", w.target, w.claim)
			continue
		}
		if r.Kind != w.kind || r.Status != w.status || r.Source != w.source || !strings.Contains(r.Message, w.message) {
			t.Errorf("%s %s:\n got  %s %s %s %q\n want %s %s %s %q", w.target, w.claim, r.Kind, r.Status, r.Source, r.Message,
				w.kind, w.status, w.source, w.message)
		}
		if len(r.Locations) > 0 && r.Locations[0].File != w.file {
			t.Errorf("%s %s: first location %+v, want in %s", w.target, w.claim, r.Locations[0], w.file)
		}
		statuses[r.Status] = true
	}
	if len(statuses) != 5 {
		t.Errorf("statuses seen: %v, want all five", slices.Sorted(maps.Keys(statuses)))
	}
	for _, r := range first.results {
		checkLocations(t, r, aliases)
		// A line past the end is missing from a file that exists; anything else missing does not exist.
		pastEnd := strings.Contains(r.Message, "past the end")
		if (r.Status == "verified" || r.Status == "contradicted" || pastEnd) != r.Observed.Exists {
			t.Errorf("%s: %s (%s), but observed.exists = %v", r.Target, r.Status, r.Message, r.Observed.Exists)
		}
		if r.Source == "none" && r.Status != "error" && r.Status != "unverifiable" {
			t.Errorf("%s: %s from no source", r.Target, r.Status)
		}
	}
	// Every citation found here is one the table expects, and the other way round.
	if len(first.results) != len(ws) {
		var got []string
		for _, r := range first.results {
			got = append(got, r.key())
		}
		t.Errorf("%d results, want %d:\n%s", len(first.results), len(ws), strings.Join(got, "\n"))
	}
	// Observed facts, beyond the message.
	if r, _ := (want{target: kk + "#1", claim: `"state":"merged"`}).match(first); !r.Observed.Merged || r.Observed.MergedAt != "2026-05-10T04:57:45Z" ||
		!slices.Equal(r.Observed.Labels, []string{"approved", "lgtm"}) || r.Observed.Kind != "pr" {
		t.Errorf("k/k#1 observed %+v", r.Observed)
	}
	if r, _ := (want{target: ti + "@" + h.tiSHAs[1][:10], claim: `"author"`}).match(first); r.Observed.SHA != h.tiSHAs[1] ||
		r.Observed.Date != "2026-05-09T10:00:00Z" || r.Observed.Title != "timeout 10m" {
		t.Errorf("checkout commit observed %+v", r.Observed)
	}
	if r, _ := (want{target: kk + ":pkg/a.go:3", claim: `"at":"2026-05-10"`}).match(first); !slices.Equal(r.Observed.QuoteAt, []int{4}) ||
		r.Observed.Lines != 6 || r.Observed.SHA != kk2 {
		t.Errorf("off-by-one quote observed %+v", r.Observed)
	}
	if r, _ := (want{target: logs + "2053609951732961281", claim: `"quote"`}).match(first); r.Observed.Generation == 0 || r.Observed.Object == "" {
		t.Errorf("build observed %+v", r.Observed)
	}

	// GitHub: every target in two GraphQL queries (the targets with the commits files are read
	// at, then the files), each asked once; the checkout's commits and files never. REST only
	// for what GraphQL failed on: k/k#500, with one retry, and for whether the branch held the
	// commit the 2026-05-10 report cites (k/k@abcdef1234) by that day: GraphQL cannot compare.
	if first.gh.GraphQL != 2 {
		t.Errorf("first run: %d GraphQL queries, want 2", first.gh.GraphQL)
	}
	// And the compare API, once per commit judged as of a day: had the branch taken it by then?
	restAsked := maps.Clone(first.hits)
	maps.DeleteFunc(restAsked, func(path string, n int) bool { return strings.Contains(path, "/compare/") && n == 1 })
	if !maps.Equal(restAsked, map[string]int{"/repos/kubernetes/kubernetes/issues/500": 2}) {
		t.Errorf("first run: REST requests %v, want only k/k#500 twice and compares", first.hits)
	}
	for target, n := range first.gh.Targets {
		if n != 1 {
			t.Errorf("first run: GraphQL asked %d times for %s", n, target)
		}
		if strings.HasPrefix(target, ti+" ") && !strings.Contains(target, "issueOrPullRequest(number: 77)") {
			t.Errorf("first run: GraphQL asked for %s, which the checkout answers", target)
		}
		if strings.HasPrefix(target, "other/") {
			t.Errorf("first run: GraphQL asked for %s, which no source should answer", target)
		}
	}
	for _, target := range []string{kk + " issueOrPullRequest(number: 4) { ...ref }", ti + " issueOrPullRequest(number: 77) { ...ref }",
		kk + ` object(expression: "4c7f84c517c") { ...commit }`, kk + ` object(expression: "` + kk2 + `:pkg/a.go") { ...blob }`} {
		if first.gh.Targets[target] != 1 {
			t.Errorf("first run: GraphQL did not ask for %s once: %v", target, slices.Sorted(maps.Keys(first.gh.Targets)))
		}
	}
	if h.gh.Counts().BadAuth != 0 {
		t.Errorf("%d requests without the token", h.gh.Counts().BadAuth)
	}
	if first.gcsRequests == 0 {
		t.Error("no request reached fake GCS")
	}

	// The lock: written, sorted, holding what sources answered and nothing else.
	lockRaw, lock := h.lockFile()
	answered := map[string]result{}
	for _, r := range first.results {
		if r.Source == "github" || r.Source == "checkout" || r.Source == "gcs" {
			answered[r.key()] = r
		}
	}
	if !slices.Equal(slices.Sorted(maps.Keys(lock)), slices.Sorted(maps.Keys(answered))) {
		t.Errorf("lock keys:\n%s\nwant:\n%s", strings.Join(slices.Sorted(maps.Keys(lock)), "\n"), strings.Join(slices.Sorted(maps.Keys(answered)), "\n"))
	}
	for key, e := range lock {
		r := answered[key]
		if string(e.Status) != r.Status || e.Source != r.Source || e.Message != r.Message || e.Target != r.Target || e.Kind != r.Kind {
			t.Errorf("lock entry %s = %+v, but the run said %+v", key, e, r)
		}
		if e.CheckedAt == "" {
			t.Errorf("lock entry %s has no checked_at", key)
		}
		if e.Source == "github" && strings.Contains(e.Target, "#") && e.Observed.Exists && e.ETag == "" && e.Observed.UpdatedAt == "" {
			t.Errorf("lock entry %s has no validator for the next run (ETag or updated_at)", key)
		}
	}
	for _, key := range []string{"other/repo#9", kk + "#500"} {
		if _, ok := lock[key]; ok {
			t.Errorf("the lock holds %s, which no source answered", key)
		}
	}

	// 2. Again, against the same fakes. What cannot have changed (commits, files at a commit or
	// at a day long past) is not asked; PRs and issues are asked "modified since?", the branch
	// head a file was read at "still this SHA?": each a 304, free. Only what GitHub did not
	// find is asked in full again.
	second := h.run()
	if !errors.Is(second.err, verifycmd.ErrNotAllVerified) {
		t.Errorf("second run: err = %v", second.err)
	}
	sameResults(t, "second run", first, second, func(result) string { return "" })
	found := map[string]bool{} // REST paths of the PRs and issues GitHub found
	for _, e := range lock {
		if ref, _ := citation.Parse(e.Target); e.Source == "github" && e.Observed.Exists && ref.Kind == citation.KindRef {
			found["/repos/"+ref.Repo+"/issues/"+strconv.Itoa(ref.Number)] = true
		}
	}
	for path := range found {
		if second.hits[path] != 1 || second.cond[path] != 1 || second.n304[path] != 1 {
			t.Errorf("second run: %s: %d requests, %d conditional, %d answered 304; want 1, 1, 1", path,
				second.hits[path], second.cond[path], second.n304[path])
		}
	}
	head := "/repos/kubernetes/kubernetes/commits/master"
	for path, n := range second.hits {
		if !found[path] && path != head && path != "/repos/kubernetes/kubernetes/issues/500" {
			t.Errorf("second run: REST asked %s %d times", path, n)
		}
	}
	// Every citation here is dated (its own at:, or its report's day), so none reads the head.
	if second.hits[head] != 0 {
		t.Errorf("second run: the branch head was read %d times; every claim is dated", second.hits[head])
	}
	askedAgain := slices.Sorted(maps.Keys(second.gh.Targets))
	// A file missing at a commit stays missing there: pkg/missing.go at 2026-05-10 is not asked again.
	wantAgain := []string{kk + " issueOrPullRequest(number: 404) { ...ref }", kk + " issueOrPullRequest(number: 500) { ...ref }",
		kk + ` object(expression: "0000000000") { ...commit }`}
	if !slices.Equal(askedAgain, wantAgain) {
		t.Errorf("second run: GraphQL asked again for\n%s\nwant only what GitHub did not find or failed on:\n%s",
			strings.Join(askedAgain, "\n"), strings.Join(wantAgain, "\n"))
	}
	t.Logf("second run: %d REST requests (%d answered 304), %d GraphQL, %d rate-limit points", second.gh.REST,
		sum(second.n304), second.gh.GraphQL, second.gh.Points)
	_, lock2 := h.lockFile()
	if !slices.Equal(slices.Sorted(maps.Keys(lock2)), slices.Sorted(maps.Keys(lock))) {
		t.Error("second run: the lock's keys changed")
	}

	// 3. --offline: no request reaches any fake; GitHub's and GCS's answers come from the lock.
	t.Setenv("GITHUB_API_URL", h.gh.URL) // were a source built anyway, the fakes would see it
	t.Setenv("GITHUB_TOKEN", token)
	t.Setenv("STORAGE_EMULATOR_HOST", strings.TrimPrefix(h.gcs.URL(), "http://"))
	_, lockBefore := h.lockFile()
	offline := h.run("--offline")
	if !errors.Is(offline.err, verifycmd.ErrNotAllVerified) {
		t.Errorf("offline run: err = %v", offline.err)
	}
	if n := sum(offline.hits); n != 0 || offline.gcsRequests != 0 {
		t.Errorf("offline run: %d requests reached GitHub (%v), %d reached GCS", n, offline.hits, offline.gcsRequests)
	}
	sameResults(t, "offline run", first, offline, func(r result) string {
		switch {
		case r.Target == kk+"#500": // an error is not evidence: nothing was recorded
			return "unverifiable none no source could answer"
		case r.Source == "github" || r.Source == "gcs":
			return r.Status + " lock " + r.Message + " (recorded "
		}
		return ""
	})
	_, lockOffline := h.lockFile()
	for key, e := range lockBefore {
		after, ok := lockOffline[key]
		if !ok {
			t.Errorf("offline run dropped lock entry %s", key)
			continue
		}
		if e.Source != "checkout" && !equalJSON(e, after) {
			t.Errorf("offline run changed lock entry %s:\n%+v\n%+v", key, e, after)
		}
	}
	if len(lockOffline) != len(lockBefore) {
		t.Errorf("offline run: lock has %d entries, had %d", len(lockOffline), len(lockBefore))
	}
	os.Unsetenv("GITHUB_API_URL")
	os.Unsetenv("GITHUB_TOKEN")
	os.Unsetenv("STORAGE_EMULATOR_HOST")

	// 4. --only one pattern file: only its citations, every other lock entry kept as it was.
	only := h.run("--only", node)
	if only.err != nil {
		t.Errorf("--only %s: err = %v, want nil (all of its citations hold)", node, only.err)
	}
	if len(only.results) == 0 {
		t.Fatalf("--only %s: no results", node)
	}
	for _, r := range only.results {
		for _, l := range r.Locations {
			if l.File != node {
				t.Errorf("--only %s reported %s cited at %+v", node, r.Target, l)
			}
		}
		if r.Source != "github" && r.Source != "gcs" {
			t.Errorf("--only: %s answered by %s", r.Target, r.Source)
		}
	}
	for _, w := range ws {
		_, ok := w.match(only)
		if ok != (w.file == node) {
			t.Errorf("--only %s: result for %s %s: %v", node, w.target, w.claim, ok)
		}
	}
	for path := range only.hits {
		if !strings.Contains(path, "/issues/100") && !strings.Contains(path, "/issues/101") &&
			!strings.Contains(path, "/commits") && !strings.Contains(path, "a_test.go") {
			t.Errorf("--only %s: GitHub was asked %s", node, path)
		}
		if strings.Contains(path, "pkg/a.go") || strings.Contains(path, "/commits/4c7f") {
			t.Errorf("--only %s: GitHub was asked %s", node, path)
		}
	}
	_, lockOnly := h.lockFile()
	if !slices.Equal(slices.Sorted(maps.Keys(lockOnly)), slices.Sorted(maps.Keys(lockOffline))) {
		t.Errorf("--only: lock keys changed:\n%s\nwant\n%s", strings.Join(slices.Sorted(maps.Keys(lockOnly)), "\n"),
			strings.Join(slices.Sorted(maps.Keys(lockOffline)), "\n"))
	}
	for key, e := range lockOffline {
		if _, cited := only.byKey[key]; !cited && !equalJSON(e, lockOnly[key]) {
			t.Errorf("--only changed the entry of %s, which it did not verify", key)
		}
	}

	// 5. The token is sent (the fake refused nothing) and shown nowhere.
	lockNow, _ := h.lockFile()
	for i, ro := range []runOutput{first, second, offline, only} {
		tokenFree(t, fmt.Sprintf("run %d stdout", i+1), ro.stdout)
		tokenFree(t, fmt.Sprintf("run %d stderr", i+1), ro.stderr)
		if ro.err != nil {
			tokenFree(t, fmt.Sprintf("run %d error", i+1), ro.err.Error())
		}
	}
	tokenFree(t, "the lock", string(lockRaw))
	tokenFree(t, "the lock", string(lockNow))
	if r, _ := (want{target: kk + "#500"}).match(first); !strings.Contains(r.Message, "[REDACTED]") {
		t.Errorf("k/k#500: the server echoed the token back, message %q does not show it redacted", r.Message)
	}

	// 6. What changed on GitHub since is seen: its ETag no longer matches, GitHub answers in
	// full, the verdict and the lock follow; what did not change is still a 304.
	h.gh.Mu.Lock()
	changedPR := prJSON(3, "closed", "new eviction API", false, "2026-05-11T09:00:00Z", "2026-05-11T09:00:00Z", "lgtm")
	changedPR.UpdatedAt = "2026-05-11T09:00:00Z"
	h.gh.Repos[kk].Issues[3] = changedPR
	h.gh.Mu.Unlock()
	changed := h.run()
	r3, _ := (want{target: kk + "#3", claim: `"state":"draft"`}).match(changed)
	if r3.Status != "contradicted" || !strings.Contains(r3.Message, "claimed draft, but it is merged") || r3.Observed.MergedAt != "2026-05-11T09:00:00Z" {
		t.Errorf("k/k#3 merged since: %s %q %+v", r3.Status, r3.Message, r3.Observed)
	}
	if p := "/repos/kubernetes/kubernetes/issues/3"; changed.cond[p] != 1 || changed.n304[p] != 0 {
		t.Errorf("k/k#3: %d conditional, %d 304s; want 1 conditional answered in full", changed.cond[p], changed.n304[p])
	}
	if p := "/repos/kubernetes/kubernetes/issues/1"; changed.n304[p] != 1 {
		t.Errorf("k/k#1, unchanged: %d 304s", changed.n304[p])
	}
	_, lock6 := h.lockFile()
	for key, e := range lock6 {
		if e.Target == kk+"#3" && (e.Status != evidence.Contradicted || !e.Observed.Merged || e.ETag == lock[key].ETag) {
			t.Errorf("lock entry %s after k/k#3 merged: %+v", key, e)
		}
	}
}

// sameResults checks that a later run reports the same citations with the same verdicts;
// change says, for a result of the first run, what the later one reports instead
// ("status source message-prefix"), or "" for the same.
func sameResults(t *testing.T, what string, a, b runOutput, change func(result) string) {
	t.Helper()
	if len(a.results) != len(b.results) {
		t.Errorf("%s: %d results, first run %d", what, len(b.results), len(a.results))
	}
	for key, ra := range a.byKey {
		rb, ok := b.byKey[key]
		if !ok {
			t.Errorf("%s: no result for %s", what, key)
			continue
		}
		want := ra.Status + " " + ra.Source + " " + ra.Message
		exact := true
		if c := change(ra); c != "" {
			want, exact = c, false
		}
		got := rb.Status + " " + rb.Source + " " + rb.Message
		if (exact && got != want) || (!exact && !strings.HasPrefix(got, want)) {
			t.Errorf("%s: %s:\n got  %s\n want %s", what, key, got, want)
		}
		if rb.Kind != ra.Kind || (rb.Source != "none" && !equalJSON(ra.Observed, rb.Observed)) {
			t.Errorf("%s: %s: kind %s observed %+v, first run %s %+v", what, key, rb.Kind, rb.Observed, ra.Kind, ra.Observed)
		}
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// TestVerifyDefaultSourcesFromEnvironment runs the command's own DefaultSources, pointed at
// the fakes the way a user or GitHub Actions would: GITHUB_API_URL, GITHUB_TOKEN,
// STORAGE_EMULATOR_HOST and --checkout.
func TestVerifyDefaultSourcesFromEnvironment(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	h := newHarness(t)
	h.gh.Mend() // the default retries back off for seconds: no failing target here
	h.defaultSources = true
	t.Setenv("GITHUB_API_URL", h.gh.URL)
	// A GraphQL endpoint that is not there: every batch fails, and REST answers for everything.
	t.Setenv("GITHUB_GRAPHQL_URL", h.gh.URL+"/graphql-elsewhere")
	t.Setenv("GITHUB_TOKEN", token)
	t.Setenv("STORAGE_EMULATOR_HOST", strings.TrimPrefix(h.gcs.URL(), "http://"))
	ro := h.run()
	if ro.gh.GraphQL != 0 || ro.hits["/graphql-elsewhere"] == 0 {
		t.Errorf("GITHUB_GRAPHQL_URL not followed: %d queries to /graphql, %d to /graphql-elsewhere", ro.gh.GraphQL, ro.hits["/graphql-elsewhere"])
	}
	if !errors.Is(ro.err, verifycmd.ErrNotAllVerified) {
		t.Fatalf("err = %v\nstderr: %s", ro.err, ro.stderr)
	}
	if h.gh.Counts().BadAuth != 0 {
		t.Errorf("%d requests reached GitHub without the token from GITHUB_TOKEN", h.gh.Counts().BadAuth)
	}
	if ro.gcsRequests == 0 {
		t.Error("no request reached fake GCS through STORAGE_EMULATOR_HOST")
	}
	for _, w := range wants(h) {
		switch w.target {
		case kk + "#500": // not failing here: GitHub does not know it
			w.status, w.message = "missing", "no such PR or issue at github"
			w.source = "github"
		case "other/repo#9": // the default GitHub source answers for any repository
			w.status, w.source, w.message = "missing", "github", "no such PR or issue at github"
		}
		r, ok := w.match(ro)
		if !ok {
			t.Errorf("no result for %s %s", w.target, w.claim)
			continue
		}
		if r.Kind != w.kind || r.Status != w.status || r.Source != w.source || !strings.Contains(r.Message, w.message) {
			t.Errorf("%s %s:\n got  %s %s %s %q\n want %s %s %s %q", w.target, w.claim, r.Kind, r.Status, r.Source, r.Message,
				w.kind, w.status, w.source, w.message)
		}
	}
	for path := range ro.hits {
		if strings.HasPrefix(path, "/repos/kubernetes/test-infra/") && path != "/repos/kubernetes/test-infra/issues/77" {
			t.Errorf("GitHub was asked %s, which --checkout answers", path)
		}
	}
	raw, _ := h.lockFile()
	tokenFree(t, "stdout", ro.stdout)
	tokenFree(t, "stderr", ro.stderr)
	tokenFree(t, "the lock", string(raw))
}

// TestVerifyTextOutput checks the plain output: every citation not verified on a line of its
// own, at its first location, then the counts; a second run counts the 304s.
func TestVerifyTextOutput(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	h := newHarness(t)
	first := h.exec()
	if !errors.Is(first.err, verifycmd.ErrNotAllVerified) {
		t.Fatalf("err = %v\nstderr: %s", first.err, first.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(first.stdout, "\n"), "\n")
	summary := lines[len(lines)-1]
	counts := map[string]int{}
	for _, w := range wants(h) {
		counts[w.status]++
	}
	wantSummary := fmt.Sprintf("%d citations: %d verified, %d contradicted, %d missing, %d unverifiable, %d error (",
		len(wants(h)), counts["verified"], counts["contradicted"], counts["missing"], counts["unverifiable"], counts["error"])
	if !strings.HasPrefix(summary, wantSummary) || !strings.HasSuffix(summary, ", 0 unchanged since the last run)") {
		t.Errorf("summary %q, want %q…, 0 unchanged since the last run)", summary, wantSummary)
	}
	if got, want := len(lines)-1, len(wants(h))-counts["verified"]; got != want {
		t.Errorf("%d lines before the summary, want one per citation not verified (%d):\n%s", got, want, first.stdout)
	}
	for _, l := range lines[:len(lines)-1] {
		if !regexp.MustCompile(`^content/[^:]+:[0-9]+:[0-9]+: \S+ (contradicted|missing|unverifiable|error): .+$`).MatchString(l) {
			t.Errorf("line %q is not file:line:col: target status: message", l)
		}
	}
	if want := "verify: "; !strings.Contains(first.stderr, want) {
		t.Errorf("stderr %q: no progress", first.stderr)
	}

	// The second run: every PR, issue and commit GitHub found is unchanged, and so is every
	// file it read at a commit (whether or not the path was there).
	_, lock := h.lockFile()
	unchanged, refs := map[string]bool{}, map[string]bool{}
	for _, e := range lock {
		ref, _ := citation.Parse(e.Target)
		switch {
		case e.Source != "github":
		case ref.Kind == citation.KindFile && e.Observed.SHA != "":
			at := e.Claim.At
			if at == "" {
				at = e.Claim.AsOf // an undated citation is read as of its report's day
			}
			unchanged[ref.Repo+":"+ref.Path+"@"+at] = true
		case ref.Kind == citation.KindCommit && e.Observed.Exists:
			unchanged[e.Target+"@"+e.Claim.Day()] = true
		case ref.Kind != citation.KindFile && e.Observed.Exists:
			unchanged[e.Target] = true
			if ref.Kind == citation.KindRef {
				refs[e.Target] = true
			}
		}
	}
	second := h.exec()
	summary = second.stdout[strings.LastIndex(strings.TrimSuffix(second.stdout, "\n"), "\n")+1:]
	if want := fmt.Sprintf(", %d unchanged since the last run)\n", len(unchanged)); !strings.HasSuffix(summary, want) {
		t.Errorf("second run: summary %q, want …%q", summary, want)
	}
	if sum(second.n304) < len(refs) {
		t.Errorf("second run: %d 304s for %d unchanged PRs and issues", sum(second.n304), len(refs))
	}
}

// TestVerifyBuildResult: a build claim's result: is part of what the report asserts, and
// must be checked like its quote, not reported verified unchecked.
func TestVerifyBuildResult(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	h := newHarness(t, `-- patterns/build-result.yaml --
slug: build-result
dataset: failures
title: A build's result
summary: The build failed.
citations:
  - ref: gs://kubernetes-ci-logs/logs/ci-node-e2e-a/2053609951732961284
    job: ci-node-e2e-a
    result: failure
  - ref: gs://kubernetes-ci-logs/logs/ci-node-e2e-a/2053609951732961284
    job: ci-node-e2e-a
    result: success
    quote: "FAIL: timed out"
`)
	ro := h.run("--only", "content/patterns/build-result.yaml")
	right, ok1 := want{target: logs + "2053609951732961284", claim: `"result":"failure"`}.match(ro)
	wrong, ok2 := want{target: logs + "2053609951732961284", claim: `"result":"success"`}.match(ro)
	if !ok1 || !ok2 {
		t.Fatalf("results: %+v", ro.results)
	}
	if right.Status != "verified" {
		t.Errorf("result: failure of a failed build: %s %q", right.Status, right.Message)
	}
	if wrong.Status != "contradicted" || !strings.Contains(strings.ToLower(wrong.Message), "fail") {
		t.Errorf("result: success of a failed build: %s %q, want contradicted naming the failure", wrong.Status, wrong.Message)
	}
}
