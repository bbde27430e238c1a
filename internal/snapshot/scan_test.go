package snapshot

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// scanCases are documents scan must either read exactly as parseTree does or leave to it.
// want says which: true when scan should read it itself.
var scanCases = []struct {
	ds   Dataset
	doc  string
	want bool
}{
	{Failures, `null`, true},
	{Failures, " \r\n\tnull \n", true},
	{Failures, `{}`, true},
	{Failures, `{"a": {"failing_days": 3}, "b": {"failing_days": 0}}`, true},
	{Failures, "{\r\n\t\"a\"\t:\r\n{ \"failing_days\" :\t2147483647 }\r\n}", true},
	{Failures, "{\"z<&>'\": {\"failing_days\": 1}, \"a b~\x7f\": {\"failing_days\": 2}}", true},
	{Flakes, `{"j": {"test_flakes": {"T2": 1, "T1": 4}, "flakes": 25, "consistency": 0.9999999999999999}}`, true},
	{Flakes, `{"k": {"consistency": 1e-3, "flakes": 0, "test_flakes": null}, "l": {"consistency": 1, "flakes": 0, "test_flakes": {}}}`, true},
	{Flakes, `{"k": {"consistency": -0, "flakes": 0, "test_flakes": null}}`, true},
	{Flakes, `{"k": {"consistency": 0.5E+0, "flakes": 0, "test_flakes": {"x": 0}}}`, true},
	// Left to the reader: it refuses these, or reads something scan does not take.
	{Failures, `{"a": {"failing_days": 2147483648}}`, false},
	{Failures, `{"a": {"failing_days": 12345678901}}`, false},
	{Failures, `{"a": {"failing_days": 01}}`, false},
	{Failures, `{"a": {"failing_days": -0}}`, false},
	{Failures, `{"a": {"failing_days": 1.0}}`, false},
	{Failures, `{"a": {"failing_days": 1e2}}`, false},
	{Failures, `{"a": {"failing_days": "3"}}`, false},
	{Failures, `{"a": {"failing_days": 1}, "a": {"failing_days": 2}}`, false},
	{Failures, `{"a": {"failing_days": 1, "failing_days": 2}}`, false},
	{Failures, `{"a": {}}`, false},
	{Failures, `{"a": {"failing_days": 1, "flakes": 2}}`, false},
	{Failures, `{"a": {"failing_days": 1}} x`, false},
	{Failures, `{"a": {"failing_days": 1},}`, false},
	{Failures, `{"a": {"failing_days": 1}`, false},
	{Failures, `{"a\"b": {"failing_days": 1}}`, false},
	{Failures, `{"caf\u00e9": {"failing_days": 1}}`, false},
	{Failures, "{\"caf\xc3\xa9\": {\"failing_days\": 1}}", false},
	{Failures, "{\"a\x01\": {\"failing_days\": 1}}", false},
	{Failures, "\ufeff{}", false},
	{Failures, `nul`, false},
	{Failures, `nullnull`, false},
	{Failures, `[]`, false},
	{Failures, ``, false},
	{Flakes, `{"j": {"consistency": 1.5, "flakes": 0, "test_flakes": null}}`, false},
	{Flakes, `{"j": {"consistency": .5, "flakes": 0, "test_flakes": null}}`, false},
	{Flakes, `{"j": {"consistency": 0.5, "flakes": 0}}`, false},
	{Flakes, `{"j": {"consistency": 0.5, "flakes": 0, "test_flakes": {"T": 1, "T": 2}}}`, false},
	{Flakes, `{"j": {"consistency": 0.5, "flakes": 0, "test_flakes": []}}`, false},
	{Flakes, `{"j": {"consistency": 0.5, "flakes": 0, "test_flakes": {"T": -1}}}`, false},
	{Flakes, `{"j": {"failing_days": 3}}`, false},
}

