package view

// Status is the page of one snapshot judged against the patterns and the snapshot before it.
type Status struct {
	Page
	Dataset, Date string
	Prev, Next    Link // neighbouring status pages; Href "" when there is none
	Drift         Link // the drift page from the previous snapshot; Href "" when none
	Markdown      Link
	Jobs          int
	// Stored says how much of the dashboard a partial snapshot holds ("from 36 of 231 jobs
	// stored"); "" for a whole one.
	Stored string
	// Health is an input-health flag (stale, emptied overnight) set by the input-health
	// stage; "" when nothing is flagged.
	Health     string
	Thresholds []string
	// NewNote and RecoveredNote say why a list cannot be computed ("" when it is).
	NewNote, RecoveredNote string
	OnFire                 StatusList
	New                    StatusList
	Recovered              StatusList
	Unexplained            StatusList
	ByDesign               StatusList
	Patterns               []LiveRow
	QuietPatterns          int      // patterns of the dataset that claim no job in either snapshot
	Fixes                  []FixRow // on the newest snapshot's page: the dataset's fixes checked against later builds
}

// StatusList is a list of jobs, perhaps cut short; Total is its full length.
type StatusList struct {
	Rows  []StatusRow
	Total int
}

// More is how many rows the list leaves out.
func (l StatusList) More() int { return l.Total - len(l.Rows) }

// StatusRow is one job on a status page or in a digest.
type StatusRow struct {
	Job                       Link
	Figure, Before            string // Before: the previous snapshot's figure, "" when absent
	Severity, Trend, Category string
	Placed                    []Link // the sub-patterns or patterns that claim it; none: unexplained
	Owner                     Link   // primary owner SIG; Href "" when none is known
	Also                      []Link
	Fix                       string // the fix state in words
	ByDesign, ReleaseBlocking bool   // ReleaseBlocking is set where the blocking dashboards are known
	Overlap                   bool   // claimed by more than one pattern or sub-pattern
	ChangeWords               string // "new", "growing", "recovered"
}

// LiveRow is a pattern's or a sub-pattern's jobs across two snapshots.
type LiveRow struct {
	Link
	Sub   bool // a sub-pattern, listed under its pattern
	Words string
	Now   int
}

// StatusCard is the newest status of a dataset as the home page summarises it.
type StatusCard struct {
	Dataset, Date string
	Link          Link
	Stored        string
	Health        string
	Change        string // the change since the previous snapshot, in words
	Thresholds    []string
	OnFire        StatusList
}
