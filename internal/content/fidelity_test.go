package content_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/sourcedoc"
)

// Headings that split the source document into its two reports.
const (
	flakesHeading  = "Kubernetes CI Flakes — Triage Report"
	runbookHeading = "K8s CI Triage Report Generator"
)

// fidelityNotRefs lists exact tokens the extraction regular expressions pick up that are not
// references at all, keyed by kind, each with the reason. Keep it short and exact: anything
// that really is a reference must be carried by the content instead.
var fidelityNotRefs = map[string]map[string]string{
	"PR/issue reference": {
		// Flakes report, "Sub-pattern I.6 — Always-failing scored consistent (broader than #2)":
		// #2 is the report's own section 2 (Misclassifications), not an issue.
		"#2": "section number of the report, not an issue",
	},
	"commit SHA": {},
	"file:line":  {},
	"build ID":   {},
	"job name":   {},
}

// fidelitySourceFixups are exact repairs of the source text made before extraction, where the
// gist's rendering glued two cells together; each keeps both references checkable.
var fidelitySourceFixups = []struct{ from, to, why string }{
	{
		"pull-azuredisk-csi-driver-unitnodeserver_test.go:307",
		"pull-azuredisk-csi-driver-unit nodeserver_test.go:307",
		"flakes J.2b: the job pull-azuredisk-csi-driver-unit and the file nodeserver_test.go:307 lost the space between them",
	},
}

// fidelityFileAliases maps a file name the report writes in shorthand to the path it means, where
// the shorthand is not a suffix of the real path.
var fidelityFileAliases = map[string]string{
	// Flakes Tier 12: "flakes-config.yaml:18 (and daily.yaml:18)"; the sibling file in
	// test-infra's metrics/configs is flakes-daily-config.yaml.
	"daily.yaml": "metrics/configs/flakes-daily-config.yaml",
}

var (
	// prefix{a#1, b#2}: a brace list of references sharing a prefix ("external-{health-monitor#356, snapshot-metadata#241}").
	fidRefBraceRe = regexp.MustCompile(`([A-Za-z0-9_.-]+)\{([^{}\n]*#[^{}\n]*)\}`)
	// A module-cache directory in a Go path ("cluster-api/test@v1.13.1/framework/…").
	fidModCacheRe = regexp.MustCompile(`^.*@v[0-9][^/]*/`)
	// alias#N, owner/repo#N or bare #N. The character before must not continue a word or URL.
	fidRefRe = regexp.MustCompile(`(?:^|[^A-Za-z0-9_./#-])((?:[A-Za-z0-9][A-Za-z0-9_.-]*/)?[A-Za-z0-9][A-Za-z0-9_.-]*)?#([0-9]+)\b`)
	// A SHA after "commit(s)", "cherry-pick(ed)" or "@", or listed in parentheses after one of them.
	fidCommitCtxRe = regexp.MustCompile(`(?i)(?:\bcommits?|\bcherry-pick(?:ed|s)?(?: of)?)[\s(]+([0-9a-f]{7,40}(?:,\s*[0-9a-f]{7,40})*)\b`)
	fidAtSHARe     = regexp.MustCompile(`@([0-9a-f]{7,40})\b`)
	// Pragmatic: a free-standing hex token of 9–12 characters.
	fidHexRe = regexp.MustCompile(`[0-9a-f]{9,12}`)
	// path.ext:N, :N-M, :N,M (the path may carry directories, or none).
	fidFileRe  = regexp.MustCompile(`((?:[A-Za-z0-9_.@+-]+/)*[A-Za-z0-9_.@+-]*\.[A-Za-z][A-Za-z0-9]*):([0-9]+)(?:(?:-|,\s?)[0-9]+)*`)
	fidBuildRe = regexp.MustCompile(`(?:^|[^0-9])(205[0-9]{16})(?:[^0-9]|$)`)
	// Job names, globs and brace lists kept as written (nothing is expanded).
	fidJobRe = regexp.MustCompile(`(?:^|[^A-Za-z0-9_./:-])((?:pr:pull-|ci-|pull-|e2e-|periodic-|post-|canary-)(?:[A-Za-z0-9_.*-]|\{[A-Za-z0-9_.,*-]*\})*)`)
)

func isHexWordChar(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || strings.IndexByte("_-./:@+", b) >= 0
}

