package evidence

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/claim"
)

// draftMergedLater is a PR opened as a draft on 2026-05-01, labelled and made ready on the
// 11th, merged on the 12th: the state now, with its history.
var draftMergedLater = Observed{Exists: true, Kind: "pr", State: "closed", Merged: true, MergedAt: "2026-05-12T09:00:00Z",
	ClosedAt: "2026-05-12T09:00:00Z", Labels: []string{"approved", "lgtm"}, CreatedAt: "2026-05-01T10:00:00Z",
	Timeline: []Event{
		{Type: EventLabeled, At: "2026-05-02T10:00:00Z", Label: "approved"},
		{Type: EventLabeled, At: "2026-05-11T08:00:00Z", Label: "lgtm"},
		{Type: EventUnlabeled, At: "2026-05-11T08:00:01Z", Label: "do-not-merge/work-in-progress"},
		{Type: EventReadyForReview, At: "2026-05-11T08:30:00Z"},
		{Type: EventMerged, At: "2026-05-12T09:00:00Z"},
		{Type: EventClosed, At: "2026-05-12T09:00:00Z"},
	}}

func TestOn(t *testing.T) {
	tests := []struct {
		day     string
		want    Observed
		existed bool
	}{
		{"2026-05-10", Observed{Exists: true, Kind: "pr", State: "open", Draft: true, CreatedAt: "2026-05-01T10:00:00Z",
			Labels: []string{"approved", "do-not-merge/work-in-progress"}}, true},
		{"2026-05-11", Observed{Exists: true, Kind: "pr", State: "open", CreatedAt: "2026-05-01T10:00:00Z",
			Labels: []string{"approved", "lgtm"}}, true},
		{"2026-05-12", Observed{Exists: true, Kind: "pr", State: "closed", Merged: true, MergedAt: "2026-05-12T09:00:00Z",
			ClosedAt: "2026-05-12T09:00:00Z", CreatedAt: "2026-05-01T10:00:00Z", Labels: []string{"approved", "lgtm"}}, true},
		{"2026-04-30", Observed{}, false},
	}
	for _, tc := range tests {
		got, existed := draftMergedLater.On(tc.day)
		if existed != tc.existed || (existed && !reflect.DeepEqual(got, tc.want)) {
			t.Errorf("On(%s) = %+v, %v\nwant %+v, %v", tc.day, got, existed, tc.want, tc.existed)
		}
	}
	if len(draftMergedLater.Labels) != 2 || draftMergedLater.Timeline == nil {
		t.Error("On changed the observation it was given")
	}
}

func TestOnReopened(t *testing.T) {
	o := Observed{Exists: true, Kind: "issue", State: "closed", ClosedAt: "2026-05-20T00:00:00Z", CreatedAt: "2026-04-01T00:00:00Z",
		Timeline: []Event{{Type: EventClosed, At: "2026-05-05T00:00:00Z"}, {Type: EventReopened, At: "2026-05-15T00:00:00Z"},
			{Type: EventClosed, At: "2026-05-20T00:00:00Z"}}}
	for day, want := range map[string]string{"2026-05-04": "open", "2026-05-10": "closed", "2026-05-16": "open", "2026-05-21": "closed"} {
		got, _ := o.On(day)
		if got.State != want {
			t.Errorf("On(%s).State = %s, want %s", day, got.State, want)
		}
		if day == "2026-05-10" && got.ClosedAt != "2026-05-05T00:00:00Z" {
			t.Errorf("On(%s).ClosedAt = %s, want the close that day stood on", day, got.ClosedAt)
		}
	}
}

func TestSince(t *testing.T) {
	for day, want := range map[string][]string{
		"2026-05-10": {"merged 2026-05-12"},
		"2026-05-11": {"merged 2026-05-12"},
		"2026-05-12": nil,
		"":           nil,
	} {
		if got := draftMergedLater.Since(day); !reflect.DeepEqual(got, want) {
			t.Errorf("Since(%q) = %q, want %q", day, got, want)
		}
	}
	noHistory := draftMergedLater
	noHistory.CreatedAt = ""
	if got := noHistory.Since("2026-05-10"); got != nil {
		t.Errorf("without history: %q", got)
	}
}

// TestFindUndatedProse: prose is rendered without its date, so an undated existence lookup
// answers the worst of the target's dated existence entries.
func TestFindUndatedProse(t *testing.T) {
	ref := citation.Ref{Kind: citation.KindRef, Repo: "kubernetes/kubernetes", Number: 1}
	entry := func(c claim.Claim, st Status) Entry {
		return Entry{Key: c.Key(ref), Target: ref.String(), Claim: c, Status: st}
	}
	l := New([]Entry{
		entry(claim.Claim{AsOf: "2026-05-10"}, Verified),
		entry(claim.Claim{AsOf: "2026-04-01"}, Contradicted),
		entry(claim.Claim{State: "merged", AsOf: "2026-05-10"}, Missing),
	})
	if e, ok := l.Find(ref, claim.Claim{}); !ok || e.Status != Contradicted {
		t.Errorf("undated: %+v %v, want the contradicted dated entry", e, ok)
	}
	if e, ok := l.Find(ref, claim.Claim{AsOf: "2026-05-10"}); !ok || e.Status != Verified {
		t.Errorf("dated: %+v %v", e, ok)
	}
	if _, ok := l.Find(ref, claim.Claim{State: "merged"}); ok {
		t.Error("an undated claim of state found a dated entry: a verdict on another day is not its verdict")
	}
}

// TestOldLockLoads: a lock written before claims had dates loads; its entries keep their keys.
func TestOldLockLoads(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	old := `{"version": 1, "entries": [{"key": "kubernetes/kubernetes#1 {\"state\":\"merged\"}", "kind": "pr",
  "target": "kubernetes/kubernetes#1", "claim": {"state": "merged"}, "observed": {"exists": true, "kind": "pr", "state": "closed", "merged": true},
  "source": "github", "checked_at": "2026-05-10T00:00:00Z", "status": "verified", "message": "pr is merged", "etag": "W/\"1\""}]}`
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	ref := citation.Ref{Kind: citation.KindRef, Repo: "kubernetes/kubernetes", Number: 1}
	if e, ok := l.Latest(ref.String()); !ok || e.ETag == "" {
		t.Error("the old entry's ETag is not offered to the next run")
	}
	if _, ok := l.Find(ref, claim.Claim{State: "merged", AsOf: "2026-05-10"}); ok {
		t.Error("an entry judged on the state at its run stood for a claim dated 2026-05-10")
	}
}

func TestOpenNow(t *testing.T) {
	for _, tc := range []struct {
		o           Observed
		open, known bool
	}{
		{draftMergedLater, false, true},
		{Observed{Exists: true, Kind: "pr", State: "open", Draft: true}, true, true},
		{Observed{Exists: true, Kind: "issue", State: "closed"}, false, true},
		{Observed{}, false, false},
	} {
		if open, known := (Entry{Observed: tc.o}).OpenNow(); open != tc.open || known != tc.known {
			t.Errorf("%+v: open %v known %v", tc.o, open, known)
		}
	}
}

func TestSinceWithoutMerge(t *testing.T) {
	o := Observed{Exists: true, Kind: "pr", State: "closed", CreatedAt: "2026-05-01T00:00:00Z", Timeline: []Event{
		{Type: EventReadyForReview, At: "2026-05-11T00:00:00Z"}, {Type: EventClosed, At: "2026-05-13T00:00:00Z"}}}
	if got, want := o.Since("2026-05-10"), []string{"ready for review 2026-05-11", "closed 2026-05-13"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Since = %q, want %q", got, want)
	}
}
