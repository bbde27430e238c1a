package snapshot_test

import (
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/snapshot"
)

func TestParseExactShapes(t *testing.T) {
	f, err := snapshot.Parse(snapshot.Failures, []byte(`{"b": {"failing_days": 3}, "a": {"failing_days": 0}}`))
	if err != nil || len(f.Jobs) != 2 || f.Jobs[0].Name != "a" {
		t.Fatalf("failures: %v %+v", err, f)
	}
	fl, err := snapshot.Parse(snapshot.Flakes, []byte(`{"j": {"consistency": 0.615, "flakes": 25, "test_flakes": {"T2": 1, "T1": 4}}, "k": {"consistency": 1, "flakes": 0, "test_flakes": null}}`))
	if err != nil {
		t.Fatal(err)
	}
	j, _ := fl.Job("j")
	if j.Consistency != 0.615 || j.Flakes != 25 || len(j.TestFlakes) != 2 || j.TestFlakes[0].Test != "T1" {
		t.Errorf("flakes job parsed as %+v", j)
	}
	if k, _ := fl.Job("k"); k.TestFlakes != nil {
		t.Errorf("null test_flakes became %v", k.TestFlakes)
	}
	odd, err := snapshot.Parse(snapshot.Failures, []byte(`{"pr:pull-x": {"failing_days": 1}, "a\"b:{": {"failing_days": 2}}`))
	if err != nil || len(odd.Jobs) != 2 {
		t.Errorf("names with colons, quotes and braces: %v %+v", err, odd)
	}
	if empty, err := snapshot.Parse(snapshot.Flakes, []byte("null")); err != nil || len(empty.Jobs) != 0 {
		t.Errorf("null document: %v %+v", err, empty)
	}
}

