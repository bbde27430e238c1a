package templates

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/a-h/templ"
)

// text writes a string as HTML text, escaped exactly as templ escapes { expr }. templ formats
// every { expr } with fmt.Sprint into a new string first; the job tables write several
// values for each of thousands of rows on every drift, SIG and report page, so their cells
// write through text instead.
type text string

func (t text) Render(_ context.Context, w io.Writer) error {
	s := string(t)
	if strings.ContainsAny(s, `&'<>"`) {
		s = templ.EscapeString(s)
	}
	_, err := io.WriteString(w, s)
	return err
}

// count says n of a thing: "1 day", "2 days".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// unchecked says once for a page that verification has checked none of its citations.
func unchecked(n int) string {
	return "Not yet verified: none of this page's " + count(n, "citation", "citations") + " has been checked, so none carries a badge. CONFIRMED and the like are the report's own verdicts."
}
