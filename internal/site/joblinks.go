package site

import (
	"net/url"

	"github.com/triagesite/triagesite/internal/view"
)

// The places a reader goes next from a job page, as kettle and go.k8s.io/triage link them.
const (
	prowURL   = "https://prow.k8s.io/"
	gcsweb    = "https://gcsweb.k8s.io/gcs/kubernetes-ci-logs/"
	codeIndex = "https://cs.k8s.io/"
)

// jobLinks links a job's Prow history, its runs on Prow's front page, its build bucket and
// the search for its configuration in test-infra. Presubmits keep their logs under
// pr-logs/directory/, everything else under logs/.
func jobLinks(name string, presubmit bool) []view.Link {
	logs := "logs/" + url.PathEscape(name)
	if presubmit {
		logs = "pr-logs/directory/" + url.PathEscape(name)
	}
	q := url.Values{"q": {"name: " + name + "$"}, "i": {"nope"}, "repos": {"kubernetes/test-infra"}}
	return []view.Link{
		{Href: prowURL + "job-history/gs/kubernetes-ci-logs/" + logs, Text: "Prow job history"},
		{Href: prowURL + "?job=" + url.QueryEscape(name), Text: "recent runs on Prow"},
		{Href: gcsweb + logs + "/", Text: "build bucket"},
		{Href: codeIndex + "?" + q.Encode(), Text: "job config in test-infra (code search)"},
	}
}
