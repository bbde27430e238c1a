package analyze

import (
	"sort"
	"strconv"
	"strings"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
)

// ReleaseJobs answers which release dashboards carry a job, from content/testgrid.yaml.
type ReleaseJobs struct {
	tg    *content.TestGrid
	byJob map[string][]*content.ReleaseDashboard
}

// NewReleaseJobs indexes the tree's testgrid.yaml; nil gives an index that marks no job.
func NewReleaseJobs(tg *content.TestGrid) *ReleaseJobs {
	r := &ReleaseJobs{tg: tg, byJob: map[string][]*content.ReleaseDashboard{}}
	if tg == nil {
		return r
	}
	for i := range tg.Dashboards {
		d := &tg.Dashboards[i]
		for _, j := range d.Jobs {
			r.byJob[j] = append(r.byJob[j], d)
		}
	}
	return r
}

// Known reports whether the tree has a testgrid.yaml at all.
func (r *ReleaseJobs) Known() bool { return r.tg != nil }

// Source is the testgrid.yaml the index was made from; nil without one.
func (r *ReleaseJobs) Source() *content.TestGrid { return r.tg }

// Dashboards are the release dashboards that carry a job. The dashboards name prow jobs;
// the flakes and failures dashboards key a presubmit as "pr:<name>", so that prefix is
// dropped first.
func (r *ReleaseJobs) Dashboards(job string) []*content.ReleaseDashboard {
	return r.byJob[strings.TrimPrefix(job, "pr:")]
}

// Kind is "blocking" when a blocking dashboard carries the job, else "informing" when an
// informing one does, else "".
func (r *ReleaseJobs) Kind(job string) string {
	kind := ""
	for _, d := range r.Dashboards(job) {
		if d.Kind == content.Blocking {
			return content.Blocking
		}
		kind = d.Kind
	}
	return kind
}

// Criterion is one of sig-release's criteria for a release-blocking job
// (kubernetes/sig-release, release-blocking-jobs.md), and whether a daily dashboard
// snapshot can tell if a job meets it.
type Criterion struct {
	ID   string
	Text string // the criterion, in our words
	// Computed is false when no snapshot holds what the criterion needs; Why says what is missing.
	Computed bool
	Why      string
}

// BlockingCriteria are sig-release's criteria, in the order its document lists them.
var BlockingCriteria = []Criterion{
	{ID: "reason", Text: "has a documented reason for being on the Blocking dashboards", Why: "the reason lives in sig-release's records, not in any dashboard file"},
	{ID: "open-source", Text: "provisions its clusters with open-source software, not a hosted service", Why: "the snapshots do not say how a job builds its cluster"},
	{ID: "duration", Text: "the weekly average of its 75th-percentile run time is 120 minutes or less", Why: "the snapshots hold no run durations"},
	{ID: "frequency", Text: "runs at least every 3 hours", Why: "the snapshots hold no run times; the prow job's interval is in test-infra's config/jobs"},
	{ID: "same-commit", Text: "can pass 3 times in a row against the same commit", Why: "the snapshots hold no per-commit results"},
	{ID: "owner", Text: "is owned by a responsive SIG or team whose alert email the job configures", Why: "owners and alert emails are in test-infra's job config, not in the snapshots"},
	{ID: "passing", Text: "passed 75% of its runs in a week, and failed no more than 10 runs in a row", Computed: true,
		Why: "from the failures snapshot: a job failing for 2 days or more, running every 3 hours as criterion frequency asks, has failed at least 16 runs in a row and passed at most 5 of the week's 7 days, under 75%"},
}

// passingBreachDays is the failing_days from which a job breaks the "passing" criterion.
const passingBreachDays = 2

// CriterionCheck is a computed criterion judged for one job on one snapshot.
type CriterionCheck struct {
	Criterion Criterion
	// Verdict is "breached", "at risk" (failing, for too short a time to tell) or "no breach
	// seen" (the snapshot shows nothing against it, which is not proof that the job meets it).
	Verdict  string
	Evidence string
}

// Verdicts of a CriterionCheck.
const (
	Breached       = "breached"
	AtRisk         = "at risk"
	NoBreachYet    = "no breach seen"
	VerdictUnknown = "unknown"
)

// CheckPassing judges the "passing" criterion for a job from a failures snapshot, which
// must list jobs (an empty one says nothing). In a partial snapshot (a reconstruction that
// stores some of the dashboard's jobs) a job's absence says nothing either.
func CheckPassing(job string, failures snapshot.Day, partial bool) CriterionCheck {
	c := CriterionCheck{Criterion: BlockingCriteria[len(BlockingCriteria)-1]}
	j, ok := failures.Job(job)
	switch {
	case !ok && partial:
		c.Verdict, c.Evidence = VerdictUnknown, "not among the jobs stored from the partial failures snapshot of "+failures.Date()
	case !ok:
		c.Verdict, c.Evidence = NoBreachYet, "not on the failures dashboard of "+failures.Date()
	case j.FailingDays >= passingBreachDays:
		c.Verdict, c.Evidence = Breached, "failing for "+strconv.Itoa(j.FailingDays)+" days on "+failures.Date()
	default:
		c.Verdict, c.Evidence = AtRisk, "failing for "+strconv.Itoa(j.FailingDays)+" days on "+failures.Date()+": too short to tell"
	}
	return c
}

// ReleaseJobNames lists every job on a release dashboard of the given kind, sorted.
func (r *ReleaseJobs) ReleaseJobNames(kind string) []string {
	var out []string
	for job, ds := range r.byJob {
		for _, d := range ds {
			if d.Kind == kind {
				out = append(out, job)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}
