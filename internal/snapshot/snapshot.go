// Package snapshot reads CI dashboard snapshots (failures-latest.json, flakes-latest.json) exactly as published.
package snapshot

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/valyala/fastjson"
)

// Dataset names one of the two dashboards.
type Dataset string

const (
	Failures Dataset = "failures"
	Flakes   Dataset = "flakes"
)

// Verb is what a job listed on the dataset's dashboard is doing: "failing" or "flaking".
func (d Dataset) Verb() string {
	if d == Flakes {
		return "flaking"
	}
	return "failing"
}

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
	slices.SortFunc(jobs, func(a, b Job) int { return strings.Compare(a.Name, b.Name) })
	return &Snapshot{Dataset: ds, Jobs: jobs}
}

// Names interns job and test names, so the same name in many snapshots shares one string,
// and a job's test flakes, so the same list in many daily snapshots shares one slice.
// A Names is not safe for concurrent use.
type Names struct {
	m map[string]string
	// The jobs of the document read before, and of this one so far, in the order listed,
	// with their test flakes; at is where in prev to look for the next job, and found is
	// where the last one was found there, or -1 (see jobName).
	prev, cur           []string
	prevTests, curTests [][]TestFlake
	at, found           int
}

// NewNames returns an empty name table.
func NewNames() *Names { return &Names{m: map[string]string{}} }

// startDocument readies the table for jobName in a new document.
func (n *Names) startDocument() {
	if n == nil {
		return
	}
	if len(n.cur) > 0 {
		n.prev, n.cur = n.cur, n.prev[:0]
		n.prevTests, n.curTests = n.curTests, n.prevTests[:0]
	}
	n.at, n.found = 0, -1
}

// jobName is internBytes for a job name. Dashboards list jobs in name order, and mostly the
// same jobs day after day, so walking the job names of the document read before alongside
// finds most names by one comparison, without hashing.
func (n *Names) jobName(b []byte) string {
	if n == nil {
		return string(b)
	}
	var name string
	n.found = -1
	for ; n.at < len(n.prev); n.at++ {
		if n.prev[n.at] == string(b) { // tested first: the common case, and the cheaper test
			name, n.found = n.prev[n.at], n.at
			n.at++
			break
		}
		if n.prev[n.at] > string(b) {
			break
		} // else a job the document before listed and this one does not
	}
	if n.found < 0 {
		name = n.internBytes(b)
	}
	n.cur = append(n.cur, name)
	n.curTests = append(n.curTests, nil)
	return name
}

// testName is internBytes for the k-th test name of the job jobName read last, which is
// most often the k-th the document before listed for the job (lists are kept sorted).
func (n *Names) testName(b []byte, k int) string {
	if n != nil && n.found >= 0 {
		if prev := n.prevTests[n.found]; k < len(prev) && prev[k].Test == string(b) {
			return prev[k].Test
		}
	}
	return n.internBytes(b)
}

// sharedTests returns the test flakes of the job jobName read last, gathered in the scratch
// list tests, as a list of their own: the document before's for the job when equal, else a
// copy. Dashboards list the same test flakes for a job day after day, and two years of
// daily copies were two million allocations. The lists are never written after parsing.
func (n *Names) sharedTests(tests []TestFlake) []TestFlake {
	if n == nil || len(n.cur) == 0 {
		return slices.Clone(tests)
	}
	if n.found >= 0 && slices.Equal(n.prevTests[n.found], tests) {
		tests = n.prevTests[n.found]
	} else {
		tests = slices.Clone(tests)
	}
	n.curTests[len(n.curTests)-1] = tests
	return tests
}

// internBytes returns the table's string for a name still in the parser's buffer: a known
// name costs no copy.
func (n *Names) internBytes(b []byte) string {
	if n == nil {
		return string(b)
	}
	if v, ok := n.m[string(b)]; ok {
		return v
	}
	s := string(b)
	n.m[s] = s
	return s
}

