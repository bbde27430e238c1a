package gcs

import (
	"encoding/json"
	"maps"
	"testing"
)

// TestTestedCommits reads the commit a build tested from the shapes Prow's started.json and
// finished.json have had: podutils' repos, bootstrap's repo-commit, a version's +sha.
func TestTestedCommits(t *testing.T) {
	const sha = "0123456789abcdef0123456789abcdef01234567"
	for _, c := range []struct {
		name, started, finished string
		want                    map[string]string
	}{
		{"podutils repos", `{"repos": {"kubernetes/kops": "master:` + sha + `"}}`, `{}`, map[string]string{"kubernetes/kops": sha}},
		{"a presubmit's refs are no branch commit", `{"repos": {"kubernetes/kops": "master:` + sha + `,123:abcdef0"}}`, `{}`, map[string]string{}},
		{"repo-commit of the one repository", `{"repos": {"kubernetes/kubernetes": "master"}, "repo-commit": "` + sha + `"}`, `{}`, map[string]string{"kubernetes/kubernetes": sha}},
		{"finished metadata", `{}`, `{"metadata": {"repo": "kubernetes/kubernetes", "repo-commit": "` + sha + `"}}`, map[string]string{"kubernetes/kubernetes": sha}},
		{"revision as a version", `{"repos": {"kubernetes/kubernetes": "master"}}`, `{"revision": "v1.37.0-alpha.0.123+0123456789ab"}`, map[string]string{"kubernetes/kubernetes": "0123456789ab"}},
		{"repo-commit of which repository?", `{"repos": {"kubernetes/kubernetes": "master", "kubernetes/test-infra": "master"}, "repo-commit": "` + sha + `"}`, `{}`, map[string]string{}},
		{"no repository named", `{"repo-commit": "` + sha + `"}`, `{"revision": "` + sha + `"}`, map[string]string{}},
	} {
		var st started
		var fin finished
		if err := json.Unmarshal([]byte(c.started), &st); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(c.finished), &fin); err != nil {
			t.Fatal(err)
		}
		if got := testedCommits(st, fin); !maps.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestResultOf(t *testing.T) {
	yes, no := true, false
	for _, c := range []struct {
		f    finished
		want string
	}{{finished{Result: "SUCCESS"}, "success"}, {finished{Passed: &no}, "failure"}, {finished{Passed: &yes}, "success"}, {finished{}, ""}} {
		if got := resultOf(c.f); got != c.want {
			t.Errorf("resultOf(%+v) = %q, want %q", c.f, got, c.want)
		}
	}
}