func hasDigitAndHexLetter(s string) bool {
	return strings.ContainsAny(s, "0123456789") && strings.ContainsAny(s, "abcdef")
}

// splitSource finds where the flakes report and the runbook start (0-based line indexes).
func splitSource(t *testing.T, srcPath string, lines []string) (flakesAt, runbookAt int) {
	t.Helper()
	flakesAt, runbookAt = -1, -1
	for i, l := range lines {
		if flakesAt < 0 && strings.HasPrefix(l, flakesHeading) {
			flakesAt = i
		}
		if runbookAt < 0 && strings.HasPrefix(l, runbookHeading) {
			runbookAt = i
		}
	}
	if flakesAt < 0 || runbookAt < flakesAt {
		t.Fatalf("%s: cannot split: heading %q at line %d, %q at line %d", srcPath, flakesHeading, flakesAt+1, runbookHeading, runbookAt+1)
	}
	return flakesAt, runbookAt
}

// findFidelitySource looks for the source document above the test's working directory; in
// CI a missing one fails the test (sourcedoc.Find).
func findFidelitySource(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return sourcedoc.Find(t, wd)
}

// fidItem is one thing a report's text cites.
type fidItem struct {
	kind  string
	token string // as shown in the failure message
}

// reportContent is everything the content carries for one report.
type reportContent struct {
	refs       map[string]bool // owner/repo#N
	numbers    map[int]bool    // N under any repository
	shas       []string
	files      []citation.Ref
	builds     map[string]bool // build IDs from build citations
	raw        string          // the report's and its patterns' YAML files, concatenated
	jobs       map[string]bool // structured job names and job-like tokens in the raw YAML
	unresolved []string
}

// TestFidelityToSourceReports extracts every PR/issue reference, commit SHA, file:line, build ID
// and job name from each source report and checks that the content carries it for that report:
// in citations owned by the report or by a pattern it lists, or (jobs and build IDs) in those
// files' structured fields and raw YAML text.
func TestFidelityToSourceReports(t *testing.T) {
	srcPath := findFidelitySource(t)
	data, err := os.ReadFile(srcPath)
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	lines := strings.Split(src, "\n")
	flakesAt, runbookAt := splitSource(t, srcPath, lines)
	sections := map[string]string{
		"failures": strings.Join(lines[:flakesAt], "\n"),
		"flakes":   strings.Join(lines[flakesAt:runbookAt], "\n"),
	}

	const contentDir = "../../content"
	tree, err := content.Load(os.DirFS(contentDir), "content")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}

	for _, dataset := range []string{"failures", "flakes"} {
		var report *content.Report
		for _, r := range tree.Reports {
			if r.Dataset == dataset && r.Date == "2026-05-10" {
				report = r
			}
		}
		if report == nil {
			t.Errorf("%s report: no content/reports/2026-05-10-%s.yaml", dataset, dataset)
			continue
		}
		rc := collectReportContent(t, tree, report, contentDir)
		items, counts := extractFidelityItems(tree, sections[dataset])
		kinds := []string{"PR/issue reference", "commit SHA", "file:line", "build ID", "job name"}
		var summary []string
		for _, k := range kinds {
			summary = append(summary, fmt.Sprintf("%s %d", k, counts[k]))
		}
		t.Logf("%s report: extracted %s", dataset, strings.Join(summary, ", "))

		// FIDELITY_DUMP=1 logs every extracted item, to review the extraction.
		if os.Getenv("FIDELITY_DUMP") != "" {
			for _, it := range items {
				t.Logf("%s\t%s\t%s", dataset, it.kind, it.token)
			}
		}
		missing := map[string][]string{}
		for _, it := range items {
			if !rc.has(tree, it) {
				missing[it.kind] = append(missing[it.kind], it.token)
			}
		}
		for _, k := range kinds {
			if m := missing[k]; len(m) > 0 {
				t.Errorf("%s report: %d %ss missing: %s", dataset, len(m), k, strings.Join(m, ", "))
			}
		}
	}
}

