package content

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/snapshot"
)

// Tree is the whole content tree, loaded, completed and validated.
type Tree struct {
	Repos      []Repo
	SIGs       []SIG
	Categories Categories
	Snapshots  []*Snapshot // by dataset, then date
	Patterns   []*Pattern  // by slug
	Reports    []*Report   // by date, then dataset
	// Citations is every citation in the tree, structured or inline, in file and position order.
	Citations []Citation
	// Prose is every markdown field of patterns, reports and snapshot provenance, in load order.
	Prose []Prose
	// TestGrid lists the release dashboards' jobs; nil when the tree has no testgrid.yaml.
	TestGrid *TestGrid

	aliases   map[string]string // lower-cased alias or owner/repo -> owner/repo
	histories map[snapshot.Dataset]*snapshot.History
}

// History is every stored snapshot of a dataset, oldest first; empty when there are none.
func (t *Tree) History(ds snapshot.Dataset) *snapshot.History {
	if h := t.histories[ds]; h != nil {
		return h
	}
	h := snapshot.NewHistory(ds)
	h.Seal()
	return h
}

// Citation is one place in the content that cites something.
type Citation struct {
	Ref   citation.Ref // resolved to the full owner/repo
	Claim *Claim       // nil for a citation made inline in prose
	Pos   Pos
	// Owner names the file's subject: "pattern/<slug>", "report/<id>".
	Owner string
}

// Resolve implements citation.Resolver over repos.yaml.
func (t *Tree) Resolve(name string) (string, bool) {
	r, ok := t.aliases[strings.ToLower(name)]
	return r, ok
}

// Alias returns the first alias of a repository, or "" when it has none.
func (t *Tree) Alias(repo string) string {
	for _, r := range t.Repos {
		if strings.EqualFold(r.Repo, repo) && len(r.Aliases) > 0 {
			return r.Aliases[0]
		}
	}
	return ""
}

// Snapshot returns the stored snapshot of a dataset on a date.
func (t *Tree) Snapshot(ds snapshot.Dataset, date string) *Snapshot {
	for _, s := range t.Snapshots {
		if s.Meta.Dataset == string(ds) && s.Meta.Date == date {
			return s
		}
	}
	return nil
}

// Pattern returns the pattern with a slug.
func (t *Tree) Pattern(slug string) *Pattern {
	i := sort.Search(len(t.Patterns), func(i int) bool { return t.Patterns[i].Slug >= slug })
	if i < len(t.Patterns) && t.Patterns[i].Slug == slug {
		return t.Patterns[i]
	}
	return nil
}

// SIG returns the SIG with an id.
func (t *Tree) SIG(id string) *SIG {
	for i := range t.SIGs {
		if t.SIGs[i].ID == id {
			return &t.SIGs[i]
		}
	}
	return nil
}

// loader carries one load: the file system, the display prefix for positions, and every error.
type loader struct {
	fsys   fs.FS
	prefix string
	errs   Errors
	tree   *Tree
	files  map[string][]string // display path -> lines, for positions inside block scalars
	// unparsed holds files that were missing or not YAML at all; checks that refer to them
	// are skipped so one broken file does not bury the report in follow-on errors.
	unparsed map[string]bool
}

// Load reads the content tree in fsys. Positions in errors are shown under prefix (e.g. "content").
// The error, when not nil, is an Errors listing every problem found.
func Load(fsys fs.FS, prefix string) (*Tree, error) {
	l := &loader{fsys: fsys, prefix: prefix, tree: &Tree{}, files: map[string][]string{}, unparsed: map[string]bool{}}
	l.loadAll()
	if len(l.errs) > 0 {
		return nil, l.errs.sorted()
	}
	return l.tree, nil
}

func (l *loader) display(name string) string { return path.Join(l.prefix, name) }

func (l *loader) fileError(name string, format string, args ...any) {
	l.errs = append(l.errs, Error{Pos: Pos{File: l.display(name), Line: 1, Col: 1}, Msg: fmt.Sprintf(format, args...)})
}

