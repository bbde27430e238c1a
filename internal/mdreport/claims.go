package mdreport

import (
	"regexp"
	"strings"

	"github.com/triagesite/triagesite/internal/claim"
)

var (
	// State words. Upper case is how runbook tables write a state ("🟡 DRAFT", "OPEN"), and
	// counts anywhere in the citation's stretch of text; lower case only right after it.
	stateUpperRe = regexp.MustCompile(`\b(MERGED|CLOSED|DRAFT|OPEN)\b`)
	stateLowerRe = regexp.MustCompile(`(?i)(?:^|[^a-z-])(not |un)?(merged|closed|draft|open)\b`)
	mergedAtRe   = regexp.MustCompile(`(?i)\bmerged (?:on |at )?([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[ T]([0-9]{2}:[0-9]{2}(?::[0-9]{2})?)Z?)?`)
	labelRe      = regexp.MustCompile(`(?:^|[^A-Za-z0-9/-])((?:do-not-merge|needs|lgtm|approved|release-note|kind|priority|lifecycle)(?:/[a-z0-9-]+|-[a-z0-9-]+)?)\b`)
	quoteRe      = regexp.MustCompile("`([^`\n]{8,})`|\"([^\"\n]{8,})\"")
)

// lowerReach is how far after a citation a lower-case state word still speaks of it.
const lowerReach = 48

// claims reads, for each PR, issue and build, the words between it and the next citation on its line.
func (x *extractor) claims() {
	for i := range x.out {
		f := &x.out[i]
		if f.Problem != "" || (f.Kind != KindRef && f.Kind != KindBuild) {
			continue
		}
		seg := x.stretch(i)
		if f.Kind == KindBuild {
			if m := quoteRe.FindStringSubmatch(seg); m != nil {
				f.Claim.Quote = m[1] + m[2]
			}
			continue
		}
		f.Claim = refClaim(seg)
	}
}

// stretch is the text after finding i up to the next PR, issue or build on its line.
func (x *extractor) stretch(i int) string {
	start := x.out[i].off + len(x.out[i].Text)
	if start > len(x.text) {
		start = len(x.text)
	}
	end := strings.IndexByte(x.text[start:], '\n')
	if end < 0 {
		end = len(x.text)
	} else {
		end += start
	}
	for j := i + 1; j < len(x.out); j++ {
		o := x.out[j].off
		if o >= end {
			break
		}
		if o >= start && (x.out[j].Kind == KindRef || x.out[j].Kind == KindBuild) {
			end = o
			break
		}
	}
	return x.text[start:end]
}

func refClaim(seg string) claim.Claim {
	var c claim.Claim
	if m := stateUpperRe.FindAllStringSubmatch(seg, -1); m != nil {
		c.State = strings.ToLower(m[0][1])
		for _, s := range m {
			if s[1] == "DRAFT" { // "OPEN DRAFT": a draft is the more exact state
				c.State = "draft"
			}
		}
	} else {
		near := seg
		if len(near) > lowerReach {
			near = near[:lowerReach]
		}
		if m := stateLowerRe.FindStringSubmatch(near); m != nil && m[1] == "" {
			c.State = strings.ToLower(m[2])
		}
	}
	if m := mergedAtRe.FindStringSubmatch(seg); m != nil && m[2] != "" {
		t := m[2]
		if len(t) == 5 {
			t += ":00"
		}
		c.MergedAt = m[1] + "T" + t + "Z"
		c.State = "merged"
	}
	for _, m := range labelRe.FindAllStringSubmatch(seg, -1) {
		if l := m[1]; strings.Contains(l, "/") || l == "lgtm" || l == "approved" || strings.HasPrefix(l, "needs-") {
			c.Labels = append(c.Labels, l)
		}
	}
	return c
}
