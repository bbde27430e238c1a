// Package outline is the fixed outline of a triage report: its sections with their titles
// and anchors, and the anchors of its parts, named once for the report page, the ref pages,
// the markdown export and the synthetic generator.
package outline

import (
	"strconv"
	"strings"
)

// Section is a heading of a report page.
type Section struct {
	Key    string // the report file's top-level YAML key for its content, where it has one
	Title  string // the heading on the page, and the label of a citation in it
	Anchor string // the heading's id
}

// A report's top-level sections.
var (
	Status             = Section{Key: "status", Title: "Status", Anchor: "status"}
	TLDR               = Section{Key: "tldr", Title: "TL;DR", Anchor: "tldr"}
	Patterns           = Section{Key: "patterns", Title: "Patterns", Anchor: "patterns"}
	Misclassifications = Section{Key: "misclassifications", Title: "Misclassifications", Anchor: "misclassifications"}
	ActionPlan         = Section{Key: "tiers", Title: "Action plan", Anchor: "action-plan"}
	Methodology        = Section{Key: "methodology", Title: "Methodology", Anchor: "methodology"}
	Verifications      = Section{Key: "verifications", Title: "Verifications and open questions", Anchor: "verifications"}
	Appendix           = Section{Key: "appendix", Title: "Appendix", Anchor: "appendix"}
)

// Sections are the top-level sections in the order a report page and its table of contents
// give them.
var Sections = []Section{Status, TLDR, Patterns, Misclassifications, ActionPlan, Methodology, Verifications, Appendix}

// Parts of sections that have headings of their own.
var (
	OpenWork       = Section{Title: "Open work", Anchor: "open-work"}                                // in Status
	Coverage       = Section{Title: "Jobs no pattern names", Anchor: "coverage"}                     // in Patterns
	Drift          = Section{Key: "drift", Title: "Drift", Anchor: "drift"}                          // in Methodology
	Categories     = Section{Title: "Categories (runbook Appendix A scores)", Anchor: "categories"}  // in Methodology
	OpenQuestions  = Section{Key: "open_questions", Title: "Still open", Anchor: "open-questions"}   // in Verifications
	OtherCitations = Section{Key: "citations", Title: "Other citations", Anchor: "report-citations"} // in Appendix
)

// TierAnchor is the id of an action-plan tier's heading: tier-2.
func TierAnchor(tier int) string { return "tier-" + strconv.Itoa(tier) }

// ActionAnchor is the id of an action's row: tier-1-2, or tier-1-1.2 where the report
// numbers its actions within the tier.
func ActionAnchor(tier int, id string) string { return TierAnchor(tier) + "-" + id }

// QuestionAnchor is the id of a verification question's heading: q-q3 for Q3.
func QuestionAnchor(id string) string { return "q-" + strings.ToLower(id) }

// SubPatternAnchor is the id of a sub-pattern's heading on its pattern's page and in a
// report: node-flake--a1.
func SubPatternAnchor(patternSlug, subID string) string { return patternSlug + "--" + subID }
