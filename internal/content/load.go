package content

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"maps"
	"path"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unsafe"

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

	aliases map[string]string // lower-cased alias or owner/repo -> owner/repo
	// citationsOf is where each owner's citations stand in Citations: one file each, so one run.
	citationsOf map[Owner][2]int
	reports     map[string]*Report // by ID
	histories   map[snapshot.Dataset]*snapshot.History
	// positions is where every decoded scalar was written, by the address of its Go value;
	// compact, as a large tree holds hundreds of thousands of scalars. The keys keep what
	// they point to alive, so no address is reused for another value while the tree lives.
	positions map[unsafe.Pointer]scalarPos
	posFiles  []string // the files positions name
}

// scalarPos is a Pos with its file as an index into Tree.posFiles.
type scalarPos struct{ file, line, col int32 }

// PosOf returns where the value field points to was written in its file: a field of a
// struct in the tree, or an element of a list of values. It returns fallback for a value
// the file does not give.
func (t *Tree) PosOf(field any, fallback Pos) Pos {
	v := reflect.ValueOf(field)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return fallback
	}
	if p, ok := t.positions[v.UnsafePointer()]; ok {
		return Pos{File: t.posFiles[p.file], Line: int(p.line), Col: int(p.col)}
	}
	return fallback
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

// Resolve is the one citation.Resolver every stage uses: an alias or owner/repo that
// repos.yaml declares gives its owner/repo, and any other owner/repo stands for itself, so
// a citation of a repository repos.yaml lacks is handled alike by the loader, lint, the
// markdown renderer and the site.
func (t *Tree) Resolve(name string) (string, bool) {
	if r, ok := t.aliases[strings.ToLower(name)]; ok {
		return r, true
	}
	if ownerRepoRe.MatchString(name) {
		return name, true
	}
	return "", false
}

// Declared reports whether repos.yaml names the repository, by owner/repo or alias.
func (t *Tree) Declared(name string) bool {
	_, ok := t.aliases[strings.ToLower(name)]
	return ok
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

// Report returns the report with an ID.
func (t *Tree) Report(id string) *Report {
	if t.reports == nil { // a tree not made by Load, as tests make them
		for _, r := range t.Reports {
			if r.ID == id {
				return r
			}
		}
		return nil
	}
	return t.reports[id]
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
	// renderOnly keeps no Tree.Prose, and drops the positions at the end; see RenderOnly.
	renderOnly bool
	// refusedDirs holds folders reached through a link out of the tree, reported once.
	refusedDirs map[string]bool
	// refused holds the values the decoder refused, by address; see errorOn.
	refused map[unsafe.Pointer]bool
	// unparsed holds files that were missing or not YAML at all; checks that refer to them
	// are skipped so one broken file does not bury the report in follow-on errors.
	unparsed map[string]bool
}

// Option changes what Load keeps of the tree.
type Option func(*options)

type options struct{ renderOnly bool }

// RenderOnly leaves out what only checks after the load read: Tree.Prose and the positions
// PosOf answers with. They are a fifth of a large tree's memory, and a build that renders
// without linting has no use for them; PosOf then answers its fallback. The positions are
// still recorded while the tree loads: its own errors, and the order of its citations,
// stand on them.
func RenderOnly() Option { return func(o *options) { o.renderOnly = true } }

// Load reads the content tree in fsys. Positions in errors are shown under prefix (e.g. "content").
// The error, when not nil, is an Errors listing every problem found.
func Load(fsys fs.FS, prefix string, opts ...Option) (*Tree, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	// Said once: otherwise every file the tree needs is reported missing, one by one.
	if _, err := fs.Stat(fsys, "."); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: no such content directory; run where content/ is, or pass --content DIR", prefix)
	}
	l := newLoader(fsys, prefix)
	l.renderOnly = o.renderOnly
	l.loadAll()
	if len(l.errs) > 0 {
		return nil, l.errs.sorted()
	}
	if o.renderOnly {
		l.tree.positions, l.tree.posFiles = nil, nil
	}
	return l.tree, nil
}

func newLoader(fsys fs.FS, prefix string) *loader {
	return &loader{fsys: fsys, prefix: prefix, tree: &Tree{positions: map[unsafe.Pointer]scalarPos{}}, files: map[string][]string{}, unparsed: map[string]bool{}, refused: map[unsafe.Pointer]bool{}, refusedDirs: map[string]bool{}}
}