// ShapeError says which job and field first broke the dataset's schema, and where.
type ShapeError struct {
	Job, Field, Problem string
	// Offset is the byte offset of the offending key or byte; Line and Col (1-based, the
	// column in characters) say the same. Line is 0 when the place is not known.
	Offset, Line, Col int

	jobAt int // while locating: the offset of the job whose field is sought
}

func (e *ShapeError) Error() string {
	switch {
	case e.Job == "":
		return "snapshot: " + e.Problem
	case e.Field == "":
		return fmt.Sprintf("snapshot: job %s: %s", excerpt(e.Job), e.Problem)
	}
	return fmt.Sprintf("snapshot: job %s: field %s: %s", excerpt(e.Job), excerpt(e.Field), e.Problem)
}

// Where says where the problem is, "line 3, column 9 (byte 57)", or "" when not known.
func (e *ShapeError) Where() string {
	if e.Line == 0 {
		return ""
	}
	return fmt.Sprintf("line %d, column %d (byte %d)", e.Line, e.Col, e.Offset)
}

// excerpt quotes at most 60 characters of a name or value from a document, which may be
// anything at all.
func excerpt(s string) string {
	if utf8.RuneCountInString(s) <= 60 {
		return strconv.Quote(s)
	}
	return strconv.Quote(string([]rune(s)[:60])) + "…"
}

// Parse reads a dashboard document of the given dataset, refusing any other shape.
// The jobs are read in document order, so the error names the first offending job.
func Parse(ds Dataset, data []byte) (*Snapshot, error) { return ParseNames(ds, data, nil) }

// parsers are reused across documents: a fastjson.Parser keeps its buffers, and a large build
// parses over a thousand documents from several goroutines.
var parsers fastjson.ParserPool

// ParseNames is Parse with job and test names interned in names (nil: not interned). It may be
// called from several goroutines at once, each with its own names or nil. Snapshots parsed
// with the same names may share a job's test flake list, so callers must not write to one.
func ParseNames(ds Dataset, data []byte, names *Names) (*Snapshot, error) {
	if s, ok := scan(ds, data, names); ok {
		return s, nil
	}
	s, err := parseTree(ds, data, names)
	if se, ok := err.(*ShapeError); ok {
		// A fresh copy: errNotJSON is shared.
		located := *se
		located.locate(data)
		return nil, &located
	}
	return s, err
}

// parseTree reads any document through fastjson's tree; it is the reader of record, and the
// one that explains a refusal.
func parseTree(ds Dataset, data []byte, names *Names) (*Snapshot, error) {
	p := parsers.Get()
	defer parsers.Put(p)
	v, err := p.ParseBytes(data)
	if err != nil {
		return nil, notJSON(err)
	}
	// fastjson's parser takes escapes, control characters in strings and some numbers (01, +1,
	// NaN) on trust. Numbers are checked as they are read, and names too when the document has
	// no escapes, the common case. Otherwise, and whenever the document is refused, the
	// validator has the last word, so a document that is not JSON is always called that.
	escaped := bytes.IndexByte(data, '\\') >= 0
	s, err := newReader(ds, names, !escaped).snapshot(v)
	if err != nil || escaped {
		if verr := fastjson.ValidateBytes(data); verr != nil {
			return nil, notJSON(verr)
		}
	}
	return s, err
}

// notJSON words a fastjson parse or validation error.
func notJSON(err error) error {
	msg := err.Error()
	if strings.HasPrefix(msg, "unexpected tail") {
		return &ShapeError{Problem: "unexpected data after the document"}
	}
	// The position says where; the parser's copy of the rest of the document is dropped,
	// and what it quotes of a value is cut short.
	msg, _, _ = strings.Cut(strings.TrimPrefix(msg, "cannot parse JSON: "), "; unparsed tail: ")
	if r := []rune(msg); len(r) > 200 {
		msg = string(r[:200]) + "…"
	}
	return &ShapeError{Problem: "not JSON: " + msg}
}

// errNotJSON marks a value fastjson let through that JSON does not allow; ParseNames replaces
// it with the validator's error, which says where.
var errNotJSON = &ShapeError{Problem: "not JSON"}

