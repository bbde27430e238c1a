package evidence_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/claim"
	"github.com/triagesite/triagesite/internal/evidence"
)

var (
	pr100  = citation.Ref{Kind: citation.KindRef, Repo: "kubernetes/kubernetes", Number: 100}
	commit = citation.Ref{Kind: citation.KindCommit, Repo: "kubernetes/kubernetes", SHA: "abcdef1234"}
)

// entry is a lock entry for ref under claim, keyed as the lock keys it.
func entry(ref citation.Ref, c claim.Claim, st evidence.Status, checkedAt, msg string) evidence.Entry {
	return evidence.Entry{Key: c.Key(ref), Kind: "pr", Target: ref.String(), Claim: c,
		Source: evidence.SourceGitHub, CheckedAt: checkedAt, Status: st, Message: msg}
}

// TestLookupOfARecordedClaim: a claim the lock holds answers with its status and its message,
// naming the source and when it was asked; another claim of the same target does not.
func TestLookupOfARecordedClaim(t *testing.T) {
	merged := claim.Claim{State: "merged", AsOf: "2026-05-10"}
	l := evidence.New([]evidence.Entry{entry(pr100, merged, evidence.Contradicted, "2026-05-11T00:00:00Z", "open on 2026-05-10")})
	st, msg := l.Lookup(pr100, merged)
	if st != evidence.Contradicted || msg != "open on 2026-05-10 (github, 2026-05-11T00:00:00Z)" {
		t.Errorf("Lookup = %s, %q", st, msg)
	}
	if st, _ := l.Lookup(pr100, claim.Claim{State: "closed", AsOf: "2026-05-10"}); st != evidence.Unverifiable {
		t.Errorf("a claim the lock does not hold = %s, want unverifiable", st)
	}
	if st, _ := l.Lookup(pr100, claim.Claim{}); st != evidence.Unverifiable {
		t.Errorf("prose citing a target only a structured claim checked = %s, want unverifiable", st)
	}
}

// TestLookupOfProseTakesTheWorstDay: prose cites without a date, so an undated existence
// claim stands for every dated one of its target, and the worst verdict wins.
func TestLookupOfProseTakesTheWorstDay(t *testing.T) {
	l := evidence.New([]evidence.Entry{
		entry(pr100, claim.Claim{AsOf: "2026-05-09"}, evidence.Verified, "2026-05-11T00:00:00Z", "exists"),
		entry(pr100, claim.Claim{AsOf: "2026-05-10"}, evidence.Missing, "2026-05-11T00:00:00Z", "no such PR"),
		entry(pr100, claim.Claim{AsOf: "2026-05-11"}, evidence.Unverifiable, "2026-05-11T00:00:00Z", "rate limited"),
		entry(pr100, claim.Claim{State: "merged"}, evidence.Contradicted, "2026-05-11T00:00:00Z", "a claim of state, not existence"),
	})
	if st, msg := l.Lookup(pr100, claim.Claim{}); st != evidence.Missing || !strings.HasPrefix(msg, "no such PR") {
		t.Errorf("Lookup of prose = %s, %q; want the worst existence verdict, missing", st, msg)
	}
	// A dated existence claim is answered for its own day only.
	if st, _ := l.Lookup(pr100, claim.Claim{AsOf: "2026-05-09"}); st != evidence.Verified {
		t.Errorf("Lookup as of 2026-05-09 = %s, want verified", st)
	}
}

// TestLookupTiesGoToTheFirstKey: two existence verdicts equally bad are told apart by key,
// whatever order they were put in, so a build does not depend on the lock's order.
func TestLookupTiesGoToTheFirstKey(t *testing.T) {
	a := entry(pr100, claim.Claim{AsOf: "2026-05-09"}, evidence.Error, "2026-05-11T00:00:00Z", "first")
	b := entry(pr100, claim.Claim{AsOf: "2026-05-10"}, evidence.Error, "2026-05-11T00:00:00Z", "second")
	for _, order := range [][]evidence.Entry{{a, b}, {b, a}} {
		if _, msg := evidence.New(order).Lookup(pr100, claim.Claim{}); !strings.HasPrefix(msg, "first") {
			t.Errorf("Lookup = %q, want the entry with the smaller key", msg)
		}
	}
}