func (l *loader) errorAt(p Pos, format string, args ...any) {
	l.errs = append(l.errs, Error{Pos: p, Msg: fmt.Sprintf(format, args...)})
}

// decodeFile decodes one YAML file strictly and returns the prose it holds. It reports false
// only when the file could not be read or parsed at all; a file with wrong keys or values is
// still decoded as far as it goes, so its other problems are found in the same run.
func (l *loader) decodeFile(name string, v any) ([]prose, bool) {
	return l.absorb(l.decodeAlone(name, v))
}

// decoded is one file decoded on its own, before the loader records what it found.
type decoded struct {
	name    string
	lines   []string
	prose   []prose
	errs    Errors
	readErr error
	parsed  bool
}

// decodeAlone reads and decodes one file without touching loader state, so that many files
// can be decoded at once.
func (l *loader) decodeAlone(name string, v any) decoded {
	out := decoded{name: name}
	data, err := fs.ReadFile(l.fsys, name)
	if err != nil {
		out.readErr = err
		return out
	}
	out.lines = strings.Split(string(data), "\n")
	d := &decoder{file: l.display(name), errs: &out.errs}
	out.parsed = d.decodeFile(data, v)
	out.prose = d.prose
	return out
}

// absorb records a decoded file's lines, errors and state in the loader.
func (l *loader) absorb(d decoded) ([]prose, bool) {
	if d.readErr != nil {
		l.unparsed[d.name] = true
		if errors.Is(d.readErr, fs.ErrNotExist) {
			l.fileError(d.name, "missing: the content tree needs this file")
		} else {
			l.fileError(d.name, "read: %v", d.readErr)
		}
		return nil, false
	}
	l.files[l.display(d.name)] = d.lines
	l.errs = append(l.errs, d.errs...)
	if !d.parsed {
		l.unparsed[d.name] = true
		return nil, false
	}
	return d.prose, true
}

// decodeAll decodes files in parallel (large trees hold thousands of patterns) and returns
// them in the order given, so that what the loader records stays deterministic.
func decodeAll[T any](l *loader, names []string) ([]*T, []decoded) {
	values := make([]*T, len(names))
	results := make([]decoded, len(names))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				values[i] = new(T)
				results[i] = l.decodeAlone(names[i], values[i])
			}
		})
	}
	for i := range names {
		next <- i
	}
	close(next)
	wg.Wait()
	return values, results
}

