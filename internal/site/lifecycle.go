package site

import (
	"strconv"
	"strings"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
	"github.com/triagesite/triagesite/internal/view"
)

// lifecycle is a pattern's jobs over its dataset's stored snapshots, for its page.
func (b *builder) lifecycle(p *content.Pattern) view.Lifecycle {
	ds := snapshot.Dataset(p.Dataset)
	h := b.index.history[ds]
	l := analyze.LifecycleOf(h, b.index.patternIDs[ds][p], func(date string) bool { return b.partial(ds, date) })
	verb := ds.Verb()
	v := view.Lifecycle{State: string(l.State),
		Chart: countChart("Jobs of this pattern "+verb, l.Dates, l.Failing)}
	if l.FirstSeen != "" {
		v.Facts = append(v.Facts, "first seen "+l.FirstSeen)
	}
	for _, r := range l.Regressions {
		v.Facts = append(v.Facts, "regressed "+r)
	}
	if l.Resolved != "" {
		v.Facts = append(v.Facts, "resolved "+l.Resolved+", "+count(l.ResolvedDays, "day", "days")+" after it was first seen")
	}
	if n := len(l.Failing); n > 0 {
		v.Facts = append(v.Facts, strconv.Itoa(l.Failing[n-1])+" of its jobs "+verb+" in the newest snapshot, "+l.Dates[n-1])
	}
	if l.State == analyze.Unknown {
		v.Facts = append(v.Facts, "the newest snapshot is partial and lists none of its jobs: whether they still fail is not known")
	}
	return v
}

// sinceReport puts a pattern's jobs in the newest snapshot beside the report's own snapshot.
func (b *builder) sinceReport(p *content.Pattern, r *content.Report) string {
	ds := snapshot.Dataset(p.Dataset)
	h := b.index.history[ds]
	then, ok := h.Find(r.Snapshot)
	now, okNow := h.Latest()
	if !ok || !okNow {
		return ""
	}
	if then.Index() == now.Index() {
		return "No snapshot has been stored since this report's (" + r.Snapshot + ")."
	}
	in := func(d snapshot.Day, id int32) bool {
		_, ok := d.Job(h.Names()[id])
		return ok
	}
	still, gone, fresh := 0, 0, 0
	for _, id := range b.index.patternIDs[ds][p] {
		a, z := in(then, id), in(now, id)
		switch {
		case a && z:
			still++
		case a:
			gone++
		case z:
			fresh++
		}
	}
	verb := "fail"
	if ds == snapshot.Flakes {
		verb = "flake"
	}
	parts := []string{strconv.Itoa(still) + " of the " + strconv.Itoa(still+gone) + " jobs it had then still " + verb}
	if b.partial(ds, now.Date()) {
		parts = append(parts, "recovered not known (the newest snapshot is partial)")
	} else {
		parts = append(parts, strconv.Itoa(gone)+" recovered")
	}
	parts = append(parts, strconv.Itoa(fresh)+" newly matched")
	s := "Since this report (snapshot " + r.Snapshot + "), as of " + now.Date() + ": " + strings.Join(parts, ", ") + "."
	if m := b.index.metas[ds][r.Snapshot]; m != nil && m.Partial {
		s += " The report's snapshot is partial (" + b.stored(ds, r.Snapshot, then.Len()) + "), so these counts are not the report's own figures."
	}
	return s
}
