package site

import (
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/snapshot"
	"github.com/triagesite/triagesite/internal/view"
)

// point is a job in one snapshot of its dataset: 40 bytes, as two years of daily points are
// made for every job page.
type point struct {
	date    string
	ord     int32 // days since 1970
	present bool
	n       int32   // failing_days or flakes
	c       float64 // consistency
}

func (p point) job() snapshot.Job {
	return snapshot.Job{FailingDays: int(p.n), Flakes: int(p.n), Consistency: p.c}
}

// pointBufs hold *[]point buffers for jobPoints: two years of daily points are made for
// every job page, and a page's points are dropped as soon as it is prepared.
var pointBufs = sync.Pool{New: func() any { return new([]point) }}

// jobPoints lists a job in each snapshot of a dataset from its first appearance; trailing
// absences are cut to one, which is enough to say the job left. The points are written into
// buf's storage when it is large enough.
func jobPoints(buf []point, hist *snapshot.History, name string) []point {
	var out []point
	next := -1 // the next day to add
	absent := func(upto int) {
		for ; next < upto; next++ {
			d := hist.Day(next)
			out = append(out, point{date: d.Date(), ord: int32(d.Ordinal())})
		}
	}
	for day, j := range hist.Appearances(name) {
		if next < 0 {
			out, next = slices.Grow(buf[:0], hist.Len()-day), day
		}
		absent(day)
		d := hist.Day(day)
		p := point{date: d.Date(), ord: int32(d.Ordinal()), present: true, n: int32(j.FailingDays), c: j.Consistency}
		if hist.Dataset == snapshot.Flakes {
			p.n = int32(j.Flakes)
		}
		out, next = append(out, p), day+1
	}
	if next < 0 {
		return nil
	}
	absent(hist.Len())
	for len(out) > 1 && !out[len(out)-1].present && !out[len(out)-2].present {
		out = out[:len(out)-1]
	}
	return out
}

// historyRuns folds points into runs that tell one story each: absent; failing and growing
// by the calendar; or flaking at a steady figure. Two years of daily snapshots become a few
// rows, appended to out.
func historyRuns(out []view.HistoryPoint, ds snapshot.Dataset, points []point) []view.HistoryPoint {
	// Count the runs first: a job page holds hundreds, so the rows are allocated once.
	runs := 0
	for i, p := range points {
		if i == 0 || !continues(ds, points[i-1], p) {
			runs++
		}
	}
	out = slices.Grow(out, runs)
	first := len(out)
	for i, p := range points {
		if i > 0 && continues(ds, points[i-1], p) {
			r := &out[len(out)-1]
			r.To, r.Snapshots = p.date, r.Snapshots+1
			continue
		}
		endRun(out[first:], ds, points, i)
		r := view.HistoryPoint{Dataset: string(ds), From: p.date, To: p.date, Snapshots: 1, Present: p.present}
		if p.present {
			r.Figure = figure(ds, p.job())
		}
		out = append(out, r)
	}
	endRun(out[first:], ds, points, len(points))
	return out
}

// endRun finishes the last run of runs, which ended at the point before points[next]: a run
// is all present or all absent, so its last point says how it ended.
func endRun(runs []view.HistoryPoint, ds snapshot.Dataset, points []point, next int) {
	if len(runs) == 0 || next == 0 {
		return
	}
	p := points[next-1]
	if !p.present {
		return
	}
	r := &runs[len(runs)-1]
	r.LastFigure, r.Severity = r.Figure, string(analyze.SeverityOf(ds, p.job()))
	if ds != snapshot.Flakes { // a flakes run holds one figure throughout (see continues)
		r.LastFigure = figure(ds, p.job())
	}
}

func continues(ds snapshot.Dataset, a, b point) bool {
	if a.present != b.present {
		return false
	}
	if !a.present {
		return true
	}
	if ds == snapshot.Flakes {
		return a.c == b.c && a.n == b.n
	}
	return b.n == a.n+(b.ord-a.ord)
}

func value(ds snapshot.Dataset, j snapshot.Job) float64 {
	if ds == snapshot.Flakes {
		return j.Consistency
	}
	return float64(j.FailingDays)
}

