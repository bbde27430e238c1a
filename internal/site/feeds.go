package site

import (
	"context"
	"encoding/xml"
	"sort"
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

// sitemap lists every HTML page but 404.html. The sitemap protocol wants absolute URLs, so
// without --base-url there is no sitemap at all rather than one search engines reject.
func (b *builder) sitemap(context.Context) error {
	base := strings.TrimSuffix(b.opts.BaseURL, "/")
	if base == "" {
		return nil
	}
	pages := append([]string(nil), b.pages...)
	sort.Strings(pages)
	var s urlset
	for _, p := range pages {
		if strings.HasSuffix(p, ".html") && p != "404.html" {
			s.URLs = append(s.URLs, sitemapURL{Loc: base + "/" + p})
		}
	}
	data, err := marshalXML(s)
	if err != nil {
		return err
	}
	return b.write(sitemapPath, data, "")
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
