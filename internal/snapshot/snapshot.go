// Package snapshot reads CI dashboard snapshots (failures-latest.json, flakes-latest.json) exactly as published.
package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	gojson "github.com/goccy/go-json"
)

// Dataset names one of the two dashboards.
type Dataset string

const (
	Failures Dataset = "failures"
	Flakes   Dataset = "flakes"
)

// ParseDataset checks a dataset name.
func ParseDataset(s string) (Dataset, error) {
	switch Dataset(s) {
	case Failures, Flakes:
		return Dataset(s), nil
	}
	return "", fmt.Errorf("unknown dataset %q: want failures or flakes", s)
}

// Snapshot is one dashboard file: its jobs sorted by name.
type Snapshot struct {
	Dataset Dataset
	Jobs    []Job
}

// Job is one dashboard entry. Failures set FailingDays; flakes set the rest.
type Job struct {
	Name        string
	FailingDays int
	Consistency float64
	Flakes      int
	// TestFlakes is nil when the dashboard published null for the job.
	TestFlakes []TestFlake
}

// TestFlake is a test and how often it flaked in a job.
type TestFlake struct {
	Test  string
	Count int
}

// Job returns the named job. Jobs are sorted, so this is a binary search: two years of daily
// snapshots hold millions of entries, and a map per snapshot would double their memory.
func (s *Snapshot) Job(name string) (Job, bool) {
	if s == nil {
		return Job{}, false
	}
	i := sort.Search(len(s.Jobs), func(i int) bool { return s.Jobs[i].Name >= name })
	if i < len(s.Jobs) && s.Jobs[i].Name == name {
		return s.Jobs[i], true
	}
	return Job{}, false
}

// New builds a snapshot from jobs in any order.
func New(ds Dataset, jobs []Job) *Snapshot {
	sort.Slice(jobs, func(i, j int) bool { return jobs[i].Name < jobs[j].Name })
	return &Snapshot{Dataset: ds, Jobs: jobs}
}

// Names interns job names, so the same job in many snapshots shares one string.
type Names struct{ m map[string]string }

// NewNames returns an empty name table.
func NewNames() *Names { return &Names{m: map[string]string{}} }

// InternNames makes the snapshot's job names share strings with every other snapshot's.
func (s *Snapshot) InternNames(n *Names) {
	for i := range s.Jobs {
		s.Jobs[i].Name = n.intern(s.Jobs[i].Name)
	}
}

func (n *Names) intern(s string) string {
	if n == nil {
		return s
	}
	if v, ok := n.m[s]; ok {
		return v
	}
	n.m[s] = s
	return s
}

// ShapeError says which job and field first broke the dataset's schema.
type ShapeError struct {
	Job, Field, Problem string
}

func (e *ShapeError) Error() string {
	switch {
	case e.Job == "":
		return "snapshot: " + e.Problem
	case e.Field == "":
		return fmt.Sprintf("snapshot: job %q: %s", e.Job, e.Problem)
	}
	return fmt.Sprintf("snapshot: job %q: field %q: %s", e.Job, e.Field, e.Problem)
}

// Parse reads a dashboard document of the given dataset, refusing any other shape.
// The jobs are read in document order, so the error names the first offending job.
func Parse(ds Dataset, data []byte) (*Snapshot, error) { return ParseNames(ds, data, nil) }

// ParseNames is Parse with job names interned in names (nil: not interned).
func ParseNames(ds Dataset, data []byte, names *Names) (*Snapshot, error) {
	if s, ok := parseFast(ds, data, names); ok {
		return s, nil
	}
	return parseOrdered(ds, data, names)
}

// fastJob is a job decoded straight into typed fields; a missing field stays nil.
type fastJob struct {
	FailingDays *int64          `json:"failing_days"`
	Consistency *float64        `json:"consistency"`
	Flakes      *int64          `json:"flakes"`
	TestFlakes  json.RawMessage `json:"test_flakes"`
}

// parseFast decodes a well-formed document in one pass with goccy/go-json, about three
// times faster than encoding/json, which matters for two years of daily snapshots. It gives
// up on the first doubt, and the ordered parser then finds and names the first offending
// job in document order.
func parseFast(ds Dataset, data []byte, names *Names) (*Snapshot, bool) {
	var m map[string]fastJob
	dec := gojson.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil || dec.More() {
		return nil, false
	}
	if m == nil || topLevelKeys(data) != len(m) {
		return nil, false // null, not an object, or a job listed twice: the ordered parser says which
	}
	jobs := make([]Job, 0, len(m))
	for name, f := range m {
		j, ok := f.job(ds)
		if !ok {
			return nil, false
		}
		j.Name = names.intern(name)
		jobs = append(jobs, j)
	}
	return New(ds, jobs), true
}

// job checks a fast-decoded job against the dataset's schema.
func (f fastJob) job(ds Dataset) (Job, bool) {
	if ds == Failures {
		ok := f.FailingDays != nil && f.Consistency == nil && f.Flakes == nil && f.TestFlakes == nil &&
			*f.FailingDays >= 0 && *f.FailingDays <= math.MaxInt32
		if !ok {
			return Job{}, false
		}
		return Job{FailingDays: int(*f.FailingDays)}, true
	}
	if f.FailingDays != nil || f.Consistency == nil || f.Flakes == nil || f.TestFlakes == nil ||
		*f.Consistency < 0 || *f.Consistency > 1 || *f.Flakes < 0 || *f.Flakes > math.MaxInt32 {
		return Job{}, false
	}
	tf, err := testFlakes("", f.TestFlakes)
	if err != nil {
		return Job{}, false
	}
	return Job{Consistency: *f.Consistency, Flakes: int(*f.Flakes), TestFlakes: tf}, true
}

