// Package markdown renders content prose with goldmark, turning inline citations into checked links.
package markdown

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/citation/inline"
)

// KindCitation is the AST node kind of an inline citation.
var KindCitation = ast.NewNodeKind("Citation")

// Citation is an inline citation found in text, a code span or an autolink.
type Citation struct {
	ast.BaseInline
	Ref     citation.Ref // resolved when a resolver was given
	Written string       // as written
	Code    bool         // written as a code span
	Root    string       // from the page rendered into back to the site root
}

// Kind implements ast.Node.
func (n *Citation) Kind() ast.NodeKind { return KindCitation }

// Dump implements ast.Node.
func (n *Citation) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Ref": n.Ref.String()}, nil)
}

// Decoration is how one citation is shown: where it links and its verification status.
type Decoration struct {
	Href   string // the cited object (GitHub, Prow)
	Status string // verified, contradicted, missing, unverifiable, error
	Title  string // tooltip: what was checked
	// Page is the site's own page about the cited object, relative to the site root
	// ("refs/kubernetes-kubernetes-1.html"); "" when the site has none. The status badge
	// links there, so a reader goes from a citation to everything that cites it.
	Page string
}

// quietStatus is the status that gets no badge: a citation nothing has checked.
const quietStatus = "unverifiable"

// Decorator decides a citation's link and status; rendering does no I/O, so this reads recorded evidence.
type Decorator func(ref citation.Ref) Decoration

var (
	defaultRepoKey = parser.NewContextKey()
	rootKey        = parser.NewContextKey()
)

// withContext sets the default repository and the relative path from the page the
// document is rendered into back to the site root ("" or "../"), for Decoration.Page.
func withContext(repo, root string) parser.ParseOption {
	return parser.WithContext(contextWith(repo, root))
}

func contextWith(repo, root string) parser.Context {
	ctx := parser.NewContext()
	ctx.Set(defaultRepoKey, repo)
	ctx.Set(rootKey, root)
	return ctx
}

type citationExt struct {
	resolver  citation.Resolver
	decorator Decorator
}

// Option configures the citation extension.
type Option func(*citationExt)

// WithResolver resolves aliases (k/k → kubernetes/kubernetes); unresolvable citations stay text.
func WithResolver(r citation.Resolver) Option { return func(e *citationExt) { e.resolver = r } }

// WithDecorator sets how citations link and which status they show.
func WithDecorator(d Decorator) Option { return func(e *citationExt) { e.decorator = d } }

// NewCitations returns the goldmark extension for inline citations.
func NewCitations(opts ...Option) goldmark.Extender {
	e := &citationExt{decorator: func(ref citation.Ref) Decoration {
		return Decoration{Href: ref.URL(), Status: "unverifiable"}
	}}
	for _, o := range opts {
		o(e)
	}
	return e
}

func (e *citationExt) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(&transformer{e}, 999)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{e}, 500)))
}

type transformer struct{ e *citationExt }

func (t *transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	defaultRepo, _ := pc.Get(defaultRepoKey).(string)
	root, _ := pc.Get(rootKey).(string)
	var texts []*ast.Text
	var spans []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link, *ast.Image, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.CodeSpan, *ast.AutoLink:
			spans = append(spans, n)
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			texts = append(texts, n)
		}
		return ast.WalkContinue, nil
	})
	for _, n := range mergeRuns(texts) {
		t.splitText(n, src, defaultRepo, root)
	}
	for _, n := range spans {
		t.replaceWhole(n, src, defaultRepo, root)
	}
}

func (t *transformer) resolve(ref citation.Ref, defaultRepo string) (citation.Ref, bool) {
	if t.e.resolver == nil {
		return ref, ref.Kind == citation.KindBuild || ref.Repo != ""
	}
	r, err := ref.Resolve(t.e.resolver, defaultRepo)
	return r, err == nil
}

// mergeRuns joins runs of adjacent text nodes that are contiguous in the source into one node.
// goldmark splits text at every possible emphasis delimiter, so "new_cluster.go:514" would
// otherwise reach the scanner in pieces.
func mergeRuns(texts []*ast.Text) []*ast.Text {
	var out []*ast.Text
	for i := 0; i < len(texts); {
		first := texts[i]
		last := first
		j := i + 1
		for ; j < len(texts); j++ {
			next := texts[j]
			if last.NextSibling() != next || last.SoftLineBreak() || last.HardLineBreak() || last.IsRaw() || next.IsRaw() ||
				last.Segment.Stop != next.Segment.Start {
				break
			}
			last = next
		}
		if last == first {
			out = append(out, first)
			i = j
			continue
		}
		merged := ast.NewTextSegment(text.NewSegment(first.Segment.Start, last.Segment.Stop))
		merged.SetSoftLineBreak(last.SoftLineBreak())
		merged.SetHardLineBreak(last.HardLineBreak())
		parent := first.Parent()
		parent.InsertBefore(parent, first, merged)
		for n := ast.Node(first); ; {
			next := n.NextSibling()
			parent.RemoveChild(parent, n)
			if n == ast.Node(last) {
				break
			}
			n = next
		}
		out = append(out, merged)
		i = j
	}
	return out
}

