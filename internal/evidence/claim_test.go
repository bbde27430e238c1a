package evidence

import (
	"go/build"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/claim"
)

// TestLockFromSharedClaims builds a lock from claim.Claim values alone, as a tool with no
// content tree would: the written claim is the key's claim, and a lookup finds it again
// after a round trip through the file, whatever order the labels were written in.
func TestLockFromSharedClaims(t *testing.T) {
	ref := citation.Ref{Kind: citation.KindRef, Repo: "kubernetes/kubernetes", Number: 7}
	written := claim.Claim{State: "open", Labels: []string{"needs-rebase", "lifecycle/rotten"}, AsOf: "2026-05-10"}
	recorded := written.Canonical()
	path := filepath.Join(t.TempDir(), FileName)
	l := New([]Entry{{Key: recorded.Key(ref), Kind: "pr", Target: ref.String(), Claim: recorded,
		Source: SourceGitHub, CheckedAt: "2026-05-11T00:00:00Z", Status: Contradicted, Message: "claimed open, but it is merged"}})
	if err := l.Write(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wantClaim := `"claim": {
        "state": "open",
        "labels": [
          "lifecycle/rotten",
          "needs-rebase"
        ],
        "as_of": "2026-05-10"
      }`
	if !strings.Contains(string(data), wantClaim) {
		t.Errorf("the lock does not record the claim as\n%s\ngot\n%s", wantClaim, data)
	}
	back, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if st, msg := back.Lookup(ref, written); st != Contradicted || !strings.Contains(msg, "but it is merged") {
		t.Errorf("Lookup(labels as written) = %s, %q; want the recorded contradiction", st, msg)
	}
	if st, _ := back.Lookup(ref, claim.Claim{State: "open", AsOf: "2026-05-10"}); st != Unverifiable {
		t.Errorf("Lookup(another claim) = %s, want unverifiable: nothing is recorded for it", st)
	}
}

// TestEvidenceDoesNotImportContent: the lock is read by tools that have no content tree, and
// the content model must not be a layer under verification's record of it.
func TestEvidenceDoesNotImportContent(t *testing.T) {
	const module = "github.com/triagesite/triagesite/"
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var walk func(dir, from string)
	walk = func(dir, from string) {
		if seen[dir] {
			return
		}
		seen[dir] = true
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		for _, imp := range pkg.Imports {
			rel, ok := strings.CutPrefix(imp, module)
			if !ok {
				continue
			}
			if rel == "internal/content" {
				t.Errorf("evidence imports internal/content through %s", from)
			}
			walk(filepath.Join(root, filepath.FromSlash(rel)), imp)
		}
	}
	walk(".", "internal/evidence")
	if !seen[filepath.Join(root, "internal", "claim")] {
		t.Error("evidence no longer imports internal/claim: is the walk reading the right tree?")
	}
}
