package synth

import (
	"fmt"
	"strconv"

	"github.com/triagesite/triagesite/internal/outline"
)

// reportsPerDataset is how many weekly reports each dataset gets, newest on the last day.
const reportsPerDataset = 2

// patternsPerReport matches the real reports, which run to a dozen or two lettered patterns.
const patternsPerReport = 26

func (g *gen) writeReports(dir string, plans []plan) error {
	for _, ds := range []string{"failures", "flakes"} {
		var mine []plan
		for _, p := range plans {
			if p.dataset == ds {
				mine = append(mine, p)
			}
		}
		for k := range reportsPerDataset {
			day := g.s.Days - 1 - 7*k
			if day < 0 || len(mine) == 0 {
				continue
			}
			date := dayDate(end, g.s.Days, day)
			if err := writeFile(dir, "reports/"+date+"-"+ds+".yaml", g.report(ds, day, k, mine)); err != nil {
				return err
			}
		}
	}
	return nil
}

// reportPatterns is the window of a dataset's patterns report k carries; consecutive reports overlap.
func reportPatterns(mine []plan, k int) []plan {
	n := min(patternsPerReport, len(mine))
	out := make([]plan, n)
	for i := range out {
		out[i] = mine[(k*patternsPerReport/2+i)%len(mine)]
	}
	return out
}

// report writes reports/<date>-<dataset>.yaml with every section a real report has.
func (g *gen) report(ds string, day, k int, mine []plan) []byte {
	date := dayDate(end, g.s.Days, day)
	pats := reportPatterns(mine, k)
	w := &yw{}
	w.comment("Synthetic " + ds + " report (internal/synth).")
	w.str("title", "Kubernetes CI "+ds+" triage, "+date)
	w.str("date", date)
	w.str("dataset", ds)
	w.str("version", "v3")
	w.str("snapshot", date)
	if day > 0 {
		w.str("prior_snapshot", dayDate(end, g.s.Days, day-1))
	}
	w.str("default_repo", "kubernetes/kubernetes")
	w.str("author", pick(g.r, people))
	w.str("source_url", "https://gist.github.com/synthetic/"+date+"-"+ds)
	w.md("method", g.markdown(1, true))
	w.mdList("banner", []string{g.sentence(true), g.sentence(true)})
	g.status(w, pats)
	w.block(outline.TLDR.Key, func() {
		w.md("headline", g.para(1, true))
		w.mdList("takeaways", g.sentences(4))
		w.md("notes", g.para(2, true))
	})
	w.md("patterns_intro", g.para(2, true))
	w.items(outline.Patterns.Key, len(pats), func(i int) {
		w.str("letter", letter(i))
		w.str("pattern", pats[i].slug)
		if i%3 == 0 {
			w.str("heading", pats[i].title+" (as this report groups it)")
			w.md("note", g.sentence(true))
		}
	})
	g.misclassified(w)
	g.tiers(w, pats)
	g.rest(w)
	return w.b.Bytes()
}

func (g *gen) sentences(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = g.sentence(true)
	}
	return out
}

func (g *gen) status(w *yw, pats []plan) {
	r := g.r
	w.block(outline.Status.Key, func() {
		w.items("clusters", min(6, len(pats)), func(i int) {
			w.str("label", letter(i))
			w.str("name", pats[i].title)
			w.str("subpatterns", fmt.Sprintf("%s.1-%s.%d", letter(i), letter(i), pats[i].subs))
			w.md("highlight", g.sentence(true))
		})
		w.items("nudge_targets", 3, func(int) {
			w.strs("refs", []string{fmt.Sprintf("k/k#%d", 130000+r.IntN(9000)), fmt.Sprintf("#%d", 130000+r.IntN(9000))})
			w.str("pattern", pick(r, pats).slug)
			w.md("state", g.sentence(true))
			w.md("block", g.sentence(true))
			w.md("cleared", g.sentence(true))
		})
		w.mdList("open_work", g.sentences(3))
		w.md("notes", g.para(2, true))
	})
}

func (g *gen) misclassified(w *yw) {
	w.items(outline.Misclassifications.Key, 2, func(int) {
		w.md("entry", g.sentence(true))
		w.strs("jobs", []string{pick(g.r, g.stable), pick(g.r, g.stable)})
		w.md("reality", g.sentence(true))
	})
}

// tiers writes the action plan, tiers 0 to 5, with the optional columns varying by tier.
func (g *gen) tiers(w *yw, pats []plan) {
	r := g.r
	w.items(outline.ActionPlan.Key, 6, func(t int) {
		w.num("tier", t)
		w.items("items", 2+r.IntN(4), func(i int) {
			w.str("id", strconv.Itoa(t)+"."+strconv.Itoa(i+1))
			w.md("action", g.sentence(true))
			for _, col := range []string{"cleared", "block", "owner", "status", "why"} {
				if r.IntN(2) == 0 {
					w.md(col, g.sentence(true))
				}
			}
			w.str("where", fileRef(r))
			w.strs("refs", []string{fmt.Sprintf("k/k#%d", 130000+r.IntN(9000)), fileRef(r)})
			w.strs("sigs", []string{pick(r, sigNames)[0]})
			w.str("pattern", pick(r, pats).slug)
		})
		w.mdList("notes", g.sentences(1))
	})
}

// rest writes the sections after the action plan.
func (g *gen) rest(w *yw) {
	r := g.r
	w.mdList(outline.Methodology.Key, g.sentences(3))
	w.md("metric_notes", g.para(2, true))
	w.block(outline.Drift.Key, func() {
		w.md("summary", g.para(2, true))
		w.mdList("notes", g.sentences(2))
	})
	w.items(outline.Verifications.Key, 6, func(i int) {
		w.str("id", "Q"+strconv.Itoa(i+1))
		w.md("question", g.sentence(true))
		w.str("verdict", pick(r, []string{"CONFIRMED", "PARTIAL", "REFUTED"}))
		w.md("detail", g.para(2, true))
	})
	w.mdList(outline.OpenQuestions.Key, g.sentences(3))
	w.md(outline.Appendix.Key, g.markdown(3, true))
	w.items(outline.OtherCitations.Key, 5, func(k int) { g.claim(w, k, true) })
}
