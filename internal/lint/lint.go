// Package lint checks a content tree against the triage runbook's rules that content, snapshots and evidence can decide.
package lint

import (
	"sort"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
)

// Severity says whether a finding fails the lint.
type Severity string

// The two severities: errors fail, warnings do not (unless --strict).
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// DocPage is the page that documents every rule, one anchor per rule id.
const DocPage = "docs/lint-rules.md"

// Rule is one mechanical check.
type Rule struct {
	ID       string // stable: CI configuration and suppressions name it
	Title    string // one line
	Doc      string // exactly what the rule checks, and what it cannot
	Severity Severity
	Check    func(*Context) []Finding
}

// Link is the rule's documentation anchor.
func (r Rule) Link() string { return DocPage + "#" + r.ID }

// Finding is one place where content breaks a rule.
type Finding struct {
	Rule     string
	Severity Severity
	Pos      content.Pos
	Message  string
}

// Doc is the link to the rule's documentation.
func (f Finding) Doc() string { return DocPage + "#" + f.Rule }

// Options select what to run.
type Options struct {
	// Rules limits the run to these rule ids; empty runs every rule.
	Rules []string
}

// Run applies the rules to a tree and its evidence lock; findings come sorted by position.
func Run(tree *content.Tree, lock *evidence.Lock, opts Options) []Finding {
	if lock == nil {
		lock = evidence.New(nil)
	}
	ctx := newContext(tree, lock)
	want := map[string]bool{}
	for _, id := range opts.Rules {
		want[id] = true
	}
	var out []Finding
	for _, r := range Rules() {
		if len(want) > 0 && !want[r.ID] {
			continue
		}
		for _, f := range r.Check(ctx) {
			f.Rule = r.ID
			out = append(out, f)
		}
	}
	sortFindings(out)
	return out
}

// sortFindings orders by position; findings at one position keep the registry's order.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i].Pos, fs[j].Pos
		switch {
		case a.File != b.File:
			return a.File < b.File
		case a.Line != b.Line:
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Count returns how many findings have each severity.
func Count(fs []Finding) (errors, warnings int) {
	for _, f := range fs {
		if f.Severity == Error {
			errors++
		} else {
			warnings++
		}
	}
	return errors, warnings
}

// Rules is the registry, in the order the documentation lists it.
func Rules() []Rule {
	return []Rule{
		ruleEvidence,
		ruleMergedClaim,
		ruleContradicted,
		ruleCodePathLine,
		ruleLogBuild,
		ruleSampleTwoBuilds,
		ruleOpenQuestions,
		ruleLessonsNeedPrior,
		ruleFixShape,
		ruleCausalChain,
		ruleSplitMegaPattern,
		rulePlaceholder,
		ruleMinPatterns,
		ruleCounts,
		ruleMatcherUnused,
		ruleOverlap,
		ruleFutureDate,
		ruleImportNote,
		ruleProseComment,
	}
}

func at(sev Severity, p content.Pos, msg string) Finding {
	return Finding{Severity: sev, Pos: p, Message: msg}
}
