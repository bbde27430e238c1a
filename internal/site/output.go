package site

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"regexp"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/svg"

	"github.com/triagesite/triagesite/assets"
)

// minifier is tdewolff/minify set up for the site. Whole pages do not pass through it: the
// templates are written minified (TestPagesAreMinified holds them to that), so it minifies
// what templ does not write itself, prose from goldmark and the assets. It is safe for
// concurrent use.
type minifier struct{ m *minify.M }

func newMinifier() *minifier {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	return &minifier{m}
}

func (m *minifier) minify(w io.Writer, mediaType string, data []byte) error {
	return m.m.Minify(mediaType, w, bytes.NewReader(data))
}

// fragment minifies a piece of HTML that a template places inside a page. The minifier
// cannot fail on HTML held in memory; if it ever did, the fragment is kept as it was.
func (m *minifier) fragment(h string) string {
	out, err := m.m.String("text/html", h)
	if err != nil {
		return h
	}
	return out
}

var cssName = regexp.MustCompile(`\.css$`)

func (b *builder) assets(context.Context) error {
	return fs.WalkDir(assets.Files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(assets.Files, path)
		if err != nil {
			return err
		}
		if cssName.MatchString(path) {
			return b.write("assets/"+path, data, "text/css")
		}
		return b.write("assets/"+path, data, "")
	})
}
