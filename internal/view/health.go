package view

// Health is the input-health page: how old each dataset's newest snapshot is, and every
// stored snapshot that is empty, lost most of its jobs, or has jobs back that had vanished.
type Health struct {
	Page
	Now        string // the time ages are measured at
	NowSource  string // where that time came from
	StaleAfter string
	Latest     []SnapshotAge
	Problems   []InputProblem
	Checked    int // snapshots checked
	// ReturnedWindow is how many of each dataset's newest snapshots list returning jobs;
	// older ones are counted only, as the drift pages list them.
	ReturnedWindow int
}

// SnapshotAge is a snapshot's age at build time; a status page may show it beside a snapshot.
type SnapshotAge struct {
	Dataset, Date string
	Jobs          int
	AsOf          string // when the dashboard wrote it, and how that is known
	Age           string
	Generation    string // the GCS object's generation, "" when not recorded
	Stale         bool
	Empty         string // "null" or "{}" for a snapshot that lists no jobs
	Health        Link   // the input-health page
}

// InputProblem is one thing wrong with one stored snapshot.
type InputProblem struct {
	Anchor        string
	Dataset, Date string
	Kind          string // empty, drop, returned, stale
	Text          string
	Jobs          []Link // the jobs concerned, when there are a few
	More          int    // jobs concerned beyond Jobs
}

// InputLinks are the home page's links to the pages computed from the snapshots alone.
type InputLinks struct {
	Links []Link
	Stale []SnapshotAge // datasets whose newest snapshot is stale
}