// wrongShapes are documents Parse refuses, and a part of the error each must give. They also
// seed FuzzParse.
var wrongShapes = []struct {
	ds   snapshot.Dataset
	doc  string
	want string
}{
	{snapshot.Failures, `{"ok": {"failing_days": 1}, "bad": {"failing_days": "3"}}`, `job "bad": field "failing_days": want a whole number, got the string "3"`},
	{snapshot.Failures, `{"a": {"failing_days": "\u0033"}}`, `want a whole number, got the string "\u0033"`},
	{snapshot.Failures, `{"a": {"consistency": 0.5, "flakes": 1, "test_flakes": null}}`, `job "a": field "consistency": not a failures field`},
	{snapshot.Flakes, `{"a": {"failing_days": 1}}`, `job "a": field "failing_days": not a flakes field`},
	{snapshot.Flakes, `{"a": {"flakes": 1, "bogus": 1, "failing_days": 1}}`, `job "a": field "bogus": not a flakes field (want [consistency flakes test_flakes])`},
	{snapshot.Failures, `{"a": {"Failing_Days": 1}}`, `field "Failing_Days": not a failures field`},
	{snapshot.Flakes, `{"a": {"consistency": 1.5, "flakes": 1, "test_flakes": null}}`, `field "consistency": want a number from 0 to 1`},
	{snapshot.Flakes, `{"a": {"consistency": "0.5", "flakes": 1, "test_flakes": null}}`, `field "consistency": want a number, got the string "0.5"`},
	{snapshot.Flakes, `{"a": {"consistency": null, "flakes": 1, "test_flakes": null}}`, `field "consistency": want a number, got null`},
	{snapshot.Flakes, `{"a": {"consistency": 0.5, "flakes": 1}}`, `field "test_flakes": missing`},
	{snapshot.Failures, `{"a": {}}`, `job "a": field "failing_days": missing`},
	{snapshot.Flakes, `{"a": {"consistency": 0.5, "flakes": 1, "test_flakes": {"T": "x"}}}`, `field "test_flakes": want a whole number`},
	{snapshot.Flakes, `{"a": {"consistency": 0.5, "flakes": 1, "test_flakes": [1]}}`, `field "test_flakes": want an object of test names to counts, or null`},
	{snapshot.Flakes, `{"a": {"consistency": 0.5, "flakes": 1, "test_flakes": {"T": 1, "U": 2, "T": 3}}}`, `job "a": field "test_flakes": test "T" listed twice`},
	{snapshot.Flakes, `{"a": {"flakes": 1, "consistency": 1, "flakes": 2, "test_flakes": null}}`, `job "a": field "flakes": listed twice`},
	{snapshot.Failures, `[1, 2]`, `want an object of jobs`},
	{snapshot.Failures, `{"a": null}`, `job "a": want an object`},
	{snapshot.Failures, `{"a": [1]}`, `job "a": want an object`},
	{snapshot.Failures, `{"a": {"failing_days": -1}}`, `want a whole number ≥ 0, got -1`},
	{snapshot.Failures, `{"a": {"failing_days": 3.0}}`, `want a whole number ≥ 0, got 3.0`},
	{snapshot.Failures, `{"a": {"failing_days": 1e3}}`, `want a whole number ≥ 0, got 1e3`},
	{snapshot.Failures, `{"a": {"failing_days": 2147483648}}`, `want a whole number ≥ 0, got 2147483648`},
	{snapshot.Failures, `{"a": {"failing_days": {"x": 1}}}`, `want a whole number ≥ 0, got {"x":1}`},
	{snapshot.Failures, `{"a": {"failing_days": 1}, "a": {"failing_days": 2}}`, `job "a": listed twice`},
	// The first repeat in document order, though "a" sorts first.
	{snapshot.Failures, `{"b": {"failing_days": 1}, "a": {"failing_days": 1}, "b": {"failing_days": 1}, "a": {"failing_days": 1}}`, `job "b": listed twice`},
	// A name is listed twice before its second listing is read.
	{snapshot.Failures, `{"a": {"failing_days": 1}, "a": {"failing_days": "x"}}`, `job "a": listed twice`},
	{snapshot.Failures, `{"a": {"failing_days": "x"}, "a": {"failing_days": 1}}`, `job "a": field "failing_days": want a whole number, got the string "x"`},
	{snapshot.Failures, "{\"\xff\": {\"failing_days\": 1}, \"\xfe\": {\"failing_days\": 1}}", "job \"\uFFFD\": listed twice"},
	// Not JSON, though fastjson's parser alone would take it.
	{snapshot.Failures, `{"a": {"failing_days": 01}}`, `not JSON`},
	{snapshot.Failures, `{"a": {"failing_days": +1}}`, `not JSON`},
	{snapshot.Flakes, `{"a": {"consistency": NaN, "flakes": 1, "test_flakes": null}}`, `not JSON`},
	{snapshot.Flakes, `{"a": {"consistency": -Inf, "flakes": 1, "test_flakes": null}}`, `not JSON`},
	{snapshot.Flakes, `{"a": {"consistency": 1., "flakes": 1, "test_flakes": null}}`, `not JSON`},
	{snapshot.Failures, "{\"a\x01\": {\"failing_days\": 1}}", `not JSON`},
	{snapshot.Failures, "{\"a\": {\"failing_days\": 1, \"b\tc\": 1}}", `not JSON`},
	{snapshot.Flakes, "{\"a\": {\"consistency\": 0.5, \"flakes\": 1, \"test_flakes\": {\"long test name\n\": 1}}}", `not JSON`},
	{snapshot.Failures, `{"a\q": {"failing_days": 1}}`, `not JSON`},
	{snapshot.Failures, `{"a\u12": {"failing_days": 1}}`, `not JSON`},
	// A document that is not JSON is called that, whatever else is wrong with it.
	{snapshot.Failures, `{"a": {"failing_days": "x"}, "b": {"failing_days": 01}}`, `not JSON`},
	{snapshot.Failures, `{"a": {"failing_days": 1},}`, `not JSON`},
	{snapshot.Failures, ``, `not JSON`},
	{snapshot.Failures, `nul`, `not JSON`},
	{snapshot.Failures, `{"a": {"failing_days": 1}} {}`, `unexpected data after the document`},
	{snapshot.Failures, `null x`, `unexpected data after the document`},
}

func TestParseRefusesWrongShapes(t *testing.T) {
	for _, c := range wrongShapes {
		_, err := snapshot.Parse(c.ds, []byte(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s: error %v, want %q", c.ds, c.doc, err, c.want)
		}
	}
}
