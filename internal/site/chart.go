package site

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/triagesite/triagesite/internal/snapshot"
	"github.com/triagesite/triagesite/internal/view"
)

// historyChart draws a job's figure over its snapshots as inline SVG with a text alternative.
// It returns "" when there is nothing to draw.
func historyChart(ds snapshot.Dataset, points []view.HistoryPoint) view.HTML {
	var xs []int
	var ys []float64
	for i, p := range points {
		if !p.Present {
			continue
		}
		xs = append(xs, i)
		ys = append(ys, parseFigure(ds, p.Figure))
	}
	if len(xs) < 2 {
		return ""
	}
	const w, h, pad = 600.0, 140.0, 24.0
	lo, hi := ys[0], ys[0]
	for _, y := range ys {
		lo, hi = min(lo, y), max(hi, y)
	}
	if ds == snapshot.Flakes {
		lo, hi = 0, 1
	}
	if hi == lo {
		hi = lo + 1
	}
	span := float64(len(points) - 1)
	var pts strings.Builder
	for i := range xs {
		x := pad + float64(xs[i])/span*(w-2*pad)
		y := h - pad - (ys[i]-lo)/(hi-lo)*(h-2*pad)
		fmt.Fprintf(&pts, "%.1f,%.1f ", x, y)
	}
	label := fmt.Sprintf("%s of this job in %d snapshots from %s to %s: from %s to %s", metricName(ds), len(xs),
		points[0].Date, points[len(points)-1].Date, points[xs[0]].Figure, points[xs[len(xs)-1]].Figure)
	return view.HTML(fmt.Sprintf(`<svg class="chart" viewBox="0 0 %g %g" role="img" aria-label="%s"><title>%s</title>`+
		`<line x1="%g" y1="%g" x2="%g" y2="%g"/><polyline points="%s"/>`+
		`<text x="%g" y="%g">%s</text><text x="%g" y="%g" text-anchor="end">%s</text></svg>`,
		w, h, label, label, pad, h-pad, w-pad, h-pad, strings.TrimSpace(pts.String()),
		pad, h-6, points[0].Date, w-pad, h-6, points[len(points)-1].Date))
}

func metricName(ds snapshot.Dataset) string {
	if ds == snapshot.Flakes {
		return "Consistency"
	}
	return "Failing days"
}

// parseFigure reads back the number a figure string starts with ("153d", "c=0.615, flakes=7").
func parseFigure(ds snapshot.Dataset, f string) float64 {
	f = strings.TrimPrefix(f, "c=")
	end := strings.IndexAny(f, "d,")
	if end >= 0 {
		f = f[:end]
	}
	v, _ := strconv.ParseFloat(f, 64)
	return v
}
