package evidence

import "sort"

// FixVerdict is what the builds run after a fix merged say of one job it was meant to fix.
type FixVerdict string

// The outcomes of a fix check. Only Fixed and StillFailing are verdicts; the rest say why
// there is none yet.
const (
	FixFixed        FixVerdict = "fixed"          // a build that tested a commit containing the merge passed
	FixStillFailing FixVerdict = "still_failing"  // builds that tested the merge failed, none passed
	FixNotYetTested FixVerdict = "not_yet_tested" // every build since the merge tested an older commit
	FixUnverifiable FixVerdict = "unverifiable"   // the builds or the ancestry could not be told
	FixError        FixVerdict = "error"          // the bucket kept failing
)

// Whether a build's tested commit contains the fix's merge commit.
const (
	ContainsYes     = "yes"
	ContainsNo      = "no"
	ContainsUnknown = "unknown"
)

// FixCheck is one (fix PR, job) pair and what the build-log bucket and git history answered.
type FixCheck struct {
	PR        string        `json:"pr"` // owner/repo#N
	Job       string        `json:"job"`
	MergeSHA  string        `json:"merge_sha,omitempty"`
	MergedAt  string        `json:"merged_at,omitempty"`
	Verdict   FixVerdict    `json:"verdict"`
	Message   string        `json:"message"`
	Builds    []BuildTested `json:"builds,omitempty"` // newest first: the builds read after the merge
	CheckedAt string        `json:"checked_at"`
}

// BuildTested is one build of a job, as its started.json and finished.json say.
type BuildTested struct {
	ID      string `json:"id"`
	Started string `json:"started"`          // RFC 3339 UTC
	Result  string `json:"result,omitempty"` // finished.json's result, lower case; "" while running
	Commit  string `json:"commit,omitempty"` // the commit of the fix's repository the build tested
	// Contains says whether Commit has the merge in its history, and Via who told (checkout or github).
	Contains string `json:"contains,omitempty"`
	Via      string `json:"via,omitempty"`
	Problem  string `json:"problem,omitempty"` // why the build could not be read or placed
}

// FixKey identifies a fix check.
func FixKey(pr, job string) string { return pr + " " + job }

// PutFix adds or replaces the check of a (PR, job) pair.
func (l *Lock) PutFix(f FixCheck) {
	for i, g := range l.Fixes {
		if g.PR == f.PR && g.Job == f.Job {
			l.Fixes[i] = f
			return
		}
	}
	l.Fixes = append(l.Fixes, f)
}

// Fix returns the recorded check of a (PR, job) pair.
func (l *Lock) Fix(pr, job string) (FixCheck, bool) {
	if l == nil {
		return FixCheck{}, false
	}
	for _, f := range l.Fixes {
		if f.PR == pr && f.Job == job {
			return f, true
		}
	}
	return FixCheck{}, false
}

// KeepFixes drops the checks of pairs no longer cited (keys from FixKey).
func (l *Lock) KeepFixes(keys map[string]bool) {
	kept := l.Fixes[:0]
	for _, f := range l.Fixes {
		if keys[FixKey(f.PR, f.Job)] {
			kept = append(kept, f)
		}
	}
	l.Fixes = kept
}

func sortFixes(fs []FixCheck) []FixCheck {
	out := append([]FixCheck(nil), fs...)
	sort.Slice(out, func(i, j int) bool { return FixKey(out[i].PR, out[i].Job) < FixKey(out[j].PR, out[j].Job) })
	return out
}
