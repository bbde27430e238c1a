// Package site turns the loaded content and its analysis into the pages of the static site.
package site

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/a-h/templ"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/markdown"
	"github.com/triagesite/triagesite/internal/snapshot"
	"github.com/triagesite/triagesite/internal/view"
)

// Evidence answers, from recorded verification only, what is known of a citation and its
// claim (nil for a citation made inline in prose). *evidence.Lock satisfies it through LockEvidence.
type Evidence interface {
	Status(ref citation.Ref, claim *content.Claim) (evidence.Status, string)
}

// ReadAtEvidence is Evidence that knows which commit a file citation was read at.
type ReadAtEvidence interface {
	ReadAt(ref citation.Ref, claim *content.Claim) string
}

// LockEvidence reads statuses from a verification lock.
type LockEvidence struct{ Lock *evidence.Lock }

// Status implements Evidence.
func (l LockEvidence) Status(ref citation.Ref, claim *content.Claim) (evidence.Status, string) {
	return l.Lock.Lookup(ref, claim.Checkable())
}

// ReadAt implements ReadAtEvidence: the commit the lock says a file was read at, "" when it
// holds no read of it.
func (l LockEvidence) ReadAt(ref citation.Ref, claim *content.Claim) string {
	e, ok := l.Lock.Find(ref, claim.Checkable())
	if !ok || ref.Kind != citation.KindFile || !e.Observed.Exists || !fullSHA(e.Observed.SHA) {
		return ""
	}
	return e.Observed.SHA
}

func fullSHA(s string) bool {
	if len(s) != 40 {
		return false
	}
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}

// citationURL links a citation; a file to the commit verification read it at when the lock
// knows it, so that the line a reader opens is the line that was checked.
func (b *builder) citationURL(ref citation.Ref, c *content.Claim) string {
	if r, ok := b.opts.Evidence.(ReadAtEvidence); ok && ref.Kind == citation.KindFile {
		return ref.URLAt(r.ReadAt(ref, c))
	}
	return ref.URL()
}

// Options configure a build.
type Options struct {
	BaseURL  string   // absolute URL of the published site, for canonical links; may be empty
	Version  string   // shown in the footer
	Evidence Evidence // nil: every citation is unverifiable
	// Minify passes prose, code and the stylesheets through tdewolff/minify. Templates write
	// minified HTML either way, so pages are not minified a second time as a whole.
	Minify bool
	// ListRows is how many rows each page of a long list shows: the verification list, the
	// refs index, the A–Z list. 0 means DefaultListRows.
	ListRows int
	// Now is the time snapshot ages are measured at. Zero means the newest snapshot's own
	// time, so that a build depends on its input alone; see analyze.HealthOf.
	Now time.Time
	// StaleAfter is the age from which a dataset's newest snapshot is flagged stale; 0 means
	// analyze.DefaultStaleAfter.
	StaleAfter time.Duration
}

// DefaultListRows bounds a list page. The verification list and the refs index have a row
// per citation: one page for all of them was 20 MB on a synthetic corpus of 1,000 patterns,
// too large for a browser to open comfortably, and held whole in memory while it rendered.
const DefaultListRows = 500

func (b *builder) listRows() int {
	if b.opts.ListRows > 0 {
		return b.opts.ListRows
	}
	return DefaultListRows
}

// PageWriter receives each finished page; a build writes nothing else. Pages are rendered
// in parallel, so WritePage must be safe for concurrent use. data is reused once WritePage
// returns: a writer that keeps the bytes must copy them.
type PageWriter interface {
	WritePage(path string, data []byte) error
}

// builder holds one build's shared, read-only state.
type builder struct {
	tree    *content.Tree
	opts    Options
	md      *markdown.Renderer
	prose   *proseCache
	min     *minifier // nil when the build does not minify
	cats    *analyze.Categorizer
	index   *index
	refs    *refIndex
	out     PageWriter
	pool    *pool
	pages   []string // every path queued, in order; only the build's own goroutine appends
	health  analyze.Health
	flaky   *flakyIndex
	release *analyze.ReleaseJobs
	// checks tallies citations by owner for unchecked, on first use.
	checksOnce sync.Once
	checks     map[content.Owner]ownerCheck
	cells      sync.Map // jobCellsKey -> jobCells, for status rows
	rowCells   sync.Map // [job name, page root] -> jobRowCells
}