// reader checks a parsed document against a dataset's schema in one ordered walk.
type reader struct {
	ds      Dataset
	want    []int           // the dataset's fields, as indices into fieldNames
	wants   [numFields]bool // want as a set
	names   *Names
	rawKeys bool   // the document has no escapes, so keys are as written and may be checked
	buf     []byte // scratch: a value's JSON text
}

func newReader(ds Dataset, names *Names, rawKeys bool) *reader {
	r := &reader{ds: ds, names: names, rawKeys: rawKeys}
	for _, name := range fieldsOf[ds] {
		f := fieldIndex([]byte(name))
		r.want = append(r.want, f)
		r.wants[f] = true
	}
	return r
}

func (r *reader) snapshot(v *fastjson.Value) (*Snapshot, error) {
	switch v.Type() {
	case fastjson.TypeNull: // the dashboard publishes null when it has nothing
		return New(r.ds, nil), nil
	case fastjson.TypeObject:
	default:
		return nil, &ShapeError{Problem: "want an object of jobs at the top level"}
	}
	o, _ := v.Object()
	jobs, at, err := r.jobs(o)
	if err != nil {
		// The first problem in document order wins, and a name listed twice is found at
		// its second listing.
		if name, k, ok := firstRepeat(o); ok && k <= at {
			return nil, &ShapeError{Job: name, Problem: "listed twice"}
		}
		return nil, err
	}
	s := New(r.ds, jobs)
	// Sorted, a repeated name sits next to itself; only then is a map needed, to name the
	// first repeat in document order.
	for i := 1; i < len(s.Jobs); i++ {
		if s.Jobs[i].Name == s.Jobs[i-1].Name {
			name, _, _ := firstRepeat(o)
			return nil, &ShapeError{Job: name, Problem: "listed twice"}
		}
	}
	return s, nil
}

// jobs reads every job in document order; on error, at is the offending job's position.
func (r *reader) jobs(o *fastjson.Object) (jobs []Job, at int, err error) {
	jobs = make([]Job, 0, o.Len())
	o.Visit(func(key []byte, v *fastjson.Value) {
		if err != nil {
			return
		}
		var j Job
		if j, err = r.job(key, v); err != nil {
			at = len(jobs)
			return
		}
		jobs = append(jobs, j)
	})
	return jobs, at, err
}

// firstRepeat finds the first key of o that repeats an earlier one, and its position.
func firstRepeat(o *fastjson.Object) (key string, at int, ok bool) {
	seen := make(map[string]bool, o.Len())
	i := 0
	o.Visit(func(k []byte, _ *fastjson.Value) {
		if !ok {
			key = string(validUTF8(k))
			ok, at = seen[key], i
			seen[key] = true
			i++
		}
	})
	return key, at, ok
}

// The fields of both datasets, in the order their presence is checked.
const (
	consistency = iota
	failingDays
	flakes
	testFlakes
	numFields
)

var fieldNames = [numFields]string{"consistency", "failing_days", "flakes", "test_flakes"}

// fieldsOf lists each dataset's fields; its order is the order missing fields are reported in.
var fieldsOf = map[Dataset][]string{
	Failures: {"failing_days"},
	Flakes:   {"consistency", "flakes", "test_flakes"},
}

// fieldIndex is a field's index in fieldNames, or -1 for a name in neither schema.
func fieldIndex(key []byte) int {
	switch string(key) {
	case "consistency":
		return consistency
	case "failing_days":
		return failingDays
	case "flakes":
		return flakes
	case "test_flakes":
		return testFlakes
	}
	return -1
}

// fields are one job's values by field index; nil is absent.
type fields [numFields]*fastjson.Value

// job reads one job: its fields, then their presence, then their values.
func (r *reader) job(key []byte, v *fastjson.Value) (Job, error) {
	name, err := r.name(key)
	if err != nil {
		return Job{}, err
	}
	o, err := v.Object()
	if err != nil {
		return Job{}, &ShapeError{Job: name, Problem: "want an object"}
	}
	var fs fields
	o.Visit(func(key []byte, fv *fastjson.Value) {
		if err == nil {
			err = r.field(name, key, fv, &fs)
		}
	})
	if err != nil {
		return Job{}, err
	}
	if err := r.present(name, &fs); err != nil {
		return Job{}, err
	}
	return r.values(name, &fs)
}

