package evidence

import (
	"slices"
	"strings"
	"time"
)

// EndOfDay is the last second of a day (YYYY-MM-DD) in UTC: a claim dated that day is judged
// on everything that had happened by then. false: day is not a date.
func EndOfDay(day string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return time.Time{}, false
	}
	return t.Add(24*time.Hour - time.Second), true
}

// HistoryKnown says the source gave the PR's or issue's history (its creation time and its
// timeline), so its state on an earlier day can be told.
func (o Observed) HistoryKnown() bool { return o.CreatedAt != "" }

// after says whether an RFC 3339 time falls after end; an unparsable time counts as after,
// so that a garbled event is never taken as history the claim could rest on.
func after(at string, end time.Time) bool {
	t, err := time.Parse(time.RFC3339, at)
	return err != nil || t.After(end)
}

// On is the PR or issue as it stood at the end of day: the state now, with every timeline
// event after that undone, newest first. existed is false when it was created after the day.
// It needs HistoryKnown; the caller checks.
func (o Observed) On(day string) (then Observed, existed bool) {
	end, ok := EndOfDay(day)
	if !ok {
		return o, true
	}
	then = o
	then.Labels = slices.Clone(o.Labels)
	then.Timeline = nil
	if after(o.CreatedAt, end) {
		return then, false
	}
	events := slices.Clone(o.Timeline)
	slices.SortStableFunc(events, func(a, b Event) int { return strings.Compare(a.At, b.At) })
	for i := len(events) - 1; i >= 0; i-- {
		if e := events[i]; after(e.At, end) {
			then.undo(e)
		}
	}
	if then.State == "closed" && !then.Merged {
		then.ClosedAt = lastBefore(events, EventClosed, end, then.ClosedAt)
	}
	return then, true
}

// undo reverses one event on the state that followed it.
func (o *Observed) undo(e Event) {
	switch e.Type {
	case EventMerged:
		o.Merged, o.MergedAt = false, ""
	case EventClosed:
		o.State, o.ClosedAt = "open", ""
	case EventReopened:
		o.State = "closed"
	case EventConvertedToDraft:
		o.Draft = false
	case EventReadyForReview:
		o.Draft = true
	case EventLabeled:
		o.Labels = slices.DeleteFunc(o.Labels, func(l string) bool { return l == e.Label })
	case EventRenamed:
		o.Title = e.From
	case EventUnlabeled:
		if e.Label != "" && !slices.Contains(o.Labels, e.Label) {
			o.Labels = append(o.Labels, e.Label)
			slices.Sort(o.Labels)
		}
	}
}

// lastBefore is the time of the last event of a type at or before end, else fallback.
func lastBefore(events []Event, typ string, end time.Time, fallback string) string {
	out := fallback
	for _, e := range events {
		if e.Type == typ && !after(e.At, end) {
			out = e.At
		}
	}
	return out
}

// Since is what happened to a PR or issue after the end of day, in words and in order:
// "ready for review 2026-05-11", "closed 2026-05-13". A merge ends the story, so a PR merged
// since says only that. Label changes are left out: news is a change of state. Empty when
// nothing happened, or when the day or the history is unknown.
func (o Observed) Since(day string) []string {
	end, ok := EndOfDay(day)
	if !ok || !o.HistoryKnown() {
		return nil
	}
	events := slices.Clone(o.Timeline)
	slices.SortStableFunc(events, func(a, b Event) int { return strings.Compare(a.At, b.At) })
	var out []string
	for _, e := range events {
		if !after(e.At, end) {
			continue
		}
		if e.Type == EventMerged {
			return []string{"merged " + dayOf(e.At)}
		}
		if w := newsWords[e.Type]; w != "" {
			out = append(out, w+" "+dayOf(e.At))
		}
	}
	return out
}

var newsWords = map[string]string{
	EventClosed:           "closed",
	EventReopened:         "reopened",
	EventConvertedToDraft: "back to draft",
	EventReadyForReview:   "ready for review",
}

func dayOf(at string) string {
	if t, err := time.Parse(time.RFC3339, at); err == nil {
		return t.UTC().Format(time.DateOnly)
	}
	return at
}

// OpenNow says the PR or issue is open (not merged, not closed) by what the source last
// answered. known is false when the entry holds no answer about its state.
func (e Entry) OpenNow() (open, known bool) {
	o := e.Observed
	if !o.Exists || (o.Kind == "" && o.State == "") {
		return false, false
	}
	return !o.Merged && o.State != "closed", true
}
