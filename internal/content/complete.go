package content

import (
	"regexp"
	"strings"

	"github.com/triagesite/triagesite/internal/citation"
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

func (l *loader) completeBody(b *Body, defaultRepo, owner string) {
	l.completeClaims(b.Citations, defaultRepo, owner)
	for i := range b.Fix.Sketches {
		s := &b.Fix.Sketches[i]
		if s.File == "" {
			continue
		}
		// A sketch names its file by citation when it can; a plain path is fine too.
		if ref, err := citation.Parse(s.File); err == nil && ref.Kind == citation.KindFile {
			l.completeRefString(s.File, l.at(&s.File, s.Pos), defaultRepo, owner)
		}
	}
}

func (l *loader) completeClaims(claims []Claim, defaultRepo, owner string) {
	for i := range claims {
		c := &claims[i]
		if l.isRefused(c) {
			continue // an empty item: its error is given
		}
		at := l.at(&c.Ref, c.Pos)
		ref, err := citation.Parse(c.Ref)
		if err != nil {
			l.errorAt(at, "%v", err)
			continue
		}
		ref, err = ref.Resolve(l.tree, defaultRepo)
		if err != nil {
			l.errorAt(at, "%s: %v", c.Ref, err)
			continue
		}
		c.Parsed = ref
		l.validateClaim(c)
		l.tree.Citations = append(l.tree.Citations, Citation{Ref: ref, Claim: c, Pos: c.Pos, Owner: owner})
	}
}

func (l *loader) completeRefString(s string, p Pos, defaultRepo, owner string) {
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
	l.tree.Citations = append(l.tree.Citations, Citation{Ref: ref, Pos: p, Owner: owner})
}

// scanProse finds inline citations in every markdown field of a file.
func (l *loader) scanProse(spans []prose, defaultRepo, owner string) {
	for _, sp := range spans {
		ex := l.exported(sp, owner)
		matches, refused := citation.ScanRefusals(sp.Text, defaultRepo != "")
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
			l.tree.Citations = append(l.tree.Citations, Citation{Ref: ref, Pos: p, Owner: owner})
		}
	}
}
