package snapshot_test

import (
	"errors"
	"testing"

	"github.com/triagesite/triagesite/internal/snapshot"
)

func TestRefusalsSayWhere(t *testing.T) {
	tests := []struct {
		name, doc string
		ds        snapshot.Dataset
		want      string // Error(), then " @ " and Where()
	}{
		{"cut short", "{\"a\": {\"failing_days\": 1},\n \"b\": {\"failing_d", snapshot.Failures,
			`snapshot: job "b": not JSON: ` + "\x00" + ` @ line 2, column 18 (byte 44)`},
		{"a bad byte", "{\"a\": {\"failing_days\": 1},\n \"b\": {\"failing_days\": x}}", snapshot.Failures,
			`snapshot: job "b": not JSON: ` + "\x00" + ` @ line 2, column 24 (byte 50)`},
		{"a wrong value", "{\"a\": {\"failing_days\": 1},\n  \"b\": {\"failing_days\": \"3\"}}", snapshot.Failures,
			`snapshot: job "b": field "failing_days": want a whole number, got the string "3" @ line 2, column 25 (byte 51)`},
		{"a job listed twice", "{\"a\": {\"failing_days\": 1},\n\"a\": {\"failing_days\": 2}}", snapshot.Failures,
			`snapshot: job "a": listed twice @ line 2, column 1 (byte 27)`},
		{"a missing field", "{\"a\":\n {\"consistency\": 1, \"flakes\": 2}}", snapshot.Flakes,
			`snapshot: job "a": field "test_flakes": missing @ line 1, column 2 (byte 1)`},
		{"a list", "\n [1]", snapshot.Failures,
			`snapshot: want an object of jobs at the top level @ line 2, column 2 (byte 2)`},
		{"data after the document", "{}\n{}", snapshot.Failures,
			`snapshot: unexpected data after the document @ line 2, column 1 (byte 3)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := snapshot.Parse(tc.ds, []byte(tc.doc))
			var se *snapshot.ShapeError
			if !errors.As(err, &se) {
				t.Fatalf("Parse: %v, want a ShapeError", err)
			}
			got := se.Error() + " @ " + se.Where()
			if !matches(got, tc.want) {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// matches compares got with want, where a NUL in want stands for any text (a parser's wording).
func matches(got, want string) bool {
	for i := 0; ; i++ {
		if i == len(want) {
			return i == len(got)
		}
		if want[i] == 0 {
			rest := want[i+1:]
			for j := i; j <= len(got); j++ {
				if matches(got[j:], rest) {
					return true
				}
			}
			return false
		}
		if i == len(got) || got[i] != want[i] {
			return false
		}
	}
}
