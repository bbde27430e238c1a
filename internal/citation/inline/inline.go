// Package inline finds the citations written inline in prose. The loader reads prose with it
// once, into the tree's citation index, and the renderers of prose with it as they write;
// every other stage reads the index.
package inline

import (
	"errors"
	"strings"

	"github.com/triagesite/triagesite/internal/citation"
)

// Match is a citation found in prose: text[Start:End] parses as Ref.
type Match struct {
	Start, End int
	Ref        citation.Ref
}

// Scan finds the citations in prose. A bare #N counts only when allowBare is set, that is
// where a default repository is declared; everything else that merely resembles a
// citation (a URL, a time of day, a version tag) stays text.
func Scan(text string, allowBare bool) []Match {
	return scan(text, allowBare, nil)
}

// Refusal is a file citation in prose refused for its line number, which is past MaxLine:
// it is not a citation, and should not pass for plain text either.
type Refusal struct {
	Start, End int
	Err        error
}

// ScanRefusals is Scan, and also finds the file citations in prose whose line number is
// too large, in one pass.
func ScanRefusals(text string, allowBare bool) ([]Match, []Refusal) {
	var refused []Refusal
	return scan(text, allowBare, &refused), refused
}

// scan is Scan; when refused is not nil, it also collects candidates refused for their line
// numbers.
func scan(text string, allowBare bool, refused *[]Refusal) []Match {
	// Scan gives exactly what this regexp (repo standing for repoPat) gave, searched
	// leftmost-first and retried one byte after each candidate that accept refused;
	// scanRegexp in the tests keeps it as the oracle:
	//
	//	(?:gs://|https?://storage\.googleapis\.com/|https?://prow\.k8s\.io/view/gs/)[^\s<>()\[\]"'`]+
	//	|repo:[A-Za-z0-9_.][A-Za-z0-9_./+@-]*:[0-9]+(?:-[0-9]+)?(?:, ?[0-9]+(?:-[0-9]+)?)*
	//	|repo@[0-9a-f]{7,40}
	//	|(?:repo)?#[0-9]+
	//
	// The regexp took ~4 s of a 45 s site build: after each refused candidate (a time of
	// day, say) its search ran on to the end of the text. Every form has '#', '@' or
	// ':' right after its leading run of name bytes (for a build address, the ':' of
	// "://"), so the scanner looks only at those anchors.
	var out []Match
	for i := 0; i < len(text); {
		k := strings.IndexAny(text[i:], "#@:")
		if k < 0 {
			break
		}
		a := i + k
		if s, e, ok := candidate(text, i, a); ok {
			e = trimTrailing(text, s, e)
			m, ok, err := accept(text, s, e, allowBare)
			if ok {
				out = append(out, m)
				i = e
				continue
			}
			if refused != nil && errors.Is(err, citation.ErrLineTooLarge) {
				*refused = append(*refused, Refusal{s, e, err})
			}
		}
		// The regexp would retry one byte after the candidate's start, but every start
		// from there up to a follows a name byte, which accept refuses.
		i = a + 1
	}
	return out
}

// candidate returns the regexp's match, at or after from, whose first anchor is at a,
// if accept could take it. The regexp looks at nothing before a match, so whether a
// match starts at s depends on text[s:] alone; and accept refuses any s that follows a
// word byte. Of the starts before a that leaves one: where the run of name bytes ending
// at a begins. Every later start in the run, a bare #N at a included, follows a name
// byte.
func candidate(text string, from, a int) (s, e int, ok bool) {
	s = a
	for s > from && isNameByte(text[s-1]) {
		s--
	}
	if s > 0 && isWordByte(text[s-1]) {
		return 0, 0, false
	}
	if s == a {
		return bareRefAt(text, a)
	}
	// The regexp tries a build address first; where one fits, no other form can.
	if e, ok := buildEnd(text, s, a); ok {
		return s, e, true
	}
	if !isRepo(text[s:a]) {
		return 0, 0, false
	}
	switch text[a] {
	case ':':
		e, ok = fileEnd(text, a+1)
	case '@':
		e, ok = commitEnd(text, a+1)
	case '#':
		e = digitsEnd(text, a+1)
		ok = e > a+1
	}
	return s, e, ok
}

func bareRefAt(text string, a int) (s, e int, ok bool) {
	if text[a] != '#' {
		return 0, 0, false
	}
	e = digitsEnd(text, a+1)
	return a, e, e > a+1
}

// buildPrefixes are the build forms' prefixes. None is a prefix of another, so at most
// one applies.
var buildPrefixes = []string{
	"gs://",
	"http://storage.googleapis.com/",
	"https://storage.googleapis.com/",
	"http://prow.k8s.io/view/gs/",
	"https://prow.k8s.io/view/gs/",
}

