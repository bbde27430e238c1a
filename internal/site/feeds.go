package site

import (
	"context"
	"encoding/xml"
	"slices"
	"strconv"
	"strings"
)

// The sitemap and the feed are written with encoding/xml, which escapes every text and
// attribute value: a title or job name cannot add markup to either.

const (
	sitemapPath = "sitemap.xml"
	feedPath    = "feed.xml"
)

type urlset struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc string `xml:"loc"`
}

// sitemapLimit is the most URLs the sitemap protocol allows in one file.
const sitemapLimit = 50000

// sitemapIndex lists sitemap files, for a site with more pages than one sitemap may hold.
type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

// sitemap lists every HTML page but 404.html. The sitemap protocol wants absolute URLs, so
// without --base-url there is no sitemap at all rather than one search engines reject.
func (b *builder) sitemap(context.Context) error {
	base := strings.TrimSuffix(b.opts.BaseURL, "/")
	if base == "" {
		return nil
	}
	files, err := sitemaps(base, b.pages, sitemapLimit)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := b.write(f.path, f.data, ""); err != nil {
			return err
		}
	}
	return nil
}

type sitemapFile struct {
	path string
	data []byte
}

// sitemaps writes the pages' URLs into sitemap.xml, or, past limit URLs, into
// sitemap-<n>.xml files that sitemap.xml indexes. They sit at the root because a sitemap
// may list only URLs at or below its own directory.
func sitemaps(base string, paths []string, limit int) ([]sitemapFile, error) {
	var urls []sitemapURL
	for _, p := range slices.Sorted(slices.Values(paths)) {
		if strings.HasSuffix(p, ".html") && p != "404.html" {
			urls = append(urls, sitemapURL{Loc: base + "/" + p})
		}
	}
	if len(urls) <= limit {
		data, err := marshalXML(urlset{URLs: urls})
		return []sitemapFile{{sitemapPath, data}}, err
	}
	var files []sitemapFile
	var index sitemapIndex
	for chunk := range slices.Chunk(urls, limit) {
		path := "sitemap-" + strconv.Itoa(len(files)+1) + ".xml"
		data, err := marshalXML(urlset{URLs: chunk})
		if err != nil {
			return nil, err
		}
		files = append(files, sitemapFile{path, data})
		index.Sitemaps = append(index.Sitemaps, sitemapURL{Loc: base + "/" + path})
	}
	data, err := marshalXML(index)
	return append(files, sitemapFile{sitemapPath, data}), err
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Base    string      `xml:"xml:base,attr,omitempty"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title     string      `xml:"title"`
	ID        string      `xml:"id"`
	Published string      `xml:"published"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    *atomPerson `xml:"author,omitempty"`
	Summary   atomText    `xml:"summary"`
}

// feed is an Atom feed of the reports, newest first. Its times are the reports' dates, never
// the clock, so the same content gives the same feed. Ids are URNs that do not depend on
// where the site is published; links are absolute with --base-url, else relative to the feed.
func (b *builder) feed(context.Context) error {
	base := strings.TrimSuffix(b.opts.BaseURL, "/")
	abs := func(p string) string {
		if base == "" {
			return p
		}
		return base + "/" + p
	}
	f := atomFeed{Title: "Kubernetes CI triage reports", ID: "urn:triagesite:reports", Author: atomPerson{Name: "triagesite"},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: abs(feedPath)}, {Rel: "alternate", Type: "text/html", Href: abs("reports/index.html")}}}
	if base != "" {
		f.Base = base + "/"
	}
	for i := len(b.tree.Reports) - 1; i >= 0; i-- {
		r := b.tree.Reports[i]
		when := r.Date + "T00:00:00Z"
		e := atomEntry{Title: r.Title, ID: "urn:triagesite:report:" + r.ID, Published: when, Updated: when,
			Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: abs(reportPath(r.ID))}, {Rel: "alternate", Type: "text/markdown", Href: abs("reports/" + r.ID + ".md")}},
			Summary: atomText{Type: "html", Body: string(b.block(r.TLDR.Headline, r.DefaultRepo, feedPath))}}
		if r.Author != "" {
			e.Author = &atomPerson{Name: r.Author}
		}
		if when > f.Updated {
			f.Updated = when
		}
		f.Entries = append(f.Entries, e)
	}
	if f.Updated == "" {
		f.Updated = "1970-01-01T00:00:00Z"
	}
	data, err := marshalXML(f)
	if err != nil {
		return err
	}
	return b.write(feedPath, data, "")
}

func marshalXML(v any) ([]byte, error) {
	data, err := xml.MarshalIndent(v, "", " ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(data, '\n')...), nil
}
