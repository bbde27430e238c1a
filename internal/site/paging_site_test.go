package site_test

import (
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/site"
	"github.com/triagesite/triagesite/internal/synth"
)

// mixedEvidence gives citations every status by their number or line, so the verification
// list has several sections.
type mixedEvidence struct{}

func (mixedEvidence) Status(ref citation.Ref, _ *content.Claim) (evidence.Status, string) {
	n := ref.Number + len(ref.Path) + len(ref.SHA) + len(ref.Object)
	// A message of its own for each, so that no two collapse into one row.
	return []evidence.Status{evidence.Verified, evidence.Contradicted, evidence.Missing, evidence.Unverifiable, evidence.Error}[n%5], "test " + ref.String()
}

// TestLongListsArePaged builds a synthetic site whose verification list and refs index are
// too long for one page, and follows their pages: every row is on exactly one page, no page
// holds more than its share, sections come in order, and every link resolves.
func TestLongListsArePaged(t *testing.T) {
	tree := smallSynthetic(t)
	out := buildTreeWith(t, tree, site.Options{Evidence: mixedEvidence{}})
	checkLinks(t, out)

	t.Run("verification", func(t *testing.T) {
		first := string(out["verification.html"])
		m := regexp.MustCompile(`Not verified: (\d+),`).FindStringSubmatch(first)
		if m == nil {
			t.Fatal("verification.html does not say how many citations are not verified")
		}
		want, _ := strconv.Atoi(m[1])
		pages := listPages(t, out, "verification")
		rows, order := 0, []string{}
		for i, page := range pages {
			n := strings.Count(page, `<tr><td><span class="badge`)
			if n > 500 || n == 0 {
				t.Errorf("page %d has %d rows, want 1 to 500", i+1, n)
			}
			if i < len(pages)-1 && n != 500 {
				t.Errorf("page %d of %d has %d rows; only the last page may be short", i+1, len(pages), n)
			}
			rows += n
			for _, id := range regexp.MustCompile(`<h2 id="([a-z]+)">`).FindAllStringSubmatch(page, -1) {
				if len(order) == 0 || order[len(order)-1] != id[1] {
					order = append(order, id[1])
				}
			}
		}
		if rows != want || len(pages) < 2 {
			t.Errorf("%d rows on %d pages, want the %d not verified on two or more", rows, len(pages), want)
		}
		if got := strings.Join(order, " "); got != "contradicted missing error unverifiable" {
			t.Errorf("sections in order %q, want the worst first: contradicted missing error unverifiable", got)
		}
	})
	t.Run("refs index", func(t *testing.T) {
		pages := listPages(t, out, "refs/index")
		total, nudges, rows := 0, 0, 0
		for i, page := range pages {
			n := strings.Count(page, `<tr class="row-`)
			if n > 500 {
				t.Errorf("page %d has %d rows", i+1, n)
			}
			rows += n
			if m := regexp.MustCompile(`<p>(\d+) cited\.`).FindStringSubmatch(page); m != nil {
				total, _ = strconv.Atoi(m[1])
			}
			if m := regexp.MustCompile(`<h2 id="nudge-targets">Nudge targets \((\d+)\)</h2>`).FindStringSubmatch(page); m != nil {
				nudges, _ = strconv.Atoi(m[1])
			}
		}
		if total == 0 || rows != total+nudges || len(pages) < 2 {
			t.Errorf("%d rows on %d pages, want %d refs and %d nudge targets on two or more", rows, len(pages), total, nudges)
		}
		if !strings.Contains(pages[1], `<a aria-current="page" href="../../refs/index/2.html">2</a>`) || !strings.Contains(pages[1], `rel="prev" href="../../refs/index.html"`) {
			t.Error("refs/index/2.html does not mark itself in its pager or link back to the first page")
		}
	})
	t.Run("search", func(t *testing.T) {
		var idx struct{ Pages [][4]string }
		if err := json.Unmarshal(out["search-index.json"], &idx); err != nil {
			t.Fatal(err)
		}
		pages := listPages(t, out, "search")
		seen := map[string]int{}
		for i, page := range pages {
			if !strings.Contains(page, `data-paged`) {
				t.Errorf("search page %d does not say the list spans pages", i+1)
			}
			list, _, _ := strings.Cut(page[strings.Index(page, `<div id="search-list"`):], "</div>")
			for _, m := range regexp.MustCompile(`<li><a href="([^"]+)">`).FindAllStringSubmatch(list, -1) {
				seen[strings.TrimPrefix(strings.TrimPrefix(m[1], "../"), "../")]++
			}
		}
		for _, e := range idx.Pages {
			if seen[e[2]] == 0 {
				t.Errorf("%s (%s) is in the index but on no search page", e[1], e[2])
			}
		}
		if len(seen) != len(idx.Pages) || len(pages) < 2 {
			t.Errorf("%d distinct entries on %d search pages, the index has %d", len(seen), len(pages), len(idx.Pages))
		}
		if !strings.Contains(pages[1], `action="../search.html"`) || !strings.Contains(pages[1], `data-root="../"`) {
			t.Error("search/2.html's form does not submit to search.html, or its box does not know the site root")
		}
	})
}

