package verify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/storage"
	"github.com/fsouza/fake-gcs-server/fakestorage"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/txtarfs"
	"github.com/triagesite/triagesite/internal/verify"
	"github.com/triagesite/triagesite/internal/verify/checkout"
	"github.com/triagesite/triagesite/internal/verify/gcs"
	"github.com/triagesite/triagesite/internal/verify/github"
	"github.com/triagesite/triagesite/internal/verify/github/githubtest"
)

const kk = "kubernetes/kubernetes"

// history is a kubernetes/kubernetes checkout where PR #100 merged on May 12 at 10:00:
// old is main before the merge, merge its merge commit, after a commit on top of it.
type history struct {
	dir                     string
	old, side, merge, after string
}

func newHistory(t *testing.T) history {
	t.Helper()
	h := history{dir: t.TempDir()}
	git := func(date string, args ...string) string {
		cmd := exec.Command("git", append([]string{"-C", h.dir}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=A", "GIT_AUTHOR_EMAIL=a@example.com", "GIT_COMMITTER_NAME=B", "GIT_COMMITTER_EMAIL=b@example.com",
			"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	commit := func(date, msg string) string {
		git(date, "commit", "-q", "--allow-empty", "-m", msg)
		return git("", "rev-parse", "HEAD")
	}
	git("", "init", "-q", "-b", "master")
	h.old = commit("2026-05-08T09:00:00Z", "Old work")
	git("", "checkout", "-q", "-b", "fix")
	h.side = commit("2026-05-09T09:00:00Z", "Fix the flake")
	git("", "checkout", "-q", "master")
	git("2026-05-12T10:00:00Z", "merge", "-q", "--no-ff", "-m", "Merge pull request #100 from someone/fix", "fix")
	h.merge = git("", "rev-parse", "HEAD")
	h.after = commit("2026-05-13T09:00:00Z", "Later work")
	return h
}

// build is one build directory of a job in the fake bucket.
type build struct {
	job, id string
	started time.Time
	commit  string // what started.json says was tested, as podutils writes it
	result  string // "" leaves finished.json out: the build is running
}

func bucketWith(t *testing.T, latest map[string]string, builds []build, raw map[string]string) *storage.Client {
	t.Helper()
	var objs []fakestorage.Object
	obj := func(name, content string) {
		objs = append(objs, fakestorage.Object{ObjectAttrs: fakestorage.ObjectAttrs{BucketName: gcs.LogsBucket, Name: name,
			ACL: []storage.ACLRule{{Entity: storage.AllUsers, Role: storage.RoleReader}}}, Content: []byte(content)})
	}
	for job, id := range latest {
		obj("logs/"+job+"/latest-build.txt", id)
	}
	for _, b := range builds {
		dir := "logs/" + b.job + "/" + b.id + "/"
		st, _ := json.Marshal(map[string]any{"timestamp": b.started.Unix(), "repos": map[string]string{kk: "master:" + b.commit}})
		obj(dir+"started.json", string(st))
		obj(dir+"build-log.txt", "log\n")
		if b.result != "" {
			obj(dir+"finished.json", fmt.Sprintf(`{"timestamp": %d, "passed": %v, "result": %q}`, b.started.Unix()+600, b.result == "SUCCESS", b.result))
		}
	}
	for name, content := range raw {
		obj(name, content)
	}
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{Scheme: "http", Host: "127.0.0.1", InitialObjects: objs})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return srv.Client()
}

// fixTree is content citing k/k#100 as the fix of the given jobs.
func fixTree(t *testing.T, jobs ...string) *content.Tree {
	t.Helper()
	ref, err := citation.Parse(kk + "#100")
	if err != nil {
		t.Fatal(err)
	}
	var js []content.JobRef
	for _, j := range jobs {
		js = append(js, content.JobRef{Name: j})
	}
	return &content.Tree{Patterns: []*content.Pattern{{Slug: "p", Body: content.Body{Jobs: js,
		Citations: []content.Claim{{Role: "fix", Parsed: ref, Pos: content.Pos{File: "content/patterns/p.yaml", Line: 9, Col: 9}}}}}}}
}

func mergedLock(sha string) *evidence.Lock {
	return evidence.New([]evidence.Entry{{Key: kk + "#100", Kind: "pr", Target: kk + "#100", Status: evidence.Verified,
		Observed: evidence.Observed{Exists: true, Kind: "pr", Merged: true, MergedAt: "2026-05-12T10:00:00Z", SHA: sha}}})
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestFixMergedJobStillFailing: builds after the merge that tested it failed, so the job is
// still failing with the fix. The build that started after the merge but tested an older
// commit passed, and must not count as "fixed".
func TestFixMergedJobStillFailing(t *testing.T) {
	h := newHistory(t)
	client := bucketWith(t, map[string]string{"ci-foo": "1004\n", "ci-bar": "2002", "ci-baz": "3002"}, []build{
		{"ci-foo", "1001", at("2026-05-11T08:00:00Z"), h.old, "FAILURE"},   // before the merge: not read
		{"ci-foo", "1002", at("2026-05-12T11:00:00Z"), h.old, "SUCCESS"},   // after the merge, tested an older commit
		{"ci-foo", "1003", at("2026-05-13T10:00:00Z"), h.after, "FAILURE"}, // contains the merge
		{"ci-foo", "1004", at("2026-05-14T10:00:00Z"), h.merge, "FAILURE"}, // is the merge
		{"ci-bar", "2001", at("2026-05-12T12:00:00Z"), h.old, "FAILURE"},
		{"ci-bar", "2002", at("2026-05-13T12:00:00Z"), h.after, "SUCCESS"},
		{"ci-baz", "3001", at("2026-05-12T12:00:00Z"), h.old, "SUCCESS"},
		{"ci-baz", "3002", at("2026-05-12T13:00:00Z"), h.merge, ""}, // still running
	}, nil)
	co := checkout.New(map[string]string{kk: h.dir})
	lock := mergedLock("") // the merge commit comes from the checkout's first-parent history
	got := verify.CheckFixes(context.Background(), fixTree(t, "ci-foo", "ci-bar", "ci-baz"), lock, verify.FixOptions{
		Builds: gcs.New(client), Merges: []verify.MergeFinder{co}, Ancestry: []verify.AncestryChecker{co},
		Now: func() time.Time { return at("2026-05-15T00:00:00Z") }})
	want := map[string]evidence.FixVerdict{"ci-foo": evidence.FixStillFailing, "ci-bar": evidence.FixFixed, "ci-baz": evidence.FixNotYetTested}
	if len(got) != len(want) {
		t.Fatalf("%d checks, want %d: %+v", len(got), len(want), got)
	}
	for _, fc := range got {
		if fc.Verdict != want[fc.Job] {
			t.Errorf("%s: %s (%s), want %s", fc.Job, fc.Verdict, fc.Message, want[fc.Job])
		}
		if fc.MergeSHA != h.merge || fc.Pos.Line != 9 {
			t.Errorf("%s: merge %s at %v, want %s at line 9", fc.Job, fc.MergeSHA, fc.Pos, h.merge)
		}
	}
	foo, ok := lock.Fix(kk+"#100", "ci-foo")
	if !ok {
		t.Fatal("the lock has no check of ci-foo")
	}
	var placed []string
	for _, b := range foo.Builds {
		placed = append(placed, b.ID+":"+b.Contains+":"+b.Result+":"+b.Via)
	}
	if w := "1004:yes:failure:checkout 1003:yes:failure:checkout 1002:no:success:checkout"; strings.Join(placed, " ") != w {
		t.Errorf("ci-foo builds = %q, want %q", strings.Join(placed, " "), w)
	}
	if foo.CheckedAt != "2026-05-15T00:00:00Z" || !strings.Contains(foo.Message, "2 of 3 builds since the merge tested it") {
		t.Errorf("ci-foo check = %+v", foo)
	}
	// The record survives the lock file.
	path := filepath.Join(t.TempDir(), "lock.json")
	if err := lock.Write(path); err != nil {
		t.Fatal(err)
	}
	back, err := evidence.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := back.Fix(kk+"#100", "ci-foo"); !ok || f.Verdict != evidence.FixStillFailing || len(f.Builds) != 3 {
		t.Errorf("read back: %+v, %v", f, ok)
	}
}

// TestFixAncestryFromGitHub decides "contains the merge" with the compare API when there is
// no checkout, and takes the merge commit from the pull request.
func TestFixAncestryFromGitHub(t *testing.T) {
	const merge, old, later = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "cccccccccccccccccccccccccccccccccccccccc"
	gh := githubtest.New(t, "") // anonymous: the compare API and the pull request over REST
	r := gh.Repo(kk)
	r.Commits = []githubtest.Commit{ // newest first: later contains the merge, old does not
		{SHA: later, Author: "C", Message: "later", Date: at("2026-05-13T10:00:00Z")},
		{SHA: merge, Author: "B", Message: "the fix", Date: at("2026-05-12T09:00:00Z")},
		{SHA: old, Author: "A", Message: "old", Date: at("2026-05-01T09:00:00Z")},
	}
	r.Issues[100] = githubtest.Issue{Number: 100, PR: true, State: "closed", Title: "the fix",
		MergedAt: "2026-05-12T09:00:00Z", ClosedAt: "2026-05-12T09:00:00Z", MergeCommit: merge}
	hub := github.New(github.WithBaseURL(gh.URL + "/"))
	client := bucketWith(t, map[string]string{"ci-foo": "12"}, []build{
		{"ci-foo", "11", at("2026-05-12T11:00:00Z"), old, "SUCCESS"},
		{"ci-foo", "12", at("2026-05-13T11:00:00Z"), later, "FAILURE"},
	}, nil)
	lock := mergedLock("")
	got := verify.CheckFixes(context.Background(), fixTree(t, "ci-foo"), lock, verify.FixOptions{
		Builds: gcs.New(client), Merges: []verify.MergeFinder{hub}, Ancestry: []verify.AncestryChecker{hub}})
	if len(got) != 1 || got[0].Verdict != evidence.FixStillFailing || got[0].MergeSHA != merge {
		t.Fatalf("checks = %+v, want ci-foo still failing with merge %s", got, merge)
	}
	if b := got[0].Builds; len(b) != 2 || b[0].Via != "github" || b[1].Contains != evidence.ContainsNo {
		t.Errorf("builds = %+v", b)
	}
	var compared []string
	for path, n := range gh.Counts().Hits {
		for range n {
			if strings.Contains(path, "/compare/") {
				compared = append(compared, path)
			}
		}
	}
	if len(compared) != 2 {
		t.Errorf("compare requests = %q, want one per build", compared)
	}
}

// TestFixUnreadableBuildIsNoVerdict: a build whose started.json is gone, a job the bucket does
// not have, and a build whose commit no source can place all stay without a verdict.
func TestFixUnreadableBuildIsNoVerdict(t *testing.T) {
	h := newHistory(t)
	client := bucketWith(t, map[string]string{"ci-foo": "1002", "ci-odd": "5001"}, []build{
		{"ci-foo", "1001", at("2026-05-12T11:00:00Z"), h.old, "FAILURE"},
		{"ci-odd", "5001", at("2026-05-13T11:00:00Z"), "dddddddddddddddddddddddddddddddddddddddd", "SUCCESS"},
	}, map[string]string{"logs/ci-foo/1002/build-log.txt": "no metadata\n"})
	co := checkout.New(map[string]string{kk: h.dir})
	got := verify.CheckFixes(context.Background(), fixTree(t, "ci-foo", "ci-gone", "ci-odd"), mergedLock(h.merge),
		verify.FixOptions{Builds: gcs.New(client), Ancestry: []verify.AncestryChecker{co}})
	want := map[string]evidence.FixVerdict{"ci-foo": evidence.FixUnverifiable, "ci-gone": evidence.FixUnverifiable, "ci-odd": evidence.FixUnverifiable}
	for _, fc := range got {
		if fc.Verdict != want[fc.Job] {
			t.Errorf("%s: %s (%s), want %s", fc.Job, fc.Verdict, fc.Message, want[fc.Job])
		}
	}
	if len(got) != 3 {
		t.Errorf("%d checks, want 3", len(got))
	}
}

// TestFixNotMergedIsNotChecked: the lock does not show the PR merged, so no build is read.
func TestFixNotMergedIsNotChecked(t *testing.T) {
	lock := evidence.New([]evidence.Entry{{Key: kk + "#100", Target: kk + "#100", Observed: evidence.Observed{Exists: true, Kind: "pr", State: "open"}}})
	lock.PutFix(evidence.FixCheck{PR: kk + "#100", Job: "ci-old", Verdict: evidence.FixFixed})
	got := verify.CheckFixes(context.Background(), fixTree(t, "ci-foo"), lock, verify.FixOptions{Builds: gcs.New(bucketWith(t, nil, nil, nil))})
	if len(got) != 0 {
		t.Errorf("checks = %+v, want none", got)
	}
	if _, ok := lock.Fix(kk+"#100", "ci-old"); ok {
		t.Error("the check of a job no longer cited was kept")
	}
}

// tierTree is minimal.txtar with tier item 2.1 carrying k/k#101 with the given role.
func tierTree(t *testing.T, role string) (*content.Tree, error) {
	t.Helper()
	data, err := os.ReadFile("../content/testdata/minimal.txtar")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(data), "        where: k/k:test/e2e_node/a_test.go:12\n",
		"        where: k/k:test/e2e_node/a_test.go:12\n        refs: [\"k/k#101\"]\n        pattern: node-flake\n        role: "+role+"\n", 1)
	return content.Load(txtarfs.FS(src, ""), "content")
}

// TestFixTargetsFromTierItems: a tier item with role: fix makes its PRs fixes of its pattern's
// jobs, beside the pattern's own role: fix citations; any other role is a content error.
func TestFixTargetsFromTierItems(t *testing.T) {
	tree, err := tierTree(t, "fix")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ft := range verify.FixTargets(tree) {
		got = append(got, ft.PR.String()+" "+strings.Join(ft.Jobs, ",")+" "+ft.Pos.File)
	}
	want := []string{
		"kubernetes/kubernetes#100 ci-node-e2e-a content/patterns/node-flake.yaml",
		"kubernetes/kubernetes#101 ci-node-e2e-a content/reports/2026-05-10-failures.yaml",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("FixTargets =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := tierTree(t, "tracker"); err == nil || !strings.Contains(err.Error(), `action role "tracker"`) {
		t.Errorf("role tracker on a tier item: err = %v, want a content error", err)
	}
}

// TestFixFailedCheckKeepsEarlierVerdict: a bucket that cannot be read this time leaves the
// verdict an earlier run recorded, and the run still reports what went wrong.
func TestFixFailedCheckKeepsEarlierVerdict(t *testing.T) {
	lock := mergedLock(strings.Repeat("a", 40))
	earlier := evidence.FixCheck{PR: kk + "#100", Job: "ci-gone", Verdict: evidence.FixStillFailing, Message: "earlier"}
	lock.PutFix(earlier)
	got := verify.CheckFixes(context.Background(), fixTree(t, "ci-gone"), lock, verify.FixOptions{Builds: gcs.New(bucketWith(t, nil, nil, nil))})
	if len(got) != 1 || got[0].Verdict != evidence.FixUnverifiable {
		t.Fatalf("checks = %+v, want ci-gone unverifiable this run", got)
	}
	if f, _ := lock.Fix(kk+"#100", "ci-gone"); f.Verdict != evidence.FixStillFailing || f.Message != "earlier" {
		t.Errorf("lock = %+v, want the earlier verdict kept", f)
	}
}

// TestFixJudgedByFreshestEntry: the lock holds two entries for the fix PR under different
// claims, the one put first from an older run that saw it open, the other from a later run
// that saw it merged. The check goes by the later run, as the pages do.
func TestFixJudgedByFreshestEntry(t *testing.T) {
	merged := mergedLock(strings.Repeat("a", 40)).Entries[0]
	merged.Key, merged.CheckedAt = kk+`#100 {"state":"merged"}`, "2026-05-13T00:00:00Z"
	open := evidence.Entry{Key: kk + "#100", Target: kk + "#100", CheckedAt: "2026-05-11T00:00:00Z",
		Observed: evidence.Observed{Exists: true, Kind: "pr", State: "open"}}
	for _, order := range [][]evidence.Entry{{open, merged}, {merged, open}} {
		got := verify.CheckFixes(context.Background(), fixTree(t, "ci-gone"), evidence.New(order),
			verify.FixOptions{Builds: gcs.New(bucketWith(t, nil, nil, nil))})
		if len(got) != 1 {
			t.Errorf("put %s first: checks = %+v, want ci-gone checked: the freshest entry says merged", order[0].Key, got)
		}
	}
}
