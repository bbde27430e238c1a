package snapshot

import (
	"bytes"
	"math"
	"strconv"
	"sync"
)

// scan reads a dashboard document in one pass over its bytes, for the shape the dashboard
// publishes: ASCII names without escapes, each job's fields once, whole numbers written as
// digits. It gives up, returning false, at anything else, and ParseNames reads the document
// again with fastjson and the reader, which accept all of JSON and word the errors. So scan
// decides nothing about what is valid: it only makes the common case fast (a daily flakes
// file took three times as long through fastjson's tree as to tokenize). Whatever it
// accepts, the reader reads the same; TestScanAgreesWithReader and FuzzScan hold it to that.
func scan(ds Dataset, data []byte, names *Names) (*Snapshot, bool) {
	s := scanner{data: data, names: names, ds: ds}
	names.startDocument()
	s.space()
	if s.literal("null") {
		s.space()
		return New(ds, nil), s.end()
	}
	jobs, ok := s.jobs()
	if !ok {
		return nil, false
	}
	s.space()
	if !s.end() {
		return nil, false
	}
	snap := New(ds, jobs)
	for i := 1; i < len(snap.Jobs); i++ {
		if snap.Jobs[i].Name == snap.Jobs[i-1].Name {
			return nil, false // a repeated job: the reader names the first repeat
		}
	}
	return snap, true
}

type scanner struct {
	data  []byte
	i     int
	names *Names
	ds    Dataset
	tests []TestFlake // scratch for one job's test flakes
}

func (s *scanner) end() bool { return s.i == len(s.data) }

func (s *scanner) space() {
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case ' ', '\n', '\r', '\t':
			s.i++
		default:
			return
		}
	}
}

// byte consumes c after optional whitespace.
func (s *scanner) byte(c byte) bool {
	s.space()
	if s.i < len(s.data) && s.data[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *scanner) literal(lit string) bool {
	if bytes.HasPrefix(s.data[s.i:], []byte(lit)) {
		s.i += len(lit)
		return true
	}
	return false
}

// jobs reads the top-level object. Its capacity is bounded from the colons: a failures job
// has two, a name's and failing_days', and a flakes job at least four.
func (s *scanner) jobs() ([]Job, bool) {
	if !s.byte('{') {
		return nil, false
	}
	perJob := 2
	if s.ds == Flakes {
		perJob = 4
	}
	jobs := jobList(bytes.Count(s.data[s.i:], []byte{':'}) / perJob)
	if s.byte('}') {
		return jobs, true
	}
	for {
		key, ok := s.key()
		if !ok {
			return nil, false
		}
		j, ok := s.job(key)
		if !ok {
			return nil, false
		}
		jobs = append(jobs, j)
		if s.byte('}') {
			return jobs, true
		}
		if !s.byte(',') {
			return nil, false
		}
	}
}

// key reads a string and its colon. Only printable ASCII without escapes is taken: the
// reader checks anything else (control characters, invalid UTF-8, escapes) itself.
func (s *scanner) key() ([]byte, bool) {
	if !s.byte('"') {
		return nil, false
	}
	rest := s.data[s.i:]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return nil, false
	}
	key := rest[:end]
	if !printableASCII(key) || bytes.IndexByte(key, '\\') >= 0 {
		return nil, false
	}
	s.i += end + 1
	return key, s.byte(':')
}

// job reads one job's object: exactly the dataset's fields, once each, in any order.
func (s *scanner) job(key []byte) (Job, bool) {
	j := Job{Name: s.names.jobName(key)}
	if !s.byte('{') {
		return j, false
	}
	var seen [numFields]bool
	for n := 0; ; n++ {
		if n > 0 && !s.byte(',') {
			return j, false
		}
		name, ok := s.key()
		if !ok {
			return j, false
		}
		f := fieldIndex(name)
		if f < 0 || seen[f] {
			return j, false
		}
		seen[f] = true
		s.space()
		switch f {
		case failingDays:
			j.FailingDays, ok = s.count()
		case flakes:
			j.Flakes, ok = s.count()
		case consistency:
			j.Consistency, ok = s.fraction()
		case testFlakes:
			j.TestFlakes, ok = s.testFlakes()
		}
		if !ok {
			return j, false
		}
		if s.byte('}') {
			break
		}
	}
	for f := range numFields {
		wanted := (s.ds == Failures) == (f == failingDays)
		if seen[f] != wanted {
			return j, false
		}
	}
	return j, true
}

