package citation_test

import (
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
)

type aliases map[string]string

func (a aliases) Resolve(n string) (string, bool) { r, ok := a[n]; return r, ok }

func TestParseCanonical(t *testing.T) {
	res := aliases{"kubernetes/kubernetes": "kubernetes/kubernetes", "k/k": "kubernetes/kubernetes", "kops": "kubernetes/kops", "kubernetes/test-infra": "kubernetes/test-infra"}
	cases := map[string]string{
		"k/k#138584":       "kubernetes/kubernetes#138584",
		"#137671":          "kubernetes/kubernetes#137671",
		"kops@4c7f84c517c": "kubernetes/kops@4c7f84c517c",
		"kubernetes/test-infra:metrics/configs/flakes-config.yaml:35":                                  "kubernetes/test-infra:metrics/configs/flakes-config.yaml:35",
		"k/k:pkg/kubelet/kubelet_test.go:3306,3458":                                                    "kubernetes/kubernetes:pkg/kubelet/kubelet_test.go:3306,3458",
		"kops:nodeup/pkg/model/containerd.go:391-401, 420":                                             "kubernetes/kops:nodeup/pkg/model/containerd.go:391-401,420",
		"https://prow.k8s.io/view/gs/kubernetes-ci-logs/logs/job/2053226169234362368":                  "gs://kubernetes-ci-logs/logs/job/2053226169234362368",
		"https://storage.googleapis.com/kubernetes-ci-logs/logs/job/2053226169234362368/build-log.txt": "gs://kubernetes-ci-logs/logs/job/2053226169234362368/build-log.txt",
	}
	for in, want := range cases {
		ref, err := citation.Parse(in)
		if err != nil {
			t.Errorf("Parse(%q): %v", in, err)
			continue
		}
		ref, err = ref.Resolve(res, "kubernetes/kubernetes")
		if err != nil || ref.String() != want {
			t.Errorf("%q → %q (%v), want %q", in, ref.String(), err, want)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	for _, in := range []string{"k/k#0", "k/k:file:12", "k/k:a.go:9-3", "k/k@xyz1234", "just words", "https://example.com/a#1",
		"k/k#99999999999999999999", "k/k:a.go:99999999999999999999", "k/k:a.go:1-99999999999999999999", "k/k:a.go:1073741825"} {
		if _, err := citation.Parse(in); err == nil {
			t.Errorf("Parse(%q) accepted", in)
		}
	}
}

func TestBuildJobAndID(t *testing.T) {
	ref, _ := citation.Parse("gs://kubernetes-ci-logs/pr-logs/directory/pull-kubernetes-e2e-ec2/2052555605717028864")
	job, id, ok := ref.Build()
	if !ok || job != "pull-kubernetes-e2e-ec2" || id != "2052555605717028864" {
		t.Errorf("Build() = %q %q %v", job, id, ok)
	}
}

func TestResolveNeedsDefaultForBare(t *testing.T) {
	ref, _ := citation.Parse("#5")
	if _, err := ref.Resolve(aliases{}, ""); err == nil {
		t.Error("a bare #5 resolved with no default repository")
	}
	ref, _ = citation.Parse("nope#5")
	if _, err := ref.Resolve(aliases{}, "x/y"); err == nil {
		t.Error("an unknown alias resolved")
	}
}

func TestParseRefusesOverflowingLines(t *testing.T) {
	_, err := citation.Parse("k/k:a.go:9223372036854775808")
	want := `citation "k/k:a.go:9223372036854775808": line number 9223372036854775808 is past 1073741824, the largest a citation may name`
	if err == nil || err.Error() != want {
		t.Errorf("Parse: %v\nwant %s", err, want)
	}
}

// FuzzParse holds Parse to never panicking, and to giving back what it read: a citation in
// canonical form parses to itself.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"k/k#138584", "#137671", "kops@4c7f84c517c", "k/k:pkg/a_test.go:3306,3458", "kops:a/b.go:391-401, 420",
		"gs://kubernetes-ci-logs/logs/job/2053226169234362368", "https://prow.k8s.io/view/gs/b/logs/j/1234567", "k/k:a.go:99999999999999999999", "just words"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ref, err := citation.Parse(s)
		if err != nil {
			if len(err.Error()) > 400 {
				t.Errorf("error quotes too much (%d bytes): %.80s…", len(err.Error()), err)
			}
			return
		}
		again, err := citation.Parse(ref.String())
		if err != nil {
			t.Fatalf("Parse(%q) = %q, which does not parse: %v", s, ref.String(), err)
		}
		if again.String() != ref.String() {
			t.Errorf("Parse(%q) = %q, which parses to %q", s, ref.String(), again.String())
		}
	})
}
