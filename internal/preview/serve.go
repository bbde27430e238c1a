package preview

import (
	"bytes"
	"fmt"
	"html"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Handler serves the events endpoint and the pages of the last good build.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(EventsPath, s.events)
	mux.HandleFunc("/", s.page)
	return mux
}

func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	// Every response is fresh: a reload after a rebuild must not get a cached stylesheet or page.
	w.Header().Set("Cache-Control", "no-store")
	s.mu.RLock()
	pages, problems := s.pages, s.problems
	s.mu.RUnlock()
	if pages == nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write(s.inject([]byte(noSite), problems))
		return
	}
	name, data, ok := s.lookup(pages, r.URL.Path)
	status := http.StatusOK
	if !ok {
		name, data, status = "404.html", pages["404.html"], http.StatusNotFound
	}
	w.Header().Set("Content-Type", contentType(name))
	if strings.HasSuffix(name, ".html") {
		data = s.inject(data, problems)
	}
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// lookup finds a page as a static host would: the path, then path.html, then path/index.html.
// Assets come from disk when the file is there, so stylesheet edits need no rebuild of the binary.
func (s *Server) lookup(pages map[string][]byte, urlPath string) (string, []byte, bool) {
	p := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if rest, ok := strings.CutPrefix(p, "assets/"); ok && s.opts.AssetsDir != "" {
		if data, err := os.ReadFile(filepath.Join(s.opts.AssetsDir, filepath.FromSlash(rest))); err == nil {
			return p, data, true
		}
	}
	for _, name := range []string{p, p + ".html", path.Join(p, "index.html")} {
		if data, ok := pages[name]; ok && name != "" {
			return name, data, true
		}
	}
	return "", nil, false
}

func contentType(name string) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// noSite is served while no build has succeeded yet; the overlay says why.
const noSite = `<!doctype html><html><head><meta charset="utf-8"><title>triagesite: no site yet</title></head>` +
	`<body><p style="margin-top:60vh">No build has succeeded yet; fix the problems above and this page reloads.</p></body></html>`

// reloadScript reloads the page on a build or a failed build (which then shows the overlay),
// on a full build after a fast render when that build changed this page,
// and when the server restarts, which is how a template change reaches the page.
const reloadScript = `<script>(() => {
  const es = new EventSource("` + EventsPath + `");
  let instance;
  es.addEventListener("hello", (e) => { if (instance && instance !== e.data) location.reload(); instance = e.data; });
  es.addEventListener("build", () => location.reload());
  es.addEventListener("build-failed", () => location.reload());
  es.addEventListener("changed", (e) => {
    const p = decodeURIComponent(location.pathname).replace(/^\//, "");
    const names = [p, p + ".html", p + "index.html", p + "/index.html"];
    if (e.data.split("\n").some((c) => names.includes(c))) location.reload();
  });
})();</script>`

// inject adds the reload script, and the problems of a failed build, to a served page. The
// built site never carries them: they are added here, per response.
func (s *Server) inject(page []byte, problems []string) []byte {
	extra := reloadScript
	if len(problems) > 0 {
		extra = overlay(problems) + extra
	}
	i := bytes.LastIndex(bytes.ToLower(page), []byte("</body>"))
	if i < 0 {
		return append(bytes.Clone(page), extra...)
	}
	out := make([]byte, 0, len(page)+len(extra))
	out = append(out, page[:i]...)
	out = append(out, extra...)
	return append(out, page[i:]...)
}

// overlay is a banner over the page listing the problems, one path:line:col a line.
func overlay(problems []string) string {
	var b strings.Builder
	b.WriteString(`<div id="triagesite-build-errors" role="alert" style="position:fixed;inset:0 0 auto 0;z-index:2147483647;` +
		`max-height:60vh;overflow:auto;margin:0;padding:1em 1.5em;background:#fff4f4;color:#6b0000;` +
		`border-bottom:3px solid #c00;font:14px/1.4 ui-monospace,monospace;box-shadow:0 2px 8px rgba(0,0,0,.3)">`)
	fmt.Fprintf(&b, "<strong>Build failed — showing the last good site. %d problem(s):</strong><pre style=\"white-space:pre-wrap;margin:.5em 0 0\">", len(problems))
	for _, p := range problems {
		b.WriteString(html.EscapeString(p) + "\n")
	}
	b.WriteString("</pre></div>")
	return b.String()
}
