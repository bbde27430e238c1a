package content_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/mdreport"
)

// TestAuditFindsFidelityItems holds `triagesite audit`'s extractor to the fidelity test: every PR,
// issue, commit, file:line, build ID and job name the fidelity test extracts from a source report
// is found by mdreport.Extract on a line where the report writes it.
func TestAuditFindsFidelityItems(t *testing.T) {
	data, err := os.ReadFile(findFidelitySource(t))
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	for _, f := range fidelitySourceFixups {
		src = strings.ReplaceAll(src, f.from, f.to)
	}
	tree, err := content.Load(os.DirFS("../../content"), "content")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(src, "\n")
	flakesAt, runbookAt := splitSource(t, "source document", lines)
	findings := mdreport.Extract(src, mdreport.Options{Resolver: tree, DefaultRepo: "k/k"})
	byLine := map[int][]mdreport.Finding{}
	for _, f := range findings {
		byLine[f.Pos.Line] = append(byLine[f.Pos.Line], f)
	}
	for _, sec := range []struct {
		name     string
		from, to int
	}{{"failures", 0, flakesAt}, {"flakes", flakesAt, runbookAt}} {
		items, _ := extractFidelityItems(tree, strings.Join(lines[sec.from:sec.to], "\n"))
		for _, it := range items {
			key := fidKeyText(it)
			found, written := false, false
			for i := sec.from; i < sec.to && !found; i++ {
				if !strings.Contains(lines[i], key) {
					continue
				}
				written = true
				for _, f := range byLine[i+1] {
					if fidMatches(it, f) {
						found = true
						break
					}
				}
			}
			if !written {
				t.Errorf("%s: %s %q: the test cannot find the line that writes it (key %q)", sec.name, it.kind, it.token, key)
			} else if !found {
				t.Errorf("%s: audit misses %s %s on every line that writes it", sec.name, it.kind, it.token)
			}
		}
	}
}

// fidKeyText is the part of an extracted item that stands in the report's text as written.
func fidKeyText(it fidItem) string {
	if it.kind == "PR/issue reference" {
		_, num, _ := strings.Cut(it.token, "#")
		return "#" + num
	}
	return it.token
}

func fidMatches(it fidItem, f mdreport.Finding) bool {
	switch it.kind {
	case "PR/issue reference":
		_, num, _ := strings.Cut(it.token, "#")
		return f.Kind == mdreport.KindRef && strconv.Itoa(f.Ref.Number) == num
	case "commit SHA":
		return f.Kind == mdreport.KindCommit && (strings.HasPrefix(f.Ref.SHA, it.token) || strings.HasPrefix(it.token, f.Ref.SHA))
	case "file:line":
		i := strings.LastIndex(it.token, ":")
		p := fidModCacheRe.ReplaceAllString(it.token[:i], "")
		line, _ := strconv.Atoi(it.token[i+1:])
		return f.Kind == mdreport.KindFile && (pathSuffix(f.Ref.Path, p) || pathSuffix(p, f.Ref.Path)) && len(f.Ref.Lines) > 0 && f.Ref.Lines[0].Start == line
	case "build ID":
		return f.Kind == mdreport.KindBuild && (f.Text == it.token || strings.Contains(f.Ref.Object, it.token))
	case "job name":
		return f.Kind == mdreport.KindJob && f.Job == it.token
	}
	return false
}
