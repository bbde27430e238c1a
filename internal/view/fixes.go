package view

// FixRow is one fix PR checked against one job's builds since it merged.
type FixRow struct {
	PR, Job  Link
	Verdict  string // an evidence.FixVerdict
	Label    string // the verdict in words
	MergedAt string
	Message  string // what the builds showed
}

// NotFixed reports whether the builds that tested the fix failed.
func (r FixRow) NotFixed() bool { return r.Verdict == "still_failing" }

// FixesNotFixed are the rows whose fix did not fix the job.
func FixesNotFixed(rows []FixRow) []FixRow {
	var out []FixRow
	for _, r := range rows {
		if r.NotFixed() {
			out = append(out, r)
		}
	}
	return out
}
