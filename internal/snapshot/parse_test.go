package snapshot_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/triagesite/triagesite/internal/snapshot"
)

// BenchmarkParse reads a failures and a flakes document the size of a real daily dashboard
// (~1,500 jobs), indented and in name order as the dashboard publishes them.
func BenchmarkParse(b *testing.B) {
	for _, ds := range []snapshot.Dataset{snapshot.Failures, snapshot.Flakes} {
		doc := benchDoc(ds, 1500)
		b.Run(string(ds), func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := snapshot.Parse(ds, doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchDoc writes n jobs with irregular figures; flakes jobs get 1–4 test flakes each, or
// null, as on the real dashboard.
func benchDoc(ds snapshot.Dataset, n int) []byte {
	var sb strings.Builder
	sb.WriteString("{\n")
	for k := range n {
		if k > 0 {
			sb.WriteString(",\n")
		}
		fmt.Fprintf(&sb, "  \"ci-kubernetes-e2e-gce-cos-k8sbeta-%04d\": {\n", k)
		if ds == snapshot.Failures {
			fmt.Fprintf(&sb, "    \"failing_days\": %d\n  }", k*13%400)
			continue
		}
		fmt.Fprintf(&sb, "    \"consistency\": %.3f,\n    \"flakes\": %d,\n    \"test_flakes\": ", float64(k%1000)/999, k%40)
		if k%5 == 0 {
			sb.WriteString("null\n  }")
			continue
		}
		sb.WriteString("{\n")
		for t := range 1 + k%4 {
			if t > 0 {
				sb.WriteString(",\n")
			}
			fmt.Fprintf(&sb, "      \"Kubernetes e2e suite.[It] [sig-node] Pods %d should run case %d\": %d", t, (k+t*31)%97, 1+t)
		}
		sb.WriteString("\n    }\n  }")
	}
	sb.WriteString("\n}\n")
	return []byte(sb.String())
}

// TestParseTrickyDocuments pins whole snapshots read from documents that are good but odd.
func TestParseTrickyDocuments(t *testing.T) {
	tf := func(pairs ...any) []snapshot.TestFlake {
		out := []snapshot.TestFlake{}
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, snapshot.TestFlake{Test: pairs[i].(string), Count: pairs[i+1].(int)})
		}
		return out
	}
	failures := func(jobs ...snapshot.Job) *snapshot.Snapshot {
		return &snapshot.Snapshot{Dataset: snapshot.Failures, Jobs: jobs}
	}
	flakes := func(jobs ...snapshot.Job) *snapshot.Snapshot {
		return &snapshot.Snapshot{Dataset: snapshot.Flakes, Jobs: jobs}
	}
	cases := []struct {
		name string
		ds   snapshot.Dataset
		doc  string
		want *snapshot.Snapshot
	}{
		{"null", snapshot.Flakes, "null", &snapshot.Snapshot{Dataset: snapshot.Flakes}},
		{"empty object", snapshot.Failures, "{}", failures([]snapshot.Job{}...)},
		{"whitespace around", snapshot.Failures, " \t\r\n{ \"a\" :\n{\"failing_days\"\t: 1 } }\n", failures(snapshot.Job{Name: "a", FailingDays: 1})},
		{"names with colons, quotes and braces", snapshot.Failures,
			`{"pr:pull-x": {"failing_days": 1}, "a\"b:{": {"failing_days": 2}, "b\\": {"failing_days": 0}}`,
			failures(snapshot.Job{Name: `a"b:{`, FailingDays: 2}, snapshot.Job{Name: `b\`, FailingDays: 0}, snapshot.Job{Name: "pr:pull-x", FailingDays: 1})},
		{"escapes", snapshot.Failures,
			`{"caf\u00e9": {"failing_days": 1}, "\ud83d\ude00\/\t": {"failing_days": 2}, "café2": {"failing_days": 3}}`,
			failures(snapshot.Job{Name: "café", FailingDays: 1}, snapshot.Job{Name: "café2", FailingDays: 3}, snapshot.Job{Name: "😀/\t", FailingDays: 2})},
		{"bytes that are not UTF-8 read as U+FFFD, as encoding/json reads them", snapshot.Failures,
			"{\"a\xffb\": {\"failing_days\": 1}}", failures(snapshot.Job{Name: "a\uFFFDb", FailingDays: 1})},
		{"largest and smallest counts", snapshot.Failures,
			`{"b": {"failing_days": 2147483647}, "a": {"failing_days": 0}, "c": {"failing_days": -0}}`,
			failures(snapshot.Job{Name: "a"}, snapshot.Job{Name: "b", FailingDays: 2147483647}, snapshot.Job{Name: "c"})},
		{"floats", snapshot.Flakes,
			`{"j": {"consistency": 0.9999999999999999, "flakes": 3, "test_flakes": {}},
			  "k": {"consistency": 1e-3, "flakes": 1, "test_flakes": {"Up": 56}},
			  "l": {"consistency": 1, "flakes": 0, "test_flakes": null},
			  "m": {"consistency": 1.0, "flakes": 0, "test_flakes": null},
			  "n": {"consistency": 0.615, "flakes": 25, "test_flakes": {"T2": 1, "T1": 4}},
			  "o": {"consistency": 5E-1, "flakes": 0, "test_flakes": null}}`,
			flakes(
				snapshot.Job{Name: "j", Consistency: 0.9999999999999999, Flakes: 3, TestFlakes: tf()},
				snapshot.Job{Name: "k", Consistency: 0.001, Flakes: 1, TestFlakes: tf("Up", 56)},
				snapshot.Job{Name: "l", Consistency: 1},
				snapshot.Job{Name: "m", Consistency: 1},
				snapshot.Job{Name: "n", Consistency: 0.615, Flakes: 25, TestFlakes: tf("T1", 4, "T2", 1)},
				snapshot.Job{Name: "o", Consistency: 0.5},
			)},
		{"test names with escapes, sorted as decoded", snapshot.Flakes,
			`{"j": {"test_flakes": {"[sig-cli] \"kubectl\" works": 2, "\u00c9tape": 1, "A: {x}": 3}, "flakes": 6, "consistency": 0.5}}`,
			flakes(snapshot.Job{Name: "j", Consistency: 0.5, Flakes: 6, TestFlakes: tf("A: {x}", 3, `[sig-cli] "kubectl" works`, 2, "Étape", 1)})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := snapshot.Parse(c.ds, []byte(c.doc))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %#v\nwant %#v", got, c.want)
			}
		})
	}
}

// TestParseNamesInterns: names met in an earlier document, job or test, are the same strings.
func TestParseNamesInterns(t *testing.T) {
	names := snapshot.NewNames()
	doc := []byte(`{"job": {"consistency": 0.5, "flakes": 1, "test_flakes": {"Test": 1}}}`)
	a, err := snapshot.ParseNames(snapshot.Flakes, doc, names)
	if err != nil {
		t.Fatal(err)
	}
	b, err := snapshot.ParseNames(snapshot.Flakes, doc, names)
	if err != nil {
		t.Fatal(err)
	}
	if unsafe.StringData(a.Jobs[0].Name) != unsafe.StringData(b.Jobs[0].Name) {
		t.Error("job name not interned")
	}
	if unsafe.StringData(a.Jobs[0].TestFlakes[0].Test) != unsafe.StringData(b.Jobs[0].TestFlakes[0].Test) {
		t.Error("test name not interned")
	}
}

// TestParseConcurrently: parsers are pooled, and ParseNames is called from several goroutines.
func TestParseConcurrently(t *testing.T) {
	docs := map[snapshot.Dataset][]byte{snapshot.Failures: benchDoc(snapshot.Failures, 300), snapshot.Flakes: benchDoc(snapshot.Flakes, 300)}
	want := map[snapshot.Dataset]*snapshot.Snapshot{}
	for ds, doc := range docs {
		s, err := snapshot.Parse(ds, doc)
		if err != nil {
			t.Fatal(err)
		}
		want[ds] = s
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				ds := []snapshot.Dataset{snapshot.Failures, snapshot.Flakes}[(g+i)%2]
				got, err := snapshot.Parse(ds, docs[ds])
				if err != nil || !reflect.DeepEqual(got, want[ds]) {
					t.Errorf("goroutine %d, parse %d of %s: %v", g, i, ds, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestParseNamesAsEncodingJSON puts every byte, alone and after a backslash, into a job name
// and a test name, in documents with and without another escape (which decides whether names
// are checked as read or by fastjson's validator). Parse must accept exactly what encoding/json
// does, and read the same names.
func TestParseNamesAsEncodingJSON(t *testing.T) {
	templates := []struct {
		ds  snapshot.Dataset
		doc string
	}{
		{snapshot.Failures, `{"a<>b": {"failing_days": 1}}`},
		{snapshot.Failures, `{"a<>b": {"failing_days": 1}, "\u00e9": {"failing_days": 2}}`},
		{snapshot.Flakes, `{"j": {"consistency": 0.5, "flakes": 1, "test_flakes": {"a<>b": 1}}}`},
		{snapshot.Flakes, `{"j\u00e9": {"consistency": 0.5, "flakes": 1, "test_flakes": {"a<>b": 1}}}`},
	}
	for _, tmpl := range templates {
		for c := range 256 {
			for _, ins := range [][]byte{{byte(c)}, {'\\', byte(c)}} {
				doc := bytes.Replace([]byte(tmpl.doc), []byte("<>"), ins, 1)
				s, err := snapshot.Parse(tmpl.ds, doc)
				if valid := json.Valid(doc); (err == nil) != valid {
					t.Errorf("%q: Parse error %v, but encoding/json calls it valid: %v", doc, err, valid)
					continue
				}
				if err == nil {
					checkAsEncodingJSON(t, s, doc)
				}
			}
		}
	}
}

// FuzzParse: Parse never panics, refuses with a ShapeError, accepts only what encoding/json
// calls JSON and reads it as encoding/json would, and what it accepts survives a round trip.
func FuzzParse(f *testing.F) {
	for _, doc := range []string{
		`null`, `{}`, `{"a": {"failing_days": 3}}`, `{"a\"b:{": {"failing_days": 2147483647}}`,
		`{"j": {"consistency": 0.9999999999999999, "flakes": 25, "test_flakes": {"T2": 1, "T1": 4}}}`,
		`{"k": {"consistency": 1e-3, "flakes": 0, "test_flakes": null}, "caf\u00e9": {"consistency": 1, "flakes": 0, "test_flakes": {}}}`,
		`{"a": {"failing_days": 1}, "a": {"failing_days": 2}}`, `{"a": {"failing_days": 01}}`, `[1, 2]`,
	} {
		f.Add(false, []byte(doc))
		f.Add(true, []byte(doc))
	}
	for _, c := range wrongShapes {
		f.Add(c.ds == snapshot.Flakes, []byte(c.doc))
	}
	for _, b := range bundled(f) {
		f.Add(b.ds == snapshot.Flakes, b.doc)
	}
	f.Fuzz(func(t *testing.T, isFlakes bool, doc []byte) {
		ds := snapshot.Failures
		if isFlakes {
			ds = snapshot.Flakes
		}
		s, err := snapshot.Parse(ds, doc)
		if err != nil {
			se, ok := errors.AsType[*snapshot.ShapeError](err)
			if !ok {
				t.Fatalf("error %v is not a ShapeError", err)
			}
			checkPosition(t, doc, se)
			return
		}
		if !json.Valid(doc) {
			t.Fatalf("accepted a document encoding/json refuses: %q", doc)
		}
		if !loneSurrogate.Match(doc) {
			checkAsEncodingJSON(t, s, doc)
		}
		interned, err := snapshot.ParseNames(ds, doc, snapshot.NewNames())
		if err != nil || !reflect.DeepEqual(interned, s) {
			t.Fatalf("ParseNames: %v\n%#v\nParse:\n%#v", err, interned, s)
		}
		again, err := snapshot.Parse(ds, encode(s))
		if err != nil {
			t.Fatalf("re-encoded %q: %v", encode(s), err)
		}
		if !reflect.DeepEqual(again, s) {
			t.Fatalf("round trip:\n%#v\nbecame\n%#v", s, again)
		}
	})
}

// loneSurrogate finds escapes of UTF-16 surrogates. fastjson decodes a lone one as written
// (\ud800) where encoding/json writes U+FFFD; no dashboard name holds one, so that difference
// is left alone.
var loneSurrogate = regexp.MustCompile(`\\u[dD][89a-fA-F]`)

// checkAsEncodingJSON compares a parsed snapshot with encoding/json's reading of the same
// document, field by field.
func checkAsEncodingJSON(t *testing.T, s *snapshot.Snapshot, doc []byte) {
	t.Helper()
	var m map[string]struct {
		FailingDays int            `json:"failing_days"`
		Consistency float64        `json:"consistency"`
		Flakes      int            `json:"flakes"`
		TestFlakes  map[string]int `json:"test_flakes"`
	}
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	if len(m) != len(s.Jobs) {
		t.Fatalf("%d jobs, encoding/json reads %d", len(s.Jobs), len(m))
	}
	for _, j := range s.Jobs {
		e, ok := m[j.Name]
		if !ok || e.FailingDays != j.FailingDays || e.Consistency != j.Consistency || e.Flakes != j.Flakes ||
			len(e.TestFlakes) != len(j.TestFlakes) || (e.TestFlakes == nil) != (j.TestFlakes == nil) {
			t.Fatalf("job %q: %+v, encoding/json reads %+v (%v)", j.Name, j, e, ok)
		}
		for _, tf := range j.TestFlakes {
			if n, ok := e.TestFlakes[tf.Test]; !ok || n != tf.Count {
				t.Fatalf("job %q test %q: %d, encoding/json reads %d (%v)", j.Name, tf.Test, tf.Count, n, ok)
			}
		}
	}
}

// encode writes a snapshot back as a dashboard document.
func encode(s *snapshot.Snapshot) []byte {
	if s.Jobs == nil {
		return []byte("null")
	}
	b := []byte{'{'}
	for i, j := range s.Jobs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendString(b, j.Name), ':')
		if s.Dataset == snapshot.Failures {
			b = fmt.Appendf(b, `{"failing_days":%d}`, j.FailingDays)
			continue
		}
		b = fmt.Appendf(b, `{"consistency":%s,"flakes":%d,"test_flakes":`, strconv.FormatFloat(j.Consistency, 'g', -1, 64), j.Flakes)
		b = appendTestFlakes(b, j.TestFlakes)
		b = append(b, '}')
	}
	return append(b, '}')
}

func appendTestFlakes(b []byte, tfs []snapshot.TestFlake) []byte {
	if tfs == nil {
		return append(b, "null"...)
	}
	b = append(b, '{')
	for i, tf := range tfs {
		if i > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(appendString(b, tf.Test), ":%d", tf.Count)
	}
	return append(b, '}')
}

// appendString quotes s for JSON: only quotes, backslashes and control characters need escapes.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := range len(s) {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = fmt.Appendf(b, `\u%04x`, c)
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// bundledDoc is one shipped snapshot file.
type bundledDoc struct {
	ds  snapshot.Dataset
	doc []byte
}

// bundled reads the shipped snapshots, the seeds of the fuzz tests.
func bundled(tb testing.TB) []bundledDoc {
	tb.Helper()
	var out []bundledDoc
	for _, ds := range []snapshot.Dataset{snapshot.Failures, snapshot.Flakes} {
		names, _ := filepath.Glob(filepath.Join("..", "..", "content", "snapshots", string(ds), "*.json"))
		if len(names) == 0 {
			tb.Fatalf("no bundled %s snapshots", ds)
		}
		for _, name := range names {
			doc, err := os.ReadFile(name)
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, bundledDoc{ds, doc})
		}
	}
	return out
}

// checkPosition holds a refusal's position to the document: within it, and the line and
// column agreeing with the byte offset. A message quotes little of the document.
func checkPosition(t *testing.T, doc []byte, se *snapshot.ShapeError) {
	t.Helper()
	if len(se.Error()) > 500 {
		t.Errorf("message of %d bytes: %.100s…", len(se.Error()), se.Error())
	}
	if se.Line == 0 {
		return
	}
	if se.Offset < 0 || se.Offset > len(doc) {
		t.Fatalf("offset %d outside a document of %d bytes", se.Offset, len(doc))
	}
	before := doc[:se.Offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	if se.Line != line || se.Col != col {
		t.Errorf("%s: offset %d is %d:%d, not %d:%d", se, se.Offset, line, col, se.Line, se.Col)
	}
}
