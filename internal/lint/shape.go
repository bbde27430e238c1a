package lint

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
)

var ruleCodePathLine = Rule{
	ID: "R2-code-path-line", Title: "a code path carries file:line", Severity: Warning,
	Doc: "A source file named in prose (a word ending in .go, .py, .sh, .ts, .js, .c, .h, .rs, .java) with no :LINE " +
		"after it, or a fix sketch whose file is not an alias:path:LINE citation, is a warning: " +
		"structured file citations always carry a line, prose cannot be told from a mere mention.",
	Check: checkCodePaths,
}

var ruleLogBuild = Rule{
	ID: "R3-log-build", Title: "a log signature carries a build", Severity: Warning,
	Doc: "A fenced block without a language, or marked text, log or console, in a pattern's or sub-pattern's prose is " +
		"taken for a quoted log signature; the sub-pattern or its pattern must cite a build (structured or inline). " +
		"A warning, since a fenced block is not always a log.",
	Check: checkLogBuilds,
}

var ruleSampleTwoBuilds = Rule{
	ID: "R4-sample-two-builds", Title: "a shared cause is sampled in two jobs", Severity: Warning,
	Doc: "A sub-pattern, or a pattern without sub-patterns, that explains two or more jobs (its list, or job_count when " +
		"larger) must cite builds (structured or inline) of at least two distinct jobs. A warning: reports often sample " +
		"jobs without giving each build address.",
	Check: checkSamples,
}

var ruleCausalChain = Rule{
	ID: "R13-causal-chain", Title: "a pattern names what introduced and what exposed it", Severity: Error,
	Doc: "Every pattern states causal_chain.introduced_by and exposed_by (\"unknown\" is a statement), or every one of " +
		"its sub-patterns states the missing half. What a stated half says is not judged: an environmental change " +
		"is a valid answer and cites nothing.",
	Check: checkCausalChains,
}

var ruleSplitMegaPattern = Rule{
	ID: "R14-split-mega-pattern", Title: "a pattern of more than 10 jobs is split", Severity: Warning,
	Doc: "A pattern explaining more than 10 jobs (its list, or job_count when larger) with no sub-patterns. A warning: " +
		"the runbook exempts jobs that share one literal fix, which content cannot show.",
	Check: checkMegaPatterns,
}

var (
	// The file name needs a lower-case letter, so labels such as V4.b/V4.c are not taken for paths.
	codePathRe  = regexp.MustCompile(`(?:[A-Za-z0-9_.-]+/)*[A-Za-z0-9_-]*[a-z_][A-Za-z0-9_-]*\.(?:go|py|sh|ts|js|c|h|cc|cpp|rs|java)\b`)
	lineAfterRe = regexp.MustCompile(`^:[0-9]`)
	fenceRe     = regexp.MustCompile("(?m)^[ \t]*```[ \t]*([A-Za-z]*)[ \t]*$")
)

func checkCodePaths(c *Context) []Finding {
	var out []Finding
	for _, p := range c.Tree.Prose {
		if p.Owner.Kind == content.OwnerSnapshot {
			continue
		}
		for _, loc := range codePathRe.FindAllStringIndex(p.Text, -1) {
			if codePathOK(p.Text, loc[0], loc[1]) {
				continue
			}
			out = append(out, at(Warning, p.PosAt(loc[0]), fmt.Sprintf("code path %s has no :LINE; cite alias:path:LINE", p.Text[loc[0]:loc[1]])))
		}
	}
	for _, b := range c.bodies() {
		for _, s := range b.Body.Fix.Sketches {
			if r, err := citation.Parse(s.File); err != nil || r.Kind != citation.KindFile {
				out = append(out, at(Warning, s.Pos, fmt.Sprintf("fix sketch file %q is not an alias:path:LINE citation", s.File)))
			}
		}
	}
	return out
}

// codePathOK accepts a path followed by a line, and one inside a URL or a citation's address.
func codePathOK(text string, s, e int) bool {
	if lineAfterRe.MatchString(text[e:]) {
		return true
	}
	word := text[strings.LastIndexAny(text[:s], " \t\n`(")+1 : e]
	return strings.Contains(word, "://") || (s > 0 && (text[s-1] == ':' || text[s-1] == '@'))
}

func checkLogBuilds(c *Context) []Finding {
	var out []Finding
	for _, b := range c.bodies() {
		if c.citesBuild(b) {
			continue
		}
		for _, t := range []content.Markdown{b.Body.Summary, b.Body.RootCause, b.Body.Details} {
			if off := logFence(string(t)); off >= 0 {
				out = append(out, at(Warning, c.posIn(b.Pos.File, t, off, b.Pos), fmt.Sprintf("%s quotes a log signature but cites no build", b.name())))
			}
		}
	}
	return out
}