func (l *loader) loadAll() {
	t := l.tree
	l.decodeFile("repos.yaml", &struct {
		Repos *[]Repo `yaml:"repos"`
	}{&t.Repos})
	l.decodeFile("sigs.yaml", &struct {
		SIGs *[]SIG `yaml:"sigs"`
	}{&t.SIGs})
	l.decodeFile("categories.yaml", &t.Categories)
	l.completeRepos()
	// Pattern files decode while the snapshots parse: decoding needs nothing from them, and
	// the goroutine recording snapshots in order leaves CPU idle that this fills.
	patternNames := l.glob("patterns/*.yaml")
	decodedPatterns := make(chan patternFiles, 1)
	go func() {
		var f patternFiles
		f.values, f.results = decodeAll[Pattern](l, patternNames)
		decodedPatterns <- f
	}()
	l.loadSnapshots()
	l.loadPatterns(patternNames, <-decodedPatterns)
	l.loadReports()
	l.loadTestGrid()
	l.validateSIGs()
	l.validateCategories()
	sort.SliceStable(t.Citations, func(i, j int) bool {
		a, b := t.Citations[i].Pos, t.Citations[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

func (l *loader) glob(pattern string) []string {
	names, err := fs.Glob(l.fsys, pattern)
	if err != nil {
		l.fileError(pattern, "list: %v", err)
	}
	sort.Strings(names)
	return names
}

// parsedSnapshot is one snapshot file read and parsed, or why not.
type parsedSnapshot struct {
	name, date string
	ds         snapshot.Dataset
	sha256     string // of the file's bytes, which are not kept: a large tree is hundreds of MB
	snap       *snapshot.Snapshot
	null       bool // the document is JSON null
	problem    string
}

// loadSnapshots parses the snapshot files in parallel but records them in name order (so
// errors and output stay deterministic), folding each into its dataset's history as it
// comes. At most a few parsed files are in memory at once, however long the history.
func (l *loader) loadSnapshots() {
	names := l.glob("snapshots/*/*.json")
	hist := map[snapshot.Dataset]*snapshot.History{}
	for p := range l.parseInOrder(names) {
		if p.problem != "" {
			l.fileError(p.name, "%s", p.problem)
			continue
		}
		h := hist[p.ds]
		if h == nil {
			h = snapshot.NewHistory(p.ds)
			hist[p.ds] = h
		}
		if err := h.Add(p.date, p.snap); err != nil {
			l.fileError(p.name, "%v", err)
			continue
		}
		s := &Snapshot{Path: l.display(p.name), Jobs: h.Day(h.Len() - 1), Null: p.null}
		metaName := strings.TrimSuffix(p.name, ".json") + ".meta.yaml"
		if pr, ok := l.decodeFile(metaName, &s.Meta); ok {
			l.validateMeta(s, p.ds, p.date, p.sha256)
			l.keepProse(pr, "snapshot/"+string(p.ds)+"/"+p.date)
		}
		l.tree.Snapshots = append(l.tree.Snapshots, s)
	}
	for _, h := range hist {
		h.Seal()
	}
	l.tree.histories = hist
}

// parseInOrder parses files on one worker per CPU and yields them in the order given. A
// file is parsed only when fewer than a window's worth are waiting to be recorded, which
// bounds memory by the window rather than by the number of files.
func (l *loader) parseInOrder(names []string) iter.Seq[parsedSnapshot] {
	return func(yield func(parsedSnapshot) bool) {
		window := 2 * runtime.GOMAXPROCS(0)
		results := make([]chan parsedSnapshot, len(names))
		for i := range results {
			results[i] = make(chan parsedSnapshot, 1)
		}
		slots := make(chan struct{}, window)
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			for i := range names {
				select {
				case slots <- struct{}{}:
				case <-stop:
					return
				}
				go func() { results[i] <- l.parseSnapshot(names[i]) }()
			}
		}()
		for i := range names {
			p := <-results[i]
			<-slots
			if !yield(p) {
				return
			}
		}
	}
}

// parseSnapshot reads and parses one snapshot file; it touches no loader state.
func (l *loader) parseSnapshot(name string) parsedSnapshot {
	p := parsedSnapshot{name: name, date: strings.TrimSuffix(path.Base(name), ".json")}
	ds, err := snapshot.ParseDataset(path.Base(path.Dir(name)))
	if err != nil {
		p.problem = err.Error() + " (snapshots live in snapshots/failures/ or snapshots/flakes/)"
		return p
	}
	p.ds = ds
	if !isDate(p.date) {
		p.problem = "snapshot file name must be a date, YYYY-MM-DD.json"
		return p
	}
	buf := readBufs.Get().(*bytes.Buffer)
	defer readBufs.Put(buf)
	if err := readInto(buf, l.fsys, name); err != nil {
		p.problem = "read: " + err.Error()
		return p
	}
	data := buf.Bytes() // the parser copies what it keeps
	sum := sha256.Sum256(data)
	p.sha256 = hex.EncodeToString(sum[:])
	names := nameTables.Get().(*snapshot.Names)
	defer nameTables.Put(names)
	if p.snap, err = snapshot.ParseNames(ds, data, names); err != nil {
		p.problem = err.Error()
		return p
	}
	p.null = len(p.snap.Jobs) == 0 && bytes.Equal(bytes.TrimSpace(data), []byte("null"))
	return p
}

// nameTables lets parse workers share job and test name strings between the documents each
// parses: the same 1,500 names in every daily file would otherwise be allocated afresh in
// each (140 MB for two years). The history then keeps one string per job.
var nameTables = sync.Pool{New: func() any { return snapshot.NewNames() }}

// readBufs recycles snapshot file buffers: two years of daily files are hundreds of MB,
// read once each and not kept.
var readBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// readInto reads a whole file into buf, sized from the file's length when it is known.
func readInto(buf *bytes.Buffer, fsys fs.FS, name string) error {
	f, err := fsys.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	buf.Reset()
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		buf.Grow(int(st.Size()) + bytes.MinRead)
	}
	_, err = buf.ReadFrom(f)
	return err
}

func (l *loader) validateMeta(s *Snapshot, ds snapshot.Dataset, date, sum string) {
	m := s.Meta
	if m.Dataset != string(ds) {
		l.errorAt(m.Pos, "dataset %q does not match the folder %q", m.Dataset, ds)
	}
	if m.Date != date {
		l.errorAt(m.Pos, "date %q does not match the file name %q", m.Date, date)
	}
	if m.Source == "" {
		l.errorAt(m.Pos, "source is required: where the snapshot came from")
	}
	if m.FetchedAt != "" && !isTimestamp(m.FetchedAt) {
		l.errorAt(m.Pos, "fetched_at %q is not an RFC 3339 time", m.FetchedAt)
	}
	if m.ObjectUpdated != "" && !isTimestamp(m.ObjectUpdated) {
		l.errorAt(m.Pos, "object_updated %q is not an RFC 3339 time", m.ObjectUpdated)
	}
	if m.SHA256 != sum {
		l.errorAt(m.Pos, "sha256 %q does not match %s (its sha256 is %s)", m.SHA256, path.Base(s.Path), sum)
	}
	s.Meta.Dataset, s.Meta.Date = string(ds), date
}

// patternFiles are the pattern files decoded, in the order of their names.
type patternFiles struct {
	values  []*Pattern
	results []decoded
}

// loadPatterns records decoded pattern files, in name order, and validates them.
func (l *loader) loadPatterns(names []string, files patternFiles) {
	patterns, results := files.values, files.results
	for i, name := range names {
		p := patterns[i]
		pr, ok := l.absorb(results[i])
		if !ok {
			continue
		}
		slug := strings.TrimSuffix(path.Base(name), ".yaml")
		if p.Slug != slug {
			l.errorAt(p.Pos, "slug %q must match the file name %q", p.Slug, slug)
			p.Slug = slug
		}
		l.validatePattern(p)
		owner := "pattern/" + p.Slug
		l.completeBody(&p.Body, p.DefaultRepo, owner)
		for i := range p.SubPatterns {
			l.completeBody(&p.SubPatterns[i].Body, p.DefaultRepo, owner)
		}
		l.scanProse(pr, p.DefaultRepo, owner)
		l.keepProse(pr, owner)
		l.tree.Patterns = append(l.tree.Patterns, p)
	}
	sort.Slice(l.tree.Patterns, func(i, j int) bool { return l.tree.Patterns[i].Slug < l.tree.Patterns[j].Slug })
}

func (l *loader) loadReports() {
	for _, name := range l.glob("reports/*.yaml") {
		r := &Report{ID: strings.TrimSuffix(path.Base(name), ".yaml")}
		pr, ok := l.decodeFile(name, r)
		if !ok {
			continue
		}
		l.validateReport(r)
		owner := "report/" + r.ID
		l.completeClaims(r.Citations, r.DefaultRepo, owner)
		for _, a := range r.allRefs() {
			l.completeRefString(a.ref, a.pos, r.DefaultRepo, owner)
		}
		l.scanProse(pr, r.DefaultRepo, owner)
		l.keepProse(pr, owner)
		l.tree.Reports = append(l.tree.Reports, r)
	}
	sort.Slice(l.tree.Reports, func(i, j int) bool {
		a, b := l.tree.Reports[i], l.tree.Reports[j]
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		return a.Dataset < b.Dataset
	})
}