// listPages returns the pages of the list at base+".html", base/2.html, … in order, and
// fails if the numbering has a gap.
func listPages(t *testing.T, out memSite, base string) []string {
	t.Helper()
	pages := []string{string(out[base+".html"])}
	for k := 2; ; k++ {
		p, ok := out[base+"/"+strconv.Itoa(k)+".html"]
		if !ok {
			break
		}
		pages = append(pages, string(p))
	}
	n := 0
	for path := range out {
		if strings.HasPrefix(path, base+"/") {
			n++
		}
	}
	if n != len(pages)-1 {
		t.Errorf("%s has %d numbered pages, but they do not run from 2 without a gap", base, n)
	}
	return pages
}

// TestOneMessageRowIsPaged builds a synthetic site with no lock, so every citation says the
// same ("no record") and makes one row: the row is split across pages, no page lists more
// than its share of citations, and every citation is listed once.
func TestOneMessageRowIsPaged(t *testing.T) {
	tree := smallSynthetic(t)
	out := buildTreeWith(t, tree, site.Options{ListRows: 40})
	m := regexp.MustCompile(`Not verified: (\d+),`).FindStringSubmatch(string(out["verification.html"]))
	if m == nil {
		t.Fatal("verification.html does not say how many citations are not verified")
	}
	want, _ := strconv.Atoi(m[1])
	pages := listPages(t, out, "verification")
	listed := 0
	for i, page := range pages {
		if rows := strings.Count(page, `<tr><td><span class="badge`); rows != 1 {
			t.Errorf("page %d has %d rows, want the one row of the one message", i+1, rows)
		}
		_, table, _ := strings.Cut(page, `<table class="citations">`)
		table, _, _ = strings.Cut(table, `</table>`)
		n := strings.Count(table, `<li><a href=`)
		if n > 40 || (i < len(pages)-1 && n != 40) {
			t.Errorf("page %d lists %d citations, want 40 (fewer only on the last page)", i+1, n)
		}
		if want := "citations " + strconv.Itoa(40*i+1) + "–" + strconv.Itoa(40*i+n) + " of " + m[1]; !strings.Contains(page, want) {
			t.Errorf("page %d does not say which of the row's citations it shows: %q", i+1, want)
		}
		listed += n
	}
	if listed != want || len(pages) < 3 {
		t.Errorf("%d citations listed on %d pages, want %d on three or more", listed, len(pages), want)
	}
}

