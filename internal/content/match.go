package content

import (
	"fmt"
	"regexp"
	"strings"
)

// JobMatcher is one rule by which a pattern or sub-pattern claims jobs. Exactly one of Glob,
// Regexp and Test is set. Glob and Regexp test the whole job name (case-sensitive); Test is a
// glob on the test names of a flakes job's test_flakes. An Exclude matcher takes back what the
// body's other matchers claim; jobs listed by name are exact claims and are never excluded.
type JobMatcher struct {
	Pos     Pos    `yaml:"-"`
	Glob    string `yaml:"glob"`    // * any run of characters, ? one, [a-z] a class
	Regexp  string `yaml:"regexp"`  // RE2 syntax, anchored at both ends
	Test    string `yaml:"test"`    // glob on test names (flakes only)
	Exclude bool   `yaml:"exclude"` // take back the jobs this matches
	// Dataset limits the matcher to one dataset; empty means the pattern's.
	Dataset string `yaml:"dataset"`
}

// Kind names the field that is set: glob, regexp or test.
func (m JobMatcher) Kind() string {
	switch {
	case m.Regexp != "":
		return "regexp"
	case m.Test != "":
		return "test"
	}
	return "glob"
}

// Source is the rule as written.
func (m JobMatcher) Source() string { return m.Glob + m.Regexp + m.Test }

// String is the rule as a reader sees it: "glob e2e-kops-*-ko35", "exclude regexp ^x$".
func (m JobMatcher) String() string {
	s := m.Kind() + " " + m.Source()
	if m.Exclude {
		s = "exclude " + s
	}
	return s
}

// Compile turns the rule into a regexp anchored at both ends.
func (m JobMatcher) Compile() (*regexp.Regexp, error) {
	n := 0
	for _, set := range []bool{m.Glob != "", m.Regexp != "", m.Test != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, fmt.Errorf("set exactly one of glob, regexp, test")
	}
	if m.Regexp != "" {
		re, err := regexp.Compile(`^(?:` + m.Regexp + `)$`)
		if err != nil {
			return nil, fmt.Errorf("regexp %q does not compile: %s", m.Regexp, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
		return re, nil
	}
	re, err := globRegexp(m.Glob + m.Test)
	if err != nil {
		return nil, fmt.Errorf("glob %q does not compile: %v", m.Glob+m.Test, err)
	}
	return re, nil
}

// globRegexp translates a glob into an anchored regexp, compiled once: * is any run of
// characters (job names have no path separator to stop at), ? one character, [...] a class
// ([!...] negated), and a backslash makes the next character literal.
func globRegexp(g string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(g); i++ {
		switch c := g[i]; c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case '\\':
			if i+1 == len(g) {
				return nil, fmt.Errorf("trailing backslash")
			}
			i++
			b.WriteString(regexp.QuoteMeta(g[i : i+1]))
		case '[':
			end := strings.IndexByte(g[i+1:], ']')
			if end < 0 {
				return nil, fmt.Errorf("unterminated [ at offset %d", i)
			}
			class := g[i+1 : i+1+end]
			if class == "" || class == "!" {
				return nil, fmt.Errorf("empty class at offset %d", i)
			}
			if class[0] == '!' {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += end + 1
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("bad class: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	return re, nil
}

func (l *loader) validateMatchers(b *Body, patternDataset, what string) {
	for _, m := range b.Match {
		if _, err := m.Compile(); err != nil {
			l.errorAt(m.Pos, "%s: matcher: %v", what, err)
		}
		ds := m.Dataset
		if ds != "" && ds != "failures" && ds != "flakes" {
			l.errorAt(m.Pos, "%s: matcher dataset %q: want failures or flakes", what, ds)
		}
		if ds == "" {
			ds = patternDataset
		}
		if m.Test != "" && ds != "flakes" {
			l.errorAt(m.Pos, "%s: a test matcher needs the flakes dataset (only flakes list test_flakes)", what)
		}
	}
}
