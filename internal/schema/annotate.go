package schema

import "github.com/triagesite/triagesite/internal/snapshot"

// markdownNote is appended to the description of every markdown field.
const markdownNote = "Markdown; inline citations (k/k#123, k/k@abc1234, k/k:path:12, gs://…) are checked."

// enums are the closed value sets the loader's validator enforces, keyed by "Type.key".
// Empty strings the validator also accepts are left out: omit the key instead.
// TestEnumsAgreeWithLoader keeps this in step with internal/content/validate.go.
var enums = map[string][]string{
	"Pattern.dataset":      {string(snapshot.Failures), string(snapshot.Flakes)},
	"Report.dataset":       {string(snapshot.Failures), string(snapshot.Flakes)},
	"SnapshotMeta.dataset": {string(snapshot.Failures), string(snapshot.Flakes)},
	"JobMatcher.dataset":   {string(snapshot.Failures), string(snapshot.Flakes)},
	"Claim.kind":           {"pr", "issue"},
	"Claim.role":           {"fix", "tracker", "introduced", "exposed", "umbrella", "related", "sample", "evidence", "prerequisite", "predecessor"},
	"Claim.state":          {"merged", "closed", "open", "draft"},
	"Claim.result":         {"success", "failure"},
	"Verification.verdict": {"CONFIRMED", "PARTIAL", "REFUTED"},
}

// required lists keys the validator rejects a file without (an empty value is an error there too).
var required = map[string][]string{
	"Repo":         {"repo"},
	"SIG":          {"id", "name"},
	"CategoryRule": {"category"},
	"SnapshotMeta": {"dataset", "date", "source", "sha256"},
	"Pattern":      {"slug", "dataset", "title"},
	"SubPattern":   {"id", "title"},
	"JobRef":       {"name"},
	"Claim":        {"ref"},
	"Report":       {"title", "date", "dataset", "snapshot"},
	"Verification": {"verdict"},
}

// examples are shown by editors beside descriptions, keyed like descriptions.
var examples = map[string][]any{
	"JobMatcher": {
		map[string]any{"glob": "e2e-kops-grid-*-ko35"},
		map[string]any{"regexp": `pull-cluster-api-provider-aws-e2e-.*-release-2-\d+`},
		map[string]any{"glob": "*-canary", "exclude": true},
		map[string]any{"test": "*TestEtcdStoragePath*", "dataset": "flakes"},
	},
	"JobMatcher.glob":   {"ci-kubernetes-e2e-*-ko35", "*-push-images"},
	"JobMatcher.regexp": {`pull-cluster-api-provider-aws-.*-release-2-\d+`},
	"JobMatcher.test":   {"k8s.io/kubernetes/test/integration/*"},
}