// citesBuild reports whether a body, or for a sub-pattern its pattern, cites a build.
func (c *Context) citesBuild(b body) bool {
	if len(c.builds(b)) > 0 {
		return true
	}
	parent := body{Pattern: b.Pattern, Body: &b.Pattern.Body}
	return b.Sub != nil && len(c.builds(parent)) > 0
}

// logFence returns the offset of the first opening fence that may hold a log, or -1.
func logFence(text string) int {
	locs := fenceRe.FindAllStringSubmatchIndex(text, -1)
	for i := 0; i < len(locs); i += 2 { // opening fences only
		lang := strings.ToLower(text[locs[i][2]:locs[i][3]])
		if lang == "" || lang == "text" || lang == "log" || lang == "console" {
			return locs[i][0] + strings.Index(text[locs[i][0]:], "`")
		}
	}
	return -1
}

// posIn is where byte off of a markdown field stands, or fallback when the field is not known.
func (c *Context) posIn(file string, text content.Markdown, off int, fallback content.Pos) content.Pos {
	if p, ok := c.Prose(file, text); ok {
		return p.PosAt(off)
	}
	return fallback
}

func checkSamples(c *Context) []Finding {
	var out []Finding
	for _, b := range c.bodies() {
		n := b.jobCount()
		if n < 2 || (b.Sub == nil && len(b.Pattern.SubPatterns) > 0) {
			continue // a pattern split into sub-patterns claims no single cause; each sub-pattern is checked
		}
		jobs := map[string]bool{}
		for _, r := range c.builds(b) {
			if job, _, ok := r.Build(); ok {
				jobs[job] = true
			}
		}
		if len(jobs) < 2 {
			out = append(out, at(Warning, b.Pos, fmt.Sprintf("%s explains %d jobs but cites builds of %d; sample at least two of them", b.name(), n, len(jobs))))
		}
	}
	return out
}

func checkCausalChains(c *Context) []Finding {
	var out []Finding
	for _, p := range c.Tree.Patterns {
		halves := []struct {
			name string
			get  func(*content.Body) content.Markdown
		}{
			{"introduced_by", func(b *content.Body) content.Markdown { return b.Causal.IntroducedBy }},
			{"exposed_by", func(b *content.Body) content.Markdown { return b.Causal.ExposedBy }},
		}
		for _, h := range halves {
			out = append(out, checkHalf(p, h.name, h.get)...)
		}
	}
	return out
}

func checkHalf(p *content.Pattern, name string, get func(*content.Body) content.Markdown) []Finding {
	if strings.TrimSpace(string(get(&p.Body))) != "" || (len(p.SubPatterns) > 0 && allSubsState(p, get)) {
		return nil
	}
	return []Finding{at(Error, p.Pos, fmt.Sprintf("pattern %s has no causal_chain.%s: name the change, or write \"unknown\"", p.Slug, name))}
}

func allSubsState(p *content.Pattern, get func(*content.Body) content.Markdown) bool {
	for i := range p.SubPatterns {
		if strings.TrimSpace(string(get(&p.SubPatterns[i].Body))) == "" {
			return false
		}
	}
	return true
}

func checkMegaPatterns(c *Context) []Finding {
	var out []Finding
	for _, p := range c.Tree.Patterns {
		b := body{Pattern: p, Body: &p.Body}
		if n := b.jobCount(); n > 10 && len(p.SubPatterns) == 0 {
			out = append(out, at(Warning, p.Pos, fmt.Sprintf("pattern %s explains %d jobs in one piece; split it into sub-patterns by failure signature unless one literal fix clears them all", p.Slug, n)))
		}
	}
	return out
}

var ruleProseComment = Rule{
	ID: "Y-prose-comment", Title: "no comment cuts an unquoted prose value", Severity: Error,
	Doc: "An unquoted (plain) prose value with \" #\" on its lines: YAML reads the rest of the line as a comment and " +
		"drops it, so `note: merged in #2320 last week` keeps only \"merged in\". Quote the value, or write it as a " +
		"block (|), when the # belongs to the text; move a real comment to a line of its own.",
	Check: checkProseComments,
}

func checkProseComments(c *Context) []Finding {
	var out []Finding
	for _, p := range c.Tree.Prose {
		if p.Dropped != "" {
			out = append(out, at(Error, p.Pos, fmt.Sprintf("YAML drops %q from this unquoted value as a comment; quote the value or use a block (|)", p.Dropped)))
		}
	}
	return out
}