// field files one field of a job, refusing names outside both schemas and repeats. (A known
// name needs no control character check; an unknown one is refused anyway.)
func (r *reader) field(job string, key []byte, v *fastjson.Value, fs *fields) error {
	f := fieldIndex(key)
	switch {
	case f < 0:
		return &ShapeError{Job: job, Field: string(validUTF8(key)), Problem: r.notAField()}
	case fs[f] != nil:
		return &ShapeError{Job: job, Field: fieldNames[f], Problem: "listed twice"}
	}
	fs[f] = v
	return nil
}

func (r *reader) notAField() string {
	return fmt.Sprintf("not a %s field (want %v)", r.ds, fieldsOf[r.ds])
}

// present refuses the other dataset's fields, then missing ones.
func (r *reader) present(job string, fs *fields) error {
	for f, v := range fs {
		if v != nil && !r.wants[f] {
			return &ShapeError{Job: job, Field: fieldNames[f], Problem: r.notAField()}
		}
	}
	for _, f := range r.want {
		if fs[f] == nil {
			return &ShapeError{Job: job, Field: fieldNames[f], Problem: "missing"}
		}
	}
	return nil
}

// values converts a job's fields, all there as present checked.
func (r *reader) values(name string, fs *fields) (j Job, err error) {
	j.Name = name
	if r.ds == Failures {
		j.FailingDays, err = r.wholeNumber(name, "failing_days", fs[failingDays])
		return j, err
	}
	if j.Consistency, err = r.fraction(name, fs[consistency]); err != nil {
		return j, err
	}
	if j.Flakes, err = r.wholeNumber(name, "flakes", fs[flakes]); err != nil {
		return j, err
	}
	j.TestFlakes, err = r.testFlakes(name, fs[testFlakes])
	return j, err
}

// testFlakes reads a job's test flakes, sorted by test; null stays nil, {} an empty slice.
func (r *reader) testFlakes(job string, v *fastjson.Value) ([]TestFlake, error) {
	switch v.Type() {
	case fastjson.TypeNull:
		return nil, nil
	case fastjson.TypeObject:
	default:
		return nil, &ShapeError{Job: job, Field: "test_flakes", Problem: "want an object of test names to counts, or null"}
	}
	o, _ := v.Object()
	out := make([]TestFlake, 0, o.Len())
	var err error
	o.Visit(func(key []byte, tv *fastjson.Value) {
		if err != nil {
			return
		}
		var t TestFlake
		if t.Test, err = r.name(key); err != nil {
			return
		}
		t.Count, err = r.wholeNumber(job, "test_flakes", tv)
		out = append(out, t)
	})
	if err != nil {
		return nil, err
	}
	sortTests(out)
	for i := 1; i < len(out); i++ {
		if out[i].Test == out[i-1].Test {
			test, _, _ := firstRepeat(o)
			return nil, &ShapeError{Job: job, Field: "test_flakes", Problem: fmt.Sprintf("test %q listed twice", test)}
		}
	}
	return out, nil
}

func sortTests(tfs []TestFlake) {
	slices.SortFunc(tfs, func(a, b TestFlake) int { return strings.Compare(a.Test, b.Test) })
}

// name reads a job or test name, interned. Most names are printable ASCII. Others may hold a
// control character written raw, which fastjson's parser lets through (with escapes in the
// document the name seen here is unescaped, so the validator checks it instead), or bytes
// that are not UTF-8.
func (r *reader) name(b []byte) (string, error) {
	if !printableASCII(b) {
		if r.rawKeys && slices.ContainsFunc(b, func(c byte) bool { return c < 0x20 }) {
			return "", errNotJSON
		}
		b = validUTF8(b)
	}
	return r.names.internBytes(b), nil
}