// TestScanAgreesWithReader holds the fast path to the reader of record: what scan reads, the
// reader reads the same; what scan leaves, it leaves whole.
func TestScanAgreesWithReader(t *testing.T) {
	for _, c := range append(scanCases, dailyDocs()...) {
		s, ok := scan(c.ds, []byte(c.doc), NewNames())
		if ok != c.want {
			t.Errorf("scan(%s, %.80q) took it: %v, want %v", c.ds, c.doc, ok, c.want)
		}
		if ok {
			agree(t, c.ds, []byte(c.doc), s)
		}
	}
}

// FuzzScan: whatever scan accepts, the reader accepts and reads the same.
func FuzzScan(f *testing.F) {
	for _, c := range scanCases {
		f.Add(c.ds == Flakes, []byte(c.doc))
	}
	for _, ds := range []Dataset{Failures, Flakes} {
		names, _ := filepath.Glob(filepath.Join("..", "..", "content", "snapshots", string(ds), "*.json"))
		for _, name := range names {
			doc, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(ds == Flakes, doc)
		}
	}
	f.Fuzz(func(t *testing.T, isFlakes bool, doc []byte) {
		ds := Failures
		if isFlakes {
			ds = Flakes
		}
		if s, ok := scan(ds, doc, nil); ok {
			agree(t, ds, doc, s)
		}
	})
}

func agree(t *testing.T, ds Dataset, doc []byte, scanned *Snapshot) {
	t.Helper()
	read, err := parseTree(ds, doc, nil)
	if err != nil {
		t.Fatalf("scan read %.80q, which the reader refuses: %v", doc, err)
	}
	if !reflect.DeepEqual(scanned, read) {
		t.Fatalf("%.80q:\nscan   %#v\nreader %#v", doc, scanned, read)
	}
}

// dailyDocs are documents laid out as the dashboard lays them out, which scan must read.
func dailyDocs() []struct {
	ds   Dataset
	doc  string
	want bool
} {
	var out []struct {
		ds   Dataset
		doc  string
		want bool
	}
	for _, ds := range []Dataset{Failures, Flakes} {
		var sb strings.Builder
		sb.WriteString("{\n")
		for k := range 300 {
			if k > 0 {
				sb.WriteString(",\n")
			}
			fmt.Fprintf(&sb, "  \"ci-kubernetes-e2e-%04d\": {\n", (k*7919)%10000)
			if ds == Failures {
				fmt.Fprintf(&sb, "    \"failing_days\": %d\n  }", k*13%400)
				continue
			}
			fmt.Fprintf(&sb, "    \"consistency\": %.3f,\n    \"flakes\": %d,\n    \"test_flakes\": ", float64(k%1000)/999, k%40)
			if k%5 == 0 {
				sb.WriteString("null\n  }")
				continue
			}
			sb.WriteString("{")
			for t := range k % 4 {
				if t > 0 {
					sb.WriteString(", ")
				}
				fmt.Fprintf(&sb, "\"Kubernetes e2e suite.[It] [sig-node] Pods should run case %d\": %d", (k+t*31)%97, 1+t)
			}
			sb.WriteString("}\n  }")
		}
		sb.WriteString("\n}\n")
		out = append(out, struct {
			ds   Dataset
			doc  string
			want bool
		}{ds, sb.String(), true})
	}
	return out
}

// TestScanReadsTheBundledSnapshots: the dashboards' own files take the fast path, and read
// as the reader reads them.
func TestScanReadsTheBundledSnapshots(t *testing.T) {
	files, err := filepath.Glob("../../content/snapshots/*/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no bundled snapshots: %v", err)
	}
	for _, f := range files {
		doc, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ds := Dataset(filepath.Base(filepath.Dir(f)))
		s, ok := scan(ds, doc, NewNames())
		if !ok {
			t.Errorf("%s: scan left it to the reader", f)
			continue
		}
		agree(t, ds, doc, s)
	}
}
