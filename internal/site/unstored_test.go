package site_test

import (
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/site"
	"github.com/triagesite/triagesite/internal/sitetest"
)

// TestUnstoredIsNotNew: a job the partial previous snapshot does not store is not known to
// be new. The home page's on-fire card and the status page both say so in the same words,
// and neither ranks the job first as a new one would be (ci-node-c, with more failing days
// and unstored, ranks after ci-node-a, growing).
func TestUnstoredIsNotNew(t *testing.T) {
	s := sitetest.Build(t, site.Options{}, afterPartial)
	const (
		a = `ci-node-a</a></td><td>13d <span class="meta">(was 12d)</span></td><td class="sev-low">low</td><td>+1d</td>`
		c = `ci-node-c</a></td><td>25d</td><td class="sev-low">low</td><td>not stored before</td>`
	)
	status := string(s.Page("status/failures-2026-05-11.html"))
	home := string(s.Page("index.html"))
	for name, page := range map[string]string{"status page": status, "home page": home} {
		fire := page[strings.Index(page, `id="on-fire"`):]
		i, j := strings.Index(fire, a), strings.Index(fire, c)
		if i < 0 || j < 0 {
			t.Errorf("%s: on fire lacks\n%s\nor\n%s\nin\n%s", name, a, c, fire)
			continue
		}
		if j < i {
			t.Errorf("%s ranks the unstored ci-node-c before the growing ci-node-a, as if it were new", name)
		}
		if strings.Contains(fire, "<td>new</td>") {
			t.Errorf("%s calls a job new after a partial snapshot", name)
		}
	}
}

// TestDigestNotesAfterPartial: the digest page says why its new list cannot be known in the
// words the CLI digest uses (analyze.DigestDataset.NewNote).
func TestDigestNotesAfterPartial(t *testing.T) {
	s := sitetest.Build(t, site.Options{}, afterPartial)
	s.AssertFileContent("sigs/sig-node-digest.html", `
		The 2026-05-10 snapshot is partial, so a job it lacks may not be new.
		! may still fail
	`)
}

// afterPartial is a whole snapshot after a partial one that lacks ci-node-c.
const afterPartial = `
-- repos.yaml --
repos:
  - repo: kubernetes/kubernetes
    aliases: [k/k]
-- sigs.yaml --
sigs:
  - id: sig-node
    name: SIG Node
    label: sig/node
    job_prefixes: [ci-node-]
-- categories.yaml --
rules: []
fallback: other
-- snapshots/failures/2026-05-10.json --
{"ci-node-a": {"failing_days": 12}}
-- snapshots/failures/2026-05-10.meta.yaml --
dataset: failures
date: "2026-05-10"
source: gs://k8s-metrics/failures-latest.json
sha256: auto
partial: true
jobs_in_source: 2
-- snapshots/failures/2026-05-11.json --
{"ci-node-a": {"failing_days": 13}, "ci-node-c": {"failing_days": 25}}
-- snapshots/failures/2026-05-11.meta.yaml --
dataset: failures
date: "2026-05-11"
source: gs://k8s-metrics/failures-latest.json
sha256: auto
`
