// Package importcmd is the `triagesite import` command: turn a runbook markdown report into content YAML.
package importcmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/triagesite/triagesite/internal/cli/cmdutil"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/mdreport"
)

// Options are the inputs of one import.
type Options struct {
	IO         *iostreams.IO
	File       string
	Dataset    string
	Date       string // overrides the report's own **Date**
	ContentDir string
	Force      bool // overwrite an existing report file
}

// NewCmdImport builds the command; runF replaces the run function in tests.
func NewCmdImport(io *iostreams.IO, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: io}
	cmd := &cobra.Command{
		Use:   "import FILE.md --dataset failures|flakes",
		Short: "Turn a runbook markdown report into content YAML",
		Long: `Read a triage report written in the runbook's Appendix B template (or the site's own
reports/*.md export, which follows it) and write it as content: the report to
content/reports/DATE-DATASET.yaml and its patterns to content/patterns/SLUG.yaml.

A pattern that is already in content (the same slug, the same title, or at least
half of its jobs) is updated in place, not duplicated: new jobs, citations and
sub-patterns are added, its status and tracker take the report's newer word, and
where the report's prose differs from the pattern's, the difference is kept as an
import note. Whatever the importer cannot place is kept the same way, quoted and
marked "` + mdreport.ImportNoteMark + `"; lint's import-note rule lists every one.

Bad input (not a runbook report, a truncated file, a table with a missing column)
is reported at FILE.md:line:col and nothing is written. An existing report file is
overwritten only with --force.`,
		Example: "  triagesite import draft.md --dataset failures --date 2026-05-17",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Dataset, "dataset", "", "the report's dataset: failures or flakes (required)")
	f.StringVar(&opts.Date, "date", "", "the report's `date` (YYYY-MM-DD), when the file gives none or a wrong one")
	f.StringVar(&opts.ContentDir, "content", "content", "content `directory` to import into")
	f.BoolVar(&opts.Force, "force", false, "overwrite an existing report file")
	_ = cmd.MarkFlagRequired("dataset")
	return cmd
}

// Output is one content file the import writes.
type Output struct {
	Rel  string // relative to the content directory, with slashes
	Data []byte
	Kind string // new, replaced, updated or unchanged
}

// Run imports the report.
func Run(_ context.Context, opts *Options) error {
	if _, err := datasetOf(opts.Dataset); err != nil {
		return fmt.Errorf("--dataset: %w", err)
	}
	if opts.Date != "" && !dateRe.MatchString(opts.Date) {
		return fmt.Errorf("--date %q: want YYYY-MM-DD", opts.Date)
	}
	text, err := os.ReadFile(opts.File)
	if err != nil {
		return err
	}
	// Always the disk, with no Load option to inject a tree: Convert also reads the pattern
	// files it updates from this directory and reloads it with the imported files laid over,
	// so a tree injected alone would disagree with both.
	tree, err := (&cmdutil.Loader{}).Tree(opts.ContentDir)
	if err != nil {
		return cmdutil.Because(err, "import reads its repositories, SIGs, snapshots and patterns; fix these first")
	}
	files, notes, err := Convert(opts.File, string(text), opts.Dataset, opts.Date, tree, os.DirFS(opts.ContentDir))
	if err != nil {
		return err
	}
	for i, f := range files {
		if f.Kind != "new" {
			continue
		}
		if _, err := os.Stat(filepath.Join(opts.ContentDir, f.Rel)); err == nil {
			if !opts.Force {
				return fmt.Errorf("%s already exists; nothing written (--force overwrites it)", filepath.Join(opts.ContentDir, f.Rel))
			}
			files[i].Kind = "replaced"
		}
	}
	for _, f := range files {
		if f.Kind == "unchanged" {
			fmt.Fprintf(opts.IO.Out, "unchanged %s\n", f.Rel)
			continue
		}
		p := filepath.Join(opts.ContentDir, f.Rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.Out, "%-9s %s\n", f.Kind, f.Rel)
	}
	if notes > 0 {
		fmt.Fprintf(opts.IO.Out, "%d import notes: text the importer could not place, kept and marked; triagesite lint lists them [import-note]\n", notes)
	}
	return nil
}

