package lint_test

import (
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/lint"
)

// acknowledge sets acknowledged: on the structured claim of ref in the fixture's tree.
func acknowledge(t *testing.T, tree *content.Tree, ref, why string) {
	t.Helper()
	for _, c := range tree.Citations {
		if c.Claim != nil && c.Ref.String() == ref {
			c.Claim.Acknowledged = content.Markdown(why)
			return
		}
	}
	t.Fatalf("no structured claim of %s", ref)
}

func evidenceFindings(tree *content.Tree, lock *evidence.Lock) []lint.Finding {
	var out []lint.Finding
	for _, f := range lint.Run(tree, lock, lint.Options{}) {
		if f.Rule == "D-evidence" {
			out = append(out, f)
		}
	}
	return out
}

// An acknowledged missing commit is a warning that quotes why, not an error.
func TestAcknowledgedContradictionWarns(t *testing.T) {
	tree, lock := loadFixture(t, "broken.txtar")
	acknowledge(t, tree, "kubernetes/kubernetes@abcdef1234", "The report cites a\ncommit since rewritten.")
	fs := evidenceFindings(tree, lock)
	if len(fs) != 1 {
		t.Fatalf("D-evidence findings = %v, want one", fs)
	}
	f := fs[0]
	if f.Severity != lint.Warning || f.Pos.String() != "content/reports/2026-05-10-failures.yaml:48:5" {
		t.Errorf("finding = %s %s, want a warning at 48:5", f.Pos, f.Severity)
	}
	if !strings.Contains(f.Message, "is missing") || !strings.Contains(f.Message, "acknowledged: The report cites a commit since rewritten.") {
		t.Errorf("message %q does not give the status and the acknowledgement", f.Message)
	}
}

// An acknowledgement on a claim the lock records as verified is stale.
func TestStaleAcknowledgementWarns(t *testing.T) {
	tree, lock := loadFixture(t, "broken.txtar")
	acknowledge(t, tree, "kubernetes/kubernetes@abcdef1234", "Off by one.")
	for _, c := range tree.Citations {
		if c.Ref.String() == "kubernetes/kubernetes@abcdef1234" {
			key := c.Key()
			e, _ := lock.Get(key)
			e.Status, e.Observed.Exists, e.Message = evidence.Verified, true, "commit exists"
			lock.Put(e)
		}
	}
	fs := evidenceFindings(tree, lock)
	if len(fs) != 1 || fs[0].Severity != lint.Warning || !strings.Contains(fs[0].Message, "stale acknowledgement") {
		t.Fatalf("D-evidence findings = %v, want one stale-acknowledgement warning", fs)
	}
}
