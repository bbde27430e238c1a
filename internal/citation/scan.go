package citation

import (
	"regexp"
	"strings"
)

// Match is a citation found in prose: text[Start:End] parses as Ref.
type Match struct {
	Start, End int
	Ref        Ref
}

var candidateRe = regexp.MustCompile(
	`(?:gs://|https?://storage\.googleapis\.com/|https?://prow\.k8s\.io/view/gs/)[^\s<>()\[\]"'` + "`" + `]+` +
		`|` + repoPat + `:[A-Za-z0-9_.][A-Za-z0-9_./+@-]*:[0-9]+(?:-[0-9]+)?(?:, ?[0-9]+(?:-[0-9]+)?)*` +
		`|` + repoPat + `@[0-9a-f]{7,40}` +
		`|(?:` + repoPat + `)?#[0-9]+`)

// Scan finds the citations in prose. A bare #N counts only when allowBare is set, that is
// where a default repository is declared; everything else that merely resembles a
// citation (a URL, a time of day, a version tag) stays text.
func Scan(text string, allowBare bool) []Match {
	// Every form has '#', '@' or ':' in it; most prose fragments have none, and the
	// backtracking regexp is the costly part of rendering prose.
	if !strings.ContainsAny(text, "#@:") {
		return nil
	}
	var out []Match
	for i := 0; i < len(text); {
		loc := candidateRe.FindStringIndex(text[i:])
		if loc == nil {
			break
		}
		s, e := i+loc[0], i+loc[1]
		e = trimTrailing(text, s, e)
		if m, ok := accept(text, s, e, allowBare); ok {
			out = append(out, m)
			i = e
			continue
		}
		i = s + 1
	}
	return out
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

func accept(text string, s, e int, allowBare bool) (Match, bool) {
	if s > 0 && isWordByte(text[s-1]) {
		return Match{}, false
	}
	if e < len(text) {
		c := text[e]
		if isAlnum(c) || c == '_' || c == '@' {
			return Match{}, false
		}
		// An e-mail domain or a longer dotted name, not a commit or a number.
		if c == '.' && e+1 < len(text) && isAlnum(text[e+1]) {
			return Match{}, false
		}
	}
	ref, err := Parse(text[s:e])
	if err != nil {
		return Match{}, false
	}
	if ref.Kind == KindRef && ref.Repo == "" && !allowBare {
		return Match{}, false
	}
	return Match{Start: s, End: e, Ref: ref}, true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isWordByte(c byte) bool {
	return isAlnum(c) || c == '_' || c == '.' || c == '/' || c == '#' || c == '@' || c == ':' || c == '-'
}