func TestPutReplacesAndLatestFollowsCheckedAt(t *testing.T) {
	old := entry(pr100, claim.Claim{AsOf: "2026-05-09"}, evidence.Verified, "2026-05-10T00:00:00Z", "old")
	newer := entry(pr100, claim.Claim{State: "merged"}, evidence.Verified, "2026-05-12T00:00:00Z", "newer")
	l := evidence.New([]evidence.Entry{newer, old})
	if e, ok := l.Latest(pr100.String()); !ok || e.Message != "newer" {
		t.Errorf("Latest = %+v, %v; want the entry checked last, whatever the order put", e, ok)
	}
	again := old
	again.Status, again.Message, again.CheckedAt = evidence.Missing, "gone", "2026-05-13T00:00:00Z"
	l.Put(again)
	if len(l.Entries) != 2 {
		t.Errorf("Put of a key already held added an entry: %d entries", len(l.Entries))
	}
	if e, _ := l.Get(old.Key); e.Status != evidence.Missing {
		t.Errorf("Get after Put = %s, want the replacement", e.Status)
	}
	if e, _ := l.Latest(pr100.String()); e.Message != "gone" {
		t.Errorf("Latest after a newer Put = %q", e.Message)
	}
	for _, q := range []func(string) (evidence.Entry, bool){l.Latest, l.Get} {
		if _, ok := q("kubernetes/kubernetes#1"); ok {
			t.Error("a target the lock never saw was found")
		}
	}
	var none *evidence.Lock
	if _, ok := none.Latest(pr100.String()); ok {
		t.Error("a nil lock has a latest entry")
	}
	if _, ok := none.Get(old.Key); ok {
		t.Error("a nil lock has an entry for a key")
	}
}

// TestKeepDropsWhatIsNoLongerCited keeps the listed keys, rebuilds the indexes over them, and
// leaves the fix checks alone.
func TestKeepDropsWhatIsNoLongerCited(t *testing.T) {
	kept := entry(commit, claim.Claim{}, evidence.Verified, "2026-05-10T00:00:00Z", "kept")
	dropped := entry(pr100, claim.Claim{}, evidence.Verified, "2026-05-10T00:00:00Z", "dropped")
	l := evidence.New([]evidence.Entry{dropped, kept})
	l.PutFix(evidence.FixCheck{PR: "kubernetes/kubernetes#100", Job: "ci-a", Verdict: evidence.FixFixed})
	l.Keep(map[string]bool{kept.Key: true})
	if len(l.Entries) != 1 || l.Entries[0].Message != "kept" {
		t.Fatalf("entries after Keep: %+v", l.Entries)
	}
	if _, ok := l.Get(dropped.Key); ok {
		t.Error("a dropped key is still found")
	}
	if st, _ := l.Lookup(pr100, claim.Claim{}); st != evidence.Unverifiable {
		t.Errorf("a dropped target still answers %s", st)
	}
	if st, _ := l.Lookup(commit, claim.Claim{}); st != evidence.Verified {
		t.Errorf("a kept target answers %s", st)
	}
	if len(l.Fixes) != 1 {
		t.Errorf("Keep dropped fix checks: %+v", l.Fixes)
	}
}

