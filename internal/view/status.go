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
	// NewHeading and RecoveredHeading replace "New since …" and "Recovered since …" when a
	// partial snapshot makes the list something else.
	NewHeading, RecoveredHeading string
	OnFire                       StatusList
	New                          StatusList
	Recovered                    StatusList
	Unexplained                  StatusList
	ByDesign                     StatusList
	Patterns                     []LiveRow
	// Full is set on the newest status of a dataset: its lists go much further, and every
	// pattern with jobs is listed, not only those whose jobs changed.
	Full          bool
	QuietPatterns int      // patterns of the dataset that claim no job in either snapshot
	Fixes         []FixRow // on the newest snapshot's page: the dataset's fixes checked against later builds
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

// Digest is one SIG's week of CI signal.
type Digest struct {
	Page
	SIG         Link
	Since, To   string
	Feed        Link
	Datasets    []DigestDataset
	Fixes       []DigestFix
	Nudges      []DigestNudge
	OwnershipIs string // how a job's primary owner is chosen, said once
}

// DigestDataset is a SIG's jobs of one dataset across the window.
type DigestDataset struct {
	Dataset, Summary       string
	Verb                   string // what its jobs do: "failing" or "flaking"
	NewNote, RecoveredNote string
	New, Recovered         StatusList
	Unexplained            StatusList
}

// DigestFix is a fix the lock records as merged in the window.
type DigestFix struct {
	Ref                    Link
	MergedAt, Title, Where string
	Words                  string // "merged <time>: <title>"
}

// DigestNudge is an open PR a report asks someone to push.
type DigestNudge struct {
	Refs          []Link
	State         string
	Pattern       Link
	Report        Link
	Block         HTML
	StateVerified bool
}