// count reads a whole number written as JSON writes one (no sign, no leading zero), up to
// MaxInt32.
func (s *scanner) count() (int, bool) {
	start := s.i
	n := 0
	for s.i < len(s.data) && s.data[s.i] >= '0' && s.data[s.i] <= '9' && s.i-start < 10 {
		n = n*10 + int(s.data[s.i]-'0')
		s.i++
	}
	digits := s.i - start
	if digits == 0 || (digits > 1 && s.data[start] == '0') || n > math.MaxInt32 || s.numberGoesOn() {
		return 0, false
	}
	return n, true
}

// numberGoesOn reports a number that did not end where a count ends: a fraction, an
// exponent or an eleventh digit.
func (s *scanner) numberGoesOn() bool {
	if s.i == len(s.data) {
		return false
	}
	switch c := s.data[s.i]; {
	case c >= '0' && c <= '9', c == '.', c == 'e', c == 'E', c == '-', c == '+':
		return true
	}
	return false
}

// fraction reads consistency: a JSON number from 0 to 1.
func (s *scanner) fraction() (float64, bool) {
	start := s.i
	for s.i < len(s.data) {
		c := s.data[s.i]
		if (c < '0' || c > '9') && c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+' {
			break
		}
		s.i++
	}
	text := s.data[start:s.i]
	if !isJSONNumber(text) {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(text), 64)
	return f, err == nil && f >= 0 && f <= 1
}

// testFlakes reads a job's test flakes: null, or an object of tests to counts, sorted by
// test as the reader sorts them.
func (s *scanner) testFlakes() ([]TestFlake, bool) {
	if s.literal("null") {
		return nil, true
	}
	if !s.byte('{') {
		return nil, false
	}
	if s.byte('}') {
		return []TestFlake{}, true
	}
	s.tests = s.tests[:0] // gathered here, then shared or copied (Names.sharedTests)
	for {
		key, ok := s.key()
		if !ok {
			return nil, false
		}
		s.space()
		n, ok := s.count()
		if !ok {
			return nil, false
		}
		s.tests = append(s.tests, TestFlake{Test: s.names.testName(key, len(s.tests)), Count: n})
		if s.byte('}') {
			break
		}
		if !s.byte(',') {
			return nil, false
		}
	}
	sortTests(s.tests)
	for i := 1; i < len(s.tests); i++ {
		if s.tests[i].Test == s.tests[i-1].Test {
			return nil, false // a repeated test: the reader names it
		}
	}
	return s.names.sharedTests(s.tests), true
}

// jobBufs holds job lists given back with Recycle, for scan to fill again.
var jobBufs sync.Pool // of *[]Job

// jobList is an empty job list with room for n jobs, reused when one was given back.
func jobList(n int) []Job {
	if p, ok := jobBufs.Get().(*[]Job); ok && cap(*p) >= n {
		return (*p)[:0]
	}
	return make([]Job, 0, n)
}

// Recycle gives back the job list of a snapshot nothing uses any more, so that a document
// parsed later fills the same memory: a build parses over a thousand daily files and keeps
// each only until a History has copied it. Neither s nor its jobs may be used afterwards.
func Recycle(s *Snapshot) {
	if s == nil || cap(s.Jobs) == 0 {
		return
	}
	jobs := s.Jobs[:cap(s.Jobs)]
	clear(jobs) // keep no names or test flakes alive from the pool
	jobs = jobs[:0]
	s.Jobs = nil
	jobBufs.Put(&jobs)
}
