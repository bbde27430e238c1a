// Package analyze derives figures from snapshots: job categories, severity, cluster scores and drift.
package analyze

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
)

// Severity is the runbook's rubric bucket for a job.
type Severity string

const (
	Critical Severity = "critical"
	Severe   Severity = "severe"
	Warning  Severity = "warning"
	Moderate Severity = "moderate"
	Low      Severity = "low"  // failures only: 0–29 failing days
	Good     Severity = "good" // flakes only: consistency ≥ 0.95
)

// Severities lists the buckets of a dataset, worst first.
func Severities(ds snapshot.Dataset) []Severity {
	if ds == snapshot.Flakes {
		return []Severity{Critical, Severe, Warning, Moderate, Good}
	}
	return []Severity{Critical, Severe, Warning, Moderate, Low}
}

// SeverityOf applies the runbook's rubric: failures by failing_days (≥365 critical, 180–364
// severe, 90–179 warning, 30–89 moderate, below 30 low); flakes by consistency (<0.5 critical,
// <0.7 severe, <0.85 warning, <0.95 moderate, else good).
func SeverityOf(ds snapshot.Dataset, j snapshot.Job) Severity {
	if ds == snapshot.Flakes {
		c := j.Consistency
		switch {
		case c < 0.5:
			return Critical
		case c < 0.7:
			return Severe
		case c < 0.85:
			return Warning
		case c < 0.95:
			return Moderate
		}
		return Good
	}
	d := j.FailingDays
	switch {
	case d >= 365:
		return Critical
	case d >= 180:
		return Severe
	case d >= 90:
		return Warning
	case d >= 30:
		return Moderate
	}
	return Low
}

// Categorizer applies categories.yaml: the first rule that matches the lower-cased job name wins.
type Categorizer struct {
	rules    []content.CategoryRule
	fallback string
}

// NewCategorizer wraps the content's rules.
func NewCategorizer(c content.Categories) *Categorizer {
	fb := c.Fallback
	if fb == "" {
		fb = "other"
	}
	return &Categorizer{rules: c.Rules, fallback: fb}
}

// Category returns a job's category.
func (c *Categorizer) Category(job string) string {
	j := strings.ToLower(job)
	for _, r := range c.rules {
		if r.Matcher.Match(j) {
			return r.Category
		}
	}
	return c.fallback
}

// CategoryRow is one category of a snapshot with its runbook Appendix A score.
type CategoryRow struct {
	Category string
	Jobs     []snapshot.Job // worst first
	// Worst is the highest failing_days (failures) or the lowest consistency (flakes).
	Worst float64
	// Score is log(count) + max_failing_days/100 for failures, log(count) + (1 − min_consistency) for flakes.
	Score float64
}

// Categorize groups a snapshot's jobs by category, largest category first as the runbook prints them.
func Categorize(c *Categorizer, s *snapshot.Snapshot) []CategoryRow {
	by := map[string][]snapshot.Job{}
	for _, j := range s.Jobs {
		cat := c.Category(j.Name)
		by[cat] = append(by[cat], j)
	}
	rows := make([]CategoryRow, 0, len(by))
	for cat, jobs := range by {
		SortWorstFirst(s.Dataset, jobs)
		r := CategoryRow{Category: cat, Jobs: jobs}
		if s.Dataset == snapshot.Flakes {
			r.Worst = jobs[0].Consistency
			r.Score = math.Log(float64(len(jobs))) + (1 - r.Worst)
		} else {
			r.Worst = float64(jobs[0].FailingDays)
			r.Score = math.Log(float64(len(jobs))) + r.Worst/100
		}
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool {
		if len(rows[i].Jobs) != len(rows[j].Jobs) {
			return len(rows[i].Jobs) > len(rows[j].Jobs)
		}
		return rows[i].Category < rows[j].Category
	})
	return rows
}

// ByScore returns rows ordered by Appendix A score, highest first.
func ByScore(rows []CategoryRow) []CategoryRow {
	out := append([]CategoryRow(nil), rows...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Category < out[j].Category
	})
	return out
}

// SortWorstFirst orders jobs by severity: most failing days, or lowest consistency; then by
// name. Names are unique in a snapshot, so the order is total.
func SortWorstFirst(ds snapshot.Dataset, jobs []snapshot.Job) {
	slices.SortFunc(jobs, func(a, b snapshot.Job) int {
		if ds == snapshot.Flakes {
			if c := cmp.Compare(a.Consistency, b.Consistency); c != 0 {
				return c
			}
		} else if c := cmp.Compare(b.FailingDays, a.FailingDays); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
}

// SeverityCount is how many jobs of a snapshot fall in one bucket.
type SeverityCount struct {
	Severity Severity
	Count    int
}

// Distribution counts a snapshot's jobs per severity bucket, worst first; every bucket is listed.
func Distribution(s *snapshot.Snapshot) []SeverityCount {
	counts := map[Severity]int{}
	for _, j := range s.Jobs {
		counts[SeverityOf(s.Dataset, j)]++
	}
	var out []SeverityCount
	for _, sev := range Severities(s.Dataset) {
		out = append(out, SeverityCount{sev, counts[sev]})
	}
	return out
}
