package site_test

import (
	"html"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/triagesite/triagesite/internal/site"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// bundledPlus is the bundled content with the files of the txtar archives added or replaced.
func bundledPlus(t *testing.T, archives ...string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS("../../content"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile("../../content/" + p)
		fsys[p] = &fstest.MapFile{Data: data, Mode: 0o644}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range txtarfs.FS(archives...) {
		fsys[name] = f
	}
	return fsys
}

func livingArchive(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/living.txtar")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// section is the HTML of a page from the heading with id to the next h2.
func section(t *testing.T, page []byte, id string) string {
	t.Helper()
	s := string(page)
	i := strings.Index(s, `<h2 id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no section %s", id)
	}
	if j := strings.Index(s[i+1:], "<h2"); j >= 0 {
		return s[i : i+1+j]
	}
	return s[i:]
}

var tagRe = regexp.MustCompile(`<[^>]*>`)

func text(s string) string { return html.UnescapeString(tagRe.ReplaceAllString(s, "")) }

// TestLivingTriage is issue 12's acceptance case: the bundled content plus one more whole
// snapshot per dataset. Every page it asks for is built, linked from the home page, and its
// figures are the ones the snapshots give.
func TestLivingTriage(t *testing.T) {
	pages := build(t, bundledPlus(t, livingArchive(t)), site.Options{})
	const status = "status/failures-2026-05-11.html"
	mustHave(t, pages, status, "status/failures-2026-05-11.md", "status/flakes-2026-05-11.html", "status/index.html",
		"sigs/sig-cluster-lifecycle-digest.html", "sigs/sig-cluster-lifecycle-digest.xml")
	home := string(pages["index.html"])
	if i, j := strings.Index(home, `href="`+status+`"`), strings.Index(home, `href="status/failures-2026-05-10.html"`); i < 0 || j < 0 || i > j {
		t.Errorf("home page does not link the newest status page first (at %d, the older one at %d)", i, j)
	}
	for _, link := range []string{`href="sigs/sig-node-digest.html"`, `href="status/index.html"`} {
		if !strings.Contains(home, link) {
			t.Errorf("home page lacks %s", link)
		}
	}
	page := pages[status]
	// 2026-05-11 is whole, so what it lacks recovered, with the pattern each was placed in.
	rec := text(section(t, page, "recovered"))
	for _, want := range []string{"Recovered since 2026-05-10 (12)",
		"periodic-cluster-api-provider-aws-e2e-conformance-with-k8s-ci-artifacts-release-2-9", "C.Q.1",
		"post-gcp-compute-persistent-disk-csi-driver-push-images", "Stale gcb-docker-gcloud"} {
		if !strings.Contains(rec, want) {
			t.Errorf("recovered section lacks %q:\n%s", want, rec)
		}
	}
	// 2026-05-10 is partial: what it does not store is listed, not called new.
	nw := text(section(t, page, "new"))
	if !strings.Contains(nw, "Not in the partial snapshot of 2026-05-10 (2)") || !strings.Contains(nw, "ci-kubernetes-e2e-brand-new-lane") {
		t.Errorf("new section:\n%s", nw)
	}
	unexplained := text(section(t, page, "unexplained"))
	if !strings.Contains(unexplained, "ci-kubernetes-e2e-brand-new-lane") || strings.Contains(unexplained, "e2e-kops-grid-calico-u2404-k35-ko35") {
		t.Errorf("unexplained: want the new lane, not the ko35 job its matcher claims:\n%s", unexplained)
	}
	live := text(section(t, page, "patterns"))
	for _, want := range []string{
		"C.Q.1 CAPA -k8s-ci-artifacts lanes versus Kubernetes master: 3 of 4 still failing, 1 recovered",
		"B.2 Newly added -ko35 grid jobs: 0 of 0 still failing, 0 recovered, 1 more not in the partial previous snapshot",
	} {
		if !strings.Contains(live, want) {
			t.Errorf("patterns section lacks %q:\n%s", want, live)
		}
	}
	if !strings.Contains(string(page), "by design") {
		t.Error("status page marks no job by design")
	}
	md := string(pages["status/failures-2026-05-11.md"])
	if !strings.Contains(md, "### Recovered since 2026-05-10 (12)") || !strings.Contains(md, "| [`ci-kubernetes-e2e-brand-new-lane`](../jobs/ci-kubernetes-e2e-brand-new-lane.html)") {
		t.Errorf("markdown status:\n%s", md)
	}
	flakes := text(section(t, pages["status/flakes-2026-05-11.html"], "recovered"))
	if !strings.Contains(flakes, "ci-kubernetes-cross-canary") {
		t.Errorf("flakes recovered:\n%s", flakes)
	}
	checkLinks(t, pages)
	checkIndexLinks(t, pages, "")
}

// TestStatusNumbersFollowTheSnapshot changes the new snapshot and sees the figures move.
func TestStatusNumbersFollowTheSnapshot(t *testing.T) {
	archive := livingArchive(t)
	// The -release-2-9 lane fails on: it is no longer recovered.
	changed := strings.Replace(archive, `"periodic-cluster-api-provider-aws-e2e-conformance-with-k8s-ci-artifacts-release-2-10"`,
		`"periodic-cluster-api-provider-aws-e2e-conformance-with-k8s-ci-artifacts-release-2-9": {"failing_days": 248}, "periodic-cluster-api-provider-aws-e2e-conformance-with-k8s-ci-artifacts-release-2-10"`, 1)
	changed = strings.Replace(changed, "jobs_in_source: 26", "jobs_in_source: 27", 1)
	if changed == archive {
		t.Fatal("the archive did not change")
	}
	before := text(section(t, build(t, bundledPlus(t, archive), site.Options{})["status/failures-2026-05-11.html"], "patterns"))
	after := build(t, bundledPlus(t, changed), site.Options{})["status/failures-2026-05-11.html"]
	if !strings.Contains(before, "3 of 4 still failing, 1 recovered") {
		t.Fatalf("before: %s", before)
	}
	if live := text(section(t, after, "patterns")); !strings.Contains(live, "4 of 4 still failing, 0 recovered") {
		t.Errorf("after the change the CAPA lanes should all still fail:\n%s", live)
	}
	if rec := text(section(t, after, "recovered")); !strings.Contains(rec, "(11)") || strings.Contains(rec, "release-2-9") {
		t.Errorf("after the change 11 jobs recovered, not the -release-2-9 lane:\n%s", rec)
	}
}

// TestPatternLifecycle: with the new snapshot, a pattern whose jobs all recovered is
// resolved, with the date and how long it took; the report's section says what changed since.
func TestPatternLifecycle(t *testing.T) {
	pages := build(t, bundledPlus(t, livingArchive(t)), site.Options{})
	ec2 := text(string(pages["patterns/ec2-alpha-ami-s3-acl.html"]))
	for _, want := range []string{"Lifecycle: resolved", "first seen 2026-05-09", "resolved 2026-05-11, 2 days after it was first seen", "0 of its jobs failing in the newest snapshot, 2026-05-11"} {
		if !strings.Contains(ec2, want) {
			t.Errorf("ec2 pattern page lacks %q", want)
		}
	}
	capa := string(pages["patterns/capi-provider-conformance.html"])
	if !strings.Contains(text(capa), "Lifecycle: active") || !strings.Contains(capa, `<svg class="chart"`) {
		t.Error("CAPA pattern page has no active lifecycle with a chart")
	}
	report := text(string(pages["reports/2026-05-10-failures.html"]))
	if !strings.Contains(report, "from 36 of 231 jobs stored; its figures are not the dashboard's") {
		t.Error("the report page does not say its snapshot is partial")
	}
	want := "Since this report (snapshot 2026-05-10), as of 2026-05-11: 3 of the 4 jobs it had then still fail, 1 recovered, 0 newly matched. The report's snapshot is partial (from 36 of 231 jobs stored)"
	if !strings.Contains(report, want) {
		t.Errorf("the report's CAPA section lacks %q", want)
	}
}

// TestJobHasOnePrimaryOwner: a job placed in a sub-pattern names that sub-pattern's owner
// first, and every other SIG only as "also".
func TestJobHasOnePrimaryOwner(t *testing.T) {
	pages := build(t, bundledPlus(t, livingArchive(t)), site.Options{})
	page := text(string(pages["jobs/e2e-kops-grid-calico-u2404-k35-ko35.html"]))
	if !strings.Contains(page, "Primary owner:") {
		t.Fatalf("no primary owner on the ko35 job page:\n%.600s", page)
	}
	if strings.Count(page, "Primary owner:") != 1 {
		t.Error("more than one primary owner")
	}
	if !strings.Contains(page, "B.2 Newly added -ko35 grid jobs") {
		t.Errorf("the ko35 job page does not name the sub-pattern whose glob claims it:\n%.600s", page)
	}
	if want := "Primary owner: SIG Cluster Lifecycle"; !strings.Contains(page, want) {
		t.Errorf("ko35 job page lacks %q:\n%.600s", want, page)
	}
}
