package github

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
)

// refTarget asks for a PR or an issue with its timeline.
func (s *Source) refTarget(t verify.Target) *gqlTarget {
	owner, repo, _ := ownerRepo(t)
	return &gqlTarget{owner: owner, name: repo, fragment: "ref",
		field: fmt.Sprintf("issueOrPullRequest(number: %d) { ...ref }", t.Ref.Number),
		done: func(raw json.RawMessage, found bool) {
			if !found {
				s.keep(t, verify.Answer{Found: false})
				return
			}
			var n refNode
			if json.Unmarshal(raw, &n) != nil || !n.complete() {
				return // more labels or events than one page holds: REST reads them
			}
			a := verify.Answer{Found: true, Observed: n.observed()}
			if prev, ok := s.prefetched(t); ok && !prev.NotModified { // changed since the lock: keep REST's new ETag
				a.ETag = prev.ETag
			}
			s.keep(t, a)
		}}
}

// commitTarget asks for a commit; an abbreviated SHA comes back full.
func (s *Source) commitTarget(t verify.Target) *gqlTarget {
	owner, repo, _ := ownerRepo(t)
	return &gqlTarget{owner: owner, name: repo, fragment: "commit",
		field: fmt.Sprintf("object(expression: %s) { ...commit }", gqlString(t.Ref.SHA)),
		done: func(raw json.RawMessage, found bool) {
			var c commitNode
			if !found || json.Unmarshal(raw, &c) != nil || c.Typename != "Commit" {
				s.keep(t, verify.Answer{Found: false})
				return
			}
			title, _, _ := strings.Cut(c.Message, "\n")
			s.keep(t, verify.Answer{Found: true, Observed: evidence.Observed{Exists: true, SHA: c.OID, Author: c.Author.Name,
				Date: utc(c.Author.Date), Title: strings.TrimSpace(title)}})
		}}
}

// resolveTargets asks, once per (repository, branch, at), for the commit files are read at.
func (s *Source) resolveTargets(files []verify.Target) []*gqlTarget {
	var out []*gqlTarget
	seen := map[string]bool{}
	for _, t := range files {
		owner, repo, _ := ownerRepo(t)
		k := resolveKey(owner, repo, t)
		if _, known := s.resolution(k); seen[k] || known || fullSHA.MatchString(strings.TrimSpace(t.At)) {
			continue
		}
		seen[k] = true
		if g := s.resolveTarget(owner, repo, k, t); g != nil {
			out = append(out, g)
		}
	}
	return out
}

// resolveTarget asks for the commit one (repository, branch, at) names: the branch head, an
// abbreviated SHA expanded, or the last commit by the end of a day, UTC. nil for a bad
// date, which Fetch reports.
func (s *Source) resolveTarget(owner, repo, key string, t verify.Target) *gqlTarget {
	at := strings.TrimSpace(t.At)
	branch := "defaultBranchRef"
	if t.Branch != "" {
		branch = fmt.Sprintf("ref(qualifiedName: %s)", gqlString("refs/heads/"+t.Branch))
	}
	g := &gqlTarget{owner: owner, name: repo}
	switch {
	case at == "":
		g.field, g.fragment, g.done = branch+" { ...head }", "head", s.rememberHead(key)
	case shortSHA.MatchString(at):
		g.field, g.fragment = fmt.Sprintf("object(expression: %s) { ...commit }", gqlString(at)), "commit"
		g.done = func(raw json.RawMessage, found bool) {
			var c commitNode
			ok := found && json.Unmarshal(raw, &c) == nil && c.Typename == "Commit"
			s.remember(key, c.OID, ok)
		}
	default:
		day, err := time.Parse(time.DateOnly, at)
		if err != nil {
			return nil
		}
		until := day.Add(24*time.Hour - time.Second).Format(time.RFC3339)
		g.field = fmt.Sprintf("%s { target { ... on Commit { history(first: 1, until: %s) { nodes { oid } } } } }", branch, gqlString(until))
		g.done = s.rememberLast(key)
	}
	return g
}

// rememberHead records the branch head a head fragment names; no branch, no commit.
func (s *Source) rememberHead(key string) func(json.RawMessage, bool) {
	return func(raw json.RawMessage, found bool) {
		var h struct{ Target struct{ OID string } }
		if found && json.Unmarshal(raw, &h) == nil && h.Target.OID != "" {
			s.remember(key, h.Target.OID, true)
		} else if !found {
			s.remember(key, "", false)
		}
	}
}

// rememberLast records the newest commit of a history(first: 1, until:); none: no commit by then.
func (s *Source) rememberLast(key string) func(json.RawMessage, bool) {
	return func(raw json.RawMessage, found bool) {
		var h struct {
			Target struct {
				History struct{ Nodes []struct{ OID string } }
			}
		}
		if found && json.Unmarshal(raw, &h) != nil {
			return // an answer we cannot read: REST resolves it
		}
		if nodes := h.Target.History.Nodes; found && len(nodes) > 0 {
			s.remember(key, nodes[0].OID, true)
		} else {
			s.remember(key, "", false)
		}
	}
}

