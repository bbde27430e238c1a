package content

import (
	"strconv"
	"strings"

	"github.com/triagesite/triagesite/internal/citation"
)

// Citation is one place in the content that cites something. Tree.Citations holds every
// one, found once by the loader; later stages read them rather than scanning prose again.
type Citation struct {
	Ref   citation.Ref // resolved to the full owner/repo
	Claim *Claim       // nil for a citation made inline in prose
	Pos   Pos
	Owner Owner // the file's subject
	// Path is the YAML path of the field that makes the citation, within its owner's file:
	// "tiers[1].items[0].action", "subpatterns[2].citations[0].ref".
	Path string
	// Start and End are where the citation stands in that field's text: byte offsets of the
	// words in prose, or the whole value of a claim's ref: or a refs: item.
	Start, End int
	// AsOf is the date the citation is judged as of: the claim's own at: date, else its
	// report's date, else its pattern's (see Pattern.AsOf); "" when nothing dates it.
	AsOf string
}

// CitationsOf is every citation an owner's file makes, in position order.
func (t *Tree) CitationsOf(o Owner) []Citation {
	if t.citationsOf == nil { // a tree not made by Load, as tests make them
		var out []Citation
		for _, c := range t.Citations {
			if c.Owner == o {
				out = append(out, c)
			}
		}
		return out
	}
	span, ok := t.citationsOf[o]
	if !ok {
		return nil
	}
	return t.Citations[span[0]:span[1]:span[1]]
}

// indexOwners finds each owner's run of citations in a list sorted by file.
func indexOwners(cs []Citation) map[Owner][2]int {
	out := map[Owner][2]int{}
	for i := 0; i < len(cs); {
		j := i + 1
		for j < len(cs) && cs[j].Owner == cs[i].Owner {
			j++
		}
		out[cs[i].Owner] = [2]int{i, j}
		i = j
	}
	return out
}

// OwnerKind is what a content file is about.
type OwnerKind string

// The kinds of file that hold citations or prose.
const (
	OwnerPattern  OwnerKind = "pattern"
	OwnerReport   OwnerKind = "report"
	OwnerSnapshot OwnerKind = "snapshot"
	// OwnerAudit is a markdown report audited outside the tree, by its path.
	OwnerAudit OwnerKind = "audit"
)

// Owner is the subject of a content file: a pattern by slug, a report by ID, a snapshot by
// "<dataset>/<date>".
type Owner struct {
	Kind OwnerKind
	ID   string
}

// String gives the owner as "pattern/<slug>", "report/<id>" or "snapshot/<dataset>/<date>".
func (o Owner) String() string { return string(o.Kind) + "/" + o.ID }

// PatternOwner is the owner of a pattern's file.
func PatternOwner(slug string) Owner { return Owner{OwnerPattern, slug} }

// ReportOwner is the owner of a report's file.
func ReportOwner(id string) Owner { return Owner{OwnerReport, id} }

// Index is the list index the path gives right after the key, as in "tiers[1]" for key
// "tiers"; false when the path has no such step.
func (c Citation) Index(key string) (int, bool) { return pathIndex(c.Path, key) }

// Field is the last key of the path: "action" for "tiers[1].items[0].action", "refs" for
// "tiers[1].items[0].refs[2]".
func (c Citation) Field() string {
	p := c.Path
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		p = p[i+1:]
	}
	if i := strings.IndexByte(p, '['); i >= 0 {
		p = p[:i]
	}
	return p
}

// pathIndex finds key[N] as a whole step of a YAML path and returns N.
func pathIndex(path, key string) (int, bool) {
	for rest := path; rest != ""; {
		step, tail, _ := strings.Cut(rest, ".")
		rest = tail
		name, idx, ok := strings.Cut(step, "[")
		if !ok || name != key {
			continue
		}
		end := strings.IndexByte(idx, ']')
		if end < 0 {
			return 0, false
		}
		n, err := strconv.Atoi(idx[:end])
		return n, err == nil
	}
	return 0, false
}

// Within reports whether the citation sits at path or inside it: "tiers[1].items[0]" holds
// "tiers[1].items[0].action" and "tiers[1].items[0].refs[2]".
func (c Citation) Within(path string) bool {
	rest, ok := strings.CutPrefix(c.Path, path)
	return ok && (rest == "" || rest[0] == '.' || rest[0] == '[')
}