// smallSynthetic loads the small synthetic tree, long enough to page every long list.
func smallSynthetic(t *testing.T) *content.Tree {
	t.Helper()
	dir := t.TempDir()
	if err := synth.Write(dir, synth.Small); err != nil {
		t.Fatal(err)
	}
	tree, err := content.Load(os.DirFS(dir), "content")
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// TestHomeListsTheNewestDrifts: with a snapshot a day the home page lists each dataset's
// last week of comparisons, newest last as the drift index orders them, and links the rest.
func TestHomeListsTheNewestDrifts(t *testing.T) {
	out := buildTreeWith(t, smallSynthetic(t), site.Options{})
	home := string(out["index.html"])
	_, drift, _ := strings.Cut(home, `<h2 id="drift">`)
	links := regexp.MustCompile(`<a href="(drift/[a-z]+)-[0-9-]+-to-([0-9-]+)\.html">`).FindAllStringSubmatch(drift, -1)
	per := map[string][]string{}
	for _, l := range links {
		per[l[1]] = append(per[l[1]], l[2])
	}
	index := len(regexp.MustCompile(`href="\.\./drift/[a-z]+-[0-9-]+-to-[0-9-]+\.html"`).FindAllString(string(out["drift/index.html"]), -1))
	for _, ds := range []string{"drift/failures", "drift/flakes"} {
		dates := per[ds]
		if len(dates) != 7 {
			t.Errorf("home lists %d %s comparisons, want the newest 7", len(dates), ds)
			continue
		}
		newest := regexp.MustCompile(`href="\.\./`+ds+`-[0-9-]+-to-([0-9-]+)\.html"`).FindAllStringSubmatch(string(out["drift/index.html"]), -1)
		if last := newest[len(newest)-1][1]; dates[6] != last {
			t.Errorf("home's last %s comparison ends %s, the index's newest %s", ds, dates[6], last)
		}
	}
	if want := "every drift page (" + strconv.Itoa(index) + ")"; index < 20 || !strings.Contains(drift, want) {
		t.Errorf("home does not link the drift index as %q (the index links %d)", want, index)
	}
}

// threeMessages gives every citation one of three messages, all unverifiable, so the
// verification list is three long rows.
type threeMessages struct{}

func (threeMessages) Status(ref citation.Ref, _ *content.Claim) (evidence.Status, string) {
	n := ref.Number + len(ref.Path) + len(ref.SHA) + len(ref.Object)
	return evidence.Unverifiable, "test message " + strconv.Itoa(n%3)
}

// TestRowsSplitAcrossPages: rows of many citations, split wherever a page is full, list
// every citation once across the pages and no page more than its share.
func TestRowsSplitAcrossPages(t *testing.T) {
	out := buildTreeWith(t, smallSynthetic(t), site.Options{Evidence: threeMessages{}, ListRows: 7})
	seen := map[string]int{}
	pages := listPages(t, out, "verification")
	for i, page := range pages {
		_, table, _ := strings.Cut(page, `<table class="citations">`)
		table, _, _ = strings.Cut(table, `</table>`)
		items := regexp.MustCompile(`<li><a href="([^"]+)">([^<]+)</a> <span class="meta">([^<]+)</span>`).FindAllStringSubmatch(table, -1)
		singles := regexp.MustCompile(`<td><a href="([^"]+)">([^<]+)</a> <span class="meta">([^<]+)</span></td>`).FindAllStringSubmatch(table, -1)
		n := len(items) + len(singles)
		if n > 7 || (i < len(pages)-1 && n != 7) {
			t.Errorf("page %d lists %d citations, want 7 (fewer only on the last)", i+1, n)
		}
		for _, m := range append(items, singles...) {
			seen[m[1]+" "+m[3]]++
		}
	}
	m := regexp.MustCompile(`Not verified: (\d+),`).FindStringSubmatch(string(out["verification.html"]))
	want, _ := strconv.Atoi(m[1])
	if len(seen) != want {
		t.Errorf("%d distinct citations listed, want %d", len(seen), want)
	}
	for c, n := range seen {
		if n != 1 {
			t.Errorf("%s listed %d times", c, n)
		}
	}
}