// parseOrdered reads the jobs one by one in document order, to report the first problem.
func parseOrdered(ds Dataset, data []byte, names *Names) (*Snapshot, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, &ShapeError{Problem: "not JSON: " + err.Error()}
	}
	if tok == nil { // the dashboard publishes null when it has nothing
		return New(ds, nil), trailing(dec)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, &ShapeError{Problem: "want an object of jobs at the top level"}
	}
	var jobs []Job
	seen := map[string]bool{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, &ShapeError{Problem: "not JSON: " + err.Error()}
		}
		name := names.intern(kt.(string))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, &ShapeError{Job: name, Problem: "not JSON: " + err.Error()}
		}
		if seen[name] {
			return nil, &ShapeError{Job: name, Problem: "listed twice"}
		}
		seen[name] = true
		j, err := parseJob(ds, name, raw)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, j)
	}
	if _, err := dec.Token(); err != nil {
		return nil, &ShapeError{Problem: "not JSON: " + err.Error()}
	}
	return New(ds, jobs), trailing(dec)
}

func trailing(dec *json.Decoder) error {
	if _, err := dec.Token(); err != io.EOF {
		return &ShapeError{Problem: "unexpected data after the document"}
	}
	return nil
}

// rawJob holds a job's fields undecoded: one pass over the JSON, then numbers parsed directly.
type rawJob struct {
	FailingDays json.RawMessage `json:"failing_days"`
	Consistency json.RawMessage `json:"consistency"`
	Flakes      json.RawMessage `json:"flakes"`
	TestFlakes  json.RawMessage `json:"test_flakes"`
}

func parseJob(ds Dataset, name string, raw json.RawMessage) (Job, error) {
	var r rawJob
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return Job{}, &ShapeError{Job: name, Field: strings.Trim(f, `"`), Problem: fmt.Sprintf("not a %s field (want %v)", ds, fieldsOf[ds])}
		}
		return Job{}, &ShapeError{Job: name, Problem: "want an object"}
	}
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return Job{}, &ShapeError{Job: name, Problem: "want an object"}
	}
	return jobFrom(ds, name, r)
}

// jobFrom checks and converts one job's raw fields.
func jobFrom(ds Dataset, name string, r rawJob) (Job, error) {
	present := map[string]json.RawMessage{"failing_days": r.FailingDays, "consistency": r.Consistency, "flakes": r.Flakes, "test_flakes": r.TestFlakes}
	for _, f := range []string{"consistency", "failing_days", "flakes", "test_flakes"} {
		if present[f] != nil && !slices.Contains(fieldsOf[ds], f) {
			return Job{}, &ShapeError{Job: name, Field: f, Problem: fmt.Sprintf("not a %s field (want %v)", ds, fieldsOf[ds])}
		}
	}
	for _, f := range fieldsOf[ds] {
		if present[f] == nil {
			return Job{}, &ShapeError{Job: name, Field: f, Problem: "missing"}
		}
	}
	j := Job{Name: name}
	var err error
	if ds == Failures {
		j.FailingDays, err = intField(name, "failing_days", r.FailingDays)
		return j, err
	}
	if j.Consistency, err = floatField(name, "consistency", r.Consistency); err != nil {
		return j, err
	}
	if j.Consistency < 0 || j.Consistency > 1 {
		return j, &ShapeError{Job: name, Field: "consistency", Problem: "want a number from 0 to 1"}
	}
	if j.Flakes, err = intField(name, "flakes", r.Flakes); err != nil {
		return j, err
	}
	j.TestFlakes, err = testFlakes(name, r.TestFlakes)
	return j, err
}

var fieldsOf = map[Dataset][]string{
	Failures: {"failing_days"},
	Flakes:   {"consistency", "flakes", "test_flakes"},
}

func testFlakes(job string, raw json.RawMessage) ([]TestFlake, error) {
	if string(bytes.TrimSpace(raw)) == "null" {
		return nil, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, &ShapeError{Job: job, Field: "test_flakes", Problem: "want an object of test names to counts, or null"}
	}
	out := make([]TestFlake, 0, len(m))
	for _, t := range slices.Sorted(maps.Keys(m)) {
		n, err := intField(job, "test_flakes", m[t])
		if err != nil {
			return nil, err
		}
		out = append(out, TestFlake{Test: t, Count: n})
	}
	return out, nil
}

func intField(job, field string, raw json.RawMessage) (int, error) {
	if isString(raw) {
		return 0, &ShapeError{Job: job, Field: field, Problem: "want a whole number, got the string " + string(raw)}
	}
	i, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
	if err != nil || i < 0 || i > math.MaxInt32 {
		return 0, &ShapeError{Job: job, Field: field, Problem: "want a whole number ≥ 0, got " + string(raw)}
	}
	return int(i), nil
}

func floatField(job, field string, raw json.RawMessage) (float64, error) {
	if isString(raw) {
		return 0, &ShapeError{Job: job, Field: field, Problem: "want a number, got the string " + string(raw)}
	}
	f, err := strconv.ParseFloat(string(bytes.TrimSpace(raw)), 64)
	if err != nil {
		return 0, &ShapeError{Job: job, Field: field, Problem: "want a number, got " + string(raw)}
	}
	return f, nil
}

// isString catches numbers written as strings ("3"), which json.Number would accept.
func isString(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && t[0] == '"'
}

// topLevelKeys counts the keys of the outermost object with a byte scan (a map decode would
// silently keep the last of two equal keys).
func topLevelKeys(data []byte) int {
	n, depth, inString, escaped := 0, 0, false, false
	for _, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
		case c == ':' && depth == 1:
			n++
		}
	}
	return n
}
