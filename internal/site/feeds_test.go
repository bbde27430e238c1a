package site

import (
	"strings"
	"testing"
)

func TestSitemapsSplitPastTheLimit(t *testing.T) {
	pages := []string{"c.html", "a.html", "404.html", "search-index.json", "b/d.html", "e.html"}
	one, err := sitemaps("https://t.example", pages, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(one) != 1 || one[0].path != "sitemap.xml" || strings.Count(string(one[0].data), "<loc>") != 4 {
		t.Fatalf("4 pages with a limit of 4: want one sitemap.xml of 4 URLs, got %d files", len(one))
	}
	split, err := sitemaps("https://t.example", pages, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		path, root string
		locs       []string
	}{
		{"sitemap-1.xml", "<urlset", []string{"a.html", "b/d.html", "c.html"}},
		{"sitemap-2.xml", "<urlset", []string{"e.html"}},
		{"sitemap.xml", "<sitemapindex", []string{"sitemap-1.xml", "sitemap-2.xml"}},
	}
	if len(split) != len(want) {
		t.Fatalf("4 pages with a limit of 3: %d files, want %d", len(split), len(want))
	}
	for i, w := range want {
		got := locs(string(split[i].data))
		if split[i].path != w.path || !strings.Contains(string(split[i].data), w.root) || strings.Join(got, " ") != "https://t.example/"+strings.Join(w.locs, " https://t.example/") {
			t.Errorf("file %d: %s with %q\n%s\nwant %s, a %s of %q", i, split[i].path, got, split[i].data, w.path, w.root, w.locs)
		}
	}
}

func locs(xml string) []string {
	var out []string
	for _, part := range strings.Split(xml, "<loc>")[1:] {
		out = append(out, part[:strings.Index(part, "</loc>")])
	}
	return out
}
