package site

import (
	"bytes"
	"context"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"

	"github.com/triagesite/triagesite/internal/view"
)

// Token colours come from classes and a stylesheet, never from style attributes: the site's
// Content-Security-Policy allows no inline styles.
var codeFormatter = chromahtml.New(chromahtml.WithClasses(true), chromahtml.PreventSurroundingPre(true))

// highlight renders a fix sketch with chroma; an unknown language or a lexer failure gives ""
// and the template shows the code as plain escaped text.
func highlight(lang, code string) view.HTML {
	lexer := lexers.Get(lang)
	if lexer == nil || lang == "" {
		return ""
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err != nil {
		return ""
	}
	var buf bytes.Buffer
	if err := codeFormatter.Format(&buf, styles.Get("github"), it); err != nil {
		return ""
	}
	return view.HTML(buf.String())
}

// highlightCSS is the token stylesheet: a light style, and a dark one for dark themes.
func highlightCSS() ([]byte, error) {
	var buf bytes.Buffer
	if err := codeFormatter.WriteCSS(&buf, styles.Get("github")); err != nil {
		return nil, err
	}
	var dark bytes.Buffer
	if err := codeFormatter.WriteCSS(&dark, styles.Get("github-dark")); err != nil {
		return nil, err
	}
	// The site follows the system theme unless the reader picked one (data-theme on <html>).
	// A token class the dark style leaves out would keep its light colour on a dark
	// background, so dark mode first resets every token, then applies the dark style.
	buf.WriteString("@media (prefers-color-scheme:dark){:root:not([data-theme=light]) .chroma span{color:inherit;background-color:transparent}}\n")
	buf.WriteString(":root[data-theme=dark] .chroma span{color:inherit;background-color:transparent}\n")
	buf.WriteString("@media (prefers-color-scheme:dark){:root:not([data-theme=light]) ")
	buf.Write(bytes.ReplaceAll(dark.Bytes(), []byte("}\n"), []byte("}\n:root:not([data-theme=light]) ")))
	buf.WriteString("{}}\n:root[data-theme=dark] ")
	buf.Write(bytes.ReplaceAll(dark.Bytes(), []byte("}\n"), []byte("}\n:root[data-theme=dark] ")))
	buf.WriteString("{}\n")
	return buf.Bytes(), nil
}

func (b *builder) highlightAssets(context.Context) error {
	css, err := highlightCSS()
	if err != nil {
		return err
	}
	return b.write("assets/highlight.css", css, "text/css")
}
