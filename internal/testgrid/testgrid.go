// Package testgrid reads which jobs are on sig-release's release-blocking and
// release-informing TestGrid dashboards from a kubernetes/test-infra checkout.
package testgrid

import (
	"bytes"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/triagesite/triagesite/internal/content"
)

// Where test-infra keeps the configuration read here.
const (
	SigReleaseConfig = "config/testgrids/kubernetes/sig-release/config.yaml"
	JobsDir          = "config/jobs"
	TestgridsDir     = "config/testgrids"
)

// Which of sig-release's dashboards decide a release (kubernetes/sig-release,
// release-blocking-jobs.md): "sig-release-master-blocking" and "sig-release-X.Y-blocking"
// are Blocking, every "-informing" dashboard is Informing. sig-release-misc, -orphaned and
// -x.y-all are not used to judge a release.
var (
	blockingName  = regexp.MustCompile(`^sig-release-(master|[0-9]+\.[0-9]+)-blocking$`)
	informingName = regexp.MustCompile(`^sig-release-.+-informing$`)
)

// KindOf is a dashboard's kind, or "" for one that does not decide a release.
func KindOf(dashboard string) string {
	switch {
	case blockingName.MatchString(dashboard):
		return content.Blocking
	case informingName.MatchString(dashboard):
		return content.Informing
	}
	return ""
}

// Read lists the release dashboards of sig-release's dashboard group, in the group's order,
// each with the prow jobs on it: those whose testgrid-dashboards annotation names it, and
// the test groups of tabs the dashboard lists itself. Every file that does not parse is an
// error, all of them in one.
func Read(fsys fs.FS) ([]content.ReleaseDashboard, error) {
	names, err := releaseDashboards(fsys)
	if err != nil {
		return nil, err
	}
	jobs := map[string][]string{}
	for _, n := range names {
		jobs[n] = nil
	}
	var errs []error
	if err := walkYAML(fsys, JobsDir, annotatedJobs, jobs); err != nil {
		errs = append(errs, err)
	}
	if err := walkYAML(fsys, TestgridsDir, tabJobs, jobs); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, joinErrs(errs)
	}
	out := make([]content.ReleaseDashboard, 0, len(names))
	for _, n := range names {
		js := jobs[n]
		sort.Strings(js)
		out = append(out, content.ReleaseDashboard{Name: n, Kind: KindOf(n), Jobs: slices.Compact(js)})
	}
	return out, nil
}

// testgridConfig is the part of a TestGrid configuration file read here.
type testgridConfig struct {
	DashboardGroups []struct {
		Name           string   `yaml:"name"`
		DashboardNames []string `yaml:"dashboard_names"`
	} `yaml:"dashboard_groups"`
	Dashboards []struct {
		Name string `yaml:"name"`
		Tabs []struct {
			TestGroupName string `yaml:"test_group_name"`
		} `yaml:"dashboard_tab"`
	} `yaml:"dashboards"`
}

// releaseDashboards are the sig-release group's dashboards that decide a release.
func releaseDashboards(fsys fs.FS) ([]string, error) {
	data, err := fs.ReadFile(fsys, SigReleaseConfig)
	if err != nil {
		return nil, fmt.Errorf("%s: %w (is this a kubernetes/test-infra checkout?)", SigReleaseConfig, err)
	}
	var c testgridConfig
	if err := yaml.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", SigReleaseConfig, err)
	}
	var out []string
	for _, g := range c.DashboardGroups {
		if g.Name != "sig-release" {
			continue
		}
		for _, d := range g.DashboardNames {
			if KindOf(d) != "" {
				out = append(out, d)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: the sig-release dashboard group lists no release-blocking or release-informing dashboard", SigReleaseConfig)
	}
	return out, nil
}

// walkYAML calls read on every .yaml file under dir, in name order.
func walkYAML(fsys fs.FS, dir string, read func(fs.FS, string, map[string][]string) error, jobs map[string][]string) error {
	var errs []error
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || (!strings.HasSuffix(p, ".yaml") && !strings.HasSuffix(p, ".yml")) {
			return nil
		}
		if err := read(fsys, p, jobs); err != nil {
			errs = append(errs, err)
		}
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	return joinErrs(errs)
}

// prowConfig is the part of a prow job configuration file read here.
type prowConfig struct {
	Periodics   []prowJob            `yaml:"periodics"`
	Presubmits  map[string][]prowJob `yaml:"presubmits"`
	Postsubmits map[string][]prowJob `yaml:"postsubmits"`
}

type prowJob struct {
	Name        string            `yaml:"name"`
	Annotations map[string]string `yaml:"annotations"`
}

// annotatedJobs adds each job of a prow file to the release dashboards its
// testgrid-dashboards annotation names.
func annotatedJobs(fsys fs.FS, name string, jobs map[string][]string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	if !bytes.Contains(data, []byte("testgrid-dashboards")) {
		return nil // most job files name no dashboard; skip parsing them
	}
	var c prowConfig
	if err := yaml.Unmarshal(data, &c); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	add := func(js []prowJob) {
		for _, j := range js {
			for _, d := range strings.Split(j.Annotations["testgrid-dashboards"], ",") {
				if d = strings.TrimSpace(d); j.Name != "" {
					if list, ok := jobs[d]; ok {
						jobs[d] = append(list, j.Name)
					}
				}
			}
		}
	}
	add(c.Periodics)
	for _, repo := range sortedKeys(c.Presubmits) {
		add(c.Presubmits[repo])
	}
	for _, repo := range sortedKeys(c.Postsubmits) {
		add(c.Postsubmits[repo])
	}
	return nil
}

// tabJobs adds the test groups of the tabs a TestGrid file lists on a release dashboard.
// A job's test group is named after it unless configured otherwise.
func tabJobs(fsys fs.FS, name string, jobs map[string][]string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	if !bytes.Contains(data, []byte("dashboard_tab")) {
		return nil
	}
	var c testgridConfig
	if err := yaml.Unmarshal(data, &c); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for _, d := range c.Dashboards {
		list, ok := jobs[d.Name]
		if !ok {
			continue
		}
		for _, t := range d.Tabs {
			if t.TestGroupName != "" {
				list = append(list, t.TestGroupName)
			}
		}
		jobs[d.Name] = list
	}
	return nil
}

func sortedKeys(m map[string][]prowJob) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// joinErrs is nil for no errors, else one error listing each on its own line.
func joinErrs(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return fmt.Errorf("%s", strings.Join(msgs, "\n"))
}

// Encode writes a testgrid.yaml: the schema modeline, a comment saying how it was made,
// then the data.
func Encode(tg content.TestGrid) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("# yaml-language-server: $schema=../schema/testgrid.json\n")
	b.WriteString("# Written by `triagesite testgrid refresh` from " + tg.Source + " at " + tg.Commit + ";\n")
	b.WriteString("# edit test-infra's dashboards and refresh rather than editing this file.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(file{tg.Source, tg.Commit, tg.CommitDate, tg.Dashboards}); err != nil {
		return nil, err
	}
	return b.Bytes(), enc.Close()
}

// file is testgrid.yaml as written, in content.TestGrid's field order.
type file struct {
	Source     string                     `yaml:"source"`
	Commit     string                     `yaml:"commit"`
	CommitDate string                     `yaml:"commit_date"`
	Dashboards []content.ReleaseDashboard `yaml:"dashboards"`
}