func collectReportContent(t *testing.T, tree *content.Tree, r *content.Report, contentDir string) *reportContent {
	t.Helper()
	rc := &reportContent{refs: map[string]bool{}, numbers: map[int]bool{}, builds: map[string]bool{}, jobs: map[string]bool{}}
	owners := map[string]bool{"report/" + r.ID: true}
	files := []string{filepath.Join(contentDir, "reports", r.ID+".yaml")}
	for _, rp := range r.Patterns {
		owners["pattern/"+rp.Pattern] = true
		files = append(files, filepath.Join(contentDir, "patterns", rp.Pattern+".yaml"))
		p := tree.Pattern(rp.Pattern)
		if p == nil {
			t.Errorf("report %s lists pattern %q, which does not exist", r.ID, rp.Pattern)
			continue
		}
		for _, j := range p.Jobs {
			rc.jobs[j.Name] = true
		}
		for _, sp := range p.SubPatterns {
			for _, j := range sp.Jobs {
				rc.jobs[j.Name] = true
			}
		}
	}
	for _, m := range r.Misclassified {
		for _, j := range m.Jobs {
			rc.jobs[j] = true
		}
	}
	for _, c := range tree.Citations {
		if !owners[c.Owner.String()] {
			continue
		}
		switch c.Ref.Kind {
		case citation.KindRef:
			rc.refs[c.Ref.String()] = true
			rc.numbers[c.Ref.Number] = true
		case citation.KindCommit:
			rc.shas = append(rc.shas, strings.ToLower(c.Ref.SHA))
		case citation.KindFile:
			rc.files = append(rc.files, c.Ref)
		case citation.KindBuild:
			if job, id, ok := c.Ref.Build(); ok {
				rc.builds[id] = true
				rc.jobs[job] = true
			}
		}
	}
	var raw strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Errorf("read %s: %v", f, err)
			continue
		}
		raw.Write(b)
		raw.WriteString("\n")
	}
	rc.raw = raw.String()
	for _, m := range fidJobRe.FindAllStringSubmatch(rc.raw, -1) {
		rc.jobs[trimJob(m[1])] = true
	}
	return rc
}

// trimJob strips trailing punctuation from a job-like token; a closing brace stays when it closes a
// brace list written as part of the name ("e2e-kops-staging-registry-{azure,gcp}").
func trimJob(s string) string {
	for {
		t := strings.TrimRight(s, ".,;:)]'\"`*-_")
		if strings.HasSuffix(t, "}") && strings.Count(t, "{") < strings.Count(t, "}") {
			t = t[:len(t)-1]
		}
		if t == s {
			return t
		}
		s = t
	}
}

// extractFidelityItems finds every reference in one report's text, deduplicated, in order of
// first appearance, and counts them by kind (allow-listed tokens excluded).
func extractFidelityItems(tree *content.Tree, text string) ([]fidItem, map[string]int) {
	var items []fidItem
	seen := map[string]bool{}
	counts := map[string]int{}
	add := func(kind, token string) {
		if _, skip := fidelityNotRefs[kind][token]; skip {
			return
		}
		if seen[kind+"\x00"+token] {
			return
		}
		seen[kind+"\x00"+token] = true
		counts[kind]++
		items = append(items, fidItem{kind, token})
	}

	for _, f := range fidelitySourceFixups {
		text = strings.ReplaceAll(text, f.from, f.to)
	}

	refText := fidRefBraceRe.ReplaceAllStringFunc(text, func(s string) string {
		m := fidRefBraceRe.FindStringSubmatch(s)
		var parts []string
		for _, p := range strings.Split(m[2], ",") {
			parts = append(parts, m[1]+strings.TrimSpace(p))
		}
		return strings.Join(parts, ", ")
	})
	for _, m := range fidRefRe.FindAllStringSubmatch(refText, -1) {
		name := m[1]
		// Prose glued to a repository ("green post-kops#18296"): drop leading words until the rest resolves.
		for n := name; !strings.Contains(n, "/"); {
			if _, ok := tree.Resolve(n); ok {
				name = n
				break
			}
			_, rest, ok := strings.Cut(n, "-")
			if !ok {
				break
			}
			n = rest
		}
		add("PR/issue reference", name+"#"+m[2])
	}

	for _, m := range fidCommitCtxRe.FindAllStringSubmatch(text, -1) {
		for _, sha := range regexp.MustCompile(`[0-9a-f]{7,40}`).FindAllString(m[1], -1) {
			if strings.ContainsAny(sha, "abcdef") {
				add("commit SHA", sha)
			}
		}
	}
	for _, m := range fidAtSHARe.FindAllStringSubmatch(text, -1) {
		if hasDigitAndHexLetter(m[1]) {
			add("commit SHA", m[1])
		}
	}
	for _, loc := range fidHexRe.FindAllStringIndex(text, -1) {
		a, b := loc[0], loc[1]
		if a > 0 && isHexWordChar(text[a-1]) || b < len(text) && isHexWordChar(text[b]) && !(text[b] == '.' && (b+1 == len(text) || !isHexWordChar(text[b+1]))) {
			continue // part of a longer token
		}
		if tok := text[a:b]; hasDigitAndHexLetter(tok) {
			add("commit SHA", tok)
		}
	}

	for _, m := range fidFileRe.FindAllStringSubmatch(text, -1) {
		add("file:line", m[1]+":"+m[2])
	}
	for _, m := range fidBuildRe.FindAllStringSubmatch(text, -1) {
		add("build ID", m[1])
	}
	for _, m := range fidJobRe.FindAllStringSubmatch(text, -1) {
		if j := trimJob(m[1]); len(j) >= 12 {
			add("job name", j)
		}
	}
	return items, counts
}

