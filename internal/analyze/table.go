package analyze

import (
	"fmt"
	"io"
	"strconv"

	"github.com/triagesite/triagesite/internal/snapshot"
)

// WriteTable writes the category table and the Appendix A scores, marking the top clusters
// the runbook says to investigate.
func WriteTable(w io.Writer, label string, snap *snapshot.Snapshot, rows []CategoryRow, top int) {
	jobs, categories := "jobs", "categories"
	if len(snap.Jobs) == 1 {
		jobs = "job"
	}
	if len(rows) == 1 {
		categories = "category"
	}
	fmt.Fprintf(w, "Total: %d %s in %d %s (%s)\n", len(snap.Jobs), jobs, len(rows), categories, label)
	fmt.Fprintf(w, "  %-35s %-8s\n", "CATEGORY", "COUNT")
	for _, r := range rows {
		fmt.Fprintf(w, "  %-35s %-8d\n", r.Category, len(r.Jobs))
	}
	fmt.Fprintf(w, "\nAppendix A cluster scores (investigate the top %d):\n", top)
	fmt.Fprintf(w, "  %-4s %-35s %6s %8s %s\n", "RANK", "CATEGORY", "COUNT", worstLabel(snap.Dataset), "SCORE")
	for i, r := range ByScore(rows) {
		mark := " "
		if i < top {
			mark = "*"
		}
		fmt.Fprintf(w, "%s %-4d %-35s %6d %8s %.3f\n", mark, i+1, r.Category, len(r.Jobs), strconv.FormatFloat(r.Worst, 'f', -1, 64), r.Score)
	}
}

func worstLabel(ds snapshot.Dataset) string {
	if ds == snapshot.Flakes {
		return "MIN-C"
	}
	return "MAX-DAYS"
}
