package lint

import (
	"strconv"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
)

// Context is what every rule reads: the tree, the lock, and indexes built once.
type Context struct {
	Tree *content.Tree
	Lock *evidence.Lock
	// prose finds a markdown field's position by file and text; the model keeps no positions
	// for its string fields, the loader keeps them for prose.
	prose map[proseKey]content.Prose
}

type proseKey struct{ file, text string }

func newContext(tree *content.Tree, lock *evidence.Lock) *Context {
	c := &Context{Tree: tree, Lock: lock, prose: map[proseKey]content.Prose{}}
	for _, p := range tree.Prose {
		k := proseKey{p.Pos.File, p.Text}
		if _, dup := c.prose[k]; !dup {
			c.prose[k] = p
		}
	}
	return c
}

// Prose returns the field holding text in file; a text given twice in one file maps to its first place.
func (c *Context) Prose(file string, text content.Markdown) (content.Prose, bool) {
	p, ok := c.prose[proseKey{file, string(text)}]
	return p, ok && text != ""
}

// body is one pattern or sub-pattern body with what names and places it.
type body struct {
	Pattern *content.Pattern
	Sub     *content.SubPattern // nil for the pattern's own body
	Body    *content.Body
	Pos     content.Pos
	At      string // YAML path in the pattern's file: "" for the pattern's own, "subpatterns[1]"
}

func (b body) name() string {
	if b.Sub != nil {
		return "sub-pattern " + b.Pattern.Slug + "/" + b.Sub.ID
	}
	return "pattern " + b.Pattern.Slug
}

// jobCount is how many jobs the body says it explains: its list, or its stated figure when larger.
func (b body) jobCount() int { return max(len(b.Body.Jobs), b.Body.JobCount) }

// bodies lists every pattern body, each followed by its sub-patterns.
func (c *Context) bodies() []body {
	var out []body
	for _, p := range c.Tree.Patterns {
		out = append(out, body{Pattern: p, Body: &p.Body, Pos: p.Pos})
		for i := range p.SubPatterns {
			s := &p.SubPatterns[i]
			out = append(out, body{Pattern: p, Sub: s, Body: &s.Body, Pos: s.Pos, At: "subpatterns[" + strconv.Itoa(i) + "]"})
		}
	}
	return out
}

// builds lists the builds a body cites, structured or inline, as the loader found them. An
// acknowledgement is not a citation the body rests on.
func (c *Context) builds(b body) []citation.Ref {
	var out []citation.Ref
	for _, ct := range c.Tree.CitationsOf(content.PatternOwner(b.Pattern.Slug)) {
		if ct.Ref.Kind != citation.KindBuild || ct.Field() == "acknowledged" {
			continue
		}
		if _, inSub := ct.Index("subpatterns"); (b.Sub == nil && !inSub) || (b.Sub != nil && ct.Within(b.At)) {
			out = append(out, ct.Ref)
		}
	}
	return out
}

// priorReports is how many reports of a dataset are dated before date.
func (c *Context) priorReports(dataset, date string) int {
	n := 0
	for _, r := range c.Tree.Reports {
		if r.Dataset == dataset && r.Date < date {
			n++
		}
	}
	return n
}

// snapshotTotal is how many jobs the dashboard file had: jobs_in_source for a partial
// reconstruction, which holds only the jobs a report names.
func snapshotTotal(s *content.Snapshot) int {
	if s.Meta.Partial && s.Meta.JobsInSource > 0 {
		return s.Meta.JobsInSource
	}
	return s.Jobs.Len()
}