// Convert turns markdown into the content files to write (sorted by path) and counts the
// import notes among them. fsys is the content directory, for the existing pattern files.
func Convert(name, text, dataset, date string, tree *content.Tree, fsys fs.FS) ([]Output, int, error) {
	root, perrs := mdreport.Parse(unexport(text))
	c := &converter{file: name, date: date, datePos: mdreport.Pos{Line: 1, Col: 1}, dataset: dataset, tree: tree, report: &content.Report{Dataset: dataset}, existing: map[string]*content.Pattern{}}
	for _, e := range perrs {
		c.errorf(e.Pos, "%s", e.Msg)
	}
	c.convert(root)
	if len(c.errs) == 0 {
		c.finish()
	}
	if len(c.errs) > 0 {
		return nil, 0, errors.New(strings.Join(c.errs, "\n") + "\nnothing written")
	}
	files, err := c.files(fsys)
	if err != nil {
		return nil, 0, err
	}
	for _, f := range files {
		if f.Kind == "new" { // an updated file's new notes were counted by update
			c.notes += countNotes(f.Data)
		}
	}
	// What is written must load: the import is refused, not half-written, when it would not.
	if _, err := content.Load(newOverlay(fsys, files), "content"); err != nil {
		return nil, 0, fmt.Errorf("%s: the imported content would not load; nothing written:\n%w", name, err)
	}
	return files, c.notes, nil
}

// finish completes what needs the whole report: the date, the slugs (reusing existing
// patterns), the letters actions name, and the jobs the snapshot lacks.
func (c *converter) finish() {
	r := c.report
	if c.date == "" {
		c.errorf(mdreport.Pos{Line: 1, Col: 1}, "the report gives no **Date**: YYYY-MM-DD; pass --date")
		return
	}
	r.Date, r.ID = c.date, c.date+"-"+c.dataset
	if r.Snapshot == "" {
		r.Snapshot = c.date
	}
	ds, _ := datasetOf(c.dataset)
	snap := c.tree.Snapshot(ds, r.Snapshot)
	if snap == nil {
		c.errorf(c.datePos, "no snapshots/%s/%s.json in content: store the snapshot the report read first (triagesite snapshot fetch --dataset %s), or name it in a **Snapshot**: YYYY-MM-DD line", c.dataset, r.Snapshot, c.dataset)
		return
	}
	taken := map[string]bool{}
	for i, p := range c.patterns {
		markMissingJobs(&p.Body, snap)
		for k := range p.SubPatterns {
			markMissingJobs(&p.SubPatterns[k].Body, snap)
		}
		c.slug(p, taken)
		c.placements[i].rp.Pattern = p.Slug
		r.Patterns = append(r.Patterns, c.placements[i].rp)
	}
	c.resolveLetters()
}

// slug names an imported pattern: the existing pattern it matches, or a new slug from its title.
func (c *converter) slug(p *content.Pattern, taken map[string]bool) {
	if old := c.match(p); old != nil {
		p.Slug = old.Slug
		c.existing[p.Slug] = old
	} else if p.Slug == "" || c.tree.Pattern(p.Slug) != nil || taken[p.Slug] {
		base := p.Slug
		if base == "" {
			base = slugify(p.Title)
		}
		p.Slug = base
		for n := 2; c.tree.Pattern(p.Slug) != nil || taken[p.Slug]; n++ {
			p.Slug = fmt.Sprintf("%s-%d", base, n)
		}
	}
	taken[p.Slug] = true
}

// match finds the existing pattern of the dataset an imported one is: by slug, by title, or
// by at least half of its jobs.
func (c *converter) match(p *content.Pattern) *content.Pattern {
	if old := c.tree.Pattern(p.Slug); p.Slug != "" && old != nil && old.Dataset == p.Dataset {
		return old
	}
	var best *content.Pattern
	bestShared := 0
	for _, old := range c.tree.Patterns {
		if old.Dataset != p.Dataset || c.existing[old.Slug] != nil {
			continue
		}
		if strings.EqualFold(strings.TrimSpace(old.Title), strings.TrimSpace(p.Title)) {
			return old
		}
		shared := sharedJobs(old, p)
		if shared > bestShared && 2*shared >= len(allJobs(p)) {
			best, bestShared = old, shared
		}
	}
	return best
}

