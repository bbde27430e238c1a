package mdreport

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/claim"
)

const structureDoc = `# Report

**Date**: 2026-05-17
**Method**: two lines
of method

> ⚠️ **Status banner**:
> - one

## TL;DR

Headline.

1. first
   continued
2. second

## Patterns

### Pattern A — name

| Job | Days |
|---|---:|
| ` + "`a|b`" + ` | 3 |
| x \| y | 4 |

` + "```diff" + `
- old
+ new
` + "```" + `

#### Pattern A.1 — sub
text
`

func TestParseStructure(t *testing.T) {
	root, errs := Parse(structureDoc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	var walk func(s *Section)
	walk = func(s *Section) {
		got = append(got, fmt.Sprintf("%d %q @%d:%d", s.Level, s.Title, s.Pos.Line, s.Pos.Col))
		for _, b := range s.Blocks {
			desc := fmt.Sprintf("  block %d @%d:%d %q", b.Kind, b.Pos.Line, b.Pos.Col, b.Text)
			for _, it := range b.Items {
				desc += fmt.Sprintf(" [%d:%d %v %q]", it.Pos.Line, it.Pos.Col, it.Ordered, it.Text)
			}
			for _, r := range b.Rows {
				for _, c := range r {
					desc += fmt.Sprintf(" <%d:%d %q>", c.Pos.Line, c.Pos.Col, c.Text)
				}
			}
			got = append(got, desc)
		}
		for _, c := range s.Children {
			walk(c)
		}
	}
	walk(root)
	want := []string{
		`0 "" @1:1`,
		`1 "Report" @1:1`,
		`  block 0 @3:1 "**Date**: 2026-05-17"`,
		`  block 0 @4:1 "**Method**: two lines\nof method"`,
		`  block 4 @7:1 "⚠️ **Status banner**:\n- one"`,
		`2 "TL;DR" @10:1`,
		`  block 0 @12:1 "Headline."`,
		`  block 1 @14:1 "" [14:1 true "first\ncontinued"] [16:1 true "second"]`,
		`2 "Patterns" @18:1`,
		`3 "Pattern A — name" @20:1`,
		"  block 2 @22:1 \"\" <24:3 \"`a|b`\"> <24:11 \"3\"> <25:3 \"x | y\"> <25:12 \"4\">",
		`  block 3 @27:1 "- old\n+ new"`,
		`4 "Pattern A.1 — sub" @32:1`,
		`  block 0 @33:1 "text"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"| a | b | c |\n|---|---|---|\n| 1 | 2 |\n", "3:10: table row has 2 cells, its header (line 1) has 3: a missing column"},
		{"| a | b |\n|---|---|\n| 1 | 2 | 3 |\n", "3:11: table row has 3 cells, its header (line 1) has 2: an extra column"},
		{"# T\n\n```go\nfunc f() {\n", "3:1: code fence ``` is never closed (is the file truncated?)"},
	} {
		_, errs := Parse(tc.doc)
		if len(errs) != 1 || errs[0].Error() != tc.want {
			t.Errorf("%q: got %v, want %s", tc.doc, errs, tc.want)
		}
	}
}

func TestClaimCell(t *testing.T) {
	cell := FormatClaim(claim.Claim{State: "merged", MergedAt: "2026-05-10T11:23:45Z", Quote: "a; b: c", Kind: "pr", AsOf: "2026-05-10"})
	if cell != "kind: pr; state: merged; merged_at: 2026-05-10T11:23:45Z; quote: a; b: c" {
		t.Fatalf("FormatClaim: %q", cell)
	}
	c, rest := ParseClaim(cell)
	if want := (claim.Claim{State: "merged", MergedAt: "2026-05-10T11:23:45Z", Quote: "a; b: c", Kind: "pr"}); rest != "" || !reflect.DeepEqual(c, want) {
		t.Errorf("ParseClaim: %+v %q", c, rest)
	}
	if c, rest := ParseClaim("MERGED today"); !c.Empty() || rest != "MERGED today" {
		t.Errorf("free text: %+v %q", c, rest)
	}
	if c, _ := ParseClaim("state: open; labels: `lgtm`, `needs-rebase`"); !slices.Equal(c.Labels, []string{"lgtm", "needs-rebase"}) {
		t.Errorf("labels as code spans: %q", c.Labels)
	}
}

// TestClaimCellKeepsEveryField: each field of claim.Claim a report writes survives the
// export's cell and import's reading of it, so a field added to the claim fails here until
// the cell knows it.
func TestClaimCellKeepsEveryField(t *testing.T) {
	typ := reflect.TypeFor[claim.Claim]()
	for i := range typ.NumField() {
		if typ.Field(i).Tag.Get("yaml") == "-" {
			continue // filled by the loader, never written
		}
		var c claim.Claim
		f := reflect.ValueOf(&c).Elem().Field(i)
		if f.Kind() == reflect.Slice {
			f.Set(reflect.ValueOf([]string{"x", "y"}))
		} else {
			f.SetString("x")
		}
		if back, rest := ParseClaim(FormatClaim(c)); rest != "" || !reflect.DeepEqual(back, c) {
			t.Errorf("claim.Claim.%s: %+v came back as %+v (rest %q)", typ.Field(i).Name, c, back, rest)
		}
	}
}

// FuzzStructure: any text parses without a panic, and every position it reports is in the text.
func FuzzStructure(f *testing.F) {
	f.Add(structureDoc)
	f.Add("| a | b |\n|---|---|\n| 1 |\n")
	f.Add("# T\n```\n")
	f.Add("- a\n  - b\n> q\n---\n")
	f.Fuzz(func(t *testing.T, doc string) {
		root, errs := Parse(doc)
		lines := strings.Count(strings.ReplaceAll(doc, "\r\n", "\n"), "\n") + 1
		in := func(p Pos) bool { return p.Line >= 1 && p.Line <= lines && p.Col >= 1 }
		for _, e := range errs {
			if !in(e.Pos) {
				t.Fatalf("error %v outside the %d lines", e, lines)
			}
		}
		root.Walk(func(s *Section) {
			if !in(s.Pos) {
				t.Fatalf("section %q at %v outside the %d lines", s.Title, s.Pos, lines)
			}
			for _, b := range s.Blocks {
				if !in(b.Pos) {
					t.Fatalf("block at %v outside the %d lines", b.Pos, lines)
				}
			}
		})
	})
}

func TestAnchor(t *testing.T) {
	for h, want := range map[string]string{
		SecStatus:                             "status--whats-been-done-in-this-session",
		SecTLDR:                               "tldr",
		SecPatterns(12):                       "1-the-12-patterns",
		SecMisclassified("failures"):          "2-misclassifications-not-real-failures",
		"5. Verifications and open questions": "5-verifications-and-open-questions",
	} {
		if got := Anchor(h); got != want {
			t.Errorf("Anchor(%q) = %q, want %q", h, got, want)
		}
	}
}
