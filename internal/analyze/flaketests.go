package analyze

import (
	"cmp"
	"slices"
	"strings"

	"github.com/triagesite/triagesite/internal/snapshot"
)

// FlakyTest is a test and the jobs it flaked in, as one flakes snapshot's test_flakes list
// them (runbook step 1.4: a test flaking in several jobs is the test's fault, not a job's).
type FlakyTest struct {
	Name  string
	Jobs  []TestInJob // most flakes first, then by job name
	Total int         // flakes summed over Jobs
}

// TestInJob is how often a test flaked in one job.
type TestInJob struct {
	Job   string
	Count int
}

// FlakyTests are the tests of a flakes snapshot's test_flakes, by name. A job's test flakes
// come from the history, which keeps them for each job's newest appearance: for a job the
// snapshot lists, that is the snapshot's own unless a later one lists it too, so pass the
// newest snapshot that lists jobs.
func FlakyTests(h *snapshot.History, day snapshot.Day) []FlakyTest {
	byTest := map[string]*FlakyTest{}
	for k := range day.Len() {
		job := day.At(k).Name
		for _, tf := range h.TestFlakes(job) {
			t := byTest[tf.Test]
			if t == nil {
				t = &FlakyTest{Name: tf.Test}
				byTest[tf.Test] = t
			}
			t.Jobs = append(t.Jobs, TestInJob{Job: job, Count: tf.Count})
			t.Total += tf.Count
		}
	}
	out := make([]FlakyTest, 0, len(byTest))
	for _, t := range byTest {
		slices.SortFunc(t.Jobs, func(a, b TestInJob) int {
			if c := cmp.Compare(b.Count, a.Count); c != 0 {
				return c
			}
			return strings.Compare(a.Job, b.Job)
		})
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b FlakyTest) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// BySpread ranks the tests that flake in more than one job: most jobs first, then most
// flakes, then by name.
func BySpread(tests []FlakyTest) []FlakyTest {
	var out []FlakyTest
	for _, t := range tests {
		if len(t.Jobs) > 1 {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b FlakyTest) int {
		if c := cmp.Compare(len(b.Jobs), len(a.Jobs)); c != 0 {
			return c
		}
		return cmp.Compare(b.Total, a.Total)
	})
	return out
}

// NewestListing is the newest snapshot of a history that lists any job; ok is false when
// none does. An empty (null or {}) newest snapshot says nothing about the tests.
func NewestListing(h *snapshot.History) (snapshot.Day, bool) {
	for i := h.Len() - 1; i >= 0; i-- {
		if d := h.Day(i); d.Len() > 0 {
			return d, true
		}
	}
	return snapshot.Day{}, false
}