// historyChart draws a job's figure over its snapshots as inline SVG with a text alternative.
// It returns "" when there is nothing to draw.
func historyChart(ds snapshot.Dataset, points []point) view.HTML {
	xs, ys := make([]int, 0, len(points)), make([]float64, 0, len(points))
	for i, p := range points {
		if p.present {
			xs, ys = append(xs, i), append(ys, value(ds, p.job()))
		}
	}
	if len(xs) < 2 {
		return ""
	}
	// left leaves room for the y-axis labels; the axis starts at zero, so that 50d → 51d
	// reads as the small step it is.
	const w, h, pad, left = 600.0, 140.0, 24.0, 56.0
	lo, hi := 0.0, ys[0]
	for _, y := range ys {
		hi = max(hi, y)
	}
	if ds == snapshot.Flakes {
		hi = 1
	}
	if hi == lo {
		hi = lo + 1
	}
	first, last := points[0], points[len(points)-1]
	label := fmt.Sprintf("%s of this job in %d snapshots from %s to %s: from %s to %s", metricName(ds), len(xs),
		first.date, last.date, figure(ds, points[xs[0]].job()), figure(ds, points[xs[len(xs)-1]].job()))
	// One builder, sized for the points, holds the whole SVG: it is most of a job page.
	var svg strings.Builder
	svg.Grow(600 + 2*len(label) + 12*len(xs))
	fmt.Fprintf(&svg, `<svg class="chart" viewBox="0 0 %g %g" role="img" aria-label="%s"><title>%s</title>`+
		`<line x1="%g" y1="%g" x2="%g" y2="%g"/><line x1="%g" y1="%g" x2="%g" y2="%g"/>`+
		`<text x="%g" y="%g" text-anchor="end">%s</text><text x="%g" y="%g" text-anchor="end">%s</text><polyline points="`,
		w, h, label, label, left, h-pad, w-pad, h-pad, left, pad, left, h-pad,
		left-4, pad+4, axisLabel(ds, hi), left-4, h-pad, axisLabel(ds, lo))
	span := float64(len(points) - 1)
	at := func(i int) (x, y float64) {
		return left + float64(xs[i])/span*(w-left-pad), h - pad - (ys[i]-lo)/(hi-lo)*(h-2*pad)
	}
	var num []byte
	sep := ""
	for i := range xs {
		if midway(xs, ys, i) {
			continue
		}
		x, y := at(i)
		num = append(num[:0], sep...)
		num = strconv.AppendFloat(num, x, 'f', 1, 64)
		num = append(num, ',')
		num = strconv.AppendFloat(num, y, 'f', 1, 64)
		svg.Write(num)
		sep = " "
	}
	svg.WriteString(`"/>`)
	if len(xs) == 2 { // two points: say the numbers rather than make the reader estimate a slope
		for i, anchor := range []string{"start", "end"} {
			x, y := at(i)
			fmt.Fprintf(&svg, `<text class="value" x="%.1f" y="%.1f" text-anchor="%s">%s</text>`, x, max(y-6, 12), anchor, figure(ds, points[xs[i]].job()))
		}
	}
	fmt.Fprintf(&svg, `<text x="%g" y="%g">%s</text><text x="%g" y="%g" text-anchor="end">%s</text></svg>`,
		left, h-6, first.date, w-pad, h-6, last.date)
	return view.HTML(svg.String())
}

