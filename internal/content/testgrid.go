package content

import (
	"errors"
	"io/fs"
	"regexp"
)

// TestGridFile is the optional content file that lists the release dashboards' jobs.
const TestGridFile = "testgrid.yaml"

// TestGrid is content/testgrid.yaml: the jobs on sig-release's release-blocking and
// release-informing TestGrid dashboards, as kubernetes/test-infra configured them at one
// commit. `triagesite testgrid refresh` writes it from a test-infra checkout.
type TestGrid struct {
	Pos        Pos                `yaml:"-"`
	Source     string             `yaml:"source"`      // the repository read, kubernetes/test-infra
	Commit     string             `yaml:"commit"`      // the commit it was read at
	CommitDate string             `yaml:"commit_date"` // that commit's date, RFC 3339
	Dashboards []ReleaseDashboard `yaml:"dashboards"`
}

// ReleaseDashboard is one release dashboard and the prow jobs whose testgrid-dashboards
// annotation (or the dashboard's own tabs) put them on it.
type ReleaseDashboard struct {
	Pos  Pos      `yaml:"-"`
	Name string   `yaml:"name"` // sig-release-master-blocking, sig-release-1.36-informing, …
	Kind string   `yaml:"kind"` // blocking or informing
	Jobs []string `yaml:"jobs"`
}

// Release dashboard kinds.
const (
	Blocking  = "blocking"
	Informing = "informing"
)

var commitSHA = regexp.MustCompile(`^[0-9a-f]{40}$`)

// loadTestGrid reads testgrid.yaml when the tree has one; without it no job is marked.
func (l *loader) loadTestGrid() {
	if _, err := fs.Stat(l.fsys, TestGridFile); errors.Is(err, fs.ErrNotExist) {
		return
	}
	tg := &TestGrid{}
	if _, ok := l.decodeFile(TestGridFile, tg); !ok {
		return
	}
	if tg.Source == "" {
		l.errorAt(tg.Pos, "source is required: the repository the dashboards were read from")
	}
	if !commitSHA.MatchString(tg.Commit) {
		l.errorAt(tg.Pos, "commit %q is not a full 40-character commit SHA", tg.Commit)
	}
	if tg.CommitDate != "" && !isTimestamp(tg.CommitDate) {
		l.errorAt(tg.Pos, "commit_date %q is not an RFC 3339 time", tg.CommitDate)
	}
	seen := map[string]bool{}
	for _, d := range tg.Dashboards {
		if d.Kind != Blocking && d.Kind != Informing {
			l.errorAt(d.Pos, "dashboard %q: kind %q: want blocking or informing", d.Name, d.Kind)
		}
		if d.Name == "" || seen[d.Name] {
			l.errorAt(d.Pos, "dashboard name %q is empty or listed twice", d.Name)
		}
		seen[d.Name] = true
	}
	l.tree.TestGrid = tg
}
