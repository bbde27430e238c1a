package github

import (
	"context"

	gh "github.com/google/go-github/v62/github"

	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
)

// restEventTypes maps the REST timeline's event names to evidence's; other events (comments,
// commits, reviews, cross-references) do not change what a claim can say.
var restEventTypes = map[string]string{
	"merged":           evidence.EventMerged,
	"closed":           evidence.EventClosed,
	"reopened":         evidence.EventReopened,
	"convert_to_draft": evidence.EventConvertedToDraft,
	"ready_for_review": evidence.EventReadyForReview,
	"labeled":          evidence.EventLabeled,
	"unlabeled":        evidence.EventUnlabeled,
	"renamed":          evidence.EventRenamed,
}

// withHistory adds a PR's or issue's creation time and timeline to an answer when a dated
// claim needs them to tell the state on its day. An answer replayed from the lock already
// carries them (conditional sends no ETag for an entry without them).
func (s *Source) withHistory(ctx context.Context, owner, repo string, t verify.Target, a *verify.Answer, created *gh.Timestamp) error {
	if !t.History || !a.Found || a.Observed.HistoryKnown() {
		return nil
	}
	events, err := s.timeline(ctx, owner, repo, t.Ref.Number)
	if err != nil {
		return err
	}
	a.Observed.CreatedAt, a.Observed.Timeline = stamp(created), events
	return nil
}

// timeline reads every page of an issue's timeline and keeps the events that change state.
func (s *Source) timeline(ctx context.Context, owner, repo string, number int) ([]evidence.Event, error) {
	var out []evidence.Event
	opts := &gh.ListOptions{PerPage: 100}
	for {
		var page []*gh.Timeline
		resp, err := s.call(ctx, func() (r *gh.Response, err error) {
			page, r, err = s.gh.Issues.ListIssueTimeline(ctx, owner, repo, number, opts)
			return r, err
		})
		if err != nil {
			return nil, err
		}
		for _, e := range page {
			typ, ok := restEventTypes[e.GetEvent()]
			if !ok || e.CreatedAt == nil {
				continue
			}
			ev := evidence.Event{Type: typ, At: stamp(e.CreatedAt)}
			switch typ {
			case evidence.EventLabeled, evidence.EventUnlabeled:
				ev.Label = e.GetLabel().GetName()
			case evidence.EventRenamed:
				ev.From = e.GetRename().GetFrom()
			}
			out = append(out, ev)
		}
		if resp == nil || resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}
