// Package citation parses the citation grammar shared by content loading, verification and prose rendering.
package citation

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Kind says what a citation points at.
type Kind int

const (
	// KindRef is a PR or an issue: the grammar cannot tell them apart, a claim or GitHub can.
	KindRef Kind = iota + 1
	KindCommit
	KindFile
	KindBuild
)

func (k Kind) String() string {
	switch k {
	case KindRef:
		return "ref"
	case KindCommit:
		return "commit"
	case KindFile:
		return "file"
	case KindBuild:
		return "build"
	}
	return "unknown"
}

// LineRange is an inclusive range of 1-based line numbers; a single line has Start == End.
type LineRange struct{ Start, End int }

func (r LineRange) String() string {
	if r.Start == r.End {
		return strconv.Itoa(r.Start)
	}
	return fmt.Sprintf("%d-%d", r.Start, r.End)
}

// Ref is one parsed citation. Repo is as written (an alias or owner/repo, empty for a bare #N)
// until Resolve replaces it with the full owner/repo.
type Ref struct {
	Kind   Kind
	Repo   string
	Number int         // KindRef
	SHA    string      // KindCommit
	Path   string      // KindFile
	Lines  []LineRange // KindFile
	Bucket string      // KindBuild
	Object string      // KindBuild: the object path, without a trailing slash
}

// String gives the citation in canonical grammar.
func (r Ref) String() string {
	switch r.Kind {
	case KindRef:
		return r.Repo + "#" + strconv.Itoa(r.Number)
	case KindCommit:
		return r.Repo + "@" + r.SHA
	case KindFile:
		parts := make([]string, len(r.Lines))
		for i, l := range r.Lines {
			parts[i] = l.String()
		}
		return r.Repo + ":" + r.Path + ":" + strings.Join(parts, ",")
	case KindBuild:
		return "gs://" + r.Bucket + "/" + r.Object
	}
	return ""
}

// Short is the display form with an alias in place of the repository, e.g. "k/k#138584".
func (r Ref) Short(alias string) string {
	if alias == "" || r.Kind == KindBuild {
		return r.String()
	}
	c := r
	c.Repo = alias
	return c.String()
}

// URL is the public page the citation points at; a file is shown as the default branch has it now.
func (r Ref) URL() string { return r.URLAt("") }

// URLAt is URL with a file shown at a revision (a commit SHA), as it stood when it was read;
// rev "" is the default branch now. Other kinds ignore rev.
func (r Ref) URLAt(rev string) string {
	if rev == "" {
		rev = "HEAD"
	}
	switch r.Kind {
	case KindRef:
		// GitHub redirects /issues/N to /pull/N when N is a PR.
		return "https://github.com/" + r.Repo + "/issues/" + strconv.Itoa(r.Number)
	case KindCommit:
		return "https://github.com/" + r.Repo + "/commit/" + r.SHA
	case KindFile:
		u := "https://github.com/" + r.Repo + "/blob/" + rev + "/" + r.Path
		if len(r.Lines) > 0 {
			u += "#L" + strconv.Itoa(r.Lines[0].Start)
			if r.Lines[0].End != r.Lines[0].Start {
				u += "-L" + strconv.Itoa(r.Lines[0].End)
			}
		}
		return u
	case KindBuild:
		return "https://prow.k8s.io/view/gs/" + r.Bucket + "/" + r.Object
	}
	return ""
}

