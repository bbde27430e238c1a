package site_test

import (
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/evidence/evidencetest"
	"github.com/triagesite/triagesite/internal/site"
	"github.com/triagesite/triagesite/internal/sitetest"
)

// TestFileLinksShowTheCommitRead: a file citation the lock read at a commit links to the file
// at that commit, so the line a reader opens is the line that was checked; one nobody read
// links to the default branch.
func TestFileLinksShowTheCommitRead(t *testing.T) {
	tree, err := content.Load(fixture(t, ""), "content")
	if err != nil {
		t.Fatal(err)
	}
	const sha = "0123456789abcdef0123456789abcdef01234567"
	read := evidencetest.Lock(tree, "2026-05-11T00:00:00Z", func(c content.Citation) evidencetest.Verdict {
		if c.Ref.Kind == citation.KindFile {
			return evidencetest.Verdict{Status: evidence.Verified, Message: "quote found", Observed: evidence.Observed{Exists: true, SHA: sha, Lines: 40}}
		}
		return evidencetest.Verdict{Status: evidence.Unverifiable, Message: "not checked"}
	})
	const blobAt = `https://github.com/kubernetes/kubernetes/blob/` + sha + `/test/e2e_node/a_test.go#L12`
	s := sitetest.BuildTree(t, tree, site.Options{Minify: true, Evidence: site.LockEvidence{Lock: read}})
	// The citations table and the prose both link the file as read.
	s.AssertFileContent("patterns/node-flake.html", `<a href="`+blobAt+`"`, `! blob/HEAD/test/e2e_node/a_test.go`)

	none := sitetest.BuildTree(t, tree, site.Options{Minify: true})
	none.AssertFileContent("patterns/node-flake.html", `blob/HEAD/test/e2e_node/a_test.go#L12`, `! `+sha)
}