// merge takes in what another loader recorded, which went on at the same time as this
// one's work. o's prose goes first: o loaded the snapshots, whose prose has always led.
func (l *loader) merge(o *loader) {
	l.errs = append(l.errs, o.errs...) // sorted by position at the end, so order is moot
	file := int32(len(l.tree.posFiles))
	l.tree.posFiles = append(l.tree.posFiles, o.tree.posFiles...)
	for k, p := range o.tree.positions {
		p.file += file
		l.tree.positions[k] = p
	}
	maps.Copy(l.files, o.files)
	maps.Copy(l.refusedDirs, o.refusedDirs)
	maps.Copy(l.refused, o.refused)
	maps.Copy(l.unparsed, o.unparsed)
	l.tree.Prose = append(o.tree.Prose, l.tree.Prose...)
	l.tree.Snapshots = append(l.tree.Snapshots, o.tree.Snapshots...)
	l.tree.histories = o.tree.histories
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
	at      map[unsafe.Pointer]Pos
	refused map[unsafe.Pointer]bool
	errs    Errors
	readErr error
	parsed  bool
}

// decodeAlone reads and decodes one file without touching loader state, so that many files
// can be decoded at once.
func (l *loader) decodeAlone(name string, v any) decoded {
	out := decoded{name: name}
	data, err := l.readFile(name, MaxFileSize)
	if err != nil {
		out.readErr = err
		return out
	}
	out.lines = strings.Split(string(data), "\n")
	d := &decoder{file: l.display(name), errs: &out.errs, at: map[unsafe.Pointer]Pos{}, refused: map[unsafe.Pointer]bool{}}
	out.parsed = d.decodeFile(data, v)
	out.prose, out.at, out.refused = d.prose, d.at, d.refused
	return out
}

