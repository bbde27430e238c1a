package snapshot

import (
	"reflect"
	"testing"
)

// TestFastAndOrderedAgree: the fast decoder must read every document exactly as the
// ordered one does, floats included.
func TestFastAndOrderedAgree(t *testing.T) {
	docs := map[Dataset]string{
		Failures: `{"b": {"failing_days": 1637}, "a": {"failing_days": 0}, "pr:pull-x": {"failing_days": 2147483647}}`,
		Flakes: `{"j": {"consistency": 0.615, "flakes": 25, "test_flakes": {"T2": 1, "T1": 4}},
		          "k": {"consistency": 1, "flakes": 0, "test_flakes": null},
		          "l": {"consistency": 0.9999999999999999, "flakes": 3, "test_flakes": {}},
		          "m": {"consistency": 1e-3, "flakes": 1, "test_flakes": {"Up": 56}}}`,
	}
	for ds, doc := range docs {
		fast, ok := parseFast(ds, []byte(doc), nil)
		if !ok {
			t.Fatalf("%s: fast path refused a good document", ds)
		}
		ordered, err := parseOrdered(ds, []byte(doc), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(fast, ordered) {
			t.Errorf("%s:\nfast    %+v\nordered %+v", ds, fast, ordered)
		}
	}
}