// printableASCII reports whether every byte of b is from 0x20 to 0x7f. It reads eight bytes
// at a time, as names are most of a document: subtracting 0x20 from each byte borrows into
// the top bit only below 0x20, and bytes from 0x80 have the top bit already.
func printableASCII(b []byte) bool {
	const twenties, tops = 0x2020202020202020, 0x8080808080808080
	for ; len(b) >= 8; b = b[8:] {
		x := binary.LittleEndian.Uint64(b)
		if (x|(x-twenties))&tops != 0 {
			return false
		}
	}
	for _, c := range b {
		if c < 0x20 || c >= 0x80 {
			return false
		}
	}
	return true
}

// validUTF8 replaces each byte that is not UTF-8 with U+FFFD, as encoding/json did.
func validUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	var out []byte
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		out = utf8.AppendRune(out, r) // RuneError for an invalid byte, which n skips
		b = b[n:]
	}
	return out
}

// text is v's JSON text: fastjson keeps numbers and unread strings as written, and marshals
// objects and arrays compactly. Reading it before v.Type keeps a string's escapes.
func (r *reader) text(v *fastjson.Value) []byte {
	r.buf = v.MarshalTo(r.buf[:0])
	return r.buf
}

// number returns v's text when v is a JSON number; a string, such as "3", is refused with the
// field's kind of number named. The text is r's scratch, valid until the next value is read.
func (r *reader) number(job, field, kind string, v *fastjson.Value) ([]byte, error) {
	t := r.text(v)
	if t[0] == '"' {
		return nil, &ShapeError{Job: job, Field: field, Problem: "want " + kind + ", got the string " + excerptText(t)}
	}
	if v.Type() == fastjson.TypeNumber && !isJSONNumber(t) {
		return nil, errNotJSON
	}
	return t, nil
}

// wholeNumber reads a count: an integer written without fraction or exponent, 0 to MaxInt32.
func (r *reader) wholeNumber(job, field string, v *fastjson.Value) (int, error) {
	t, err := r.number(job, field, "a whole number", v)
	if err != nil {
		return 0, err
	}
	i, err := strconv.ParseInt(string(t), 10, 64)
	if err != nil || i < 0 || i > math.MaxInt32 {
		return 0, &ShapeError{Job: job, Field: field, Problem: "want a whole number ≥ 0, got " + excerptText(t)}
	}
	return int(i), nil
}

// fraction reads consistency, from 0 to 1, parsed from its text so it rounds as strconv does.
func (r *reader) fraction(job string, v *fastjson.Value) (float64, error) {
	t, err := r.number(job, "consistency", "a number", v)
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(string(t), 64)
	if err != nil {
		return 0, &ShapeError{Job: job, Field: "consistency", Problem: "want a number, got " + excerptText(t)}
	}
	if f < 0 || f > 1 {
		return 0, &ShapeError{Job: job, Field: "consistency", Problem: "want a number from 0 to 1"}
	}
	return f, nil
}

// excerptText is a value's JSON text as written, cut to 60 characters.
func excerptText(t []byte) string {
	if utf8.RuneCount(t) <= 60 {
		return string(t)
	}
	return string([]rune(string(t))[:60]) + "…"
}

// isJSONNumber reports whether b is a number as JSON writes it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func isJSONNumber(b []byte) bool {
	b, _ = bytes.CutPrefix(b, []byte("-"))
	switch {
	case len(b) == 0 || b[0] < '0' || b[0] > '9':
		return false
	case b[0] == '0':
		b = b[1:]
	default:
		b = skipDigits(b)
	}
	if rest, ok := bytes.CutPrefix(b, []byte(".")); ok {
		if b = skipDigits(rest); len(b) == len(rest) {
			return false
		}
	}
	if len(b) > 0 && (b[0] == 'e' || b[0] == 'E') {
		rest := b[1:]
		if len(rest) > 0 && (rest[0] == '+' || rest[0] == '-') {
			rest = rest[1:]
		}
		if b = skipDigits(rest); len(b) == len(rest) {
			return false
		}
	}
	return len(b) == 0
}

func skipDigits(b []byte) []byte {
	for len(b) > 0 && b[0] >= '0' && b[0] <= '9' {
		b = b[1:]
	}
	return b
}
