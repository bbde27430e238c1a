package site_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/site"
)

// TestBundledContent loads the real content, builds it, and checks that every page a reader
// can start from exists and that no internal link or anchor is broken.
func TestBundledContent(t *testing.T) {
	tree, err := content.Load(os.DirFS("../../content"), "content")
	if err != nil {
		t.Fatalf("bundled content does not load:\n%v", err)
	}
	pages := buildTree(t, tree)
	for _, r := range tree.Reports {
		mustHave(t, pages, "reports/"+r.ID+".html", "reports/"+r.ID+".md")
	}
	for _, p := range tree.Patterns {
		mustHave(t, pages, "patterns/"+p.Slug+".html")
	}
	for _, s := range tree.SIGs {
		mustHave(t, pages, "sigs/"+s.ID+".html")
	}
	for _, s := range tree.Snapshots {
		for j := range s.Jobs.All() {
			mustHave(t, pages, "jobs/"+site.JobSlug(j.Name)+".html")
		}
	}
	mustHave(t, pages, "index.html", "drift/index.html", "drift/failures-2026-05-09-to-2026-05-10.html",
		"refs/index.html", "actions.html", "search.html", "search-index.json", "feed.xml", "404.html")
	for _, c := range tree.Citations {
		if c.Ref.Kind == citation.KindRef {
			mustHave(t, pages, "refs/"+strings.ToLower(strings.ReplaceAll(c.Ref.Repo, "/", "-"))+"-"+strconv.Itoa(c.Ref.Number)+".html")
		}
	}
	checkLinks(t, pages)
	checkIndexLinks(t, pages, "")
	if !strings.Contains(string(pages["index.html"]), "reports/2026-05-10-flakes.html") {
		t.Error("home page does not link the flakes report")
	}
}

func mustHave(t *testing.T, pages memSite, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if _, ok := pages[p]; !ok {
			t.Errorf("no page %s", p)
		}
	}
}
