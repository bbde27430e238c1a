package github

import (
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
)

// timeline serves an issue's timeline in pages of per_page, with a Link header to the next.
func (f *restFake) timeline(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("o") + "/" + r.PathValue("r") + "#" + r.PathValue("n")
	if _, ok := f.issues[key]; !ok {
		restNotFound(w, r)
		return
	}
	events := f.timelines[key]
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if per <= 0 {
		per = 30
	}
	page = max(page, 1)
	from, to := min((page-1)*per, len(events)), min(page*per, len(events))
	if to < len(events) {
		w.Header().Set("Link", fmt.Sprintf(`<%s%s?page=%d&per_page=%d>; rel="next"`, f.srv.URL, r.URL.Path, page+1, per))
	}
	restWriteJSON(w, r, http.StatusOK, append([]map[string]any{}, events[from:to]...))
}

// draftThenMerged adds PR #105: a draft on 2026-05-10, ready on the 11th, merged on the 12th.
func draftThenMerged(f *restFake) {
	f.issues[kk+"#105"] = map[string]any{"number": 105, "state": "closed", "title": "kubelet: retry eviction",
		"created_at": "2026-05-01T10:00:00Z", "closed_at": "2026-05-12T09:00:00Z", "draft": false,
		"labels":       []map[string]any{{"name": "lgtm"}},
		"pull_request": map[string]any{"url": "https://api.github.com/repos/kubernetes/kubernetes/pulls/105", "merged_at": "2026-05-12T09:00:00Z"}}
	f.timelines[kk+"#105"] = []map[string]any{
		{"event": "commented", "created_at": "2026-05-02T10:00:00Z"},
		{"event": "labeled", "created_at": "2026-05-11T08:00:00Z", "label": map[string]any{"name": "lgtm"}},
		{"event": "ready_for_review", "created_at": "2026-05-11T08:30:00Z"},
		{"event": "merged", "created_at": "2026-05-12T09:00:00Z"},
		{"event": "closed", "created_at": "2026-05-12T09:00:00Z"},
	}
}