// has reports whether the content carries one extracted item for this report.
func (rc *reportContent) has(tree *content.Tree, it fidItem) bool {
	switch it.kind {
	case "PR/issue reference":
		name, num, _ := strings.Cut(it.token, "#")
		n, _ := strconv.Atoi(num)
		if name == "" {
			// Bare numbers are k/k, or continuations of another repository's list ("test-infra#36991, #36993").
			return rc.refs[fmt.Sprintf("kubernetes/kubernetes#%d", n)] || rc.numbers[n]
		}
		if repo, ok := tree.Resolve(name); ok {
			return rc.refs[fmt.Sprintf("%s#%d", repo, n)]
		}
		// An organisation alone ("etcd-io#21508"): the number under one of its repositories.
		for ref := range rc.refs {
			if owner, _, _ := strings.Cut(ref, "/"); strings.EqualFold(owner, name) && strings.HasSuffix(ref, "#"+num) {
				return true
			}
		}
		return false
	case "commit SHA":
		for _, s := range rc.shas {
			if strings.HasPrefix(s, it.token) || strings.HasPrefix(it.token, s) {
				return true
			}
		}
		return false
	case "file:line":
		i := strings.LastIndex(it.token, ":")
		p, ln := it.token[:i], it.token[i+1:]
		line, _ := strconv.Atoi(ln)
		p = fidModCacheRe.ReplaceAllString(p, "")
		if a, ok := fidelityFileAliases[p]; ok {
			p = a
		}
		for _, f := range rc.files {
			if !pathSuffix(f.Path, p) && !pathSuffix(p, f.Path) {
				continue
			}
			for _, r := range f.Lines {
				if r.Start == line {
					return true
				}
			}
		}
		return false
	case "build ID":
		return rc.builds[it.token] || strings.Contains(rc.raw, it.token)
	case "job name":
		if rc.jobs[it.token] {
			return true
		}
		if j, ok := strings.CutPrefix(it.token, "pr:"); ok && rc.jobs[j] {
			return true
		}
		// A brace list written as in the report is not expanded into separate checks, but it is
		// carried when the content names every job it stands for.
		if exp := expandBraces(it.token); len(exp) > 1 {
			for _, j := range exp {
				if !rc.jobs[j] {
					return false
				}
			}
			return true
		}
		return false
	}
	return false
}

// pathSuffix reports whether short is long, or a tail of long starting at a directory boundary.
func pathSuffix(long, short string) bool {
	short = strings.TrimPrefix(short, "./")
	return long == short || strings.HasSuffix(long, "/"+short)
}

// expandBraces expands a{b,c}d into abd, acd (several groups multiply).
func expandBraces(s string) []string {
	i := strings.IndexByte(s, '{')
	j := strings.IndexByte(s, '}')
	if i < 0 || j < i {
		return []string{s}
	}
	var out []string
	for _, alt := range strings.Split(s[i+1:j], ",") {
		for _, rest := range expandBraces(s[j+1:]) {
			out = append(out, s[:i]+alt+rest)
		}
	}
	return out
}
