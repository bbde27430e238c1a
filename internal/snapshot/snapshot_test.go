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

func TestParseRefusesWrongShapes(t *testing.T) {
	cases := []struct {
		ds   snapshot.Dataset
		doc  string
		want string
	}{
		{snapshot.Failures, `{"ok": {"failing_days": 1}, "bad": {"failing_days": "3"}}`, `job "bad": field "failing_days": want a whole number, got the string "3"`},
		{snapshot.Failures, `{"a": {"consistency": 0.5, "flakes": 1, "test_flakes": null}}`, `job "a": field "consistency": not a failures field`},
		{snapshot.Flakes, `{"a": {"failing_days": 1}}`, `job "a": field "failing_days": not a flakes field`},
		{snapshot.Flakes, `{"a": {"consistency": 1.5, "flakes": 1, "test_flakes": null}}`, `field "consistency": want a number from 0 to 1`},
		{snapshot.Flakes, `{"a": {"consistency": 0.5, "flakes": 1}}`, `field "test_flakes": missing`},
		{snapshot.Flakes, `{"a": {"consistency": 0.5, "flakes": 1, "test_flakes": {"T": "x"}}}`, `field "test_flakes": want a whole number`},
		{snapshot.Failures, `[1, 2]`, `want an object of jobs`},
		{snapshot.Failures, `{"a": {"failing_days": -1}}`, `want a whole number ≥ 0`},
		{snapshot.Failures, `{"a": {"failing_days": 1}, "a": {"failing_days": 2}}`, `job "a": listed twice`},
	}
	for _, c := range cases {
		_, err := snapshot.Parse(c.ds, []byte(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s: error %v, want %q", c.ds, c.doc, err, c.want)
		}
	}
}
