package site

import (
	"bytes"
	"context"
	"fmt"
	"maps"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
)

// Prepared is what a finished build computed (its indexes of jobs, patterns and refs), kept
// by a preview to render a pattern's page the moment its file is edited, as Hugo's fast
// render mode does, before a full build brings every other page up to date.
type Prepared struct{ b *builder }

// BuildPrepared is Build, returning what the build computed for RenderPattern.
func BuildPrepared(ctx context.Context, tree *content.Tree, opts Options, out PageWriter) (*Prepared, error) {
	b, err := build(ctx, tree, opts, out)
	if err != nil {
		return nil, err
	}
	b.out, b.pool = nil, nil // finished: a page rendered later goes back to the caller
	return &Prepared{b}, nil
}

// RenderPattern renders the page of p, a pattern of the prepared build edited since and
// loaded on its own (content.LoadPattern), and returns its path and bytes. The page places
// jobs by p's own matchers; what other files say of it (reports, ref pages, counts of
// unchecked citations) is as of the prepared build, until the next full one.
func (s *Prepared) RenderPattern(ctx context.Context, p *content.Pattern) (string, []byte, error) {
	old := s.b.tree.Pattern(p.Slug)
	if old == nil {
		return "", nil, fmt.Errorf("pattern %s: not in the prepared build", p.Slug)
	}
	ix := *s.b.index // a copy that places p instead of old; the prepared build stays as it was
	ix.patternIDs = map[snapshot.Dataset]map[*content.Pattern][]int32{}
	for ds, ids := range s.b.index.patternIDs {
		ids = maps.Clone(ids)
		delete(ids, old)
		ix.patternIDs[ds] = ids
	}
	ds := snapshot.Dataset(p.Dataset)
	if h := ix.history[ds]; h != nil && ix.patternIDs[ds] != nil {
		ix.patternIDs[ds][p] = analyze.PatternIDs(analyze.NewPlacer([]*content.Pattern{p}).PlaceAll(h))[p]
	}
	// The build's shared state but its index; caches that fill on first use start empty.
	b := &builder{tree: s.b.tree, opts: s.b.opts, md: s.b.md, prose: s.b.prose, min: s.b.min, cats: s.b.cats,
		index: &ix, refs: s.b.refs, health: s.b.health, flaky: s.b.flaky, release: s.b.release}
	var buf bytes.Buffer
	path := patternPath(p.Slug)
	if err := b.patternPage(p).Render(ctx, &buf); err != nil {
		return "", nil, fmt.Errorf("render %s: %w", path, err)
	}
	return path, buf.Bytes(), nil
}
