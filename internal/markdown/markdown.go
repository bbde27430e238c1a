package markdown

import (
	"bufio"
	"bytes"
	"strings"
	"sync"

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

// Block renders prose as block HTML (paragraphs, lists, tables) for a page at the site root.
func (r *Renderer) Block(src, defaultRepo string) string { return r.BlockAt(src, defaultRepo, "") }

// BlockAt renders prose as block HTML for a page whose relative path back to the site root
// is root ("" or "../"); citation badges link to Decoration.Page through it.
func (r *Renderer) BlockAt(src, defaultRepo, root string) string {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	out := outputs.Get().(*output)
	defer outputs.Put(out)
	out.buf.Reset()
	err := r.md.Convert([]byte(src), out.w, withContext(defaultRepo, root))
	if err == nil {
		err = out.w.Flush()
	}
	if err != nil {
		// goldmark only fails when the writer does; a bytes.Buffer does not.
		panic(err)
	}
	return out.buf.String()
}

// output is a buffer with the bufio.Writer goldmark writes through: given any other writer,
// goldmark makes a new 4 KB bufio.Writer for every document, and a site renders tens of
// thousands of prose fragments.
type output struct {
	buf bytes.Buffer
	w   *bufio.Writer
}

var outputs = sync.Pool{New: func() any {
	o := new(output)
	o.w = bufio.NewWriter(&o.buf)
	return o
}}

// Inline renders a one-paragraph prose fragment without the surrounding <p>.
func (r *Renderer) Inline(src, defaultRepo string) string { return r.InlineAt(src, defaultRepo, "") }

// InlineAt is Inline for a page whose relative path back to the site root is root.
func (r *Renderer) InlineAt(src, defaultRepo, root string) string {
	out := strings.TrimSpace(r.BlockAt(src, defaultRepo, root))
	if strings.HasPrefix(out, "<p>") && strings.HasSuffix(out, "</p>") && strings.Count(out, "<p>") == 1 {
		return out[3 : len(out)-4]
	}
	return out
}
