// Package view holds the prepared values that templates render.
package view

import "strings"

// HTML is markup produced by our markdown renderer (escaped, no raw HTML from content).
type HTML string

// StartsBlock reports whether h opens with a block element: a space written before it would
// not show, and a minifier drops it.
func (h HTML) StartsBlock() bool {
	for _, tag := range []string{"<p>", "<ul>", "<ol>", "<pre", "<table>", "<blockquote>", "<div", "<h1", "<h2", "<h3", "<h4", "<h5", "<h6", "<hr>", "<dl>"} {
		if strings.HasPrefix(string(h), tag) {
			return true
		}
	}
	return false
}

// Link is a hyperlink; Href is relative to the page it appears on.
type Link struct {
	Href, Text string
}

// Page is what every page's layout needs.
type Page struct {
	Title     string
	Root      string // relative path from this page to the site root: "" or "../"
	Canonical string // absolute URL when a base URL is set
	Section   string // home, reports, patterns, sigs, jobs, drift
	Version   string
	// Description is the page's summary for search engines and link previews.
	Description string
	// Unchecked counts the citations on a page none of whose citations verification has
	// checked; the page says so once instead of a badge beside each.
	Unchecked int
	// Highlight loads the stylesheet for highlighted code, which only pages with fix
	// sketches need.
	Highlight bool
}

// Home is the landing page.
type Home struct {
	Page
	// OnFire is the newest status of each dataset, the worst and newest jobs first.
	OnFire []StatusCard
	// Statuses links the status pages, newest first; StatusIndex links all of them.
	Statuses    []Link
	StatusIndex Link
	Reports     []ReportCard
	Datasets    []DatasetCard
	Patterns    []PatternCard
	SIGs        []SIGCard
	// Drifts is each dataset's newest comparisons; DriftIndex links all of them.
	Drifts     []DriftCard
	DriftIndex Link
	Inputs     InputLinks
}

// ReportCard summarises a report in lists.
type ReportCard struct {
	Link
	Date, Dataset string
	Jobs          int    // jobs in its snapshot
	Stored        string // "from 36 of 231 jobs stored" for a partial snapshot
	Patterns      int
	SubPatterns   int
	Headline      HTML
}

// DatasetCard is the latest snapshot of a dataset and its severity buckets.
type DatasetCard struct {
	Dataset, Date string
	Jobs          int
	Severity      []Bucket
	Chart         HTML // inline SVG of Severity
	JobsLink      Link
	Age           SnapshotAge
}

// Bucket is one severity bucket and its job count.
type Bucket struct {
	Name  string
	Count int
}

// PatternCard lists a pattern.
type PatternCard struct {
	Link
	Dataset     string
	Jobs        int
	SubPatterns int
	Reports     []Link
}

// SIGCard lists a SIG.
type SIGCard struct {
	Link
	Digest   Link
	ID       string
	Patterns int
	Jobs     int
}

// DriftCard lists one drift page.
type DriftCard struct {
	Link
	Dataset        string
	Added, Removed int
	NotGrown       int
	Empty          bool // a snapshot of the pair lists no jobs: not compared
}

// List is a simple index page of links with a figure each.
type List struct {
	Page
	Heading string
	Intro   string
	Columns []string
	Rows    []Row
}

// Row is one row of a List: a link then further cells.
type Row struct {
	Link  Link
	Cells []string
}

// Pager links the pages of a list split for size; it is empty when the list fits one page.
type Pager struct {
	Pages   []Link
	Current int // index of this page in Pages
}

// SectionLink links a section of a list, perhaps on another of its pages, with its size.
type SectionLink struct {
	Link
	Count int
}
