// Package mdreport reads triage reports written as the runbook's markdown: the citations they make and the claims written around them.
package mdreport

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/citation/inline"
	"github.com/triagesite/triagesite/internal/claim"
)

// Kind is what a finding names.
type Kind string

// The kinds of finding. Jobs are reported so a reader can see them; they are not citations.
const (
	KindRef    Kind = "ref"    // a PR or an issue
	KindCommit Kind = "commit" // a commit SHA, full or abbreviated
	KindFile   Kind = "file"   // a file and its lines
	KindBuild  Kind = "build"  // a build address, or a build ID beside its job
	KindJob    Kind = "job"    // a CI job name
)

// Pos is a place in the markdown file: 1-based line, and 1-based column counted in characters.
type Pos struct {
	Line, Col int
}

// Finding is one thing the report cites, where it cites it, and what it says of it.
type Finding struct {
	Pos  Pos
	Kind Kind
	// Text is the citation as written ("kops#18238", "`new_cluster.go:514`", a URL).
	Text string
	// Ref is the citation resolved to its full repository; for a finding with a Problem it
	// holds what could be read.
	Ref citation.Ref
	// Job is the job name, for KindJob and for a build ID found beside its job.
	Job string
	// Claim is what the words around the citation assert of it: for a PR or issue its
	// state, merge time and labels, for a build a quoted log line; nothing else is read.
	Claim claim.Claim
	// Problem says why the finding cannot be checked as written ("no repository in
	// context for this file", "unknown repository \"foo\""); empty when it can be.
	Problem string

	off int // byte offset of Text in the report
}

// Options configure an extraction.
type Options struct {
	// Resolver maps aliases ("k/k", "kops", "CAPZ") to owner/repo: content/repos.yaml.
	Resolver citation.Resolver
	// DefaultRepo is the repository a bare #N or a commit with no repository in context
	// means; empty leaves them unresolved.
	DefaultRepo string
	// FileRepo is the repository a file:line with no repository in context means; empty
	// reports such files as ambiguous.
	FileRepo string
	// Bucket holds the logs of builds cited only by job and ID (default kubernetes-ci-logs).
	Bucket string
}

var (
	// GitHub page addresses for PRs, issues, commits and blobs.
	ghURLRe = regexp.MustCompile(`https://github\.com/([A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)/(pull|issues|commit|blob)/([^\s)\]>"'` + "`" + `#]+)(#L[0-9]+(?:-L[0-9]+)?)?`)
	// alias#N, owner/repo#N or bare #N, not inside a word or an address.
	refRe = regexp.MustCompile(`(?:^|[^A-Za-z0-9_./#-])((?:[A-Za-z0-9][A-Za-z0-9_.-]*/)?[A-Za-z0-9][A-Za-z0-9_.-]*)?#([0-9]+)\b`)
	// prefix{a#1, b#2}: references sharing a prefix.
	refBraceRe = regexp.MustCompile(`([A-Za-z0-9_.-]+)\{([^{}\n]*#[^{}\n]*)\}`)
	// A SHA after "commit(s)" or "cherry-pick(ed)", or a list of them in parentheses.
	commitCtxRe = regexp.MustCompile(`(?i)(?:\bcommits?|\bcherry-pick(?:ed|s)?(?: of)?)[\s(]+([0-9a-f]{7,40}(?:,\s*[0-9a-f]{7,40})*)\b`)
	shaRe       = regexp.MustCompile(`[0-9a-f]{7,40}`)
	atSHARe     = regexp.MustCompile(`(?:^|[^A-Za-z0-9_.-])(?:([A-Za-z0-9][A-Za-z0-9_.-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?))?@([0-9a-f]{7,40})\b`)
	// A free-standing hex token of 9–12 characters with a digit and a letter: an abbreviated SHA.
	hexRe = regexp.MustCompile(`[0-9a-f]{9,12}`)
	// path.ext:N, :N-M, :N,M, optionally after alias: (the path may carry directories, or none).
	fileRe = regexp.MustCompile(`(?:([A-Za-z0-9][A-Za-z0-9_.-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?):)?((?:[A-Za-z0-9_.@+-]+/)*[A-Za-z0-9_.@+-]*\.[A-Za-z][A-Za-z0-9]*):([0-9]+)((?:(?:-|,\s?)[0-9]+)*)`)
	// A Prow build ID (they start 20… and run 19 digits).
	buildIDRe = regexp.MustCompile(`(?:^|[^0-9])(20[0-9]{17})(?:[^0-9]|$)`)
	// Job names as Prow spells them.
	jobRe = regexp.MustCompile(`(?:^|[^A-Za-z0-9_./:-])((?:pr:pull-|ci-|pull-|e2e-|periodic-|post-|canary-)(?:[A-Za-z0-9_.*-]|\{[A-Za-z0-9_.,*-]*\})*)`)
	// A go module cache directory in a path ("cluster-api/test@v1.13.1/framework/…").
	modCacheRe = regexp.MustCompile(`^.*@v[0-9][^/]*/`)
)

