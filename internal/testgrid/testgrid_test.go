package testgrid_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/testgrid"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// checkout is a small test-infra tree: the sig-release group with blocking, informing and
// other dashboards; jobs annotated in periodics, presubmits and postsubmits; a dashboard
// that lists a tab itself; and job files that name no release dashboard.
const checkout = `
-- config/testgrids/kubernetes/sig-release/config.yaml --
dashboard_groups:
- name: sig-release
  dashboard_names:
  - sig-release-master-blocking
  - sig-release-master-informing
  - sig-release-1.36-blocking
  - sig-release-releng-blocking
  - sig-release-releng-informing
  - sig-release-misc
dashboards:
- name: sig-release-master-blocking
- name: sig-release-master-informing
  dashboard_tab:
  - name: tab
    test_group_name: ci-tab-only
- name: sig-release-1.36-blocking
- name: sig-release-releng-blocking
- name: sig-release-releng-informing
- name: sig-release-misc
-- config/jobs/kubernetes/sig-node/node.yaml --
periodics:
- name: ci-node-e2e
  interval: 3h
  annotations:
    testgrid-dashboards: sig-node-release-blocking, sig-release-master-blocking
- name: ci-node-other
  annotations:
    testgrid-dashboards: sig-node-release-blocking
presubmits:
  kubernetes/kubernetes:
  - name: pull-kubernetes-e2e-gce
    annotations:
      testgrid-dashboards: sig-release-master-informing,sig-release-1.36-blocking
postsubmits:
  kubernetes/kubernetes:
  - name: post-push
    annotations:
      testgrid-dashboards: sig-release-misc
-- config/jobs/kubernetes/sig-release/release-branch-jobs/1.36.yaml --
periodics:
- name: ci-kubernetes-e2e-gce-1-36
  annotations:
    testgrid-dashboards: sig-release-1.36-blocking
- name: ci-node-e2e
  annotations:
    testgrid-dashboards: sig-release-master-blocking
-- config/jobs/other/plain.yaml --
periodics:
- name: ci-plain
-- config/jobs/other/README.md --
not yaml: [
`

func TestRead(t *testing.T) {
	got, err := testgrid.Read(txtarfs.FS(checkout))
	if err != nil {
		t.Fatal(err)
	}
	want := []content.ReleaseDashboard{
		{Name: "sig-release-master-blocking", Kind: "blocking", Jobs: []string{"ci-node-e2e"}},
		{Name: "sig-release-master-informing", Kind: "informing", Jobs: []string{"ci-tab-only", "pull-kubernetes-e2e-gce"}},
		{Name: "sig-release-1.36-blocking", Kind: "blocking", Jobs: []string{"ci-kubernetes-e2e-gce-1-36", "pull-kubernetes-e2e-gce"}},
		{Name: "sig-release-releng-informing", Kind: "informing"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Read:\n got %+v\nwant %+v", got, want)
	}
}

func TestReadErrors(t *testing.T) {
	if _, err := testgrid.Read(txtarfs.FS("-- config/jobs/a.yaml --\nperiodics: []\n")); err == nil || !strings.Contains(err.Error(), testgrid.SigReleaseConfig) {
		t.Errorf("no sig-release config: %v", err)
	}
	broken := checkout + "-- config/jobs/x/bad.yaml --\nperiodics: [\n  testgrid-dashboards\n-- config/jobs/y/bad.yaml --\npresubmits: 3 testgrid-dashboards\n"
	_, err := testgrid.Read(txtarfs.FS(broken))
	if err == nil || !strings.Contains(err.Error(), "config/jobs/x/bad.yaml") || !strings.Contains(err.Error(), "config/jobs/y/bad.yaml") {
		t.Errorf("two broken job files, want both named: %v", err)
	}
}

func TestEncodeLoads(t *testing.T) {
	dashboards, err := testgrid.Read(txtarfs.FS(checkout))
	if err != nil {
		t.Fatal(err)
	}
	data, err := testgrid.Encode(content.TestGrid{Source: "kubernetes/test-infra", Commit: strings.Repeat("ab", 20), CommitDate: "2026-08-22T06:43:13Z", Dashboards: dashboards})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"$schema=../schema/testgrid.json", "commit: " + strings.Repeat("ab", 20), "- name: sig-release-master-blocking\n    kind: blocking\n    jobs:\n      - ci-node-e2e\n"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("encoded file lacks %q:\n%s", want, data)
		}
	}
}