// descriptions are shown by editors on hover, keyed by type name or "Type.key"; they
// follow the comments in internal/content/model.go and docs/content-format.md.
var descriptions = map[string]string{
	"Repos":                          "Repositories and the short names reports use for them.",
	"Repo.repo":                      "owner/name on GitHub.",
	"Repo.aliases":                   "Short names citations may use instead of owner/name, e.g. k/k.",
	"Repo.checkout":                  "Optional local checkout directory for offline verification.",
	"SIGs":                           "The SIG registry and what each SIG owns.",
	"SIG.id":                         "sig-node, wg-device-management, …",
	"SIG.label":                      "The GitHub label, e.g. sig/node.",
	"SIG.categories":                 "Job categories (from categories.yaml) this SIG owns.",
	"SIG.job_prefixes":               "Job name prefixes this SIG owns.",
	"Categories":                     "The runbook's job categorizer as ordered rules; the first rule that matches a lower-cased job name wins.",
	"Categories.fallback":            "The category of a job no rule matches.",
	"Matcher":                        "One test on a lower-cased job name; set exactly one of prefix, contains, any, all.",
	"SnapshotMeta":                   "Provenance of the snapshot JSON beside this file.",
	"SnapshotMeta.date":              "YYYY-MM-DD, the same as the file name.",
	"SnapshotMeta.fetched_at":        "RFC 3339 time.",
	"SnapshotMeta.sha256":            "sha256 of the .json file, byte for byte.",
	"SnapshotMeta.jobs_in_source":    "How many jobs the real dashboard file had.",
	"SnapshotMeta.derivation":        "The report sentences a reconstruction was made from.",
	"Pattern":                        "One root cause, which may outlive many reports. The slug is the file name.",
	"Pattern.slug":                   "Lower-case words joined by hyphens; the same as the file name.",
	"Pattern.default_repo":           "owner/repo that resolves bare #N in this pattern's prose and citations.",
	"Pattern.subpatterns":            "Failure signatures inside this pattern.",
	"SubPattern.id":                  "Stable anchor within the pattern, e.g. rhel10-nft.",
	"SubPattern.label":               "The label the report gives it, e.g. B.1.",
	"Body.title":                     "One line naming the root cause.",
	"Body.causal_chain":              "The change that introduced the failure and the one that exposed it; either may be \"unknown\", said explicitly.",
	"Body.jobs":                      "Jobs this pattern explains.",
	"Body.job_count":                 "The report's own figure when it covers more jobs than are listed.",
	"Body.citations":                 "Claims: what the report asserts about PRs, issues, commits, lines and builds, to be verified.",
	"Body.owner_sigs":                "SIG ids from sigs.yaml.",
	"Body.cross_lists":               "Other sub-pattern labels or pattern slugs this one repeats.",
	"JobRef.not_in_snapshot":         "The report discusses this job but the dashboard snapshot does not list it.",
	"JobRef.reported":                "The figure the report gives for the job (failing days or consistency), e.g. \"153d\".",
	"Sketch.file":                    "Citation (alias:path:LINE) or path of the file the sketch changes.",
	"Sketch.lang":                    "diff, go, yaml, sh, …",
	"Claim":                          "A claim about a PR, issue, commit, file line or build; which keys apply depends on the kind of ref.",
	"Claim.ref":                      "The citation: owner/repo#N, alias#N, alias@SHA, alias:path:LINE, or a gs:// build.",
	"Claim.kind":                     "PR and issue refs: pr or issue, when the report says which.",
	"Claim.state":                    "PR and issue refs.",
	"Claim.merged_at":                "PR refs with state merged: a date or RFC 3339 time.",
	"Claim.closed_at":                "PR and issue refs: a date or RFC 3339 time.",
	"Claim.labels":                   "PR and issue refs.",
	"Claim.title":                    "PR, issue and commit refs.",
	"Claim.author":                   "Commit refs.",
	"Claim.date":                     "Commit refs: a date or RFC 3339 time.",
	"Claim.at":                       "File refs: a date (the default branch at the end of that day) or a commit SHA.",
	"Claim.quote":                    "File and build refs: text that must be on the cited line(s), or in the build log.",
	"Claim.job":                      "Build refs: the job the build address names.",
	"Claim.result":                   "Build refs.",
	"Report":                         "One dated triage report; the file is named <date>-<dataset>.yaml.",
	"Report.date":                    "YYYY-MM-DD.",
	"Report.snapshot":                "Date of content/snapshots/<dataset>/<date>.json.",
	"Report.prior_snapshot":          "Date of the stored snapshot drift is measured from.",
	"Report.default_repo":            "owner/repo that resolves bare #N in this report.",
	"Report.banner":                  "Notices shown above the report.",
	"Report.patterns":                "Patterns under the letters they carry in this report.",
	"Report.tiers":                   "The action plan, tiers 0 (done) to 5 (delete or don't).",
	"Report.citations":               "Claims made outside any pattern (banner, tiers, Q&A).",
	"ReportPattern.pattern":          "Slug of a file in patterns/.",
	"ReportPattern.heading":          "The heading the report gives it, when it differs from the pattern title.",
	"Status":                         "What has been done: investigation clusters, PRs to nudge, open work.",
	"Cluster":                        "One investigation cluster in the status table.",
	"NudgeTarget":                    "An open PR someone can push over the line.",
	"Tier.tier":                      "0 (done) to 5 (delete or don't).",
	"Action":                         "One row of a tier; every column is optional.",
	"Action.refs":                    "Citations this action rests on.",
	"Action.sigs":                    "Owner SIG ids, for filtering.",
	"Action.pattern":                 "Slug of the pattern the action belongs to, if any.",
	"Body.match":                     "Rules that claim jobs beside the exact names in jobs: globs and regexps on the whole job name, test-name globs, and exclusions.",
	"Body.by_design":                 "Every job this pattern or sub-pattern claims fails on purpose; status pages mark it and do not count it as on fire.",
	"JobRef.by_design":               "This job fails on purpose; status pages mark it and do not count it as on fire.",
	"JobMatcher":                     "One rule that claims jobs; set exactly one of glob, regexp, test. A job listed by name is always an exact claim.",
	"JobMatcher.glob":                "Whole job name: * any run of characters, ? one character, [a-z] a class, [!a-z] its complement, \\ makes the next character literal.",
	"JobMatcher.regexp":              "Whole job name, RE2 syntax, anchored at both ends.",
	"JobMatcher.test":                "Glob on the test names in a flakes job's test_flakes; the job is claimed when one of its tests matches.",
	"JobMatcher.exclude":             "Take back the jobs this rule matches from the body's other rules (never from jobs listed by name).",
	"JobMatcher.dataset":             "failures or flakes; empty means the pattern's dataset.",
	"Verification.verdict_note":      "Qualifies the verdict as the report does, e.g. \"PARTIAL → CONFIRMED with line correction\".",
	"SnapshotMeta.object_updated":    "RFC 3339 time: the GCS object's own update time, when fetched from gs://.",
	"SnapshotMeta.object_generation": "The GCS object's generation, when fetched from gs://.",
	"Pattern.as_of":                  "YYYY-MM-DD: the day this pattern's claims are judged as of, when a claim has no at: of its own. Without it, the date of the newest report that places the pattern.",
}