func allJobs(p *content.Pattern) map[string]bool {
	out := map[string]bool{}
	for _, j := range p.Jobs {
		out[j.Name] = true
	}
	for _, s := range p.SubPatterns {
		for _, j := range s.Jobs {
			out[j.Name] = true
		}
	}
	return out
}

func sharedJobs(a, b *content.Pattern) int {
	aj, n := allJobs(a), 0
	for j := range allJobs(b) {
		if aj[j] {
			n++
		}
	}
	return n
}

// resolveLetters turns the pattern letters the action plan and the nudge table name into
// slugs; an action naming no pattern the import knows keeps the name in a note.
func (c *converter) resolveLetters() {
	bySlug, byLetter := map[string]bool{}, map[string]string{}
	for _, rp := range c.report.Patterns {
		bySlug[rp.Pattern], byLetter[rp.Letter] = true, rp.Pattern
	}
	resolve := func(s string) (string, bool) {
		s = strings.Trim(strings.TrimSpace(s), "`")
		s = strings.TrimPrefix(s, "Pattern ")
		if slug, ok := byLetter[s]; ok {
			return slug, true
		}
		return s, bySlug[s] || c.tree.Pattern(s) != nil
	}
	for i := range c.report.Status.NudgeTargets {
		n := &c.report.Status.NudgeTargets[i]
		if slug, ok := resolve(n.Pattern); ok {
			n.Pattern = slug
		}
	}
	for ti := range c.report.Tiers {
		for ai := range c.report.Tiers[ti].Items {
			a := &c.report.Tiers[ti].Items[ai]
			if a.Pattern != "" {
				slug, ok := resolve(a.Pattern)
				if !ok {
					appendMD(&a.Why, c.note(c.tierPos(ti), "the action names a pattern the report does not have", a.Pattern))
					slug = ""
				}
				a.Pattern = slug
			}
			var sigs []string
			for _, id := range a.SIGs {
				if c.tree.SIG(id) != nil {
					sigs = append(sigs, id)
				} else {
					appendMD(&a.Why, c.note(c.tierPos(ti), "the action names a SIG sigs.yaml does not define", id))
				}
			}
			a.SIGs = sigs
		}
	}
}

func (c *converter) tierPos(i int) mdreport.Pos { return c.tierPositions[i] }

// files encodes the report, each new pattern, and each existing pattern the report updates.
func (c *converter) files(fsys fs.FS) ([]Output, error) {
	var out []Output
	rel := path.Join("reports", c.report.ID+".yaml")
	data, err := encodeFile(rel, c.report)
	if err != nil {
		return nil, err
	}
	out = append(out, Output{Rel: rel, Data: data, Kind: "new"})
	for i, p := range c.patterns {
		c.patternPos = c.placements[i].pos
		rel := path.Join("patterns", p.Slug+".yaml")
		old := c.existing[p.Slug]
		if old == nil {
			data, err := encodeFile(rel, p)
			if err != nil {
				return nil, err
			}
			out = append(out, Output{Rel: rel, Data: data, Kind: "new"})
			continue
		}
		f, err := c.update(fsys, rel, old, p)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Rel < out[j].Rel })
	return out, nil
}

// update merges an imported pattern into its existing file, keeping the file's layout.
func (c *converter) update(fsys fs.FS, rel string, old, p *content.Pattern) (Output, error) {
	orig, err := fs.ReadFile(fsys, rel)
	if err != nil {
		return Output{}, fmt.Errorf("read %s to update it: %w", rel, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(orig, &doc); err != nil || doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return Output{}, fmt.Errorf("%s: cannot update: %v", rel, err)
	}
	encodedOrig, err := encodeNode(&doc)
	if err != nil {
		return Output{}, err
	}
	m := &merger{c: c}
	m.pattern(&doc, old, p)
	if !m.changed {
		return Output{Rel: rel, Data: orig, Kind: "unchanged"}, nil
	}
	updated, err := encodeNode(&doc)
	if err != nil {
		return Output{}, err
	}
	c.notes += countNotes(updated) - countNotes(orig)
	return Output{Rel: rel, Data: keepBlankLines(orig, encodedOrig, updated), Kind: "updated"}, nil
}

func countNotes(b []byte) int { return bytes.Count(b, []byte(mdreport.ImportNoteMark)) }

func encodeNode(n *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	err := enc.Close()
	return unescapeAstral(buf.Bytes()), err
}
