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
