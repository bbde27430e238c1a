package github

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/triagesite/triagesite/internal/claim"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
	"github.com/triagesite/triagesite/internal/verify/github/githubtest"
)

// draftThenMerged adds PR #105: a draft on 2026-05-10 under a WIP title, renamed and ready on
// the 11th, merged on the 12th.
func draftThenMerged(f *fakeGitHub) {
	f.repo.Issues[105] = githubtest.Issue{Number: 105, PR: true, State: "closed", Title: "kubelet: retry eviction",
		CreatedAt: "2026-05-01T10:00:00Z", ClosedAt: "2026-05-12T09:00:00Z", MergedAt: "2026-05-12T09:00:00Z",
		Labels: []string{"lgtm"}, Timeline: []evidence.Event{
			{Type: evidence.EventRenamed, At: "2026-05-11T07:00:00Z", From: "WIP: kubelet retry"},
			{Type: evidence.EventLabeled, At: "2026-05-11T08:00:00Z", Label: "lgtm"},
			{Type: evidence.EventReadyForReview, At: "2026-05-11T08:30:00Z"},
			{Type: evidence.EventMerged, At: "2026-05-12T09:00:00Z"},
			{Type: evidence.EventClosed, At: "2026-05-12T09:00:00Z"},
		}}
}

func TestTimelineIsReadForDatedClaims(t *testing.T) {
	f := fixture(t)
	draftThenMerged(f)
	s := source(f)
	tg := refT(105)
	if a := fetch(t, s, tg); a.Observed.HistoryKnown() || a.Observed.Timeline != nil {
		t.Errorf("undated: history read anyway: %+v", a.Observed)
	}
	tg.History = true
	a := fetch(t, s, tg)
	want := []evidence.Event{
		{Type: evidence.EventRenamed, At: "2026-05-11T07:00:00Z", From: "WIP: kubelet retry"},
		{Type: evidence.EventLabeled, At: "2026-05-11T08:00:00Z", Label: "lgtm"},
		{Type: evidence.EventReadyForReview, At: "2026-05-11T08:30:00Z"},
		{Type: evidence.EventMerged, At: "2026-05-12T09:00:00Z"},
		{Type: evidence.EventClosed, At: "2026-05-12T09:00:00Z"},
	}
	if a.Observed.CreatedAt != "2026-05-01T10:00:00Z" || !reflect.DeepEqual(a.Observed.Timeline, want) {
		t.Errorf("history: created %q, timeline %+v\nwant %+v", a.Observed.CreatedAt, a.Observed.Timeline, want)
	}
}

func TestTimelinePages(t *testing.T) {
	f := fixture(t)
	draftThenMerged(f)
	pr := f.repo.Issues[105]
	pr.Timeline = nil
	for i := range 250 {
		pr.Timeline = append(pr.Timeline, evidence.Event{Type: evidence.EventLabeled, At: fmt.Sprintf("2026-05-0%dT10:00:00Z", 1+i%9),
			Label: "l" + strconv.Itoa(i)})
	}
	f.repo.Issues[105] = pr
	tg := refT(105)
	tg.History = true
	a := fetch(t, source(f), tg)
	if len(a.Observed.Timeline) != 250 {
		t.Errorf("read %d events over pages, want 250", len(a.Observed.Timeline))
	}
}

// TestDraftThenMergedIsVerifiedAsOfItsDay is the claim a report made on 2026-05-10 of a PR
// that merged two days later: true on its day, and the merge is news.
func TestDraftThenMergedIsVerifiedAsOfItsDay(t *testing.T) {
	f := fixture(t)
	draftThenMerged(f)
	s := source(f)
	tg := refT(105)
	tg.History = true
	a := fetch(t, s, tg)
	tests := []struct {
		claim claim.Claim
		want  evidence.Status
		msg   string
	}{
		{claim.Claim{State: "draft", AsOf: "2026-05-10"}, evidence.Verified, "as of 2026-05-10: pr is draft"},
		{claim.Claim{State: "draft", At: "2026-05-10"}, evidence.Verified, "as of 2026-05-10: pr is draft"},
		{claim.Claim{State: "merged", AsOf: "2026-05-10"}, evidence.Contradicted, "claimed merged, but it is draft"},
		{claim.Claim{Labels: []string{"lgtm"}, AsOf: "2026-05-10"}, evidence.Contradicted, "claimed label lgtm"},
		{claim.Claim{State: "merged", MergedAt: "2026-05-12", AsOf: "2026-05-12"}, evidence.Verified, "pr is merged"},
		{claim.Claim{State: "open", AsOf: "2026-05-11"}, evidence.Verified, "as of 2026-05-11: pr is open"},
		{claim.Claim{AsOf: "2026-04-30"}, evidence.Contradicted, "opened 2026-05-01T10:00:00Z, after 2026-04-30"},
		{claim.Claim{State: "merged"}, evidence.Verified, "pr is merged"}, // undated: as things are now
		// A title is judged as the PR was titled that day.
		{claim.Claim{Title: "WIP: kubelet retry", AsOf: "2026-05-10"}, evidence.Verified, "as of 2026-05-10"},
		{claim.Claim{Title: "retry eviction", AsOf: "2026-05-10"}, evidence.Contradicted, `claimed title "retry eviction", but it is "WIP: kubelet retry"`},
		{claim.Claim{Title: "retry eviction", AsOf: "2026-05-12"}, evidence.Verified, "as of 2026-05-12"},
		{claim.Claim{Title: "retry eviction"}, evidence.Verified, "pr is merged"},
	}
	for _, tc := range tests {
		st, msg, obs := verify.Judge(tg.Ref, tc.claim, a)
		if st != tc.want || !strings.Contains(msg, tc.msg) {
			t.Errorf("%+v: %s %q; want %s %q", tc.claim, st, msg, tc.want, tc.msg)
		}
		if !obs.Merged {
			t.Errorf("%+v: the observation kept is not the state now: %+v", tc.claim, obs)
		}
	}
	if got, want := a.Observed.Since("2026-05-10"), []string{"merged 2026-05-12"}; !reflect.DeepEqual(got, want) {
		t.Errorf("since 2026-05-10: %q, want %q", got, want)
	}
}

