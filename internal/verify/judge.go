package verify

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/claim"
	"github.com/triagesite/triagesite/internal/evidence"
)

// Judge compares one claim with what a source answered. It is pure: the same inputs give the same verdict.
func Judge(ref citation.Ref, c claim.Claim, a Answer) (evidence.Status, string, evidence.Observed) {
	o := a.Observed
	if !a.Found {
		msg := "no such " + noun(ref) + " at " + a.Source
		if ref.Kind == citation.KindFile && o.SHA != "" { // say which commit, since files move
			msg += ", read at " + short(o.SHA)
		}
		return evidence.Missing, msg, o
	}
	switch ref.Kind {
	case citation.KindRef:
		if a.Source == evidence.SourceCheckout {
			st, msg := judgeMergeCommitOn(c, o)
			return st, msg, o
		}
		st, msg := judgeRefOn(c, o)
		return st, msg, o
	case citation.KindCommit:
		st, msg := judgeCommit(c, o)
		return st, asOf(c, msg), o
	case citation.KindFile:
		st, msg, o := judgeFile(ref, c, a)
		return st, asOf(c, msg), o
	case citation.KindBuild:
		return judgeBuild(c, a)
	}
	return evidence.Error, "unknown citation kind", o
}

func noun(ref citation.Ref) string {
	switch ref.Kind {
	case citation.KindRef:
		return "PR or issue"
	case citation.KindCommit:
		return "commit"
	case citation.KindFile:
		return "file"
	}
	return "build log"
}

// asOf says which day a verdict speaks for.
func asOf(c claim.Claim, msg string) string {
	if day := c.Day(); day != "" {
		return "as of " + day + ": " + msg
	}
	return msg
}

// judgeRefOn judges a PR or issue claim as of the claim's day: the state then is the state
// now with the timeline's later events undone. What happened since is news, not a verdict;
// the observation kept is the state now, with its timeline, for pages to tell it.
func judgeRefOn(c claim.Claim, now evidence.Observed) (evidence.Status, string) {
	day := c.Day()
	if day == "" {
		return judgeRef(c, now)
	}
	if !now.HistoryKnown() {
		if claimsState(c) && (!mergedBy(now, day) || len(c.Labels) > 0) {
			return evidence.Unverifiable, fmt.Sprintf("its timeline was not read, so its state on %s is unknown (now %s)", day, refState(now))
		}
		st, msg := judgeRef(c, now)
		return st, asOf(c, msg)
	}
	then, existed := now.On(day)
	if !existed {
		return evidence.Contradicted, fmt.Sprintf("it was opened %s, after %s", now.CreatedAt, day)
	}
	st, msg := judgeRef(c, then)
	return st, asOf(c, msg)
}

// judgeMergeCommitOn judges a PR claim from a checkout's merge commit as of the claim's day.
// A merge by then is final; a merge after it says the PR was not yet merged that day, but not
// whether it was open or a draft.
func judgeMergeCommitOn(c claim.Claim, o evidence.Observed) (evidence.Status, string) {
	day := c.Day()
	if day != "" && mergedBy(o, day) && (c.State == "open" || c.State == "draft") {
		// A merge is final: by the end of that day it was no longer open, whatever came before.
		return evidence.Contradicted, asOf(c, fmt.Sprintf("claimed %s, but it had merged (merge commit at %s)", c.State, o.MergedAt))
	}
	if day == "" || mergedBy(o, day) || !claimsState(c) {
		st, msg := judgeMergeCommit(c, o)
		return st, asOf(c, msg)
	}
	if c.State == "merged" || c.MergedAt != "" {
		return evidence.Contradicted, asOf(c, fmt.Sprintf("claimed merged, but its merge commit landed at %s, after %s", o.MergedAt, day))
	}
	return evidence.Unverifiable, asOf(c, fmt.Sprintf("it merged later, at %s; a merge commit cannot show its state on %s", o.MergedAt, day))
}

// claimsState says the claim asserts something that changes over a PR's or issue's life.
func claimsState(c claim.Claim) bool {
	return c.State != "" || c.MergedAt != "" || c.ClosedAt != "" || len(c.Labels) > 0
}

// mergedBy says the PR had merged by the end of day: a merge is final, so its state then is
// known without the timeline, as long as the claim asks nothing about labels.
func mergedBy(o evidence.Observed, day string) bool {
	end, ok := evidence.EndOfDay(day)
	if !o.Merged || !ok {
		return false
	}
	t, err := time.Parse(time.RFC3339, o.MergedAt)
	return err == nil && !t.After(end)
}

func judgeRef(c claim.Claim, o evidence.Observed) (evidence.Status, string) {
	var wrong []string
	if c.Kind != "" && c.Kind != o.Kind {
		wrong = append(wrong, fmt.Sprintf("claimed %s, but it is %s", article(c.Kind), article(o.Kind)))
	}
	if c.State != "" {
		if got := refState(o); got != c.State {
			wrong = append(wrong, fmt.Sprintf("claimed %s, but it is %s", c.State, got))
		}
	}
	if c.MergedAt != "" && !sameTime(c.MergedAt, o.MergedAt) {
		wrong = append(wrong, fmt.Sprintf("claimed merged at %s, but merged_at is %q", c.MergedAt, o.MergedAt))
	}
	if c.ClosedAt != "" && !sameTime(c.ClosedAt, o.ClosedAt) {
		wrong = append(wrong, fmt.Sprintf("claimed closed at %s, but closed_at is %q", c.ClosedAt, o.ClosedAt))
	}
	for _, l := range c.Labels {
		if !slices.Contains(o.Labels, l) {
			wrong = append(wrong, fmt.Sprintf("claimed label %s, which it does not carry (labels: %s)", l, strings.Join(o.Labels, ", ")))
		}
	}
	if c.Title != "" && !containsFold(o.Title, c.Title) {
		wrong = append(wrong, fmt.Sprintf("claimed title %q, but it is %q", c.Title, o.Title))
	}
	return verdict(wrong, "%s is %s", o.Kind, refState(o))
}

