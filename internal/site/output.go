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
