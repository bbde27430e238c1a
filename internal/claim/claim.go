// Package claim is what content asserts about a citation: one value that the content model
// decodes from YAML and the verification lock keys and records as JSON.
package claim

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/triagesite/triagesite/internal/citation"
)

// Claim is the checkable part of a citation: what a report asserts about a PR, issue, commit,
// line or build. It is something to check, never evidence. The lock's key includes it, so
// its JSON form is the lock's format: fields keep their order and names.
type Claim struct {
	Kind string `yaml:"kind" json:"kind,omitempty"` // pr or issue, when the report says which

	// PR and issue claims.
	Title    string   `yaml:"title" json:"title,omitempty"`
	State    string   `yaml:"state" json:"state,omitempty"` // merged, closed, open, draft
	MergedAt string   `yaml:"merged_at" json:"merged_at,omitempty"`
	ClosedAt string   `yaml:"closed_at" json:"closed_at,omitempty"`
	Labels   []string `yaml:"labels" json:"labels,omitempty"`

	// Commit claims.
	Author string `yaml:"author" json:"author,omitempty"`
	Date   string `yaml:"date" json:"date,omitempty"`

	// At dates the claim: for a file, a date (the default branch at the end of that day) or a
	// commit SHA; for a PR, issue or commit, the date it is judged as of.
	At    string `yaml:"at" json:"at,omitempty"`
	Quote string `yaml:"quote" json:"quote,omitempty"` // text that must be on the cited line(s), or in the build log

	// Build claims.
	Job    string `yaml:"job" json:"job,omitempty"`
	Result string `yaml:"result" json:"result,omitempty"` // success, failure

	// AsOf is the date the claim is judged as of when At does not give one: its report's or
	// pattern's date, filled by the loader (never written in YAML). It is part of the key,
	// since another date can give another verdict; lock entries recorded before claims had
	// dates have none, and still load.
	AsOf string `yaml:"-" json:"as_of,omitempty"`
}

// Key identifies one distinct citation: its canonical target and what is claimed of it.
// An existence-only claim is keyed by its target alone.
func (c Claim) Key(ref citation.Ref) string {
	if c.Empty() { // an inline citation: skip encoding what would be {}
		return ref.String()
	}
	b, _ := json.Marshal(c.Canonical()) // a struct of strings: cannot fail
	return ref.String() + " " + string(b)
}

// Canonical is the claim as the lock records it: labels sorted, since their order in a
// report says nothing. The receiver's labels are left as written.
func (c Claim) Canonical() Claim {
	if len(c.Labels) == 0 {
		c.Labels = nil // `labels: []` claims no more than no labels
	} else if !slices.IsSorted(c.Labels) {
		c.Labels = slices.Sorted(slices.Values(c.Labels))
	}
	return c
}

// Empty says the claim asserts nothing, not even a date.
func (c Claim) Empty() bool {
	return c.Kind == "" && c.Title == "" && c.State == "" && c.MergedAt == "" && c.ClosedAt == "" && len(c.Labels) == 0 &&
		c.Author == "" && c.Date == "" && c.At == "" && c.Quote == "" && c.Job == "" && c.Result == "" && c.AsOf == ""
}

// ExistenceOnly says the claim asserts nothing beyond that its target exists, on whatever day.
func (c Claim) ExistenceOnly() bool {
	c.AsOf = ""
	return c.Empty()
}

// Day is the date the claim is judged as of (YYYY-MM-DD): its own at: when that is a date,
// else AsOf; "" when undated (judged as things are now).
func (c Claim) Day() string {
	if isDay(c.At) {
		return c.At
	}
	if c.At != "" { // a commit SHA: the claim names its own point in history
		return ""
	}
	return c.AsOf
}

func isDay(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}
