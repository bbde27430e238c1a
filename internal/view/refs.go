package view

// Ref is the page of one cited PR, issue or commit.
type Ref struct {
	Page
	Heading  string // the full form, kubernetes/kubernetes#138584
	Short    string // the alias form, k/k#138584
	Kind     string // pr, issue, "PR or issue", commit
	GitHub   Link
	Status   string // the worst status of any claim about it
	Nudge    bool   // a report claims it open or draft, or lists it as a nudge target
	Claims   []RefClaim
	Nudges   []RefNudge
	Reports  []Link // every place in a report that cites it, with its anchor
	Patterns []Link // every place in a pattern page that cites it
	SIGs     []Link // owners of the patterns that cite it
	Related  []Link // other refs cited in the same patterns, the first few
	// MoreRelated says Related was cut short; the pattern pages list them all.
	MoreRelated bool
}

// RefClaim is one claim about a ref and what verification recorded.
type RefClaim struct {
	Claim  string
	Role   string
	Status string
	Dated
	Message string
	Where   Link
	Note    HTML
}

// RefNudge is a report's nudge-target row naming a ref.
type RefNudge struct {
	Report                Link
	Pattern               Link
	State, Block, Cleared HTML
}

// RefsIndex is a page of the list of every cited PR, issue and commit.
type RefsIndex struct {
	Page
	Total    int
	Counts   []Bucket
	Intro    string
	Contents []SectionLink // the nudge targets and each repository, wherever they start
	Sections []RefSection
	Pager    Pager
}

// RefSection is the nudge targets or one repository's refs, or the part of them on this page.
type RefSection struct {
	Anchor, Title string
	Count         int  // in the whole section
	Continued     bool // it began on an earlier page
	Nudges        bool // the nudge targets, not a repository
	Rows          []RefRow
}

// RefRow is a ref in a list.
type RefRow struct {
	Ref     Link // the ref page
	GitHub  Link
	Kind    string
	Claimed string // what the content claims of it, in a few words
	Status  string
	CitedIn []Link
}

// Actions is the page of every tier row across reports, grouped by SIG.
type Actions struct {
	Page
	Total  int
	Groups []ActionGroup
}

// ActionGroup is one SIG's actions (or the actions no SIG owns).
type ActionGroup struct {
	Anchor, Name string
	SIG          Link // the SIG page; empty Href for the unowned group
	Rows         []ActionItem
}

// ActionItem is one tier row.
type ActionItem struct {
	Report  Link // the row in its report
	Tier    string
	Done    bool
	Action  HTML
	Status  HTML
	Owner   HTML
	Pattern Link
	Since   string // what became of its refs after the report: "fixed since the report: …"
}

// Search is a page of the no-JavaScript search list: everything, alphabetically.
type Search struct {
	Page
	Letters  []SearchLetter // the initials on this page
	Initials []Link         // every initial, where it starts
	Pager    Pager
	Total    int
	Paged    bool // the list spans pages, so a query searches the index, not this page
}

// SearchLetter is the entries under one initial, or the part of them on this page.
type SearchLetter struct {
	Anchor, Letter string
	Continued      bool // it began on an earlier page
	Items          []SearchItem
}

// SearchItem is one searchable page.
type SearchItem struct {
	Link
	Kind string
	Alt  string // other words it is found by, shown small
}