// refState is the state in the report's words: merged, closed (unmerged), draft or open.
func refState(o evidence.Observed) string {
	switch {
	case o.Merged:
		return "merged"
	case o.State == "closed":
		return "closed"
	case o.Draft:
		return "draft"
	}
	return "open"
}

func judgeCommit(c claim.Claim, o evidence.Observed) (evidence.Status, string) {
	var wrong []string
	if c.Author != "" && !containsFold(o.Author, c.Author) {
		wrong = append(wrong, fmt.Sprintf("claimed author %s, but it is %s", c.Author, o.Author))
	}
	if c.Date != "" && !sameDay(c.Date, o.Date) {
		wrong = append(wrong, fmt.Sprintf("claimed date %s, but it is %s", c.Date, o.Date))
	}
	if c.Title != "" && !containsFold(o.Title, c.Title) {
		wrong = append(wrong, fmt.Sprintf("claimed title %q, but it is %q", c.Title, o.Title))
	}
	if end, ok := evidence.EndOfDay(c.Day()); ok {
		if t, err := time.Parse(time.RFC3339, o.Date); err == nil && t.After(end) {
			wrong = append(wrong, fmt.Sprintf("it was authored %s, after %s", o.Date, c.Day()))
		} else if o.BranchAt != "" && !o.OnBranch {
			wrong = append(wrong, fmt.Sprintf("it was not on the default branch by the end of %s (its last commit then: %s)", c.Day(), short(o.BranchAt)))
		}
	}
	if o.OnBranch {
		return verdict(wrong, "commit %s exists, on the default branch by then", short(o.SHA))
	}
	return verdict(wrong, "commit %s exists", short(o.SHA))
}

func judgeFile(ref citation.Ref, c claim.Claim, a Answer) (evidence.Status, string, evidence.Observed) {
	o := a.Observed
	o.Lines = len(a.Text)
	for _, r := range ref.Lines {
		if r.End > len(a.Text) {
			return evidence.Missing, fmt.Sprintf("line %d is past the end of the file (%d lines at %s)", r.End, len(a.Text), short(o.SHA)), o
		}
	}
	if c.Quote == "" {
		return evidence.Verified, fmt.Sprintf("the cited lines exist at %s", short(o.SHA)), o
	}
	for i, line := range a.Text {
		if strings.Contains(line, c.Quote) {
			o.QuoteAt = append(o.QuoteAt, i+1)
		}
	}
	for _, at := range o.QuoteAt {
		for _, r := range ref.Lines {
			if at >= r.Start && at <= r.End {
				return evidence.Verified, fmt.Sprintf("the quote is on line %d at %s", at, short(o.SHA)), o
			}
		}
	}
	if len(o.QuoteAt) == 0 {
		return evidence.Contradicted, fmt.Sprintf("the quote is nowhere in the file at %s", short(o.SHA)), o
	}
	return evidence.Contradicted, fmt.Sprintf("the quote is not on the cited line(s); it is on line %s at %s", joinInts(o.QuoteAt), short(o.SHA)), o
}

func judgeBuild(c claim.Claim, a Answer) (evidence.Status, string, evidence.Observed) {
	o := a.Observed
	if c.Result != "" && o.Result == "" {
		return evidence.Unverifiable, "the build has no readable finished.json, so its result is unknown", o
	}
	if c.Result != "" && c.Result != o.Result {
		return evidence.Contradicted, fmt.Sprintf("claimed %s, but finished.json says %s", c.Result, o.Result), o
	}
	if c.Quote == "" {
		return evidence.Verified, "the build log exists: " + o.Object, o
	}
	o.QuoteAt = a.QuoteAt[c.Quote]
	if len(o.QuoteAt) == 0 {
		return evidence.Contradicted, "the quote is not in the build log " + o.Object, o
	}
	return evidence.Verified, fmt.Sprintf("the quote is on line %s of %s", joinInts(o.QuoteAt), o.Object), o
}

func verdict(wrong []string, okFormat string, args ...any) (evidence.Status, string) {
	if len(wrong) > 0 {
		return evidence.Contradicted, strings.Join(wrong, "; ")
	}
	return evidence.Verified, fmt.Sprintf(okFormat, args...)
}

// sameTime compares a claimed time with an observed RFC 3339 time; a claimed date compares the day.
func sameTime(claim, observed string) bool {
	if len(claim) == len("2006-01-02") {
		return sameDay(claim, observed)
	}
	a, err1 := time.Parse(time.RFC3339, claim)
	b, err2 := time.Parse(time.RFC3339, observed)
	return err1 == nil && err2 == nil && a.Equal(b)
}

func sameDay(claim, observed string) bool {
	t, err := time.Parse(time.RFC3339, observed)
	if err != nil {
		return strings.HasPrefix(observed, claim[:min(len(claim), 10)])
	}
	return t.UTC().Format("2006-01-02") == claim[:min(len(claim), 10)]
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprint(x)
	}
	return strings.Join(parts, ", ")
}

func article(kind string) string {
	if kind == "issue" {
		return "an issue"
	}
	return "a " + kind
}