// TestDatedClaimWithoutHistory: a source that gave no timeline cannot say what a PR was.
func TestDatedClaimWithoutHistory(t *testing.T) {
	s := source(fixture(t))
	a := fetch(t, s, refT(102)) // undated fetch: no timeline read
	if st, msg, _ := verify.Judge(refT(102).Ref, claim.Claim{State: "draft", AsOf: "2026-05-10"}, a); st != evidence.Unverifiable || !strings.Contains(msg, "state on 2026-05-10 is unknown") {
		t.Errorf("draft without a timeline: %s %q; want unverifiable", st, msg)
	}
	a = fetch(t, s, refT(100)) // merged 2026-05-08: a merge is final
	if st, msg, _ := verify.Judge(refT(100).Ref, claim.Claim{State: "merged", AsOf: "2026-05-10"}, a); st != evidence.Verified {
		t.Errorf("merged before the day, without a timeline: %s %q; want verified", st, msg)
	}
}

// TestRerunReadsHistoryTheLockLacks: an entry recorded before claims had dates holds no
// timeline, so its ETag is not sent; one that holds it is.
func TestRerunReadsHistoryTheLockLacks(t *testing.T) {
	f := fixture(t)
	draftThenMerged(f)
	old := fetch(t, source(f), refT(105))
	tg := refT(105)
	tg.History = true
	tg.Prev = &evidence.Entry{ETag: old.ETag, Observed: old.Observed}
	f.reset()
	a := fetch(t, source(f), tg)
	if _, cond, _ := f.counts(); !a.Observed.HistoryKnown() || cond["/repos/"+kk+"/issues/105"] != 0 {
		t.Errorf("from a lock without history: conditional %v, %+v", cond, a)
	}
	tg.Prev = &evidence.Entry{ETag: a.ETag, Observed: a.Observed}
	f.reset()
	b := fetch(t, source(f), tg)
	hits, _, _ := f.counts()
	if !b.NotModified || !reflect.DeepEqual(b.Observed, a.Observed) || hits["/repos/"+kk+"/issues/105/timeline?per_page=100"] != 0 {
		t.Errorf("from a lock with history: NotModified=%v hits=%v", b.NotModified, hits)
	}
}

// TestCommitAsOfItsDay: a dated commit claim holds when the default branch had the commit by
// the end of the day.
func TestCommitAsOfItsDay(t *testing.T) {
	f := fixture(t)
	side := strings.Repeat("5e", 20)
	f.repo.Side = []githubtest.Commit{{SHA: side, Author: "Dana", Message: "Side work", Date: time.Date(2026, 5, 2, 9, 0, 0, 0, time.UTC)}}
	s := source(f)
	for _, tc := range []struct {
		sha, day string
		want     evidence.Status
		msg      string
	}{
		{sha2, "2026-05-10", evidence.Verified, "as of 2026-05-10: commit c2c2c2c2c2c2 exists, on the default branch by then"},
		{sha1, "2026-05-10", evidence.Verified, "on the default branch by then"},
		{sha3, "2026-05-10", evidence.Contradicted, "it was authored 2026-05-12T09:00:00Z, after 2026-05-10"},
		{side, "2026-05-10", evidence.Contradicted, "it was not on the default branch by the end of 2026-05-10 (its last commit then: c2c2c2c2c2c2)"},
	} {
		tg := commitT(tc.sha[:10])
		tg.At = tc.day
		a := fetch(t, s, tg)
		st, msg, _ := verify.Judge(tg.Ref, claim.Claim{AsOf: tc.day}, a)
		if st != tc.want || !strings.Contains(msg, tc.msg) {
			t.Errorf("%s as of %s: %s %q; want %s %q", tc.sha[:10], tc.day, st, msg, tc.want, tc.msg)
		}
	}
	// Ancestry of two SHAs never changes: a re-run with the lock's answer does not compare again.
	tg := commitT(sha2[:10])
	tg.At = "2026-05-10"
	a := fetch(t, source(f), tg)
	tg.Prev = &evidence.Entry{ETag: a.ETag, Observed: a.Observed}
	f.reset()
	b := fetch(t, source(f), tg)
	hits, _, _ := f.counts()
	for path := range hits {
		if strings.Contains(path, "/compare/") {
			t.Errorf("re-run compared again: %v", hits)
		}
	}
	if !b.Observed.OnBranch || b.Observed.BranchAt != sha2 {
		t.Errorf("re-run lost the ancestry: %+v", b.Observed)
	}
}
