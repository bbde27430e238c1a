// Package evidence reads and writes the verification lock: what a source answered for each citation.
package evidence

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/triagesite/triagesite/internal/atomicfile"
	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/claim"
)

// Status is the one outcome a citation ends in.
type Status string

// The five outcomes.
const (
	Verified     Status = "verified"
	Contradicted Status = "contradicted"
	Missing      Status = "missing"
	Unverifiable Status = "unverifiable"
	Error        Status = "error"
)

// Acknowledgeable says whether a claim's acknowledged: covers the status: a contradiction or a
// missing target is a source's answer, which the content keeps as its report wrote it and
// explains. Unverifiable or error means no source answered: there is nothing to acknowledge.
// An acknowledged status is still shown, but fails neither verify nor build --strict, and
// lint makes it a warning.
func (s Status) Acknowledgeable() bool { return s == Contradicted || s == Missing }

// Sources name where an observation came from.
const (
	SourceGitHub   = "github"
	SourceCheckout = "checkout"
	SourceGCS      = "gcs"
	SourceLock     = "lock"
	SourceNone     = "none"
)

// Observed is what a source answered. Only fields the source reported are set.
type Observed struct {
	Exists     bool     `json:"exists"`
	Kind       string   `json:"kind,omitempty"` // pr or issue
	State      string   `json:"state,omitempty"`
	Draft      bool     `json:"draft,omitempty"`
	Merged     bool     `json:"merged,omitempty"`
	MergedAt   string   `json:"merged_at,omitempty"`
	ClosedAt   string   `json:"closed_at,omitempty"`
	Title      string   `json:"title,omitempty"`
	Labels     []string `json:"labels,omitempty"`
	Author     string   `json:"author,omitempty"`
	Date       string   `json:"date,omitempty"`
	SHA        string   `json:"sha,omitempty"`      // the commit a file was read at, a commit's full SHA, or a merged PR's merge commit
	Lines      int      `json:"lines,omitempty"`    // how many lines the file has
	QuoteAt    []int    `json:"quote_at,omitempty"` // lines of the file (or log) where the quote stands
	Object     string   `json:"object,omitempty"`   // the GCS object read
	Result     string   `json:"result,omitempty"`   // a build's result from finished.json: success, failure, …
	Generation int64    `json:"generation,omitempty"`
	// CreatedAt and Timeline are a PR's or issue's history, when the source gave it.
	CreatedAt string  `json:"created_at,omitempty"`
	Timeline  []Event `json:"timeline,omitempty"`
	// UpdatedAt is when GitHub last changed the PR or issue: the next run asks "modified
	// since?" with it, which costs nothing when the answer is no.
	UpdatedAt string `json:"updated_at,omitempty"`
	// BranchAt is, for a commit judged as of a day, the default branch's last commit by the
	// end of that day; OnBranch says the cited commit is in its history (had landed by then).
	BranchAt string `json:"branch_at,omitempty"`
	OnBranch bool   `json:"on_branch,omitempty"`
}

// Entry is one distinct citation and what verification found.
type Entry struct {
	Key       string      `json:"key"`
	Kind      string      `json:"kind"` // pr, issue, ref (not yet known), commit, file, build
	Target    string      `json:"target"`
	Claim     claim.Claim `json:"claim"`
	Observed  Observed    `json:"observed"`
	Source    string      `json:"source"`
	CheckedAt string      `json:"checked_at"`
	Status    Status      `json:"status"`
	Message   string      `json:"message"`
	// ETag lets the next run ask GitHub "has this changed?" for free.
	ETag string `json:"etag,omitempty"`
}

// Lock is the evidence file: entries sorted by key.
type Lock struct {
	Version int     `json:"version"`
	Entries []Entry `json:"entries"`
	// Fixes are the checks of fix PRs against the builds of the jobs they fix (fixes.go).
	Fixes []FixCheck `json:"fixes,omitempty"`
	byKey map[string]int
	// existence lists, per target, the entries that claim existence only (on any date), for
	// prose, which cites without a date of its own in rendering.
	existence map[string][]int
	byTarget  map[string][]int // every entry of each target, to find the next latest
	latest    map[string]int   // the most recently checked entry of each target, for Latest
}

// FileName is the lock's name inside the content directory.
const FileName = "evidence.lock.json"

// Read loads a lock; a missing file is an empty lock.
func Read(path string) (*Lock, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return New(nil), nil
	}
	if err != nil {
		return nil, err
	}
	var l Lock
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("%s: %w (delete it and run triagesite verify to rebuild it)", path, err)
	}
	if l.Version != 1 {
		return nil, fmt.Errorf("%s: lock version %d; this triagesite reads version 1", path, l.Version)
	}
	if err := checkStatuses(l.Entries); err != nil {
		return nil, fmt.Errorf("%s: %w (run triagesite verify to record them again)", path, err)
	}
	out := New(l.Entries)
	out.Fixes = l.Fixes
	return out, nil
}

// checkStatuses refuses entries whose status is none of the five, such as a hand edit's typo:
// a page would show it as a badge of its own, and --strict could count it in no bucket.
func checkStatuses(entries []Entry) error {
	var errs []error
	for _, e := range entries {
		if _, ok := rank[e.Status]; !ok {
			errs = append(errs, fmt.Errorf("entry %q: status %q is none of verified, contradicted, missing, unverifiable, error", e.Key, e.Status))
		}
	}
	return errors.Join(errs...)
}

// New builds a lock from entries in any order; a later entry replaces an earlier one with its key.
func New(entries []Entry) *Lock {
	l := &Lock{Version: 1, byKey: map[string]int{}, existence: map[string][]int{}, byTarget: map[string][]int{}, latest: map[string]int{}}
	for _, e := range entries {
		l.Put(e)
	}
	return l
}

