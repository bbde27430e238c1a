package mdreport

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/triagesite/triagesite/internal/claim"
	"github.com/triagesite/triagesite/internal/outline"
)

// The runbook's Appendix B template names its sections and labels here, once: the site's
// markdown export writes them and `import` reads them.
const (
	SecStatus        = "Status — what's been done in this session"
	SecTLDR          = "TL;DR"
	SecMethodology   = "4. Methodology"
	SecVerifications = "5. Verifications and open questions"
	SecAppendix      = "Appendix"
	// SecCitations is the export's own addition: the report's structured citations outside patterns.
	SecCitations = "Citations"
	SubClusters  = "Clusters"
	SubNudge     = "Open external nudge-targets"
	SubOpenWork  = "Open work (not yet shipped)"
	SubStillOpen = "Still open (not investigated to closure)"
)

// SecPatterns is the patterns section's heading for k patterns.
func SecPatterns(k int) string { return fmt.Sprintf("1. The %d Patterns", k) }

// SecMisclassified is the misclassifications section's heading for a dataset.
func SecMisclassified(dataset string) string {
	return fmt.Sprintf("2. Misclassifications (NOT real %s)", dataset)
}

// SecActionPlan is the action plan's heading.
const SecActionPlan = "3. Action plan"

// SectionHeading is the template's heading for a section of the report outline, in a report
// of k patterns on a dataset.
func SectionHeading(s outline.Section, k int, dataset string) string {
	switch s {
	case outline.Status:
		return SecStatus
	case outline.TLDR:
		return SecTLDR
	case outline.Patterns:
		return SecPatterns(k)
	case outline.Misclassifications:
		return SecMisclassified(dataset)
	case outline.ActionPlan:
		return SecActionPlan
	case outline.Methodology:
		return SecMethodology
	case outline.Verifications:
		return SecVerifications
	case outline.Appendix:
		return SecAppendix
	}
	return s.Title
}

// TierEmoji is the colour the template gives each tier.
func TierEmoji(tier int) string {
	switch tier {
	case 0, 1, 2:
		return "🟢"
	case 3:
		return "🟡"
	case 4:
		return "🟠"
	}
	return "🔵"
}

// Anchor is the anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens.
func Anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ClaimFields are the keys of a claim cell, in the order they are written. Title and quote
// come last: free text, they may hold anything but "; key: ".
var ClaimFields = []string{"kind", "state", "merged_at", "closed_at", "labels", "author", "date", "at", "job", "result", "title", "quote"}

// cellValues is a claim's fields as a cell writes them, by key; labels are joined by ", ".
func cellValues(c claim.Claim) map[string]string {
	return map[string]string{"kind": c.Kind, "state": c.State, "merged_at": c.MergedAt, "closed_at": c.ClosedAt,
		"labels": strings.Join(c.Labels, ", "), "author": c.Author, "date": c.Date, "at": c.At,
		"job": c.Job, "result": c.Result, "title": c.Title, "quote": c.Quote}
}

// claimOfCell is cellValues read back; labels may also be written as code spans.
func claimOfCell(v map[string]string) claim.Claim {
	return claim.Claim{Kind: v["kind"], State: v["state"], MergedAt: v["merged_at"], ClosedAt: v["closed_at"],
		Labels: CellItems(v["labels"]), Author: v["author"], Date: v["date"], At: v["at"],
		Job: v["job"], Result: v["result"], Title: v["title"], Quote: v["quote"]}
}

// FormatClaim writes what a citation claims as "key: value; key: value" for one table cell.
// AsOf is not written: it is the report's date, which the export states once.
func FormatClaim(c claim.Claim) string {
	values := cellValues(c)
	var parts []string
	for _, k := range ClaimFields {
		if v := values[k]; v != "" {
			parts = append(parts, k+": "+v)
		}
	}
	return strings.Join(parts, "; ")
}

var claimKeyRe = regexp.MustCompile(`(?:^|; )(` + strings.Join(ClaimFields, "|") + `): `)

// ParseClaim reads a claim cell written by FormatClaim; text before the first key is returned as rest.
func ParseClaim(cell string) (c claim.Claim, rest string) {
	values := map[string]string{}
	locs := claimKeyRe.FindAllStringSubmatchIndex(cell, -1)
	if len(locs) == 0 {
		return claim.Claim{}, strings.TrimSpace(cell)
	}
	rest = strings.TrimSpace(cell[:locs[0][0]])
	for i, l := range locs {
		end := len(cell)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		values[cell[l[2]:l[3]]] = strings.TrimSpace(cell[l[1]:end])
	}
	return claimOfCell(values), rest
}

var codeSpanRe = regexp.MustCompile("`([^`]+)`")

// CellItems lists the code spans of a table cell, or its comma-separated words when it has
// none; nil for a blank cell.
func CellItems(s string) []string {
	var out []string
	for _, m := range codeSpanRe.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	if len(out) == 0 {
		for _, w := range strings.Split(s, ",") {
			if w = strings.TrimSpace(w); w != "" {
				out = append(out, w)
			}
		}
	}
	return out
}

// ImportNoteMark opens what `triagesite import` could not place; lint flags every one.
const ImportNoteMark = "**Import note**"
