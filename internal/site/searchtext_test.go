package site

import (
	"reflect"
	"testing"
)

var wordCases = []string{
	"", "abc", "abcd", "ab1", "12abcd", "a_b9 x", "__init__ and __x", "kube-proxy's TestEtcdPath",
	"é café naïve façade", "x\xffabcd", "ci-kubernetes-e2e-gce 9abc_d q2w3e4", "`code span` and “quoted text”",
}

// TestEachWordIsTheRegexp holds eachWord to the regexp it stands in for.
func TestEachWordIsTheRegexp(t *testing.T) {
	for _, s := range wordCases {
		checkEachWord(t, s)
	}
}

func FuzzEachWord(f *testing.F) {
	for _, s := range wordCases {
		f.Add(s)
	}
	f.Fuzz(checkEachWord)
}

func checkEachWord(t *testing.T, s string) {
	var got []string
	eachWord(s, func(w string) { got = append(got, w) })
	if want := word.FindAllString(s, -1); !reflect.DeepEqual(got, want) {
		t.Errorf("eachWord(%q) = %q, want %q", s, got, want)
	}
}