// Build renders every page of the site to out.
func Build(ctx context.Context, tree *content.Tree, opts Options, out PageWriter) error {
	_, err := build(ctx, tree, opts, out)
	return err
}

// build renders every page and returns the builder, whose indexes a preview keeps.
func build(ctx context.Context, tree *content.Tree, opts Options, out PageWriter) (*builder, error) {
	if opts.Evidence == nil {
		opts.Evidence = LockEvidence{evidence.New(nil)}
	}
	b := &builder{tree: tree, opts: opts, cats: analyze.NewCategorizer(tree.Categories), out: out, release: analyze.NewReleaseJobs(tree.TestGrid),
		prose: &proseCache{}}
	// The index does not need the refs: build both at once, since nothing renders until then.
	indexed := make(chan *index, 1)
	go func() { indexed <- buildIndex(tree, b.cats) }()
	b.refs = collectRefs(tree)
	b.md = markdown.New(
		markdown.WithResolver(tree),
		markdown.WithDecorator(func(ref citation.Ref) markdown.Decoration {
			st, msg := opts.Evidence.Status(ref, nil)
			return markdown.Decoration{Href: b.citationURL(ref, nil), Status: string(st), Title: string(st) + ": " + ref.String() + " — " + msg,
				Page: b.refs.pathOf(ref)}
		}),
	)
	b.health = analyze.HealthOf(tree, opts.Now, opts.StaleAfter)
	b.index = <-indexed
	b.flaky = buildFlakyIndex(b.index.history[snapshot.Flakes])
	if opts.Minify {
		b.min = newMinifier()
	}
	b.pool = startPool(ctx, out, b.min)
	steps := []func(context.Context) error{
		b.assets, b.highlightAssets, b.home, b.reports, b.patterns, b.sigs, b.jobs, b.drifts, b.statuses, b.digests, b.verification, b.refPages, b.actions,
		b.inputHealth, b.flakyTests, b.releasePage,
		b.search, b.feed, b.notFound,
		b.sitemap, // last: it lists every page written before it
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			break
		}
		if err := step(ctx); err != nil {
			b.pool.fail(err)
			break
		}
	}
	return b, b.pool.wait()
}

// render queues one templ component as a page.
func (b *builder) render(_ context.Context, path string, c templ.Component) error {
	b.pages = append(b.pages, path)
	b.pool.submit(path, func() templ.Component { return c })
	return b.pool.err()
}

// renderLazy queues a page whose view is also prepared on a worker.
func (b *builder) renderLazy(path string, make func() templ.Component) error {
	b.pages = append(b.pages, path)
	b.pool.submit(path, make)
	return b.pool.err()
}

// writeLazy queues a file whose bytes are made on a worker and written as they are.
func (b *builder) writeLazy(path string, make func() []byte) error {
	b.pages = append(b.pages, path)
	b.pool.submitLazyBytes(path, make)
	return b.pool.err()
}

func (b *builder) write(path string, data []byte, mediaType string) error {
	b.pages = append(b.pages, path)
	b.pool.submitBytes(path, data, mediaType)
	return b.pool.err()
}

func (b *builder) page(title, path, section string) view.Page {
	p := view.Page{Title: title, Root: rootOf(path), Section: section, Version: b.opts.Version,
		Description: metaText(title) + ": Kubernetes CI triage reports, patterns, jobs and the PRs they cite, each citation checked against GitHub and Prow."}
	if b.opts.BaseURL != "" {
		p.Canonical = strings.TrimSuffix(b.opts.BaseURL, "/") + "/" + path
	}
	return p
}

// rootOf is the relative path from a page back to the site root.
func rootOf(path string) string {
	return strings.Repeat("../", strings.Count(path, "/"))
}

// Paths of every page kind, relative to the site root.
func reportPath(id string) string    { return "reports/" + id + ".html" }
func patternPath(slug string) string { return "patterns/" + unlisted(slug) + ".html" }
func sigPath(id string) string       { return "sigs/" + unlisted(id) + ".html" }
func driftPath(ds, from, to string) string {
	return "drift/" + ds + "-" + from + "-to-" + to + ".html"
}

