package workflow_test

import (
	"bytes"
	"testing"

	"github.com/triagesite/triagesite/internal/cli/workflow"
)

func TestEscape(t *testing.T) {
	if got, want := workflow.EscapeData("100% done\r\nnext"), "100%25 done%0D%0Anext"; got != want {
		t.Errorf("EscapeData = %q, want %q", got, want)
	}
	if got, want := workflow.EscapeProperty("a:b,c%\n"), "a%3Ab%2Cc%25%0A"; got != want {
		t.Errorf("EscapeProperty = %q, want %q", got, want)
	}
}

func TestAnnotation(t *testing.T) {
	var b bytes.Buffer
	workflow.Annotation{Level: "error", File: "content/p.yaml", Line: 3, Col: 5, Title: "R1:x", Message: "bad\nvalue"}.Write(&b)
	if got, want := b.String(), "::error file=content/p.yaml,line=3,col=5,title=R1%3Ax::bad%0Avalue\n"; got != want {
		t.Errorf("Write = %q, want %q", got, want)
	}
}
