package content

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/citation/inline"
)

var ownerRepoRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// completeRepos builds the alias table; every owner/repo also resolves to itself.
func (l *loader) completeRepos() {
	t := l.tree
	t.aliases = map[string]string{}
	for i := range t.Repos {
		r := &t.Repos[i]
		if !ownerRepoRe.MatchString(r.Repo) {
			l.errorOn(&r.Repo, r.Pos, "repo %s must be owner/name", excerpt(r.Repo))
			continue
		}
		names := []*string{&r.Repo}
		for j := range r.Aliases {
			names = append(names, &r.Aliases[j])
		}
		for _, name := range names {
			key := strings.ToLower(*name)
			if prev, dup := t.aliases[key]; dup && prev != r.Repo {
				l.errorOn(name, r.Pos, "alias %s already names %s", excerpt(*name), prev)
				continue
			}
			t.aliases[key] = r.Repo
		}
	}
}

// completeBody resolves a pattern's or sub-pattern's claims and sketch files; at is the
// body's YAML path, "" for the pattern's own.
func (l *loader) completeBody(b *Body, defaultRepo string, owner Owner, at string) {
	l.completeClaims(b.Citations, defaultRepo, owner, joinPath(at, "citations"))
	for i := range b.Fix.Sketches {
		s := &b.Fix.Sketches[i]
		if s.File == "" {
			continue
		}
		// A sketch names its file by citation when it can; a plain path is fine too.
		if ref, err := citation.Parse(s.File); err == nil && ref.Kind == citation.KindFile {
			where := joinPath(at, "fix.sketches["+strconv.Itoa(i)+"].file")
			l.completeRefString(s.File, l.at(&s.File, s.Pos), defaultRepo, owner, where)
		}
	}
}

// completeClaims resolves a list of claims written at the YAML path at.
func (l *loader) completeClaims(claims []Claim, defaultRepo string, owner Owner, at string) {
	for i := range claims {
		c := &claims[i]
		if l.isRefused(c) {
			continue // an empty item: its error is given
		}
		pos := l.at(&c.Ref, c.Pos)
		ref, err := citation.Parse(c.Ref)
		if err != nil {
			l.errorAt(pos, "%v", err)
			continue
		}
		ref, err = ref.Resolve(l.tree, defaultRepo)
		if err != nil {
			l.errorAt(pos, "%s: %v", c.Ref, err)
			continue
		}
		c.Parsed = ref
		l.validateClaim(c)
		where := at + "[" + strconv.Itoa(i) + "].ref"
		l.tree.Citations = append(l.tree.Citations, Citation{Ref: ref, Claim: c, Pos: c.Pos, Owner: owner, Path: where, End: len(c.Ref)})
	}
}

func (l *loader) completeRefString(s string, p Pos, defaultRepo string, owner Owner, at string) {
	ref, err := citation.Parse(s)
	if err != nil {
		l.errorAt(p, "%v", err)
		return
	}
	ref, err = ref.Resolve(l.tree, defaultRepo)
	if err != nil {
		l.errorAt(p, "%s: %v", s, err)
		return
	}
	l.tree.Citations = append(l.tree.Citations, Citation{Ref: ref, Pos: p, Owner: owner, Path: at, End: len(s)})
}

// scanProse finds inline citations in every markdown field of a file.
func (l *loader) scanProse(spans []prose, defaultRepo string, owner Owner) {
	for _, sp := range spans {
		ex := l.exported(sp, owner)
		matches, refused := inline.ScanRefusals(sp.Text, defaultRepo != "")
		for _, r := range refused {
			l.errorAt(ex.PosAt(r.Start), "%v", r.Err)
		}
		for _, m := range matches {
			p := ex.PosAt(m.Start)
			ref, err := m.Ref.Resolve(l.tree, defaultRepo)
			if err != nil {
				l.errorAt(p, "%s: %v", sp.Text[m.Start:m.End], err)
				continue
			}
			l.tree.Citations = append(l.tree.Citations, Citation{Ref: ref, Pos: p, Owner: owner, Path: sp.Path, Start: m.Start, End: m.End})
		}
	}
}

// joinPath extends a YAML path by a key.
func joinPath(at, key string) string {
	if at == "" {
		return key
	}
	return at + "." + key
}