func TestTimelineIsReadForDatedClaims(t *testing.T) {
	f := restFixture(t)
	draftThenMerged(f)
	s := restSource(f)
	tg := refT(105)
	if a := fetch(t, s, tg); a.Observed.HistoryKnown() || a.Observed.Timeline != nil {
		t.Errorf("undated: history read anyway: %+v", a.Observed)
	}
	tg.History = true
	a := fetch(t, s, tg)
	want := []evidence.Event{
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
	f := restFixture(t)
	draftThenMerged(f)
	var many []map[string]any
	for i := range 250 {
		many = append(many, map[string]any{"event": "labeled", "created_at": fmt.Sprintf("2026-05-0%dT10:00:00Z", 1+i%9),
			"label": map[string]any{"name": "l" + strconv.Itoa(i)}})
	}
	f.timelines[kk+"#105"] = many
	tg := refT(105)
	tg.History = true
	a := fetch(t, restSource(f), tg)
	if len(a.Observed.Timeline) != 250 {
		t.Errorf("read %d events over pages, want 250", len(a.Observed.Timeline))
	}
}

// TestDraftThenMergedIsVerifiedAsOfItsDay is the claim a report made on 2026-05-10 of a PR
// that merged two days later: true on its day, and the merge is news.
func TestDraftThenMergedIsVerifiedAsOfItsDay(t *testing.T) {
	f := restFixture(t)
	draftThenMerged(f)
	s := restSource(f)
	tg := refT(105)
	tg.History = true
	a := fetch(t, s, tg)
	tests := []struct {
		claim evidence.Claim
		want  evidence.Status
		msg   string
	}{
		{evidence.Claim{State: "draft", AsOf: "2026-05-10"}, evidence.Verified, "as of 2026-05-10: pr is draft"},
		{evidence.Claim{State: "draft", At: "2026-05-10"}, evidence.Verified, "as of 2026-05-10: pr is draft"},
		{evidence.Claim{State: "merged", AsOf: "2026-05-10"}, evidence.Contradicted, "claimed merged, but it is draft"},
		{evidence.Claim{Labels: []string{"lgtm"}, AsOf: "2026-05-10"}, evidence.Contradicted, "claimed label lgtm"},
		{evidence.Claim{State: "merged", MergedAt: "2026-05-12", AsOf: "2026-05-12"}, evidence.Verified, "pr is merged"},
		{evidence.Claim{State: "open", AsOf: "2026-05-11"}, evidence.Verified, "as of 2026-05-11: pr is open"},
		{evidence.Claim{AsOf: "2026-04-30"}, evidence.Contradicted, "opened 2026-05-01T10:00:00Z, after 2026-04-30"},
		{evidence.Claim{State: "merged"}, evidence.Verified, "pr is merged"}, // undated: as things are now
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
	s := restSource(restFixture(t))
	a := fetch(t, s, refT(102)) // undated fetch: no timeline read
	if st, msg, _ := verify.Judge(refT(102).Ref, evidence.Claim{State: "draft", AsOf: "2026-05-10"}, a); st != evidence.Unverifiable || !strings.Contains(msg, "state on 2026-05-10 is unknown") {
		t.Errorf("draft without a timeline: %s %q; want unverifiable", st, msg)
	}
	a = fetch(t, s, refT(100)) // merged 2026-05-08: a merge is final
	if st, msg, _ := verify.Judge(refT(100).Ref, evidence.Claim{State: "merged", AsOf: "2026-05-10"}, a); st != evidence.Verified {
		t.Errorf("merged before the day, without a timeline: %s %q; want verified", st, msg)
	}
}

// TestRerunReadsHistoryTheLockLacks: an entry recorded before claims had dates holds no
// timeline, so its ETag is not sent; one that holds it is.
func TestRerunReadsHistoryTheLockLacks(t *testing.T) {
	f := restFixture(t)
	draftThenMerged(f)
	old := fetch(t, restSource(f), refT(105))
	tg := refT(105)
	tg.History = true
	tg.Prev = &evidence.Entry{ETag: old.ETag, Observed: old.Observed}
	f.reset()
	a := fetch(t, restSource(f), tg)
	if _, cond, _ := f.counts(); !a.Observed.HistoryKnown() || cond["/repos/"+kk+"/issues/105"] != 0 {
		t.Errorf("from a lock without history: conditional %v, %+v", cond, a)
	}
	tg.Prev = &evidence.Entry{ETag: a.ETag, Observed: a.Observed}
	f.reset()
	b := fetch(t, restSource(f), tg)
	hits, _, _ := f.counts()
	if !b.NotModified || !reflect.DeepEqual(b.Observed, a.Observed) || hits["/repos/"+kk+"/issues/105/timeline?per_page=100"] != 0 {
		t.Errorf("from a lock with history: NotModified=%v hits=%v", b.NotModified, hits)
	}
}

// compare serves base...head: over main's linear history, or "diverged" for a side commit.
func (f *restFake) compare(w http.ResponseWriter, r *http.Request) {
	base, head, _ := strings.Cut(r.PathValue("basehead"), "...")
	for _, c := range f.side {
		if c.sha == base {
			restWriteJSON(w, r, http.StatusOK, map[string]any{"status": "diverged"})
			return
		}
	}
	i, ok1 := f.find(base)
	j, ok2 := f.find(head)
	if !ok1 || !ok2 {
		restNotFound(w, r)
		return
	}
	restStatus := map[bool]string{true: "ahead", false: "behind"}[i > j]
	if i == j {
		restStatus = "identical"
	}
	restWriteJSON(w, r, http.StatusOK, map[string]any{"status": restStatus})
}

// TestCommitAsOfItsDay: a dated commit claim holds when the default branch had the commit by
// the end of the day.
func TestCommitAsOfItsDay(t *testing.T) {
	f := restFixture(t)
	side := strings.Repeat("5e", 20)
	f.side = []restCommit{{side, "Dana", "Side work", time.Date(2026, 5, 2, 9, 0, 0, 0, time.UTC)}}
	s := restSource(f)
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
		st, msg, _ := verify.Judge(tg.Ref, evidence.Claim{AsOf: tc.day}, a)
		if st != tc.want || !strings.Contains(msg, tc.msg) {
			t.Errorf("%s as of %s: %s %q; want %s %q", tc.sha[:10], tc.day, st, msg, tc.want, tc.msg)
		}
	}
	// Ancestry of two SHAs never changes: a re-run with the lock's answer does not compare again.
	tg := commitT(sha2[:10])
	tg.At = "2026-05-10"
	a := fetch(t, restSource(f), tg)
	tg.Prev = &evidence.Entry{ETag: a.ETag, Observed: a.Observed}
	f.reset()
	b := fetch(t, restSource(f), tg)
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
