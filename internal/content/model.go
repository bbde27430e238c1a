// Package content loads and validates the curated content tree: repos, SIGs, categories, snapshots, patterns and reports.
package content

import (
	"fmt"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/claim"
	"github.com/triagesite/triagesite/internal/snapshot"
)

// Pos is a position in a content file; the decoder fills every field of this type.
type Pos struct {
	File      string
	Line, Col int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Markdown is prose in GitHub-flavoured markdown; citations in it use the citation grammar.
type Markdown string

// Repos is content/repos.yaml.
type Repos struct {
	Repos []Repo `yaml:"repos"`
}

// Repo is one GitHub repository and the short names reports use for it.
type Repo struct {
	Pos           Pos      `yaml:"-"`
	Repo          string   `yaml:"repo"` // owner/name
	Aliases       []string `yaml:"aliases"`
	DefaultBranch string   `yaml:"default_branch"`
	Checkout      string   `yaml:"checkout"` // optional local checkout directory for offline verification
}

// SIGs is content/sigs.yaml.
type SIGs struct {
	SIGs []SIG `yaml:"sigs"`
}

// SIG is one Kubernetes special interest group (or working group, or subproject team).
type SIG struct {
	Pos         Pos      `yaml:"-"`
	ID          string   `yaml:"id"` // sig-node
	Name        string   `yaml:"name"`
	Label       string   `yaml:"label"` // sig/node
	Description Markdown `yaml:"description"`
	Categories  []string `yaml:"categories"`   // job categories this SIG owns
	JobPrefixes []string `yaml:"job_prefixes"` // job name prefixes this SIG owns
}

// Categories is content/categories.yaml: the runbook's job categorizer as ordered data.
type Categories struct {
	Rules    []CategoryRule `yaml:"rules"`
	Fallback string         `yaml:"fallback"`
}

// CategoryRule assigns Category to a job whose lower-cased name matches; the first rule that matches wins.
type CategoryRule struct {
	Pos      Pos    `yaml:"-"`
	Category string `yaml:"category"`
	Matcher  `yaml:",inline"`
}

// Matcher is one test on a lower-cased job name. Exactly one field is set.
type Matcher struct {
	Prefix   string    `yaml:"prefix"`
	Contains string    `yaml:"contains"`
	Any      []Matcher `yaml:"any"`
	All      []Matcher `yaml:"all"`
}

// SnapshotMeta is the provenance file beside a snapshot (<date>.meta.yaml).
type SnapshotMeta struct {
	Pos       Pos    `yaml:"-"`
	Dataset   string `yaml:"dataset"`
	Date      string `yaml:"date"`
	Source    string `yaml:"source"`
	FetchedAt string `yaml:"fetched_at"`
	// ObjectUpdated and ObjectGeneration are the GCS object's own update time and generation,
	// recorded when the snapshot was fetched from gs://: the dashboard's age, not the fetch's.
	ObjectUpdated    string   `yaml:"object_updated"`
	ObjectGeneration int64    `yaml:"object_generation"`
	SHA256           string   `yaml:"sha256"`
	Partial          bool     `yaml:"partial"`
	JobsInSource     int      `yaml:"jobs_in_source"` // how many jobs the real dashboard file had
	Note             Markdown `yaml:"note"`
	Derivation       []string `yaml:"derivation"` // the report sentences a reconstruction was made from
}

// Snapshot is one stored dashboard file and its provenance.
type Snapshot struct {
	Path string
	Meta SnapshotMeta
	// Jobs is what the file lists, read in place from its dataset's history (Tree.History),
	// which holds every snapshot as compact columns.
	Jobs snapshot.Day
	// Null marks a file that is the JSON null: the dashboard had nothing. {} and null both
	// list no jobs; input health tells them apart.
	Null bool
}

// Pattern is content/patterns/<slug>.yaml: one root cause, which may outlive many reports.
type Pattern struct {
	Pos     Pos    `yaml:"-"`
	Slug    string `yaml:"slug"`
	Dataset string `yaml:"dataset"` // failures or flakes
	Body    `yaml:",inline"`
	// DefaultRepo resolves bare #N in this pattern's prose and citations.
	DefaultRepo string `yaml:"default_repo"`
	// AsOf dates this pattern's claims when they carry no at: of their own; without it they
	// are dated by the newest report that places the pattern.
	AsOf        string       `yaml:"as_of"`
	SubPatterns []SubPattern `yaml:"subpatterns"`
}

// SubPattern is one failure signature inside a pattern.
type SubPattern struct {
	Pos   Pos    `yaml:"-"`
	ID    string `yaml:"id"`    // stable anchor within the pattern, e.g. "rhel10-nft"
	Label string `yaml:"label"` // the label the source report gives it, e.g. "B.1" or "A.D.3"
	Body  `yaml:",inline"`
}

// Body is what a pattern and a sub-pattern both say.
type Body struct {
	Title      string      `yaml:"title"`
	Summary    Markdown    `yaml:"summary"`
	RootCause  Markdown    `yaml:"root_cause"`
	Causal     CausalChain `yaml:"causal_chain"`
	Details    Markdown    `yaml:"details"`
	Jobs       []JobRef    `yaml:"jobs"`
	JobCount   int         `yaml:"job_count"` // the report's own figure when it is larger than the jobs listed
	Citations  []Claim     `yaml:"citations"`
	Fix        Fix         `yaml:"fix"`
	Tracker    Markdown    `yaml:"tracker"`
	Status     Markdown    `yaml:"status"`
	OwnerSIGs  []string    `yaml:"owner_sigs"`
	CrossLists []string    `yaml:"cross_lists"` // other sub-pattern labels or pattern slugs this one repeats
	// Match claims jobs by rule, beside the exact names in Jobs (see JobMatcher).
	Match []JobMatcher `yaml:"match"`
	// ByDesign marks every job this body claims as failing on purpose (a canary, a known-broken lane).
	ByDesign bool `yaml:"by_design"`
}

// Prose is the body's own markdown fields in the order of its file; its job and citation
// notes are not among them.
func (b *Body) Prose() []Markdown {
	return []Markdown{b.Summary, b.RootCause, b.Causal.IntroducedBy, b.Causal.ExposedBy, b.Details, b.Fix.Summary, b.Tracker, b.Status}
}

// CausalChain names the change that introduced a regression and the one that exposed it.
// Either may be "unknown", said explicitly.
type CausalChain struct {
	IntroducedBy Markdown `yaml:"introduced_by"`
	ExposedBy    Markdown `yaml:"exposed_by"`
}

// JobRef is a job a pattern says it explains.
type JobRef struct {
	Pos  Pos      `yaml:"-"`
	Name string   `yaml:"name"`
	Note Markdown `yaml:"note"`
	// NotInSnapshot marks a job the report discusses that the dashboard snapshot does not list.
	NotInSnapshot bool `yaml:"not_in_snapshot"`
	// Reported is the figure the report states for the job (failing days or consistency), kept to compare with the snapshot.
	Reported string `yaml:"reported"`
	// ByDesign marks a job that fails on purpose, so status pages do not count it as on fire.
	ByDesign bool `yaml:"by_design"`
}

// Fix is a fix shape: prose and diff sketches.
type Fix struct {
	Summary  Markdown `yaml:"summary"`
	Sketches []Sketch `yaml:"sketches"`
}

// Sketch is a short code or diff excerpt showing the change.
type Sketch struct {
	Pos  Pos    `yaml:"-"`
	File string `yaml:"file"` // citation or path the sketch changes
	Lang string `yaml:"lang"` // diff, go, yaml, sh, ...
	Code string `yaml:"code"`
}

// Claim is a structured citation: where a report makes it and why, around what it asserts
// (claim.Claim, the part verification checks and the lock records).
type Claim struct {
	Pos  Pos      `yaml:"-"`
	Ref  string   `yaml:"ref"`  // the citation in grammar
	Role string   `yaml:"role"` // fix, tracker, introduced, exposed, umbrella, related, sample, evidence
	Note Markdown `yaml:"note"`

	claim.Claim `yaml:",inline"`

	// Acknowledged says why a contradiction verification found is known and kept as the
	// report wrote it: lint then warns instead of failing, and pages show it beside the status.
	Acknowledged Markdown `yaml:"acknowledged"`

	// Parsed is filled by the loader: the citation resolved to its full owner/repo.
	Parsed citation.Ref `yaml:"-"`
}

// Report is content/reports/<date>-<dataset>.yaml: one dated triage report.
type Report struct {
	Pos           Pos        `yaml:"-"`
	ID            string     `yaml:"-"` // file name without .yaml
	Title         string     `yaml:"title"`
	Date          string     `yaml:"date"`
	Dataset       string     `yaml:"dataset"`
	Version       string     `yaml:"version"`
	Snapshot      string     `yaml:"snapshot"`       // date of content/snapshots/<dataset>/<date>.json
	PriorSnapshot string     `yaml:"prior_snapshot"` // optional
	DefaultRepo   string     `yaml:"default_repo"`
	Author        string     `yaml:"author"`
	SourceURL     string     `yaml:"source_url"`
	Method        Markdown   `yaml:"method"`
	Banner        []Markdown `yaml:"banner"`

	Status        Status          `yaml:"status"`
	TLDR          TLDR            `yaml:"tldr"`
	PatternsIntro Markdown        `yaml:"patterns_intro"`
	Patterns      []ReportPattern `yaml:"patterns"`
	Misclassified []Misclassified `yaml:"misclassifications"`
	Tiers         []Tier          `yaml:"tiers"`
	Methodology   []Markdown      `yaml:"methodology"`
	MetricNotes   Markdown        `yaml:"metric_notes"`
	Drift         Drift           `yaml:"drift"`
	Verifications []Verification  `yaml:"verifications"`
	OpenQuestions []Markdown      `yaml:"open_questions"`
	Appendix      Markdown        `yaml:"appendix"`
	Citations     []Claim         `yaml:"citations"` // claims made outside any pattern (banner, tiers, Q&A)
}

// Status is the report's "what has been done" section.
type Status struct {
	Clusters     []Cluster     `yaml:"clusters"`
	NudgeTargets []NudgeTarget `yaml:"nudge_targets"`
	OpenWork     []Markdown    `yaml:"open_work"`
	Notes        Markdown      `yaml:"notes"`
}

// Cluster is one investigation cluster in the status table.
type Cluster struct {
	Pos         Pos      `yaml:"-"`
	Label       string   `yaml:"label"`
	Name        string   `yaml:"name"`
	SubPatterns string   `yaml:"subpatterns"`
	Highlight   Markdown `yaml:"highlight"`
}

// NudgeTarget is an open PR someone can push over the line.
type NudgeTarget struct {
	Pos     Pos      `yaml:"-"`
	Refs    []string `yaml:"refs"`
	Pattern string   `yaml:"pattern"`
	State   Markdown `yaml:"state"`
	Block   Markdown `yaml:"block"`
	Cleared Markdown `yaml:"cleared"`
}

// TLDR is the headline and the takeaways.
type TLDR struct {
	Headline  Markdown   `yaml:"headline"`
	Takeaways []Markdown `yaml:"takeaways"`
	Notes     Markdown   `yaml:"notes"`
}

// ReportPattern places a pattern in a report under the letter it carries there.
type ReportPattern struct {
	Pos     Pos      `yaml:"-"`
	Letter  string   `yaml:"letter"`
	Pattern string   `yaml:"pattern"` // slug
	Heading string   `yaml:"heading"` // the heading the report gives it, when it differs from the pattern title
	Note    Markdown `yaml:"note"`
}

// Misclassified is a dashboard entry that is not a real failure or flake.
type Misclassified struct {
	Pos     Pos      `yaml:"-"`
	Entry   Markdown `yaml:"entry"`
	Jobs    []string `yaml:"jobs"`
	Reality Markdown `yaml:"reality"`
}

// Tier is one tier of the action plan (0 done … 5 delete or don't).
type Tier struct {
	Pos   Pos        `yaml:"-"`
	Tier  int        `yaml:"tier"`
	Title string     `yaml:"title"`
	Items []Action   `yaml:"items"`
	Notes []Markdown `yaml:"notes"`
}

// Action is one row of a tier; which columns a tier uses varies, so every column is optional.
type Action struct {
	Pos     Pos      `yaml:"-"`
	ID      string   `yaml:"id"`
	Action  Markdown `yaml:"action"`
	Cleared Markdown `yaml:"cleared"`
	Block   Markdown `yaml:"block"`
	Where   Markdown `yaml:"where"` // file:line or the file the change touches
	Owner   Markdown `yaml:"owner"`
	Status  Markdown `yaml:"status"`
	Why     Markdown `yaml:"why"`
	Refs    []string `yaml:"refs"`    // citations this action rests on
	SIGs    []string `yaml:"sigs"`    // owner SIG ids, for filtering
	Pattern string   `yaml:"pattern"` // pattern slug the action belongs to, if any
	// Role is what the item's refs are: "fix" makes each PR among them a fix of the pattern's jobs.
	Role string `yaml:"role"`
}

// Drift is what the report says changed since the prior snapshot.
type Drift struct {
	Summary Markdown   `yaml:"summary"`
	Notes   []Markdown `yaml:"notes"`
}

// Verification is one cross-check question and its verdict.
type Verification struct {
	Pos      Pos      `yaml:"-"`
	ID       string   `yaml:"id"`
	Question Markdown `yaml:"question"`
	Verdict  string   `yaml:"verdict"` // CONFIRMED, PARTIAL, REFUTED
	// VerdictNote qualifies the verdict as the report does, e.g. "PARTIAL → CONFIRMED with line correction".
	VerdictNote string   `yaml:"verdict_note"`
	Detail      Markdown `yaml:"detail"`
}