// axisLabel is a y-axis value as the dataset writes it: failing days, or consistency.
func axisLabel(ds snapshot.Dataset, v float64) string {
	if ds == snapshot.Flakes {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + "d"
}

// midway reports a point that lies on the straight line between its neighbours, because it
// is one step of an arithmetic progression (a job failing one more day each day, or flaking
// at a steady rate): the line is drawn the same without it, and two years of such days would
// otherwise be hundreds of points.
func midway(xs []int, ys []float64, i int) bool {
	return i > 0 && i < len(xs)-1 && xs[i]-xs[i-1] == xs[i+1]-xs[i] && ys[i]-ys[i-1] == ys[i+1]-ys[i]
}

func metricName(ds snapshot.Dataset) string {
	if ds == snapshot.Flakes {
		return "Consistency"
	}
	return "Failing days"
}

// bar is one bar of a bar chart.
type bar struct {
	label string
	value float64
	text  string // the value as shown, e.g. "12" or "0.42"
	class string // a class for the bar's colour, e.g. "sev-critical"
}

// barChart draws horizontal bars as inline SVG. Colours come from classes in site.css (the
// CSP allows no style attributes); the <title> and aria-label say every value in words, and
// the page keeps the same figures in a table, so nothing depends on seeing the chart.
func barChart(what string, bars []bar) view.HTML {
	if len(bars) == 0 {
		return ""
	}
	const w, row, labelW, pad = 600.0, 22.0, 190.0, 6.0
	hi := 0.0
	for _, b := range bars {
		hi = max(hi, b.value)
	}
	if hi == 0 {
		hi = 1
	}
	h := float64(len(bars))*row + pad
	var alt, body strings.Builder
	alt.WriteString(what + ": ")
	for i, b := range bars {
		if i > 0 {
			alt.WriteString(", ")
		}
		alt.WriteString(b.label + " " + b.text)
		y := pad/2 + float64(i)*row
		bw := b.value / hi * (w - labelW - 60)
		if b.value > 0 && bw < 2 {
			bw = 2
		}
		label := b.label
		if r := []rune(label); len(r) > 28 {
			label = string(r[:27]) + "…"
		}
		fmt.Fprintf(&body, `<text class="label" x="%g" y="%.1f" text-anchor="end">%s</text>`, labelW-8, y+row*0.68, html.EscapeString(label))
		fmt.Fprintf(&body, `<rect class="%s" x="%g" y="%.1f" width="%.1f" height="%.1f"/>`, html.EscapeString(b.class), labelW, y+3, bw, row-6)
		fmt.Fprintf(&body, `<text class="value" x="%.1f" y="%.1f">%s</text>`, labelW+bw+6, y+row*0.68, html.EscapeString(b.text))
	}
	a := html.EscapeString(alt.String())
	return view.HTML(fmt.Sprintf(`<svg class="chart bars" viewBox="0 0 %g %g" role="img" aria-label="%s"><title>%s</title>%s</svg>`, w, h, a, a, body.String()))
}

// severityChart draws how many jobs fall in each severity bucket.
func severityChart(bs []view.Bucket) view.HTML {
	total := 0
	bars := make([]bar, len(bs))
	for i, b := range bs {
		total += b.Count
		bars[i] = bar{label: b.Name, value: float64(b.Count), text: strconv.Itoa(b.Count), class: "sev-" + b.Name}
	}
	return barChart("Jobs by severity, "+strconv.Itoa(total)+" in all", bars)
}

// categoryChart draws how many jobs each category has, with its Appendix A score beside.
func categoryChart(rows []view.CategoryRow) view.HTML {
	bars := make([]bar, len(rows))
	for i, r := range rows {
		bars[i] = bar{label: r.Category, value: float64(r.Count), text: strconv.Itoa(r.Count) + " (score " + r.Score + ")", class: "category"}
	}
	return barChart("Jobs by category, with the Appendix A score", bars)
}

// countChart draws how many of a pattern's jobs each snapshot lists, with the y axis labelled
// at 0 and at its highest count. It returns "" for fewer than two snapshots.
func countChart(what string, dates []string, counts []int) view.HTML {
	if len(counts) < 2 {
		return ""
	}
	const w, h, pad, left = 600.0, 120.0, 20.0, 36.0
	hi := 1
	for _, n := range counts {
		hi = max(hi, n)
	}
	label := fmt.Sprintf("%s in %d snapshots from %s to %s: from %d to %d, at most %d", what, len(counts), dates[0], dates[len(dates)-1], counts[0], counts[len(counts)-1], hi)
	var svg strings.Builder
	fmt.Fprintf(&svg, `<svg class="chart" viewBox="0 0 %g %g" role="img" aria-label="%s"><title>%s</title>`, w, h, html.EscapeString(label), html.EscapeString(label))
	fmt.Fprintf(&svg, `<line x1="%g" y1="%g" x2="%g" y2="%g"/><line x1="%g" y1="%g" x2="%g" y2="%g"/>`, left, h-pad, w-pad, h-pad, left, pad, left, h-pad)
	fmt.Fprintf(&svg, `<text x="%g" y="%g" text-anchor="end">%d</text><text x="%g" y="%g" text-anchor="end">0</text>`, left-4, pad+4, hi, left-4, h-pad)
	svg.WriteString(`<polyline points="`)
	span := float64(len(counts) - 1)
	prevY := -1.0
	for i, n := range counts {
		x := left + float64(i)/span*(w-pad-left)
		y := h - pad - float64(n)/float64(hi)*(h-2*pad)
		if i > 0 && y != prevY { // a step: hold the last count up to this snapshot
			fmt.Fprintf(&svg, " %.1f,%.1f", x, prevY)
		}
		if i > 0 && y == prevY && i < len(counts)-1 {
			continue // the line runs on flat without the point
		}
		if i > 0 {
			svg.WriteByte(' ')
		}
		fmt.Fprintf(&svg, "%.1f,%.1f", x, y)
		prevY = y
	}
	fmt.Fprintf(&svg, `"/><text x="%g" y="%g">%s</text><text x="%g" y="%g" text-anchor="end">%s</text></svg>`, left, h-4, dates[0], w-pad, h-4, dates[len(dates)-1])
	return view.HTML(svg.String())
}
