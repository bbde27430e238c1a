package view

// FlakyTest is the page of one flaky test: the jobs it flaked in, in one flakes snapshot.
type FlakyTest struct {
	Page
	Name     string
	Snapshot string // date of the flakes snapshot
	Total    int
	Jobs     []TestJobRow
	Index    Link
}

// TestJobRow is a job a test flaked in: the test's flakes there and the job's own figure.
type TestJobRow struct {
	Link
	Count          int
	Figure         string // the job's consistency and flakes
	Severity       string
	ReleaseBlocker string // the release dashboards that carry the job, "" when none
}

// FlakyTests is a page of the flaky-test list: those that flake in several jobs, ranked,
// then those that flake in one.
type FlakyTests struct {
	Page
	Snapshot string
	Total    int
	Contents []SectionLink
	Sections []FlakyTestSection
	Pager    Pager
	Paged    bool
}

// FlakyTestSection is a part of the list on one page.
type FlakyTestSection struct {
	Anchor, Title string
	Intro         string
	Count         int // tests in the whole section
	Continued     bool
	Rows          []FlakyTestRow
}

// FlakyTestRow is a test in the list.
type FlakyTestRow struct {
	Link
	Jobs, Total int
}

// JobTests are the tests a job flaked on, linked to their pages, for the job's page.
type JobTests struct {
	Snapshot string
	Tests    []TestCount
}

// TestCount is a test and how often it flaked in one job.
type TestCount struct {
	Link
	Count int
	Jobs  int // jobs it flakes in altogether
}
