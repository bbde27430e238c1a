package view

// SIG is a SIG page.
type SIG struct {
	Page
	Digest          Link
	ID, Name, Label string
	Description     HTML
	Patterns        []PatternCard
	SubPatterns     []OwnedSubPattern
	Jobs            []JobRow
	Actions         []ActionRow
	OpenRefs        []CitationRow
	Fixes           []FixRow
}

// OwnedSubPattern is a sub-pattern a SIG owns in a pattern it does not own as a whole.
type OwnedSubPattern struct {
	Link           // to the sub-pattern's anchor on its pattern page
	Label, Dataset string
	Pattern        Link
	Jobs           int
}

// ActionRow is a tier row seen from a SIG.
type ActionRow struct {
	Report Link
	Tier   string
	Action HTML
	Status HTML
}

// Job is a job page.
type Job struct {
	Page
	Name, Category string
	Elsewhere      []Link // Prow history, Prow runs, build bucket, code search
	History        []HistoryPoint
	Chart          HTML
	Patterns       []Link
	Reports        []Link
	SIGs           []Link
	Tests          JobTests
	Release        string // "release-blocking", "release-informing" or ""
}

// HistoryPoint is the job over a run of consecutive snapshots that tell one story: present
// and growing by the calendar (failures) or steady (flakes), or absent.
type HistoryPoint struct {
	Dataset, From, To  string
	Figure, LastFigure string
	Severity           string
	Snapshots          int
	Present            bool
}

// Drift is a drift page between two snapshots.
type Drift struct {
	Page
	Dataset, From, To string
	Days              int
	Common            int
	Added, Removed    []JobRow
	NotGrown          []DayRow
	Reappeared        []JobRow
	Consistency       []JobRow
	Reports           []Link
	FromLink, ToLink  Link
	Chart             HTML // inline SVG of the counts above
}

// DayRow is a failures job whose days did not grow as expected.
type DayRow struct {
	Link
	Before, After, Expected int
	Growth                  string // how it moved instead, in words
}

// VerificationPage is a page of the list of what was checked and what is not verified.
type VerificationPage struct {
	Page
	Total       int // distinct citations
	Counts      []Bucket
	NotVerified int // distinct citations that are not verified, on every page
	LockNote    string
	Contents    []SectionLink // each status's section, wherever it starts
	Sections    []VerificationSection
	Pager       Pager
	Fixes       []FixRow // on the first page only
}

// VerificationSection is the citations of one status, or the part of them on this page.
type VerificationSection struct {
	Anchor, Title string
	Count         int  // in the whole section
	Continued     bool // it began on an earlier page
	Rows          []VerificationRow
}

// VerificationRow is the citations of one status with one message from verification.
type VerificationRow struct {
	Status  string
	Message string
	Cited   []VerificationCite
	Of      int    // the citations with this message in all: more than Cited when the row spans pages
	First   int    // where Cited starts among them, from 0
	CitedIn []Link // the pages citing any of them, once each
}

// VerificationCite is one distinct citation: its target and what the content claims of it.
type VerificationCite struct {
	Target      Link
	Kind, Claim string
}
