package site_test

import (
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/site"
)

// contradictedFiles says every file citation is contradicted, and everything else verified.
type contradictedFiles struct{}

func (contradictedFiles) Status(ref citation.Ref, _ *content.Claim) (evidence.Status, string) {
	if ref.Kind == citation.KindFile {
		return evidence.Contradicted, "quote is on line 13"
	}
	return evidence.Verified, "ok"
}

// TestAcknowledgementShownBesideStatus checks the pattern page keeps the real status of an
// acknowledged claim and shows the acknowledgement, escaped, beside it.
func TestAcknowledgementShownBesideStatus(t *testing.T) {
	tree, err := content.Load(fixture(t, ""), "content")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range tree.Citations {
		if c.Claim != nil && c.Ref.Kind == citation.KindFile {
			c.Claim.Acknowledged = "The report is *off by one*; <b>kept</b> as written."
			found = true
		}
	}
	if !found {
		t.Fatal("the fixture has no structured file claim")
	}
	out := buildTreeWith(t, tree, site.Options{Evidence: contradictedFiles{}})
	page := string(out["patterns/node-flake.html"])
	table := strings.Index(page, `<table class="citations">`)
	if table < 0 {
		t.Fatalf("patterns/node-flake.html has no citations table:\n%s", page)
	}
	i := strings.Index(page[table:], "a_test.go:12")
	if i < 0 {
		t.Fatal("the citations table does not cite a_test.go:12")
	}
	row := page[table+i:]
	row = row[:strings.Index(row, "</tr>")]
	for _, want := range []string{"contradicted", `class="meta acknowledged">Acknowledged: The report is <em>off by one</em>; <!-- raw HTML omitted -->kept<!-- raw HTML omitted --> as written.`} {
		if !strings.Contains(row, want) {
			t.Errorf("the citation row lacks %q:\n%s", want, row)
		}
	}
	if strings.Contains(page, "<b>kept") {
		t.Error("the acknowledgement's raw HTML reached the page")
	}
}