// JobSlug is a job's file name: characters unsafe in a path or URL become "_" (pr:pull-x → pr_pull-x).
// Each unsafe rune (or invalid byte) becomes one "_". It runs for every job link on every page.
func JobSlug(name string) string {
	i := strings.IndexFunc(name, func(r rune) bool { return !pathSafe(r) })
	if i < 0 {
		return name
	}
	var b strings.Builder
	b.Grow(len(name))
	for _, r := range name {
		if pathSafe(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

func pathSafe(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
}

// rel is a link from the page at from to the page at to.
func rel(from, to string) string { return rootOf(from) + to }

// block renders prose for the page at path (relative to the site root), so that citation
// badges link the site's ref pages relative to that page.
func (b *builder) block(src content.Markdown, defaultRepo, path string) view.HTML {
	// A pattern's page is the last to show its block prose: the reports that also show it
	// are queued before it. Kept, every pattern's prose would be held to the end of the build
	// (51 MB at 6,000 patterns) for the few repeats among patterns.
	keep := !strings.HasPrefix(path, "patterns/")
	return b.prose.get(proseKey{string(src), defaultRepo, rootOf(path), false}, b.md, b.min, keep)
}

func (b *builder) inline(src content.Markdown, defaultRepo, path string) view.HTML {
	return b.prose.get(proseKey{string(src), defaultRepo, rootOf(path), true}, b.md, b.min, true)
}

// emojiStates asks for the emoji form of the white and black circles, which default to a
// small text glyph: "⚪ needs new PR" then stands as tall as "🟡 in review" beside it.
var emojiStates = strings.NewReplacer("⚪\ufe0f", "⚪\ufe0f", "⚫\ufe0f", "⚫\ufe0f", "⚪", "⚪\ufe0f", "⚫", "⚫\ufe0f")

// proseCache remembers rendered prose: the same note or claim shows on a pattern page, its
// SIG pages and every ref page it cites, and about four in ten renders repeat one. Prose is
// minified here, once, rather than with every page it appears on.
//
// It holds at most proseCacheBytes and then starts again empty: at 6,000 patterns an
// unbounded cache held 60 MB to the end of the build. The full synthetic corpus (1,000
// patterns) keeps about 10 MB, so it never starts again there.
type proseCache struct {
	m    sync.Map
	size atomic.Int64 // bytes held, by estimate
}

const (
	proseCacheBytes = 16 << 20
	proseEntryBytes = 160 // what the map spends on an entry besides its HTML
)

type proseKey struct {
	src, repo, root string
	inline          bool
}

// get renders prose once; keep false renders it without keeping it, for prose that will not
// be asked for again.
func (c *proseCache) get(k proseKey, md *markdown.Renderer, min *minifier, keep bool) view.HTML {
	if v, ok := c.m.Load(k); ok {
		return v.(view.HTML)
	}
	src := emojiStates.Replace(k.src)
	var h string
	if k.inline {
		h = md.InlineAt(src, k.repo, k.root)
	} else {
		h = md.BlockAt(src, k.repo, k.root)
	}
	if min != nil {
		h = min.fragment(h)
	}
	if keep {
		if c.size.Add(int64(len(h)+proseEntryBytes)) > proseCacheBytes {
			c.m.Clear()
			c.size.Store(0)
		}
		c.m.Store(k, view.HTML(h))
	}
	return view.HTML(h)
}

func (b *builder) inlines(srcs []content.Markdown, defaultRepo, path string) []view.HTML {
	out := make([]view.HTML, 0, len(srcs))
	for _, s := range srcs {
		out = append(out, b.inline(s, defaultRepo, path))
	}
	return out
}

// figure formats a job's dashboard figure.
func figure(ds snapshot.Dataset, j snapshot.Job) string {
	if ds == snapshot.Flakes {
		var buf [64]byte // one allocation, for the string
		b := strconv.AppendFloat(append(buf[:0], "c="...), j.Consistency, 'f', -1, 64)
		return string(strconv.AppendInt(append(b, ", flakes="...), int64(j.Flakes), 10))
	}
	return strconv.Itoa(j.FailingDays) + "d"
}

// metaText keeps a title fit for a meta attribute: a double quote would make the minifier
// switch the attribute to single quotes, so it becomes a typographic one.
func metaText(s string) string { return strings.ReplaceAll(s, `"`, "”") }
