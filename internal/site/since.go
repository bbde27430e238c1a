package site

import (
	"strings"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/view"
)

// News is Evidence that also knows what became of a PR or issue after a claim's day. A claim
// is judged as of its day; what happened since is shown beside the verdict, never in it.
type News interface {
	// Since is what happened to ref after the end of day, in words ("merged 2026-05-12").
	Since(ref citation.Ref, day string) []string
	// OpenNow says ref is open by the freshest answer recorded; known is false without one.
	OpenNow(ref citation.Ref) (open, known bool)
}

// Since implements News.
func (l LockEvidence) Since(ref citation.Ref, day string) []string {
	if e, ok := l.Lock.Latest(ref.String()); ok {
		return e.Observed.Since(day)
	}
	return nil
}

// OpenNow implements News.
func (l LockEvidence) OpenNow(ref citation.Ref) (bool, bool) {
	if e, ok := l.Lock.Latest(ref.String()); ok {
		return e.OpenNow()
	}
	return false, false
}

// since says what happened to a PR or issue after day, "" when nothing (or nothing known).
func (b *builder) since(ref citation.Ref, day string) string {
	n, ok := b.opts.Evidence.(News)
	if !ok || day == "" || ref.Kind != citation.KindRef {
		return ""
	}
	return strings.Join(n.Since(ref, day), " · ")
}

// dated is the day a verdict speaks for and the news since, for a verdict the lock records:
// "unverifiable as of a day", or "error as of a day", would claim a check that no source
// answered.
func (b *builder) dated(st evidence.Status, ref citation.Ref, day string) view.Dated {
	if st == evidence.Unverifiable || st == evidence.Error || day == "" {
		return view.Dated{}
	}
	return view.Dated{AsOf: day, Since: b.since(ref, day)}
}

// claimDay is the day a structured claim is judged as of ("" when undated).
func claimDay(c *content.Claim) string { return c.Checkable().Day() }

// stillOpen says a nudge target is still one: open now, or not known to be otherwise.
func (b *builder) stillOpen(ref citation.Ref) bool {
	n, ok := b.opts.Evidence.(News)
	if !ok || ref.Kind != citation.KindRef {
		return true
	}
	open, known := n.OpenNow(ref)
	return open || !known
}

// refsSince is what happened after day to the PRs and issues text cites, one phrase per ref
// that changed: "k/k#100 merged 2026-05-12"; name writes a ref ("k/k#100").
func (b *builder) refsSince(refs []citation.Ref, day string, name func(citation.Ref) string) string {
	var parts []string
	seen := map[string]bool{}
	for _, r := range refs {
		if seen[r.String()] {
			continue
		}
		seen[r.String()] = true
		if s := b.since(r, day); s != "" {
			parts = append(parts, name(r)+" "+s)
		}
	}
	return strings.Join(parts, "; ")
}

// sinceTheReport words news of a report's refs: a merge is a fix landed since.
func sinceTheReport(news string) string {
	switch {
	case news == "":
		return ""
	case strings.Contains(news, " merged "):
		return "fixed since the report: " + news
	}
	return "since the report: " + news
}

// shortName writes a ref as pages show it, with its repository's alias: "k/k#100".
func (b *builder) shortName(r citation.Ref) string { return r.Short(b.tree.Alias(r.Repo)) }

// actionNews is what became of a tier row's refs (its refs: and those its action cites)
// after the report's day.
func (b *builder) actionNews(r *content.Report, a content.Action) string {
	return b.actionNewsNamed(r, a, b.shortName)
}

func (b *builder) actionNewsNamed(r *content.Report, a content.Action, name func(citation.Ref) string) string {
	return sinceTheReport(b.refsSince(b.tree.CitedIn(r, r.ActionPath(a), "refs", "action"), r.Date, name))
}

// nudgeNews is what became of a nudge target's refs after the report's day.
func (b *builder) nudgeNews(r *content.Report, n content.NudgeTarget) string {
	return b.nudgeNewsNamed(r, n, b.shortName)
}

func (b *builder) nudgeNewsNamed(r *content.Report, n content.NudgeTarget, name func(citation.Ref) string) string {
	return sinceTheReport(b.refsSince(b.tree.CitedIn(r, r.NudgePath(n), "refs"), r.Date, name))
}
