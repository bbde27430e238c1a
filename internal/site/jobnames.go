package site

import (
	"sort"
	"strings"
)

// jobNames gives each job one page. Kettle's snapshots write presubmits as "pr:pull-x" while
// Prow and the reports call them "pull-x", and a report may shorten a name to its tail
// ("gci-gce-flaky" for ci-kubernetes-e2e-gci-gce-flaky): every spelling is one job.
type jobNames struct {
	page   map[string]string // any spelling → the name of the job's page (Prow's name)
	kettle map[string]string // page name → the spelling the snapshots use
}

// newJobNames learns the snapshots' spellings, then maps each other name to a snapshot job
// when it is that job without "pr:", or the tail of exactly one snapshot job's name.
func newJobNames(inSnapshots, others []string) *jobNames {
	n := &jobNames{page: map[string]string{}, kettle: map[string]string{}}
	var pages []string
	for _, s := range inSnapshots {
		p := strings.TrimPrefix(s, "pr:")
		n.page[s] = p
		if _, ok := n.kettle[p]; !ok || strings.HasPrefix(s, "pr:") {
			n.kettle[p] = s
		}
		pages = append(pages, p)
	}
	sort.Strings(pages)
	for _, o := range others {
		if _, ok := n.page[o]; ok {
			continue
		}
		p := strings.TrimPrefix(o, "pr:")
		if _, ok := n.kettle[p]; !ok {
			if whole := uniqueTail(pages, p); whole != "" {
				p = whole
			}
		}
		n.page[o] = p
	}
	return n
}

// uniqueTail is the one name among pages that ends in "-"+tail, or "".
func uniqueTail(pages []string, tail string) string {
	found, suffix := "", "-"+tail // joined once: pages holds every snapshot job
	for _, p := range pages {
		if strings.HasSuffix(p, suffix) {
			if found != "" {
				return ""
			}
			found = p
		}
	}
	return found
}

// of is the page name of a job spelled any way; an unknown name is its own.
func (n *jobNames) of(name string) string {
	if p, ok := n.page[name]; ok {
		return p
	}
	return strings.TrimPrefix(name, "pr:")
}

// inSnapshots is how the snapshots spell the job of a page (its page name when they do not list it).
func (n *jobNames) inSnapshots(page string) string {
	if s, ok := n.kettle[page]; ok {
		return s
	}
	return page
}

// presubmit tells whether a job runs on pull requests, so its history lives under pr-logs.
func (n *jobNames) presubmit(page string) bool {
	return strings.HasPrefix(page, "pull-") || strings.HasPrefix(n.inSnapshots(page), "pr:")
}
