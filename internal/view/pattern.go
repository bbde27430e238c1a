package view

// Pattern is a pattern as shown on its own page or inside a report.
type Pattern struct {
	Page
	Anchor, Letter, Heading, Slug, Dataset string
	Link                                   Link
	Note                                   HTML
	Body
	SubPatterns []SubPattern
	Reports     []Link   // reports that carry this pattern, with the letter it has there
	Fixes       []FixRow // on the pattern's own page only
	// Lifecycle is the pattern's jobs over the stored snapshots (its own page only).
	Lifecycle Lifecycle
	// SinceReport puts the pattern's jobs now beside what a report said of them (report pages only).
	SinceReport string
}

// Lifecycle is a pattern's life over the stored snapshots.
type Lifecycle struct {
	Chart HTML
	Facts []string // "first seen 2026-05-09", "resolved 2026-05-11, 2 days after", …
	State string
}

// Highlighted tells whether any fix sketch of the pattern is syntax-highlighted, so that its
// page loads the highlighting stylesheet.
func (p *Pattern) Highlighted() bool {
	bodies := []*Body{&p.Body}
	for i := range p.SubPatterns {
		bodies = append(bodies, &p.SubPatterns[i].Body)
	}
	for _, b := range bodies {
		for _, s := range b.Sketches {
			if s.Highlighted != "" {
				return true
			}
		}
	}
	return false
}

// SubPattern is one sub-pattern with an anchor.
type SubPattern struct {
	Anchor, Label string
	Body
}

// Body is the shared content of a pattern and a sub-pattern.
type Body struct {
	Title                                                string
	Summary, RootCause, IntroducedBy, ExposedBy, Details HTML
	Jobs                                                 []JobRow
	JobCount                                             int
	Citations                                            []CitationRow
	FixSummary                                           HTML
	Sketches                                             []Sketch
	Tracker, Status                                      HTML
	SIGs                                                 []Link
	CrossLists                                           []string
}

// JobRow is a job with its current figure.
type JobRow struct {
	Link
	Figure, Severity, Reported, Category string
	Note                                 HTML
	InSnapshot                           bool
	Release                              string // "release-blocking", "release-informing" or ""
}

// CitationRow is one structured claim and what is known about it.
type CitationRow struct {
	Target     Link
	Page       string // the site's page about the cited PR, issue or commit; "" for none
	Kind, Role string
	Claim      string
	Status     string
	Dated
	Note HTML
	// Acknowledged is why a contradiction is known and kept as the report wrote it; shown
	// beside the real status, never instead of it.
	Acknowledged HTML
	// Found is what verification found, for a claim it judged wrong, missing or could not
	// finish: a badge alone would not say why.
	Found string
}

// Dated is the day a verdict speaks for, and what happened since: news, not the verdict.
type Dated struct {
	AsOf  string // YYYY-MM-DD, "" when the claim is judged as things are now
	Since string // "merged 2026-05-12", "" when nothing happened (or nothing is known)
}

// Sketch is a diff or code excerpt of a fix.
type Sketch struct {
	File, Lang string
	Code       string
	// Highlighted is Code as escaped HTML with token classes, or "" when it could not be highlighted.
	Highlighted HTML
}

// JobIndex is the jobs index: every job, worst first, with what sorts and filters it.
type JobIndex struct {
	Page
	Intro string
	Rows  []JobIndexRow
}

// JobIndexRow is a job in the jobs index.
type JobIndexRow struct {
	JobRow
	Dataset   string // the dataset of its figure, "" when no snapshot lists it
	Rank      int    // severity, 0 worst; for sorting
	Value     string // the figure as a number, for sorting
	SIGs      []Link
	SIGIDs    string // "|"-joined, for filtering
	Patterns  []Link
	Slugs     string // "|"-joined, for filtering
	Explained bool   // a pattern names it
}