// Extract finds every citation in a runbook-style markdown report, in order of position.
func Extract(text string, opts Options) []Finding {
	if opts.Bucket == "" {
		opts.Bucket = "kubernetes-ci-logs"
	}
	x := &extractor{text: text, opts: opts, lines: lineStarts(text), seen: map[[2]int]bool{}}
	x.urls()
	x.builds()
	x.refs()
	x.commits()
	x.files()
	x.jobs()
	sort.SliceStable(x.out, func(i, j int) bool {
		a, b := x.out[i].Pos, x.out[j].Pos
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	x.claims()
	return x.out
}

type extractor struct {
	text  string
	opts  Options
	lines []int // byte offset of each line's start
	out   []Finding
	// taken marks byte spans already read as one citation, so a URL's path is not read again as a file.
	taken [][2]int
	seen  map[[2]int]bool
}

func lineStarts(text string) []int {
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// pos converts a byte offset to a line and a character column.
func (x *extractor) pos(off int) Pos {
	i := sort.Search(len(x.lines), func(i int) bool { return x.lines[i] > off }) - 1
	return Pos{Line: i + 1, Col: utf8.RuneCountInString(x.text[x.lines[i]:off]) + 1}
}

func (x *extractor) isTaken(a, b int) bool {
	for _, t := range x.taken {
		if a < t[1] && b > t[0] {
			return true
		}
	}
	return false
}

func (x *extractor) add(off, end int, f Finding) {
	key := [2]int{off, int(kindRank(f.Kind))}
	if x.seen[key] {
		return
	}
	x.seen[key] = true
	f.Pos = x.pos(off)
	if f.Text == "" {
		f.Text = x.text[off:end]
	}
	f.off = off
	x.out = append(x.out, f)
	if f.Kind != KindJob {
		x.taken = append(x.taken, [2]int{off, end})
	}
}

func kindRank(k Kind) int {
	switch k {
	case KindRef:
		return 0
	case KindCommit:
		return 1
	case KindFile:
		return 2
	case KindBuild:
		return 3
	}
	return 4
}

// resolve gives the full owner/repo for what the text names, or a problem.
func (x *extractor) resolve(name string) (string, string) {
	if x.opts.Resolver == nil {
		if strings.Contains(name, "/") {
			return name, ""
		}
		return "", "unknown repository " + strconv.Quote(name) + ": no alias table"
	}
	if repo, ok := x.opts.Resolver.Resolve(name); ok {
		return repo, ""
	}
	if strings.Count(name, "/") == 1 {
		return name, "" // owner/repo written in full: checkable even when repos.yaml does not list it
	}
	return "", "unknown repository " + strconv.Quote(name) + ": add an alias to content/repos.yaml"
}

// urls reads GitHub page addresses and build addresses.
func (x *extractor) urls() {
	for _, m := range ghURLRe.FindAllStringSubmatchIndex(x.text, -1) {
		repo := x.text[m[2]:m[3]]
		kind := x.text[m[4]:m[5]]
		rest := x.text[m[6]:m[7]]
		f := Finding{Text: x.text[m[0]:m[1]]}
		switch kind {
		case "pull", "issues":
			num, _, _ := strings.Cut(rest, "/")
			n, err := strconv.Atoi(num)
			if err != nil || n <= 0 {
				continue
			}
			f.Kind, f.Ref = KindRef, citation.Ref{Kind: citation.KindRef, Repo: repo, Number: n}
		case "commit":
			sha := strings.ToLower(strings.TrimSuffix(rest, "/"))
			if !shaRe.MatchString(sha) || len(sha) > 40 {
				continue
			}
			f.Kind, f.Ref = KindCommit, citation.Ref{Kind: citation.KindCommit, Repo: repo, SHA: sha}
		case "blob":
			_, path, ok := strings.Cut(rest, "/") // the ref (a branch or a SHA), then the path
			if !ok || m[8] < 0 {
				continue // a file with no lines is not a file:line citation
			}
			lines, err := anchorLines(x.text[m[8]:m[9]])
			if err != nil {
				continue
			}
			f.Kind, f.Ref = KindFile, citation.Ref{Kind: citation.KindFile, Repo: repo, Path: path, Lines: lines}
		}
		x.add(m[0], m[1], f)
	}
	for _, m := range inline.Scan(x.text, false) {
		if m.Ref.Kind == citation.KindBuild {
			x.add(m.Start, m.End, Finding{Kind: KindBuild, Ref: m.Ref})
		}
	}
}

// anchorLines reads "#L10" or "#L10-L12".
func anchorLines(s string) ([]citation.LineRange, error) {
	s = strings.TrimPrefix(s, "#L")
	a, b, isRange := strings.Cut(s, "-L")
	start, err := strconv.Atoi(a)
	if err != nil {
		return nil, err
	}
	end := start
	if isRange {
		if end, err = strconv.Atoi(b); err != nil {
			return nil, err
		}
	}
	return []citation.LineRange{{Start: start, End: end}}, nil
}

// builds reads bare build IDs; one beside a job name on its line becomes that job's build address.
func (x *extractor) builds() {
	for _, m := range buildIDRe.FindAllStringSubmatchIndex(x.text, -1) {
		a, b := m[2], m[3]
		if x.isTaken(a, b) {
			continue
		}
		id := x.text[a:b]
		f := Finding{Kind: KindBuild, Text: id}
		if job := x.jobNear(a); job != "" {
			f.Job = job
			f.Ref = citation.Ref{Kind: citation.KindBuild, Bucket: x.opts.Bucket, Object: "logs/" + strings.TrimPrefix(job, "pr:") + "/" + id}
			if strings.HasPrefix(job, "pull-") || strings.HasPrefix(job, "pr:") {
				f.Problem = "a presubmit build ID without its PR number: its log path cannot be told"
			}
		} else {
			f.Problem = "a build ID with no job on its line: its log cannot be found"
		}
		x.add(a, b, f)
	}
}

// jobNear returns the job name nearest before off on the same line, else the first after it.
func (x *extractor) jobNear(off int) string {
	ls := x.lines[x.pos(off).Line-1]
	le := strings.IndexByte(x.text[off:], '\n')
	if le < 0 {
		le = len(x.text)
	} else {
		le += off
	}
	best := ""
	for _, m := range jobRe.FindAllStringSubmatchIndex(x.text[ls:le], -1) {
		j := trimJob(x.text[ls+m[2] : ls+m[3]])
		if len(j) < 12 || strings.ContainsAny(j, "*{") {
			continue
		}
		if ls+m[2] < off || best == "" {
			best = j
		}
	}
	return best
}

// refs reads PR and issue references, including brace lists and repositories glued to prose.
func (x *extractor) refs() {
	type span struct{ a, b int }
	// A brace list expands in place: each member is reported at its own number.
	var braces []span
	for _, m := range refBraceRe.FindAllStringSubmatchIndex(x.text, -1) {
		prefix := x.text[m[2]:m[3]]
		braces = append(braces, span{m[0], m[1]})
		inner := m[4]
		for _, part := range strings.Split(x.text[m[4]:m[5]], ",") {
			lead := len(part) - len(strings.TrimLeft(part, " "))
			p := strings.TrimSpace(part)
			if name, num, ok := strings.Cut(p, "#"); ok {
				x.addRef(inner+lead, inner+lead+len(p), prefix+name, num)
			}
			inner += len(part) + 1
		}
	}
	for _, m := range refRe.FindAllStringSubmatchIndex(x.text, -1) {
		a := m[4] - 1 // the '#'
		if m[2] >= 0 {
			a = m[2]
		}
		inBrace := false
		for _, s := range braces {
			inBrace = inBrace || a >= s.a && a < s.b
		}
		if inBrace || x.isTaken(a, m[5]) || isAnchorSlug(x.text[m[5]:]) {
			continue
		}
		name := ""
		if m[2] >= 0 {
			name = x.text[m[2]:m[3]]
		}
		x.addRef(a, m[5], name, x.text[m[4]:m[5]])
	}
}

// isAnchorSlug says the number runs on into a heading anchor ("#5-verifications"), not a reference.
func isAnchorSlug(rest string) bool {
	return len(rest) > 1 && rest[0] == '-' && (rest[1] >= 'a' && rest[1] <= 'z' || rest[1] >= 'A' && rest[1] <= 'Z')
}

func (x *extractor) addRef(a, b int, name, num string) {
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 {
		return
	}
	f := Finding{Kind: KindRef, Text: x.text[a:b], Ref: citation.Ref{Kind: citation.KindRef, Repo: name, Number: n}}
	if name == "" {
		// A bare number continues the list of the repository cited just before it ("test-infra#36991, #36993").
		if repo := x.repoInContext(a); repo != "" {
			f.Ref.Repo = repo
			x.add(a, b, f)
			return
		}
		if x.opts.DefaultRepo == "" {
			f.Problem = "a bare #" + num + " and no default repository (--default-repo)"
			x.add(a, b, f)
			return
		}
		name = x.opts.DefaultRepo
	}
	// Prose glued to a repository ("green post-kops#18296"): drop leading words until the rest resolves.
	repo, problem := x.resolve(name)
	for n := name; problem != "" && !strings.Contains(n, "/"); {
		_, rest, ok := strings.Cut(n, "-")
		if !ok {
			break
		}
		n = rest
		if r, p := x.resolve(n); p == "" {
			repo, problem = r, ""
			skip := len(name) - len(n)
			a += skip
			f.Text = x.text[a:b]
		}
	}
	f.Ref.Repo, f.Problem = repo, problem
	if problem != "" {
		f.Ref.Repo = name
	}
	x.add(a, b, f)
}

// commits reads SHAs named as commits, written after @, or standing alone as abbreviated SHAs.
func (x *extractor) commits() {
	for _, m := range commitCtxRe.FindAllStringSubmatchIndex(x.text, -1) {
		for _, s := range shaRe.FindAllStringIndex(x.text[m[2]:m[3]], -1) {
			a, b := m[2]+s[0], m[2]+s[1]
			if sha := x.text[a:b]; strings.ContainsAny(sha, "abcdef") {
				x.addCommit(a, b, "", sha)
			}
		}
	}
	for _, m := range atSHARe.FindAllStringSubmatchIndex(x.text, -1) {
		sha := x.text[m[4]:m[5]]
		if !hasDigitAndLetter(sha) {
			continue
		}
		name, a := "", m[4]-1
		if m[2] >= 0 {
			name, a = x.text[m[2]:m[3]], m[2]
		}
		x.addCommit(a, m[5], name, sha)
	}
	for _, loc := range hexRe.FindAllStringIndex(x.text, -1) {
		a, b := loc[0], loc[1]
		if a > 0 && isHexWordChar(x.text[a-1]) || b < len(x.text) && isHexWordChar(x.text[b]) && !(x.text[b] == '.' && (b+1 == len(x.text) || !isHexWordChar(x.text[b+1]))) {
			continue // part of a longer token
		}
		if sha := x.text[a:b]; hasDigitAndLetter(sha) {
			x.addCommit(a, b, "", sha)
		}
	}
}

func (x *extractor) addCommit(a, b int, name, sha string) {
	if x.isTaken(a, b) {
		return
	}
	f := Finding{Kind: KindCommit, Ref: citation.Ref{Kind: citation.KindCommit, SHA: sha}}
	if name != "" {
		f.Ref.Repo, f.Problem = x.resolve(name)
		if f.Problem != "" {
			f.Ref.Repo = name
		}
	} else if repo := x.repoInContext(a); repo != "" {
		f.Ref.Repo = repo
	} else if x.opts.DefaultRepo != "" {
		f.Ref.Repo, f.Problem = x.resolve(x.opts.DefaultRepo)
	} else {
		f.Problem = "a commit with no repository in context and no default repository (--default-repo)"
	}
	x.add(a, b, f)
}

// files reads file:line citations; the repository comes from an alias prefix, else from the
// repository cited last on the same line, else from Options.FileRepo.
func (x *extractor) files() {
	for _, m := range fileRe.FindAllStringSubmatchIndex(x.text, -1) {
		a, b := m[0], m[1]
		if a > 0 && (isWordByte(x.text[a-1]) || x.text[a-1] == '/' || x.text[a-1] == ':') {
			continue // inside a longer token (an address, a longer path)
		}
		if x.isTaken(a, b) {
			continue
		}
		path := x.text[m[4]:m[5]]
		if strings.HasSuffix(path, ".") || strings.Contains(path, "://") {
			continue
		}
		lines, err := fileLines(x.text[m[6]:m[7]] + x.text[m[8]:m[9]])
		if err != nil {
			continue
		}
		f := Finding{Kind: KindFile, Ref: citation.Ref{Kind: citation.KindFile, Path: modCacheRe.ReplaceAllString(path, ""), Lines: lines}}
		switch {
		case m[2] >= 0:
			name := x.text[m[2]:m[3]]
			if repo, problem := x.resolve(name); problem == "" {
				f.Ref.Repo = repo
				break
			}
			// "dir:file.go:12" is a path, not alias:path: read it whole, repository from context.
			f.Ref.Path = name + ":" + f.Ref.Path
			fallthrough
		default:
			if repo := x.repoAfter(b); repo != "" {
				f.Ref.Repo = repo
			} else if repo := x.repoInContext(a); repo != "" {
				f.Ref.Repo = repo
			} else if x.opts.FileRepo != "" {
				f.Ref.Repo = x.opts.FileRepo
			} else {
				f.Problem = "no repository in context for this file (name it: alias:path, \"(alias)\" after the path, or --file-repo)"
			}
		}
		if strings.Contains(f.Ref.Path, ":") {
			continue
		}
		x.add(a, b, f)
	}
}

func fileLines(s string) ([]citation.LineRange, error) {
	var out []citation.LineRange
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		start, err := strconv.Atoi(lo)
		if err != nil || start < 1 || len(lo) > 9 {
			return nil, strconv.ErrRange
		}
		end := start
		if isRange {
			if end, err = strconv.Atoi(hi); err != nil || end < start || len(hi) > 9 {
				return nil, strconv.ErrRange
			}
		}
		out = append(out, citation.LineRange{Start: start, End: end})
	}
	return out, nil
}

// parenRepoRe is a repository named in parentheses right after a path: "`a_test.go:12` (k/k)".
var parenRepoRe = regexp.MustCompile("^`?\\s*\\(([A-Za-z0-9][A-Za-z0-9_./-]*)\\)")

// repoAfter is the repository named in parentheses right after the citation ending at end.
func (x *extractor) repoAfter(end int) string {
	m := parenRepoRe.FindStringSubmatch(x.text[end:min(len(x.text), end+80)])
	if m == nil {
		return ""
	}
	repo, problem := x.resolve(m[1])
	if problem != "" {
		return ""
	}
	return repo
}

// repoInContext is the repository of the last resolved PR, issue or commit on the same line before off.
func (x *extractor) repoInContext(off int) string {
	line := x.pos(off).Line
	repo := ""
	for _, f := range x.out {
		if f.Pos.Line == line && f.off < off && f.Problem == "" && (f.Kind == KindRef || f.Kind == KindCommit || f.Kind == KindFile) && f.Ref.Repo != "" {
			repo = f.Ref.Repo
		}
	}
	return repo
}

// jobs reads CI job names as written (globs and brace lists are kept, not expanded).
func (x *extractor) jobs() {
	for _, m := range jobRe.FindAllStringSubmatchIndex(x.text, -1) {
		j := trimJob(x.text[m[2]:m[3]])
		if len(j) < 12 {
			continue
		}
		x.add(m[2], m[2]+len(j), Finding{Kind: KindJob, Job: j, Text: j})
	}
}

// trimJob strips trailing punctuation from a job-like token; a closing brace stays when it
// closes a brace list written as part of the name ("e2e-kops-staging-registry-{azure,gcp}").
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

func hasDigitAndLetter(s string) bool {
	return strings.ContainsAny(s, "0123456789") && strings.ContainsAny(s, "abcdef")
}

func isHexWordChar(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || strings.IndexByte("_-./:@+", b) >= 0
}

func isWordByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_' || b == '-' || b == '.'
}
