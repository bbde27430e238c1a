package view

// Release is the release-blocking page: the jobs on sig-release's release dashboards, their
// state in the newest snapshots, and sig-release's criteria, computed where they can be.
type Release struct {
	Page
	Known               bool   // the content has a testgrid.yaml
	Source, Commit      string // where and at which commit the dashboards were read
	CommitDate          string
	Failures, Flakes    string // dates of the snapshots judged; "" when none lists jobs
	Blocking            []ReleaseJobRow
	Informing           []ReleaseJobRow
	Computed, Uncounted []ReleaseCriterion
	Breached            int // blocking jobs that breach a computed criterion
}

// ReleaseJobRow is a job on a release dashboard.
type ReleaseJobRow struct {
	Link                    // Href is "" when the site has no page for the job
	Dashboards       string // the release dashboards that carry it
	Failing, Flaking string // its figures in the newest snapshots, "" when not listed
	Severity         string // of the failures figure
	Passing          string // the "passing" criterion's verdict (blocking jobs)
	PassingNote      string
}

// ReleaseCriterion is one of sig-release's criteria and how, or why not, it is computed.
type ReleaseCriterion struct {
	ID, Text, How string
}
