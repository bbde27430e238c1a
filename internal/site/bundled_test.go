package site_test

import (
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/site"
)

// TestBundledContent loads the real content, builds it, and checks that every page a reader
// can start from exists and that no internal link or anchor is broken.
func TestBundledContent(t *testing.T) {
	tree, err := content.Load(os.DirFS("../../content"), "content")
	if err != nil {
		t.Fatalf("bundled content does not load:\n%v", err)
	}
	pages := buildTree(t, tree)
	for _, r := range tree.Reports {
		mustHave(t, pages, "reports/"+r.ID+".html", "reports/"+r.ID+".md")
	}
	for _, p := range tree.Patterns {
		mustHave(t, pages, "patterns/"+p.Slug+".html")
	}
	for _, s := range tree.SIGs {
		mustHave(t, pages, "sigs/"+s.ID+".html")
	}
	for _, s := range tree.Snapshots {
		for j := range s.Jobs.All() {
			// One page per job, under Prow's name: kettle's "pr:pull-x" is pull-x.
			mustHave(t, pages, "jobs/"+site.JobSlug(strings.TrimPrefix(j.Name, "pr:"))+".html")
		}
	}
	for name, page := range pages {
		if strings.HasPrefix(name, "jobs/") && name != "jobs/index.html" && !strings.Contains(string(page), `href="https://prow.k8s.io/job-history/gs/kubernetes-ci-logs/`) {
			t.Errorf("%s does not link the job's Prow history", name)
		}
	}
	// The terms index finds what readers type that is no page's title: each query's words
	// are all in one entry.
	var terms struct{ Pages [][]string }
	if err := json.Unmarshal(pages["search-text.json"], &terms); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"CPUCFSQuotaPeriod", "@hakman", "ImagePullBackOff", "manifest unknown"} {
		found := false
		for _, e := range terms.Pages {
			key := strings.ToLower(strings.Join(e[1:], " "))
			all := true
			for _, w := range strings.Fields(strings.ToLower(q)) {
				all = all && strings.Contains(key, w)
			}
			found = found || all
		}
		if !found {
			t.Errorf("search-text.json does not find %q", q)
		}
	}
	// Only pages with highlighted code load its stylesheet.
	for name, page := range pages {
		if strings.HasSuffix(name, ".html") && strings.Contains(string(page), "assets/highlight.css") != strings.Contains(string(page), `class="chroma`) {
			t.Errorf("%s: links highlight.css %v, has highlighted code %v", name, strings.Contains(string(page), "assets/highlight.css"), strings.Contains(string(page), `class="chroma`))
		}
	}
	// Citations verification answered alike are one row: the bundled lock has checked none.
	if v := string(pages["verification.html"]); strings.Count(v, `<tr><td><span class="badge`) != 1 || !regexp.MustCompile(`<summary>\d+ citations</summary>`).MatchString(v) {
		t.Errorf("verification.html should collapse its 374 unverifiable citations into one row")
	}
	// The flakes report shortens two jobs' names; each still has one page.
	for _, spelling := range []string{"jobs/pr_pull-kubernetes-e2e-ec2-cloud-provider-dual-stack-quick.html", "jobs/gci-gce-flaky.html", "jobs/kind-network-deprecate-endpoints.html"} {
		if _, ok := pages[spelling]; ok {
			t.Errorf("%s exists beside the job's page under its full name", spelling)
		}
	}
	mustHave(t, pages, "index.html", "drift/index.html", "drift/failures-2026-05-09-to-2026-05-10.html",
		"refs/index.html", "actions.html", "search.html", "search-index.json", "feed.xml", "404.html")
	for _, c := range tree.Citations {
		if c.Ref.Kind == citation.KindRef {
			mustHave(t, pages, "refs/"+strings.ToLower(strings.ReplaceAll(c.Ref.Repo, "/", "-"))+"-"+strconv.Itoa(c.Ref.Number)+".html")
		}
	}
	checkLinks(t, pages)
	checkIndexLinks(t, pages, "")
	if !strings.Contains(string(pages["index.html"]), "reports/2026-05-10-flakes.html") {
		t.Error("home page does not link the flakes report")
	}
}

func mustHave(t *testing.T, pages memSite, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if _, ok := pages[p]; !ok {
			t.Errorf("no page %s", p)
		}
	}
}
