package markdown_test

import (
	"flag"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/markdown"
)

var update = flag.Bool("update", false, "rewrite the expected output of the fixtures")

type aliases map[string]string

func (a aliases) Resolve(name string) (string, bool) {
	if r, ok := a[name]; ok {
		return r, true
	}
	if strings.Count(name, "/") == 1 {
		return name, true
	}
	return "", false
}

type fixture struct{ title, input, want string }

const (
	caseSep   = "//= = = = = = = = = = = = = = = = = = = = = = = =//"
	sectionSp = "//- - - - - - - - -//"
)

func readFixtures(t *testing.T, path string) []fixture {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []fixture
	for _, c := range strings.Split(string(data), caseSep+"\n") {
		parts := strings.Split(c, sectionSp+"\n")
		if len(parts) != 3 {
			continue
		}
		out = append(out, fixture{strings.TrimSpace(parts[0]), parts[1], parts[2]})
	}
	return out
}

func writeFixtures(t *testing.T, path string, fs []fixture) {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.title + "\n" + sectionSp + "\n" + f.input + sectionSp + "\n" + f.want + caseSep + "\n\n")
	}
	if err := os.WriteFile(path, []byte(strings.TrimSuffix(b.String(), "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCitationFixtures pins the extension's behaviour, goldmark style: every citation form,
// and the near misses that must stay plain text. Run with -update to rewrite expectations.
func TestCitationFixtures(t *testing.T) {
	const path = "testdata/citations.txt"
	r := markdown.New(markdown.WithResolver(aliases{"k/k": "kubernetes/kubernetes", "kops": "kubernetes/kops"}))
	fixtures := readFixtures(t, path)
	if len(fixtures) < 7 {
		t.Fatalf("read %d fixtures from %s", len(fixtures), path)
	}
	for i, f := range fixtures {
		got := r.Block(f.input, "kubernetes/kubernetes")
		if *update {
			fixtures[i].want = got
			continue
		}
		if got != f.want {
			t.Errorf("%s\n got: %s\nwant: %s", f.title, got, f.want)
		}
	}
	if *update {
		writeFixtures(t, path, fixtures)
	}
}

// TestRefPageFixtures pins how a citation links to the site's own page about it: the cited
// text keeps its GitHub link and the status badge links to the ref page, relative to the
// page rendered into. The fake evidence gives #N the status statuses[N%5]; files and builds
// have no ref page, so their badge is no link. Run with -update to rewrite expectations.
func TestRefPageFixtures(t *testing.T) {
	const path = "testdata/ref-pages.txt"
	statuses := []string{"verified", "contradicted", "missing", "unverifiable", "error"}
	r := markdown.New(
		markdown.WithResolver(aliases{"k/k": "kubernetes/kubernetes", "kops": "kubernetes/kops"}),
		markdown.WithDecorator(func(ref citation.Ref) markdown.Decoration {
			d := markdown.Decoration{Href: ref.URL(), Status: "unverifiable"}
			switch ref.Kind {
			case citation.KindRef:
				d.Status = statuses[ref.Number%5]
				d.Page = "refs/" + strings.ReplaceAll(ref.Repo, "/", "-") + "-" + strconv.Itoa(ref.Number) + ".html"
			case citation.KindCommit:
				d.Page = "refs/" + strings.ReplaceAll(ref.Repo, "/", "-") + "-commit-" + ref.SHA + ".html"
			}
			d.Title = d.Status + ": " + ref.String() + " — <recorded> \"message\""
			return d
		}),
	)
	fixtures := readFixtures(t, path)
	if len(fixtures) < 3 {
		t.Fatalf("read %d fixtures from %s", len(fixtures), path)
	}
	for i, f := range fixtures {
		root := ""
		if strings.Contains(f.title, "nested") {
			root = "../"
		}
		got := r.BlockAt(f.input, "kubernetes/kubernetes", root)
		if *update {
			fixtures[i].want = got
			continue
		}
		if got != f.want {
			t.Errorf("%s\n got: %s\nwant: %s", f.title, got, f.want)
		}
	}
	if *update {
		writeFixtures(t, path, fixtures)
	}
}

func TestBareNumberNeedsDefaultRepo(t *testing.T) {
	r := markdown.New(markdown.WithResolver(aliases{}))
	if got := r.Inline("Tier #1 is first.", ""); got != "Tier #1 is first." {
		t.Errorf("bare #1 without a default repo became %q", got)
	}
}