// Build returns the job name and build ID in a build address laid out as Prow lays out
// its logs (…/<job>/<id>[/file]).
func (r Ref) Build() (job, id string, ok bool) {
	if r.Kind != KindBuild {
		return "", "", false
	}
	segs := strings.Split(r.Object, "/")
	for i := len(segs) - 1; i >= 1; i-- {
		if isDigits(segs[i]) && len(segs[i]) >= 6 {
			return segs[i-1], segs[i], true
		}
	}
	return "", "", false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

const repoPat = `[A-Za-z0-9][A-Za-z0-9_.-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?`

var (
	refRe    = regexp.MustCompile(`^(` + repoPat + `)?#([0-9]+)$`)
	commitRe = regexp.MustCompile(`^(` + repoPat + `)@([0-9a-f]{7,40})$`)
	fileRe   = regexp.MustCompile(`^(` + repoPat + `):([A-Za-z0-9_.][A-Za-z0-9_./+@-]*):([0-9]+(?:-[0-9]+)?(?:, ?[0-9]+(?:-[0-9]+)?)*)$`)
	buildRe  = regexp.MustCompile(`^(?:gs://|https?://storage\.googleapis\.com/|https?://prow\.k8s\.io/view/gs/)([a-z0-9][a-z0-9._-]*)/(\S+?)/?$`)
)

// Parse parses one whole citation. It does not resolve aliases.
func Parse(s string) (Ref, error) {
	s = strings.TrimSpace(s)
	if m := buildRe.FindStringSubmatch(s); m != nil {
		// Every trailing slash goes, so that the canonical form reads back as itself.
		object := strings.TrimRight(m[2], "/")
		if object == "" {
			return Ref{}, fmt.Errorf("citation %s: names a bucket but no object", quoted(s))
		}
		return Ref{Kind: KindBuild, Bucket: m[1], Object: object}, nil
	}
	if m := refRe.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[2])
		if err != nil || n <= 0 {
			return Ref{}, fmt.Errorf("citation %s: number out of range", quoted(s))
		}
		return Ref{Kind: KindRef, Repo: m[1], Number: n}, nil
	}
	if m := commitRe.FindStringSubmatch(s); m != nil {
		return Ref{Kind: KindCommit, Repo: m[1], SHA: m[2]}, nil
	}
	if m := fileRe.FindStringSubmatch(s); m != nil {
		if !strings.ContainsAny(m[2], "./") {
			return Ref{}, fmt.Errorf("citation %s: %s does not look like a file path", quoted(s), quoted(m[2]))
		}
		lines, err := parseLines(m[3])
		if err != nil {
			return Ref{}, fmt.Errorf("citation %s: %w", quoted(s), err)
		}
		return Ref{Kind: KindFile, Repo: m[1], Path: m[2], Lines: lines}, nil
	}
	return Ref{}, fmt.Errorf("%s is not a citation: want owner/repo#N, alias#N, alias@SHA, alias:path:LINE[-END] or a gs:// build address", quoted(s))
}

// MaxLine is the largest line number a citation may name: no source file is that long,
// and a larger number is a typo (or would overflow).
const MaxLine = 1 << 30

func parseLines(s string) ([]LineRange, error) {
	var out []LineRange
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		a, b, isRange := strings.Cut(part, "-")
		start, err := lineNumber(a)
		if err != nil {
			return nil, err
		}
		end := start
		if isRange {
			if end, err = lineNumber(b); err != nil {
				return nil, err
			}
		}
		if start < 1 || end < start {
			return nil, fmt.Errorf("line range %q is empty or reversed", part)
		}
		out = append(out, LineRange{start, end})
	}
	return out, nil
}

// ErrLineTooLarge refuses a line number past MaxLine.
var ErrLineTooLarge = errors.New("line number too large")

// lineNumber reads a line number, refusing one past MaxLine rather than clamping it.
func lineNumber(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n > MaxLine {
		if len(s) > 20 {
			s = s[:20] + "…"
		}
		return 0, lineError(s)
	}
	return n, nil
}

// lineError is ErrLineTooLarge, saying which number.
type lineError string

func (e lineError) Error() string {
	return fmt.Sprintf("line number %s is past %d, the largest a citation may name", string(e), MaxLine)
}

func (e lineError) Is(target error) bool { return target == ErrLineTooLarge }

// quoted quotes at most 60 characters of s: an error shows what was written, not a
// whole paragraph pasted into a ref by mistake.
func quoted(s string) string {
	if r := []rune(s); len(r) > 60 {
		return strconv.Quote(string(r[:60])) + "…"
	}
	return strconv.Quote(s)
}

// Resolver maps what a citation names (an alias, or owner/repo) to the full owner/repo.
type Resolver interface {
	Resolve(name string) (repo string, ok bool)
}

// Resolve returns r with Repo replaced by the full owner/repo. A bare #N takes defaultRepo.
func (r Ref) Resolve(res Resolver, defaultRepo string) (Ref, error) {
	if r.Kind == KindBuild {
		return r, nil
	}
	name := r.Repo
	if name == "" {
		if defaultRepo == "" {
			return r, fmt.Errorf("#%d names no repository and none is declared as default_repo", r.Number)
		}
		name = defaultRepo
	}
	repo, ok := res.Resolve(name)
	if !ok {
		return r, fmt.Errorf("unknown repository %q: add it (or an alias) to content/repos.yaml", name)
	}
	r.Repo = repo
	return r, nil
}