// buildEnd ends a build address whose scheme is text[s:a]: a prefix, then as many
// bytes as are not white space, brackets or quotes, at least one.
func buildEnd(text string, s, a int) (int, bool) {
	// Most anchors are a ':' in prose; the scheme rules them out before any prefix is compared.
	switch text[s:a] {
	case "gs", "http", "https":
	default:
		return 0, false
	}
	for _, p := range buildPrefixes {
		if strings.HasPrefix(text[s:], p) {
			start := s + len(p)
			e := start
			for e < len(text) && !endsURL(text[e]) {
				e++
			}
			return e, e > start
		}
	}
	return 0, false
}

// endsURL is the regexp's [\s<>()\[\]"'`]. Its \s is ASCII only and has no \v; every
// byte of a multi-byte or invalid UTF-8 sequence counts as part of the address.
func endsURL(c byte) bool {
	switch c {
	case '\t', '\n', '\f', '\r', ' ', '<', '>', '(', ')', '[', ']', '"', '\'', '`':
		return true
	}
	return false
}

// isRepo reports whether a run of name bytes is all of repoPat: one or two segments,
// each starting with a letter or digit.
func isRepo(name string) bool {
	owner, repo, two := strings.Cut(name, "/")
	if !two {
		return startsAlnum(owner)
	}
	return startsAlnum(owner) && startsAlnum(repo) && !strings.Contains(repo, "/")
}

func startsAlnum(s string) bool { return s != "" && isAlnum(s[0]) }

// fileEnd ends the file form's "path:LINES" at p, just after the repository's ':'.
// The path cannot hold a ':', so the first ':' after it is the one before the lines.
func fileEnd(text string, p int) (int, bool) {
	if p >= len(text) || !isPathStart(text[p]) {
		return 0, false
	}
	p++
	for p < len(text) && isPathByte(text[p]) {
		p++
	}
	if p >= len(text) || text[p] != ':' {
		return 0, false
	}
	e, ok := linesEnd(text, p+1)
	if !ok {
		return 0, false
	}
	// More ranges after ", " or ","; a comma not followed by one is left out.
	for e < len(text) && text[e] == ',' {
		q := e + 1
		if q < len(text) && text[q] == ' ' {
			q++
		}
		next, ok := linesEnd(text, q)
		if !ok {
			break
		}
		e = next
	}
	return e, true
}

// linesEnd ends N or N-M at p; a '-' with no digits after it is left out.
func linesEnd(text string, p int) (int, bool) {
	e := digitsEnd(text, p)
	if e == p {
		return 0, false
	}
	if e < len(text) && text[e] == '-' {
		if f := digitsEnd(text, e+1); f > e+1 {
			e = f
		}
	}
	return e, true
}

// commitEnd ends a SHA at p: 7 to 40 lower-case hex digits, as many as there are up to
// 40, the rest left for accept to refuse.
func commitEnd(text string, p int) (int, bool) {
	e := p
	for e < len(text) && e-p < 40 && isLowerHex(text[e]) {
		e++
	}
	return e, e-p >= 7
}

func digitsEnd(text string, p int) int {
	for p < len(text) && isDigit(text[p]) {
		p++
	}
	return p
}

func trimTrailing(text string, s, e int) int {
	for e > s {
		switch text[e-1] {
		case '.', ',', ';', ':', ')', '!', '?':
			e--
			continue
		}
		break
	}
	return e
}

func accept(text string, s, e int, allowBare bool) (Match, bool, error) {
	if s > 0 && isWordByte(text[s-1]) {
		return Match{}, false, nil
	}
	if e < len(text) {
		c := text[e]
		if isAlnum(c) || c == '_' || c == '@' {
			return Match{}, false, nil
		}
		// An e-mail domain or a longer dotted name, not a commit or a number.
		if c == '.' && e+1 < len(text) && isAlnum(text[e+1]) {
			return Match{}, false, nil
		}
	}
	ref, err := citation.Parse(text[s:e])
	if err != nil {
		return Match{}, false, err
	}
	if ref.Kind == citation.KindRef && ref.Repo == "" && !allowBare {
		return Match{}, false, nil
	}
	return Match{Start: s, End: e, Ref: ref}, true, nil
}
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isLowerHex(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'f' }

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isNameByte is a byte of repoPat: [A-Za-z0-9_.-] and the '/' between owner and repo.
func isNameByte(c byte) bool { return isAlnum(c) || c == '_' || c == '.' || c == '-' || c == '/' }

func isPathStart(c byte) bool { return isAlnum(c) || c == '_' || c == '.' }

func isPathByte(c byte) bool {
	return isPathStart(c) || c == '/' || c == '+' || c == '@' || c == '-'
}

func isWordByte(c byte) bool {
	return isAlnum(c) || c == '_' || c == '.' || c == '/' || c == '#' || c == '@' || c == ':' || c == '-'
}
