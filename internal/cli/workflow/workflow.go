// Package workflow writes GitHub Actions workflow commands: annotations at a file's line and column.
package workflow

import (
	"fmt"
	"io"
	"strings"
)

// Annotation is one workflow command that the runner shows on the diff at File:Line:Col.
type Annotation struct {
	Level     string // error, warning or notice
	File      string
	Line, Col int
	Title     string
	Message   string
}

// Write prints the annotation as the runner reads it, escaped.
func (a Annotation) Write(w io.Writer) {
	fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", a.Level, EscapeProperty(a.File), a.Line, a.Col,
		EscapeProperty(a.Title), EscapeData(a.Message))
}

// EscapeData escapes a workflow command's message as the runner unescapes it.
func EscapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// EscapeProperty also escapes the property separators : and ,.
func EscapeProperty(s string) string {
	return strings.NewReplacer(":", "%3A", ",", "%2C").Replace(EscapeData(s))
}
