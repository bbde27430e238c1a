package lint

import (
	"fmt"
	"strings"

	"github.com/triagesite/triagesite/internal/mdreport"
)

var ruleImportNote = Rule{
	ID: "import-note", Title: "no text left unplaced by import", Severity: Warning,
	Doc: "`triagesite import` keeps what it cannot place in the report model (an unknown section, a table column " +
		"with no field, a pattern's prose that differs from the report's) as a quoted note opening with " +
		mdreport.ImportNoteMark + ". Each one is listed until someone moves its text where it belongs and deletes the note.",
	Check: checkImportNotes,
}

func checkImportNotes(c *Context) []Finding {
	var out []Finding
	for _, p := range c.Tree.Prose {
		for off := 0; ; {
			i := strings.Index(p.Text[off:], mdreport.ImportNoteMark)
			if i < 0 {
				break
			}
			off += i
			line := p.Text[off:]
			if nl := strings.IndexByte(line, '\n'); nl >= 0 {
				line = line[:nl]
			}
			out = append(out, at(Warning, p.PosAt(off), fmt.Sprintf("%s holds an import note %s; move the text where it belongs and delete the note", p.Owner, strings.TrimPrefix(line, mdreport.ImportNoteMark+" "))))
			off += len(mdreport.ImportNoteMark)
		}
	}
	return out
}