// splitText replaces a text node by text, citation, text, … pieces.
func (t *transformer) splitText(n *ast.Text, src []byte, defaultRepo, root string) {
	seg := n.Segment
	value := string(seg.Value(src))
	matches := inline.Scan(value, defaultRepo != "")
	if len(matches) == 0 {
		return
	}
	parent := n.Parent()
	at := 0
	for _, m := range matches {
		ref, ok := t.resolve(m.Ref, defaultRepo)
		if !ok {
			continue
		}
		if m.Start > at {
			parent.InsertBefore(parent, n, ast.NewTextSegment(text.NewSegment(seg.Start+at, seg.Start+m.Start)))
		}
		parent.InsertBefore(parent, n, &Citation{Ref: ref, Written: value[m.Start:m.End], Root: root})
		at = m.End
	}
	if at == 0 {
		return
	}
	rest := ast.NewTextSegment(text.NewSegment(seg.Start+at, seg.Stop))
	rest.SetSoftLineBreak(n.SoftLineBreak())
	rest.SetHardLineBreak(n.HardLineBreak())
	parent.ReplaceChild(parent, n, rest)
}

// replaceWhole turns a code span or autolink whose whole text is a citation into a citation.
func (t *transformer) replaceWhole(n ast.Node, src []byte, defaultRepo, root string) {
	var s string
	code := false
	switch n := n.(type) {
	case *ast.CodeSpan:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if tx, ok := c.(*ast.Text); ok {
				s += string(tx.Segment.Value(src))
			}
		}
		code = true
	case *ast.AutoLink:
		s = string(n.URL(src))
	}
	ref, err := citation.Parse(s)
	if err != nil || (ref.Kind == citation.KindRef && ref.Repo == "" && defaultRepo == "") {
		return
	}
	ref, ok := t.resolve(ref, defaultRepo)
	if !ok {
		return
	}
	n.Parent().ReplaceChild(n.Parent(), n, &Citation{Ref: ref, Written: s, Code: code, Root: root})
}

type nodeRenderer struct{ e *citationExt }

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindCitation, r.render)
}

// render writes a citation as the cited text linking to the cited object, then its status
// badge, which links to the site's page about the object when there is one:
//
//	<span class="cite cite-S" title="…"><a href="https://github.com/…">k/k#1</a><a class="badge badge-S" href="../refs/….html">S</a></span>
//
// Two sibling links rather than one inside the other, which HTML does not allow.
func (r *nodeRenderer) render(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*Citation)
	d := r.e.decorator(n.Ref)
	status := string(util.EscapeHTML([]byte(d.Status)))
	title := d.Title
	if title == "" {
		title = d.Status + ": " + n.Ref.String()
	}
	_, _ = w.WriteString(`<span class="cite cite-` + status + `" title="`)
	_, _ = w.Write(util.EscapeHTML([]byte(title)))
	_, _ = w.WriteString(`"><a href="`)
	_, _ = w.Write(util.EscapeHTML(util.URLEscape([]byte(d.Href), true)))
	_, _ = w.WriteString(`">`)
	if n.Code {
		_, _ = w.WriteString("<code>")
	}
	_, _ = w.Write(util.EscapeHTML([]byte(n.Written)))
	if n.Code {
		_, _ = w.WriteString("</code>")
	}
	_, _ = w.WriteString(`</a>`)
	if d.Status == quietStatus {
		// Nothing has checked it: a badge would say nothing new, on every line. The page
		// says once that its citations are unchecked; the tooltip still tells.
		_, _ = w.WriteString(`</span>`)
	} else if d.Page != "" {
		_, _ = w.WriteString(`<a class="badge badge-` + status + `" href="`)
		_, _ = w.Write(util.EscapeHTML(util.URLEscape([]byte(n.Root+d.Page), true)))
		_, _ = w.WriteString(`">` + status + `</a></span>`)
	} else {
		_, _ = w.WriteString(`<span class="badge badge-` + status + `">` + status + `</span></span>`)
	}
	return ast.WalkSkipChildren, nil
}