// Put adds or replaces the entry with e's key.
func (l *Lock) Put(e Entry) {
	if i, ok := l.byKey[e.Key]; ok {
		l.unindex(i)
		l.Entries[i] = e
		l.index(i)
		return
	}
	l.byKey[e.Key] = len(l.Entries)
	l.Entries = append(l.Entries, e)
	l.index(len(l.Entries) - 1)
}

// index files entry i under its target.
func (l *Lock) index(i int) {
	e := l.Entries[i]
	l.byTarget[e.Target] = append(l.byTarget[e.Target], i)
	if e.Claim.ExistenceOnly() {
		l.existence[e.Target] = append(l.existence[e.Target], i)
	}
	if j, ok := l.latest[e.Target]; !ok || fresher(e, l.Entries[j]) {
		l.latest[e.Target] = i
	}
}

// unindex takes entry i off its target's lists before it is replaced. When it was the target's
// latest, the next freshest takes its place: the replacement may have been checked earlier
// (a run that could not refresh it), and index then only moves Latest forward.
func (l *Lock) unindex(i int) {
	target := l.Entries[i].Target
	l.byTarget[target] = slices.DeleteFunc(l.byTarget[target], func(j int) bool { return j == i })
	l.existence[target] = slices.DeleteFunc(l.existence[target], func(j int) bool { return j == i })
	if l.latest[target] != i {
		return
	}
	delete(l.latest, target)
	for _, j := range l.byTarget[target] {
		if k, ok := l.latest[target]; !ok || fresher(l.Entries[j], l.Entries[k]) {
			l.latest[target] = j
		}
	}
}

// fresher orders entries of one target for Latest: checked later, then, among entries of one
// run, the greater key, so that Latest does not depend on the order entries were put in.
func fresher(a, b Entry) bool {
	if a.CheckedAt != b.CheckedAt {
		return a.CheckedAt > b.CheckedAt
	}
	return a.Key > b.Key
}

// Latest returns the entry of a target checked most recently, under any claim: the freshest
// word on the target as it is now. It is the one lookup by target, so that the fix checks,
// lint, verify's next run and the pages all judge a target by the same entry: what the source
// said of the target itself (its state, its ETag) does not depend on the claim, and an entry
// that a later run could not refresh is older than one it did. Entries checked in the same
// second go to the greatest key, whatever order they were put in.
func (l *Lock) Latest(target string) (Entry, bool) {
	if l == nil {
		return Entry{}, false
	}
	i, ok := l.latest[target]
	if !ok {
		return Entry{}, false
	}
	return l.Entries[i], true
}

// Get returns the entry with a key.
func (l *Lock) Get(key string) (Entry, bool) {
	if l == nil {
		return Entry{}, false
	}
	i, ok := l.byKey[key]
	if !ok {
		return Entry{}, false
	}
	return l.Entries[i], true
}

// Keep drops every entry whose key is not in keys: citations no longer cited.
func (l *Lock) Keep(keys map[string]bool) {
	kept := l.Entries[:0]
	for _, e := range l.Entries {
		if keys[e.Key] {
			kept = append(kept, e)
		}
	}
	fixes := l.Fixes
	*l = *New(append([]Entry(nil), kept...))
	l.Fixes = fixes
}

// Write stores the lock atomically (a temporary file renamed over the old one), mode 0644 like
// the rest of the content, sorted by key so that reviewers see state changes as small diffs.
func (l *Lock) Write(path string) error {
	entries := append([]Entry{}, l.Entries...)
	sort.Slice(entries, func(i, j int) bool { return entries[i].Key < entries[j].Key })
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(Lock{Version: 1, Entries: entries, Fixes: sortFixes(l.Fixes)}); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, buf.Bytes(), 0o644)
}

// KindOf names a citation's kind for output: pr or issue when known, else the grammar's kind.
func KindOf(ref citation.Ref, c claim.Claim, o Observed) string {
	if ref.Kind != citation.KindRef {
		return ref.Kind.String()
	}
	if o.Kind != "" {
		return o.Kind
	}
	if c.Kind != "" {
		return c.Kind
	}
	if c.State == "merged" || c.State == "draft" {
		return "pr"
	}
	return "ref"
}

// Lookup answers what the lock knows of a citation with a claim, for rendering.
func (l *Lock) Lookup(ref citation.Ref, c claim.Claim) (Status, string) {
	if e, ok := l.Find(ref, c); ok {
		return e.Status, strings.TrimSpace(e.Message + " (" + e.Source + ", " + e.CheckedAt + ")")
	}
	return Unverifiable, noRecord
}

// Find returns the entry of a citation with a claim. Prose is rendered without the date its
// file gives it, so an undated existence claim stands for every dated one of its target:
// the worst of them, so that no contradiction hides behind a verdict on another day.
func (l *Lock) Find(ref citation.Ref, c claim.Claim) (Entry, bool) {
	if l == nil || len(l.byKey) == 0 {
		return Entry{}, false
	}
	if e, ok := l.Get(c.Key(ref)); ok || !c.Empty() {
		return e, ok
	}
	var worst Entry
	found := false
	for _, i := range l.existence[ref.String()] {
		if e := l.Entries[i]; !found || rank[e.Status] > rank[worst.Status] ||
			(rank[e.Status] == rank[worst.Status] && e.Key < worst.Key) {
			worst, found = e, true
		}
	}
	return worst, found
}

// rank orders statuses from best to worst.
var rank = map[Status]int{Verified: 0, Unverifiable: 1, Error: 2, Missing: 3, Contradicted: 4}

const noRecord = "no verification has been recorded for this claim"
