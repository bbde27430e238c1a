package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

// Renderer converts content prose to HTML. It never passes raw HTML or unsafe URLs through.
type Renderer struct {
	md goldmark.Markdown
}

// New builds a renderer with GitHub-flavoured markdown and the citation extension.
func New(opts ...Option) *Renderer {
	return &Renderer{md: goldmark.New(
		goldmark.WithExtensions(extension.GFM, NewCitations(opts...)),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)}
}

// Block renders prose as block HTML (paragraphs, lists, tables).
func (r *Renderer) Block(src, defaultRepo string) string {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf, WithDefaultRepo(defaultRepo)); err != nil {
		// goldmark only fails when the writer does; a bytes.Buffer does not.
		panic(err)
	}
	return buf.String()
}

// Inline renders a one-paragraph prose fragment without the surrounding <p>.
func (r *Renderer) Inline(src, defaultRepo string) string {
	out := strings.TrimSpace(r.Block(src, defaultRepo))
	if strings.HasPrefix(out, "<p>") && strings.HasSuffix(out, "</p>") && strings.Count(out, "<p>") == 1 {
		return out[3 : len(out)-4]
	}
	return out
}
