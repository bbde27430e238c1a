package site

import (
	"context"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/view"
	"github.com/triagesite/triagesite/templates"
)

func digestPath(sig string) string     { return "sigs/" + sig + "-digest.html" }
func digestFeedPath(sig string) string { return "sigs/" + sig + "-digest.xml" }

// digestRows bounds each list of a digest page; a SIG's week is short, but a synthetic one is not.
const digestRows = 100

// lockOf is the verification lock behind the build's evidence; an empty one when the build
// reads evidence from elsewhere.
func lockOf(e Evidence) *evidence.Lock {
	if l, ok := e.(LockEvidence); ok && l.Lock != nil {
		return l.Lock
	}
	return evidence.New(nil)
}

func (b *builder) digestInput() analyze.DigestInput {
	return analyze.DigestInput{Tree: b.tree, History: b.index.history, Placements: b.index.placements, Categories: b.cats, Lock: lockOf(b.opts.Evidence)}
}

// digests writes each SIG's digest page and its Atom feed.
func (b *builder) digests(context.Context) error {
	for i := range b.tree.SIGs {
		s := &b.tree.SIGs[i]
		path, feed := digestPath(s.ID), digestFeedPath(s.ID)
		d := analyze.DigestOf(b.digestInput(), s.ID, "")
		if err := b.renderLazy(path, func() templ.Component { return templates.DigestPage(b.digestView(s, d, path)) }); err != nil {
			return err
		}
		data, err := b.digestFeed(s, d)
		if err != nil {
			return err
		}
		if err := b.write(feed, data, ""); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) digestView(s *content.SIG, d analyze.Digest, path string) view.Digest {
	v := view.Digest{Page: b.page(s.Name+" weekly digest", path, "sigs"), SIG: view.Link{Href: rel(path, sigPath(s.ID)), Text: s.Name},
		Since: d.Since, To: d.To, Feed: view.Link{Href: rel(path, digestFeedPath(s.ID)), Text: "Atom feed"},
		OwnershipIs: "A job is " + s.ID + "'s when " + s.ID + " is its primary owner: the first owner SIG of the sub-pattern that places it, else of its pattern, else the first SIG sigs.yaml gives it by category or job prefix."}
	for _, dd := range d.Datasets {
		vd := view.DigestDataset{Dataset: string(dd.Dataset), Verb: dd.Dataset.Verb(),
			New: b.statusList(dd.Dataset, dd.New, digestRows, path), Recovered: b.statusList(dd.Dataset, dd.Recovered, digestRows, path),
			Unexplained: b.statusList(dd.Dataset, dd.Unexplained, digestRows, path)}
		vd.Summary = count(dd.JobsOwned, "job", "jobs") + " of the " + strconv.Itoa(dd.Total) + " in the " + dd.End + " snapshot are " + s.ID + "'s first"
		if dd.Compared {
			vd.Summary += "; compared with " + dd.Baseline + "."
		} else {
			vd.Summary += "; there is no earlier snapshot to compare with."
		}
		vd.NewNote, vd.RecoveredNote = sentence(dd.NewNote()), sentence(dd.RecoveredNote())
		v.Datasets = append(v.Datasets, vd)
	}
	for _, f := range d.Fixes {
		words := "merged " + f.MergedAt
		if f.Title != "" {
			words += ": " + f.Title
		}
		v.Fixes = append(v.Fixes, view.DigestFix{Ref: b.refLink(f.Ref, path), MergedAt: f.MergedAt, Title: f.Title, Where: f.Where, Words: words})
	}
	for _, n := range d.Nudges {
		vn := view.DigestNudge{State: n.State, StateVerified: n.State != "not verified",
			Pattern: view.Link{Href: rel(path, patternPath(n.Pattern)), Text: b.tree.Pattern(n.Pattern).Title},
			Report:  view.Link{Href: rel(path, reportPath(n.Report)), Text: n.Report}}
		for _, r := range n.Refs {
			vn.Refs = append(vn.Refs, b.refLink(r, path))
		}
		if r := b.tree.Report(n.Report); r != nil {
			vn.Block = b.inline(n.Block, r.DefaultRepo, path)
		}
		v.Nudges = append(v.Nudges, vn)
	}
	return v
}

// sentence makes a note a sentence: a capital first letter and a full stop; "" stays "".
func sentence(note string) string {
	if note == "" {
		return ""
	}
	return strings.ToUpper(note[:1]) + note[1:] + "."
}

// refLink links a PR or issue: its page on this site when it has one, else GitHub.
func (b *builder) refLink(r citation.Ref, path string) view.Link {
	text := r.Short(b.tree.Alias(r.Repo))
	if p := b.refs.pathOf(r); p != "" {
		return view.Link{Href: rel(path, p), Text: text}
	}
	return view.Link{Href: r.URL(), Text: text}
}

// digestFeed is a SIG's Atom feed: one entry, the digest of the week ending with the newest
// snapshot, so a reader sees a new entry whenever a snapshot lands. Times come from the
// snapshots' dates, never the clock.
func (b *builder) digestFeed(s *content.SIG, d analyze.Digest) ([]byte, error) {
	base := strings.TrimSuffix(b.opts.BaseURL, "/")
	self := digestFeedPath(s.ID)
	link := func(p string) string {
		if base == "" {
			return rel(self, p)
		}
		return base + "/" + p
	}
	when := "1970-01-01T00:00:00Z"
	if d.To != "" {
		when = d.To + "T00:00:00Z"
	}
	f := atomFeed{Title: s.Name + " CI digest", ID: "urn:triagesite:digest:" + s.ID, Author: atomPerson{Name: "triagesite"}, Updated: when,
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: link(self)}, {Rel: "alternate", Type: "text/html", Href: link(digestPath(s.ID))}}}
	if base != "" {
		f.Base = base + "/"
	}
	if d.To != "" {
		var parts []string
		for _, dd := range d.Datasets {
			parts = append(parts, string(dd.Dataset)+": "+strconv.Itoa(len(dd.New))+" new, "+strconv.Itoa(len(dd.Recovered))+" recovered, "+strconv.Itoa(len(dd.Unexplained))+" unexplained")
		}
		parts = append(parts, strconv.Itoa(len(d.Fixes))+" fixes merged", strconv.Itoa(len(d.Nudges))+" open nudge targets")
		f.Entries = append(f.Entries, atomEntry{Title: s.Name + " digest, " + d.Since + " to " + d.To, ID: "urn:triagesite:digest:" + s.ID + ":" + d.To,
			Published: when, Updated: when, Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: link(digestPath(s.ID))}},
			Summary: atomText{Type: "text", Body: strings.Join(parts, "; ") + "."}})
	}
	return marshalXML(f)
}
