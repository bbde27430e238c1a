package content

// completeDates dates every citation: a report is true on its own day, so its claims are
// judged as of that day, not as of whenever verification runs.
func (l *loader) completeDates() {
	t := l.tree
	dates := t.ownerDates()
	for i := range t.Citations {
		c := &t.Citations[i]
		if c.Claim != nil && c.Claim.At != "" {
			if isDate(c.Claim.At) {
				c.AsOf = c.Claim.At
			}
			continue // a SHA names the very commit to read: no date applies
		}
		c.AsOf = dates[c.Owner]
		if c.Claim != nil {
			c.Claim.AsOf = c.AsOf
		}
	}
}

// ownerDates maps each file's owner to the date its claims stand on: a report's date; for a
// pattern its as_of:, else the date of the newest report that places it.
func (t *Tree) ownerDates() map[Owner]string {
	dates := map[Owner]string{}
	for _, r := range t.Reports { // by date, so a later placing report overwrites an earlier one
		if !isDate(r.Date) {
			continue
		}
		dates[ReportOwner(r.ID)] = r.Date
		for _, rp := range r.Patterns {
			dates[PatternOwner(rp.Pattern)] = r.Date
		}
	}
	for _, p := range t.Patterns {
		if p.AsOf != "" {
			dates[PatternOwner(p.Slug)] = p.AsOf
		}
	}
	return dates
}
