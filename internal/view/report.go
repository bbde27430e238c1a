package view

// Report is one report page, every section in the source report's order.
type Report struct {
	Page
	Heading, Date, Dataset, Version, Author string
	SourceURL                               string
	Markdown                                Link
	Snapshot                                Link
	SnapshotJobs                            int
	// SnapshotStored says how much of the dashboard a partial snapshot holds ("from 36 of 231
	// jobs stored"); "" for a whole one.
	SnapshotStored string
	Facts          []Fact // the line under the title
	SnapshotNote   HTML
	Prior          *Link
	Drift          *Link
	Method         HTML
	Banner         []HTML
	Clusters       []Cluster
	Nudges         []Nudge
	OpenWork       []HTML
	StatusNotes    HTML
	Headline       HTML
	Takeaways      []HTML
	TLDRNotes      HTML
	PatternsIntro  HTML
	Patterns       []Pattern
	Fixes          []FixRow
	Misclassified  []Misclassified
	Tiers          []Tier
	Methodology    []HTML
	MetricNotes    HTML
	DriftSummary   HTML
	DriftNotes     []HTML
	Computed       *DriftFigures
	Verifications  []Verification
	OpenQuestions  []HTML
	Appendix       HTML
	Severity       []Bucket
	SeverityChart  HTML // inline SVG of Severity
	Categories     []CategoryRow
	CategoryChart  HTML     // inline SVG of Categories
	Uncovered      []JobRow // snapshot jobs no pattern of the report names
	Citations      []CitationRow
}

// Cluster is a row of the status clusters table.
type Cluster struct {
	Label, Name, SubPatterns string
	Highlight                HTML
}

// Nudge is a row of the nudge-target table.
type Nudge struct {
	Refs                  []HTML
	Pattern               string
	State, Block, Cleared HTML
	// Since is what became of its refs after the report: "fixed since the report: …".
	Since string
}

// Misclassified is a row of the misclassifications table.
type Misclassified struct {
	Entry, Reality HTML
	Jobs           []Link
}

// Tier is one tier of the action plan with the columns its rows use.
type Tier struct {
	Anchor, Heading string
	Columns         []string
	Rows            [][]HTML
	RowAnchors      []string // the id of each row ("" for none), which other pages link
	RowNews         []string // what became of each row's refs since the report ("" for nothing)
	Notes           []HTML
}

// Verification is one cross-check question.
type Verification struct {
	Anchor, ID, Verdict, VerdictNote string
	Question, Detail                 HTML
}

// DriftFigures are the drift numbers computed from the snapshots.
type DriftFigures struct {
	Link
	Added, Removed, Common, NotGrown, Reappeared int
}

// CategoryRow is one category of the report's snapshot with its Appendix A score.
type CategoryRow struct {
	Category string
	Count    int
	Worst    string
	Score    string
}

// Fact is one item of a line of short facts: text (a Link without Href), or a link, with
// words before and after it.
type Fact struct {
	Before string
	Link   Link
	After  string
}
