package templates

import (
	"bytes"
	"context"
	"strconv"
	"testing"

	"github.com/a-h/templ"

	"github.com/triagesite/triagesite/internal/view"
)

// BenchmarkJobTable renders a table of 1,500 jobs, the size of a drift or SIG page's.
func BenchmarkJobTable(b *testing.B) {
	sev := []string{"critical", "severe", "warning", "moderate", "good"}
	var rows []view.JobRow
	for i := range 1500 {
		rows = append(rows, view.JobRow{Link: view.Link{Href: "../jobs/ci-kubernetes-e2e-gce-" + strconv.Itoa(i) + ".html", Text: "ci-kubernetes-e2e-gce-" + strconv.Itoa(i)},
			Figure: "0.9" + strconv.Itoa(i), Severity: sev[i%5], Category: "e2e-gce"})
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := jobTable(rows).Render(context.Background(), &buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCrossLists renders a sub-pattern cross-listed with 100,000 others: the list is
// joined in linear time (joined with += it was quadratic: 21 s at 40,000 items).
func BenchmarkCrossLists(b *testing.B) {
	body := view.Body{Title: "T"}
	for i := range 100_000 {
		body.CrossLists = append(body.CrossLists, "pattern-"+strconv.Itoa(i))
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := patternBody(body, 2).Render(context.Background(), &buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100_000, "ns/item")
}

// TestTextEscapesAsTempl holds text to templ's own escaping of { expr }.
func TestTextEscapesAsTempl(t *testing.T) {
	for _, s := range []string{"", "plain", `<script>alert("x")</script>`, "a & b", "it's", "ünïcode \u00e9 \x00"} {
		var buf bytes.Buffer
		if err := text(s).Render(context.Background(), &buf); err != nil {
			t.Fatal(err)
		}
		if got, want := buf.String(), templ.EscapeString(s); got != want {
			t.Errorf("text(%q) wrote %q, templ writes %q", s, got, want)
		}
	}
}

// BenchmarkStatusTable renders a wide status table of 300 rows, some with a placement and a
// second owner, as the status pages and the home page show them.
func BenchmarkStatusTable(b *testing.B) {
	var l view.StatusList
	for i := range 300 {
		r := view.StatusRow{Job: view.Link{Href: "../jobs/j" + strconv.Itoa(i) + ".html", Text: "ci-job-" + strconv.Itoa(i)}, Figure: "12d", Before: "11d", Severity: "warning", Category: "e2e",
			Owner: view.Link{Href: "../sigs/sig-node.html", Text: "SIG Node"}, Fix: "none", ChangeWords: "growing"}
		if i%3 == 0 {
			r.Placed = []view.Link{{Href: "../patterns/p.html", Text: "p"}}
		}
		if i%5 == 0 {
			r.Also = []view.Link{{Href: "../sigs/sig-x.html", Text: "SIG X"}}
		}
		l.Rows = append(l.Rows, r)
	}
	l.Total = len(l.Rows)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := statusTable(l, true).Render(context.Background(), &buf); err != nil {
			b.Fatal(err)
		}
	}
}