// TestWriteThenRead: the lock written is sorted by key, ends in a newline, does not escape
// HTML characters of messages, and reads back the same; a second write is the same bytes.
func TestWriteThenRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, evidence.FileName)
	b := entry(pr100, claim.Claim{State: "merged", Labels: []string{"kind/bug"}}, evidence.Contradicted, "2026-05-11T00:00:00Z", "open, not merged <see> & more")
	b.Observed = evidence.Observed{Exists: true, Kind: "pr", State: "open", Timeline: []evidence.Event{{Type: evidence.EventLabeled, At: "2026-05-01T00:00:00Z", Label: "kind/bug"}}}
	b.ETag = `W/"abc"`
	a := entry(commit, claim.Claim{}, evidence.Verified, "2026-05-11T00:00:00Z", "")
	l := evidence.New([]evidence.Entry{a, b}) // not in key order: b sorts first
	l.PutFix(evidence.FixCheck{PR: "kubernetes/kubernetes#100", Job: "z-job", Verdict: evidence.FixStillFailing})
	l.PutFix(evidence.FixCheck{PR: "kubernetes/kubernetes#100", Job: "a-job", Verdict: evidence.FixFixed,
		Builds: []evidence.BuildTested{{ID: "1", Started: "2026-05-11T00:00:00Z", Result: "success", Contains: evidence.ContainsYes, Via: evidence.SourceCheckout}}})
	if err := l.Write(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	if !strings.HasSuffix(text, "}\n") || !strings.Contains(text, "<see> & more") {
		t.Errorf("the lock is not newline-terminated or escapes HTML:\n%s", text)
	}
	var raw struct {
		Entries []struct{ Key string }
		Fixes   []struct{ Job string }
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw.Entries) != 2 || raw.Entries[0].Key > raw.Entries[1].Key {
		t.Errorf("entries not sorted by key: %+v", raw.Entries)
	}
	if len(raw.Fixes) != 2 || raw.Fixes[0].Job != "a-job" {
		t.Errorf("fix checks not sorted: %+v", raw.Fixes)
	}
	back, err := evidence.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := back.Get(b.Key); !ok || e.ETag != b.ETag || e.Observed.State != "open" || len(e.Observed.Timeline) != 1 || e.Message != b.Message {
		t.Errorf("read back %+v, %v", e, ok)
	}
	if f, ok := back.Fix("kubernetes/kubernetes#100", "a-job"); !ok || f.Verdict != evidence.FixFixed || len(f.Builds) != 1 {
		t.Errorf("fix read back %+v, %v", f, ok)
	}
	if err := back.Write(path); err != nil {
		t.Fatal(err)
	}
	if second, _ := os.ReadFile(path); string(second) != text {
		t.Errorf("writing what was read changed the file:\n%s\nthen\n%s", text, second)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(left) != 0 {
		t.Errorf("Write left temporary files: %v", left)
	}
	// The lock is content, read by whoever builds or serves the site: not 0600.
	if st, err := os.Stat(path); err != nil {
		t.Error(err)
	} else if st.Mode().Perm() != 0o644 {
		t.Errorf("the lock's mode is %v, want 0644", st.Mode().Perm())
	}
}

func TestWriteIntoAMissingDirectory(t *testing.T) {
	err := evidence.New(nil).Write(filepath.Join(t.TempDir(), "no-such-dir", evidence.FileName))
	if err == nil {
		t.Fatal("Write into a missing directory succeeded")
	}
}

func TestReadRefusesWhatItCannotTrust(t *testing.T) {
	dir := t.TempDir()
	l, err := evidence.Read(filepath.Join(dir, "absent.json"))
	if err != nil || l == nil || len(l.Entries) != 0 {
		t.Errorf("a missing lock: %v, %v; want an empty lock", l, err)
	}
	for name, tc := range map[string]struct{ data, want string }{
		"unknown-field.json": {`{"version": 1, "entries": [], "surprise": true}`, `unknown field "surprise"`},
		"not-json.json":      {`{"version": 1,`, "unexpected EOF"},
		"version-2.json":     {`{"version": 2, "entries": []}`, "lock version 2; this triagesite reads version 1"},
		"bad-status.json": {`{"version": 1, "entries": [{"key": "k/k#1", "status": "verifed"}, {"key": "k/k#2", "status": "verified"}, {"key": "k/k#3", "status": ""}]}`,
			"entry \"k/k#1\": status \"verifed\" is none of verified, contradicted, missing, unverifiable, error\nentry \"k/k#3\": status \"\" is none of"},
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := evidence.Read(path)
		if err == nil || !strings.HasPrefix(err.Error(), path+": ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q at the path", name, err, tc.want)
		}
	}
	if _, err := evidence.Read(dir); err == nil {
		t.Error("reading a directory as a lock succeeded")
	}
}

func TestKindOf(t *testing.T) {
	for _, tc := range []struct {
		ref  citation.Ref
		c    claim.Claim
		o    evidence.Observed
		want string
	}{
		{commit, claim.Claim{Kind: "pr"}, evidence.Observed{Kind: "issue"}, "commit"},
		{pr100, claim.Claim{Kind: "pr"}, evidence.Observed{Kind: "issue"}, "issue"},
		{pr100, claim.Claim{Kind: "issue"}, evidence.Observed{}, "issue"},
		{pr100, claim.Claim{State: "merged"}, evidence.Observed{}, "pr"},
		{pr100, claim.Claim{State: "draft"}, evidence.Observed{}, "pr"},
		{pr100, claim.Claim{State: "closed"}, evidence.Observed{}, "ref"},
		{pr100, claim.Claim{}, evidence.Observed{}, "ref"},
	} {
		if got := evidence.KindOf(tc.ref, tc.c, tc.o); got != tc.want {
			t.Errorf("KindOf(%s, %+v, %+v) = %q, want %q", tc.ref, tc.c, tc.o, got, tc.want)
		}
	}
}

