// Package scaffold writes new content files that already load, with every section present and explained.
package scaffold

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"
	"time"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/schema"
	"github.com/triagesite/triagesite/internal/snapshot"
)

// Top is how many clusters the runbook marks for investigation.
const Top = 8

//go:embed *.yaml.tmpl
var files embed.FS

var templates = template.Must(template.New("").Funcs(template.FuncMap{"q": quote}).ParseFS(files, "*.yaml.tmpl"))

// quote writes a YAML double-quoted scalar; JSON strings are valid ones.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// The loader's own slug rule (internal/content/validate.go).
var slugRe = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// File is a scaffolded content file: its path under content/ and its bytes.
type File struct {
	Rel  string
	Data []byte
}

// Pattern scaffolds patterns/<slug>.yaml.
func Pattern(slug string, ds snapshot.Dataset) (File, error) {
	if !slugRe.MatchString(slug) {
		return File{}, fmt.Errorf("slug %q: use lower-case words joined by hyphens, e.g. gcb-docker-gcloud-pins", slug)
	}
	rel := "patterns/" + slug + ".yaml"
	return render(rel, "pattern.yaml.tmpl", map[string]any{
		"Slug": slug, "Dataset": ds, "Title": "Name the root cause in one line",
	})
}

func render(rel, tmpl string, data map[string]any) (File, error) {
	data["Modeline"], _ = schema.Modeline(rel)
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, tmpl, data); err != nil {
		return File{}, err
	}
	return File{Rel: rel, Data: buf.Bytes()}, nil
}

// Create writes f under contentDir and refuses to replace a file that is already there.
func Create(contentDir string, f File) (string, error) {
	p := filepath.Join(contentDir, filepath.FromSlash(f.Rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", err
	}
	// O_EXCL makes the existence check and the create one step: no window to clobber an edit.
	w, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("%s already exists; edit it, or delete it first to start over", p)
	}
	if err != nil {
		return "", err
	}
	if _, err := w.Write(f.Data); err != nil {
		w.Close()
		return "", err
	}
	return p, w.Close()
}

// Report scaffolds reports/<date>-<dataset>.yaml, prefilled from the stored snapshot of that date.
func Report(tree *content.Tree, ds snapshot.Dataset, date string) (File, error) {
	if _, err := time.Parse("2006-01-02", date); err != nil {
		return File{}, fmt.Errorf("date %q: want YYYY-MM-DD", date)
	}
	snap := tree.Snapshot(ds, date)
	if snap == nil {
		return File{}, noSnapshot(tree, ds, date)
	}
	jobs := snap.Jobs.Snapshot()
	rows := analyze.Categorize(analyze.NewCategorizer(tree.Categories), jobs)
	var table bytes.Buffer
	analyze.WriteTable(&table, "snapshots/"+string(ds)+"/"+date+".json", jobs, rows, Top)
	return render("reports/"+date+"-"+string(ds)+".yaml", "report.yaml.tmpl", map[string]any{
		"Title":    "Kubernetes CI " + titleCase(string(ds)) + " — Triage Report",
		"Date":     date,
		"Dataset":  ds,
		"Prior":    prior(tree, ds, date),
		"Table":    lines(table.String()),
		"Top":      Top,
		"Clusters": clusters(ds, rows),
	})
}

// lines splits printed text for comment lines, without the trailing blanks table padding leaves.
func lines(s string) []string {
	out := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range out {
		out[i] = strings.TrimRight(l, " ")
	}
	return out
}

func titleCase(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// prior is the latest stored snapshot of ds before date, or "".
func prior(tree *content.Tree, ds snapshot.Dataset, date string) string {
	best := ""
	for _, s := range tree.Snapshots {
		if s.Meta.Dataset == string(ds) && s.Meta.Date < date && s.Meta.Date > best {
			best = s.Meta.Date
		}
	}
	return best
}

func noSnapshot(tree *content.Tree, ds snapshot.Dataset, date string) error {
	var stored []string
	for _, s := range tree.Snapshots {
		if s.Meta.Dataset == string(ds) {
			stored = append(stored, s.Meta.Date)
		}
	}
	have := "none is stored"
	if len(stored) > 0 {
		have = "stored: " + strings.Join(stored, ", ")
	}
	return fmt.Errorf("no %s snapshot of %s is stored (snapshots/%s/%s.json; %s); store it first with "+
		"`triagesite snapshot fetch --dataset %s`, or `--from FILE --date %s` for an older dashboard file", ds, date, ds, date, have, ds, date)
}

// cluster is one status.clusters row the scaffold enters.
type cluster struct {
	Label, Name, Note string
}

// clusters are the top categories by Appendix A score, lettered A, B, … in score order.
func clusters(ds snapshot.Dataset, rows []analyze.CategoryRow) []cluster {
	var out []cluster
	for i, r := range analyze.ByScore(rows) {
		if i == Top {
			break
		}
		worst := fmt.Sprintf("worst %.0f failing days", r.Worst)
		if ds == snapshot.Flakes {
			worst = fmt.Sprintf("lowest consistency %g", r.Worst)
		}
		out = append(out, cluster{
			Label: string(rune('A' + i)), Name: r.Category,
			Note: fmt.Sprintf("score %.3f: %s, %s", r.Score, count(len(r.Jobs), "job"), worst),
		})
	}
	return out
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