// absorb records a decoded file's lines, errors and state in the loader.
func (l *loader) absorb(d decoded) ([]prose, bool) {
	if d.readErr != nil {
		l.unparsed[d.name] = true
		l.readError(d.name, d.readErr)
		return nil, false
	}
	if len(d.at) > 0 {
		file := int32(len(l.tree.posFiles))
		l.tree.posFiles = append(l.tree.posFiles, l.display(d.name))
		for k, p := range d.at {
			l.tree.positions[k] = scalarPos{file, int32(p.Line), int32(p.Col)}
		}
	}
	for k := range d.refused {
		l.refused[k] = true
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
	l.refuseMisnamed()
	// Patterns load while the snapshots parse: they need nothing from them, and the
	// goroutine recording snapshots in order leaves CPU idle that decoding and validating
	// patterns fill. The snapshots are recorded by a loader of their own, merged after.
	snaps := newLoader(l.fsys, l.prefix)
	snaps.renderOnly = l.renderOnly
	snapsDone := make(chan struct{})
	go func() {
		defer close(snapsDone)
		snaps.loadSnapshots()
	}()
	patternNames := l.glob("patterns/*.yaml")
	var patterns patternFiles
	patterns.values, patterns.results = decodeAll[Pattern](l, patternNames)
	l.loadPatterns(patternNames, patterns)
	<-snapsDone
	l.merge(snaps)
	l.loadReports()
	l.completeDates()
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
	t.citationsOf = indexOwners(t.Citations)
}

func (l *loader) glob(pattern string) []string {
	// A folder that is a link out of the tree is not listed: its names are not ours to show.
	if dir := path.Dir(pattern); dir != "." && !strings.ContainsAny(dir, "*?[") {
		if err := linksInside(l.fsys, dir, 0); err != nil {
			if !l.refusedDirs[dir] {
				l.refusedDirs[dir] = true
				l.fileError(dir, "%v", err)
			}
			return nil
		}
	}
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
	// stored is the snapshot with its provenance file decoded on the worker, as meta says;
	// the loader records meta in name order, as it does the snapshot.
	stored    *Snapshot
	meta      decoded
	problem   string
	line, col int // where the problem is, when known
}

// loadSnapshots parses the snapshot files in parallel but records them in name order (so
// errors and output stay deterministic), folding each into its dataset's history as it
// comes. At most a few parsed files are in memory at once, however long the history.
func (l *loader) loadSnapshots() {
	names := l.glob("snapshots/*/*.json")
	hist := map[snapshot.Dataset]*snapshot.History{}
	for p := range l.parseInOrder(names) {
		if p.problem != "" {
			l.unparsed[p.name] = true
			at := Pos{File: l.display(p.name), Line: max(p.line, 1), Col: max(p.col, 1)}
			l.errorAt(at, "%s", p.problem)
			continue
		}
		h := hist[p.ds]
		if h == nil {
			h = snapshot.NewHistory(p.ds)
			hist[p.ds] = h
		}
		err := h.Add(p.date, p.snap)
		snapshot.Recycle(p.snap) // the history holds a copy
		if err != nil {
			l.fileError(p.name, "%v", err)
			continue
		}
		s := p.stored
		s.Path, s.Jobs, s.Null = l.display(p.name), h.Day(h.Len()-1), p.null
		if pr, ok := l.absorb(p.meta); ok {
			l.validateMeta(s, p.ds, p.date, p.sha256)
			l.keepProse(pr, Owner{OwnerSnapshot, string(p.ds) + "/" + p.date})
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
	if err := l.readInto(buf, name, snapshot.MaxSize, "a snapshot"); err != nil {
		p.problem = err.Error()
		if !errors.Is(err, errOutside) && !errors.As(err, new(tooLarge)) {
			p.problem = "read: " + p.problem
		}
		return p
	}
	data := buf.Bytes() // the parser copies what it keeps
	sum := sha256.Sum256(data)
	p.sha256 = hex.EncodeToString(sum[:])
	names := nameTables.Get().(*snapshot.Names)
	defer nameTables.Put(names)
	if p.snap, err = snapshot.ParseNames(ds, data, names); err != nil {
		p.problem = err.Error()
		var se *snapshot.ShapeError
		if errors.As(err, &se) {
			p.line, p.col = se.Line, se.Col
		}
		return p
	}
	p.null = len(p.snap.Jobs) == 0 && bytes.Equal(bytes.TrimSpace(data), []byte("null"))
	p.stored = new(Snapshot)
	p.meta = l.decodeAlone(strings.TrimSuffix(name, ".json")+".meta.yaml", &p.stored.Meta)
	return p
}

// nameTables lets parse workers share job and test name strings between the documents each
// parses: the same 1,500 names in every daily file would otherwise be allocated afresh in
// each (140 MB for two years). The history then keeps one string per job.
var nameTables = sync.Pool{New: func() any { return snapshot.NewNames() }}

// readBufs recycles snapshot file buffers: two years of daily files are hundreds of MB,
// read once each and not kept.
var readBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (l *loader) validateMeta(s *Snapshot, ds snapshot.Dataset, date, sum string) {
	m := &s.Meta
	if m.Dataset != string(ds) {
		l.errorOn(&m.Dataset, m.Pos, "dataset %s does not match the folder %q", excerpt(m.Dataset), ds)
	}
	if m.Date != date {
		l.errorOn(&m.Date, m.Pos, "date %s does not match the file name %q", excerpt(m.Date), date)
	}
	if m.Source == "" {
		l.errorAt(m.Pos, "source is required: where the snapshot came from")
	}
	if m.FetchedAt != "" && !isTimestamp(m.FetchedAt) {
		l.errorOn(&m.FetchedAt, m.Pos, "fetched_at %s is not an RFC 3339 time", excerpt(m.FetchedAt))
	}
	if m.ObjectUpdated != "" && !isTimestamp(m.ObjectUpdated) {
		l.errorAt(m.Pos, "object_updated %q is not an RFC 3339 time", m.ObjectUpdated)
	}
	if m.SHA256 != sum {
		l.errorOn(&m.SHA256, m.Pos, "sha256 %s does not match %s (its sha256 is %s)", excerpt(m.SHA256), path.Base(s.Path), sum)
	}
	m.Dataset, m.Date = string(ds), date
}

// at is where the value field points to was written, or fallback.
func (l *loader) at(field any, fallback Pos) Pos { return l.tree.PosOf(field, fallback) }

// errorOn records a problem with the value field points to, at that value. A value the
// decoder refused (a number where text belongs) already has its error, so none is added.
func (l *loader) errorOn(field any, fallback Pos, format string, args ...any) {
	if l.isRefused(field) {
		return
	}
	l.errorAt(l.at(field, fallback), format, args...)
}

// isRefused reports whether the decoder refused the value field points to.
func (l *loader) isRefused(field any) bool {
	v := reflect.ValueOf(field)
	return v.Kind() == reflect.Pointer && !v.IsNil() && l.refused[v.UnsafePointer()]
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
			l.errorOn(&p.Slug, p.Pos, "slug %s must match the file name %q", excerpt(p.Slug), slug)
			p.Slug = slug
		}
		l.validatePattern(p)
		owner := PatternOwner(p.Slug)
		l.completeBody(&p.Body, p.DefaultRepo, owner, "")
		for i := range p.SubPatterns {
			l.completeBody(&p.SubPatterns[i].Body, p.DefaultRepo, owner, "subpatterns["+strconv.Itoa(i)+"]")
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
		owner := ReportOwner(r.ID)
		l.completeClaims(r.Citations, r.DefaultRepo, owner, "citations")
		for _, a := range r.allRefs() {
			l.completeRefString(*a.ref, l.at(a.ref, a.pos), r.DefaultRepo, owner, a.path)
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
	// Reports are in date order, not by ID as patterns are by slug, so an index finds one.
	l.tree.reports = make(map[string]*Report, len(l.tree.Reports))
	for _, r := range l.tree.Reports {
		l.tree.reports[r.ID] = r
	}
}