func TestFixChecks(t *testing.T) {
	var none *evidence.Lock
	if _, ok := none.Fix("kubernetes/kubernetes#100", "ci-a"); ok {
		t.Error("a nil lock has a fix check")
	}
	l := evidence.New(nil)
	l.PutFix(evidence.FixCheck{PR: "kubernetes/kubernetes#100", Job: "ci-a", Verdict: evidence.FixNotYetTested})
	l.PutFix(evidence.FixCheck{PR: "kubernetes/kubernetes#100", Job: "ci-b", Verdict: evidence.FixStillFailing})
	l.PutFix(evidence.FixCheck{PR: "kubernetes/kubernetes#100", Job: "ci-a", Verdict: evidence.FixFixed})
	if len(l.Fixes) != 2 {
		t.Fatalf("PutFix of a pair already held added a check: %+v", l.Fixes)
	}
	if f, ok := l.Fix("kubernetes/kubernetes#100", "ci-a"); !ok || f.Verdict != evidence.FixFixed {
		t.Errorf("Fix = %+v, %v; want the replacement", f, ok)
	}
	if _, ok := l.Fix("kubernetes/kubernetes#101", "ci-a"); ok {
		t.Error("a fix check of another PR was found")
	}
	if evidence.FixKey("kubernetes/kubernetes#100", "ci-b") != "kubernetes/kubernetes#100 ci-b" {
		t.Errorf("FixKey = %q", evidence.FixKey("kubernetes/kubernetes#100", "ci-b"))
	}
	l.KeepFixes(map[string]bool{evidence.FixKey("kubernetes/kubernetes#100", "ci-b"): true})
	if len(l.Fixes) != 1 || l.Fixes[0].Job != "ci-b" {
		t.Errorf("KeepFixes kept %+v", l.Fixes)
	}
}

// TestLatestInEveryOrderOfPut puts entries of one target, some replacing others under their
// key, in every order, and wants Latest to be the freshest entry the lock then holds (ties to
// the greatest key): replacing the freshest entry with an older check must hand Latest to the
// next freshest, not keep it on the replacement.
func TestLatestInEveryOrderOfPut(t *testing.T) {
	day9, day10, merged := claim.Claim{AsOf: "2026-05-09"}, claim.Claim{AsOf: "2026-05-10"}, claim.Claim{State: "merged"}
	puts := []evidence.Entry{
		entry(pr100, day9, evidence.Verified, "2026-05-12T00:00:00Z", "day9 fresh"),
		entry(pr100, day9, evidence.Verified, "2026-05-08T00:00:00Z", "day9 stale"),
		entry(pr100, day10, evidence.Verified, "2026-05-10T00:00:00Z", "day10"),
		entry(pr100, merged, evidence.Verified, "2026-05-11T00:00:00Z", "merged"),
		entry(pr100, merged, evidence.Verified, "2026-05-10T00:00:00Z", "merged tie"),
	}
	for _, order := range permutations(len(puts)) {
		l := evidence.New(nil)
		for _, i := range order {
			l.Put(puts[i])
		}
		want := freshest(l.Entries, pr100.String())
		if got, ok := l.Latest(pr100.String()); !ok || got.Message != want.Message {
			t.Errorf("order %v: Latest = %q, want %q", order, got.Message, want.Message)
		}
	}
}

// freshest is Latest by brute force: the entry of target with the greatest checked_at, then key.
func freshest(entries []evidence.Entry, target string) evidence.Entry {
	var best evidence.Entry
	for _, e := range entries {
		if e.Target == target && (e.CheckedAt > best.CheckedAt || e.CheckedAt == best.CheckedAt && e.Key > best.Key) {
			best = e
		}
	}
	return best
}

// permutations lists every order of 0..n-1.
func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{nil}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for at := 0; at <= len(p); at++ {
			q := append(append(append([]int{}, p[:at]...), n-1), p[at:]...)
			out = append(out, q)
		}
	}
	return out
}
