package site

import (
	"regexp"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/snapshot"
)

// TestHistoryChartDropsOnlyPointsOnTheLine: days of steady growth collapse into one segment,
// while a reset, a gap and the ends keep their points.
func TestHistoryChartDropsOnlyPointsOnTheLine(t *testing.T) {
	var points []point
	add := func(present bool, days int) {
		points = append(points, point{present: present, n: int32(days)})
	}
	for d := range 10 {
		add(true, 100+d) // 0..9: one straight line
	}
	add(true, 0) // 10: reset
	add(true, 1) // 11
	add(false, 0)
	add(true, 3) // 13: after a gap
	points[0].date, points[len(points)-1].date = "2026-01-01", "2026-01-14"
	svg := string(historyChart(snapshot.Failures, points))
	m := regexp.MustCompile(`points="([^"]*)"`).FindStringSubmatch(svg)
	if m == nil {
		t.Fatalf("no polyline in %s", svg)
	}
	got := strings.Fields(m[1])
	// Kept: 0 and 9 (ends of the line), 10 (reset), 11, 13 (the point before the gap and
	// after it are not one step of a progression).
	if len(got) != 5 {
		t.Fatalf("polyline has %d points, want 5: %v", len(got), got)
	}
	if !strings.Contains(svg, "in 13 snapshots") {
		t.Errorf("the label should still count every snapshot: %s", svg)
	}
}

// TestCountChartLabelsItsAxisAndSteps: the y axis is labelled 0 and at the highest count, and
// a flat run is one segment.
func TestCountChartLabelsItsAxisAndSteps(t *testing.T) {
	dates := []string{"2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05"}
	svg := string(countChart("Jobs of this pattern failing", dates, []int{4, 4, 4, 1, 0}))
	for _, want := range []string{`text-anchor="end">4</text>`, `text-anchor="end">0</text>`, "from 4 to 0, at most 4", "2026-05-01", "2026-05-05"} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q: %s", want, svg)
		}
	}
	m := regexp.MustCompile(`points="([^"]*)"`).FindStringSubmatch(svg)
	if m == nil {
		t.Fatalf("no polyline in %s", svg)
	}
	// 0 (4), the step to 1 at day 3 (two points), the step to 0 at day 4 (two points).
	if got := strings.Fields(m[1]); len(got) != 5 {
		t.Errorf("polyline has %d points, want 5: %v", len(got), got)
	}
	if countChart("x", dates[:1], []int{3}) != "" {
		t.Error("one snapshot should draw nothing")
	}
}