// blobTarget asks for a file's text at the commit its at resolved to; nil when that commit
// is unknown (Fetch then resolves it over REST) or the file is already answered.
func (s *Source) blobTarget(t verify.Target) *gqlTarget {
	owner, repo, _ := ownerRepo(t)
	at := strings.TrimSpace(t.At)
	sha, found := strings.ToLower(at), true
	if !fullSHA.MatchString(at) {
		r, ok := s.resolution(resolveKey(owner, repo, t))
		if !ok {
			return nil
		}
		sha, found = r.sha, r.found
	}
	if !found {
		s.keep(t, verify.Answer{Found: false})
		return nil
	}
	return &gqlTarget{owner: owner, name: repo, fragment: "blob",
		field: fmt.Sprintf("object(expression: %s) { ...blob }", gqlString(sha+":"+t.Ref.Path)),
		done: func(raw json.RawMessage, found bool) {
			o := evidence.Observed{SHA: sha}
			var b blobNode
			if !found || json.Unmarshal(raw, &b) != nil || b.Typename != "Blob" {
				s.keep(t, verify.Answer{Found: false, Observed: o}) // no such path, or a directory or submodule
				return
			}
			if b.Text == nil || b.IsBinary || b.IsTruncated {
				s.rawOnly.Store(answerKey(t), true) // too big or binary for GraphQL: REST reads the raw bytes
				return
			}
			o.Exists = true
			s.keep(t, verify.Answer{Found: true, Observed: o, Text: splitLines(*b.Text)})
		}}
}

// refNode is a PR or an issue as the ref fragment selects it.
type refNode struct {
	Typename    string `json:"__typename"`
	Title       string
	State       string // an issue's
	PRState     string `json:"prState"`
	IsDraft     bool
	Merged      bool
	MergedAt    string
	MergeCommit *struct{ OID string }
	CreatedAt   string
	UpdatedAt   string
	ClosedAt    string
	Labels      struct {
		TotalCount int
		Nodes      []struct{ Name string }
	}
	TimelineItems struct {
		PageInfo struct{ HasNextPage bool }
		Nodes    []struct {
			Typename  string `json:"__typename"`
			CreatedAt string
			Label     *struct{ Name string }
			// PreviousTitle is a RenamedTitleEvent's title before the change.
			PreviousTitle string
		}
	}
}

// complete says one page held every label and event.
func (n refNode) complete() bool {
	return (n.Typename == "Issue" || n.Typename == "PullRequest") && n.Labels.TotalCount <= len(n.Labels.Nodes) &&
		!n.TimelineItems.PageInfo.HasNextPage
}

var graphqlEventTypes = map[string]string{"MergedEvent": evidence.EventMerged, "ClosedEvent": evidence.EventClosed,
	"ReopenedEvent": evidence.EventReopened, "ConvertToDraftEvent": evidence.EventConvertedToDraft,
	"ReadyForReviewEvent": evidence.EventReadyForReview, "LabeledEvent": evidence.EventLabeled, "UnlabeledEvent": evidence.EventUnlabeled,
	"RenamedTitleEvent": evidence.EventRenamed}

// observed says what REST's issues endpoint would: state open or closed, a merged PR closed.
func (n refNode) observed() evidence.Observed {
	o := evidence.Observed{Exists: true, Kind: "issue", State: "open", Title: n.Title, ClosedAt: utc(n.ClosedAt),
		CreatedAt: utc(n.CreatedAt), UpdatedAt: utc(n.UpdatedAt)}
	if n.State+n.PRState != "OPEN" { // one of the two is set
		o.State = "closed"
	}
	if n.Typename == "PullRequest" {
		o.Kind, o.Draft = "pr", n.IsDraft
		if n.Merged && n.MergedAt != "" {
			o.Merged, o.MergedAt = true, utc(n.MergedAt)
			if n.MergeCommit != nil { // what the fix checks need, as a checkout's merge gives it
				o.SHA = n.MergeCommit.OID
			}
		}
	}
	for _, l := range n.Labels.Nodes {
		o.Labels = append(o.Labels, l.Name)
	}
	slices.Sort(o.Labels)
	for _, e := range n.TimelineItems.Nodes {
		typ, ok := graphqlEventTypes[e.Typename]
		if !ok {
			continue
		}
		ev := evidence.Event{Type: typ, At: utc(e.CreatedAt)}
		if e.Label != nil {
			ev.Label = e.Label.Name
		}
		ev.From = e.PreviousTitle
		o.Timeline = append(o.Timeline, ev)
	}
	return o
}

type commitNode struct {
	Typename string `json:"__typename"`
	OID      string
	Message  string
	Author   struct{ Name, Date string }
}

type blobNode struct {
	Typename    string `json:"__typename"`
	Text        *string
	IsBinary    bool
	IsTruncated bool
}

// utc renders a GitHub time as RFC 3339 UTC, the form evidence stores; "" stays "".
func utc(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.UTC().Format(time.RFC3339)
}
