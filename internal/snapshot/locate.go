package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxSize is the largest snapshot file read. The real dashboard files are a few MB, so
// anything near this is a wrong URL or a runaway response, not a snapshot.
const MaxSize = 256 << 20

// locate fills e's position: where the offending job or field is written, or where the
// document stops being JSON. It runs only on a refused document, so it may read it again.
func (e *ShapeError) locate(data []byte) {
	off, job := e.where(data)
	if off < 0 {
		return
	}
	if e.Job == "" {
		e.Job = job
	}
	e.Offset = off
	e.Line, e.Col = lineCol(data, off)
}

func (e *ShapeError) syntax() bool {
	return strings.HasPrefix(e.Problem, "not JSON") || e.Problem == "unexpected data after the document"
}

// frame is one open object or array while walking a document.
type frame struct{ object, wantKey bool }

// where walks the document's tokens to the place e speaks of: for a syntax error, where the
// document stops being JSON and the job being read there; otherwise the key of e's job, or
// of its field. -1 means the walk did not find it.
func (e *ShapeError) where(data []byte) (off int, job string) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var stack []frame
	jobSeen, fieldSeen := 0, 0
	inJob := false
	done := false // the top-level value has been read
	for {
		start := int(dec.InputOffset())
		tok, err := dec.Token()
		at := skipSeparators(data, start)
		switch {
		case errors.Is(err, io.EOF):
			return -1, ""
		case err != nil:
			return syntaxOffset(data, at), job
		case done:
			return at, "" // a second value after the document
		case !e.syntax() && e.Job == "":
			return at, "" // the top-level value is the problem
		}
		top := len(stack) - 1
		isKey := top >= 0 && stack[top].object && stack[top].wantKey
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:top]
			if len(stack) == 1 && inJob {
				return e.jobAt, e.Job // the field was not found: point at the job
			}
			done = len(stack) == 0
			continue
		}
		if top >= 0 && stack[top].object {
			stack[top].wantKey = !stack[top].wantKey
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, frame{object: d == '{', wantKey: d == '{'})
			continue
		}
		key, _ := tok.(string)
		switch {
		case !isKey || e.syntax():
			if isKey && len(stack) == 1 {
				job = key
			}
		case len(stack) == 1 && key == e.Job:
			jobSeen++
			if e.Field == "" && (e.Problem != "listed twice" || jobSeen == 2) {
				return at, key
			}
			if e.Field != "" && !inJob {
				inJob, e.jobAt = true, at
			}
		case len(stack) == 2 && inJob && key == e.Field:
			fieldSeen++
			if strings.HasPrefix(e.Problem, "want ") {
				// A wrong value: point at the value, which follows its key.
				return skipSeparators(data, int(dec.InputOffset())), e.Job
			}
			if e.Problem != "listed twice" || fieldSeen == 2 {
				return at, e.Job
			}
		}
	}
}

// skipSeparators moves past white space, commas and colons to the start of the next token.
func skipSeparators(data []byte, i int) int {
	for i < len(data) && strings.IndexByte(" \t\r\n,:", data[i]) >= 0 {
		i++
	}
	return i
}

// syntaxOffset is the offset of the first byte that is not JSON, as encoding/json's checker
// finds it over the whole document (a Decoder's offsets are relative to the value it reads).
// The checker counts the offending byte in; a document cut short ends at its length.
func syntaxOffset(data []byte, at int) int {
	var raw json.RawMessage
	var se *json.SyntaxError
	if err := json.Unmarshal(data, &raw); !errors.As(err, &se) {
		return at
	}
	if int(se.Offset) >= len(data) {
		return len(data)
	}
	return max(0, int(se.Offset)-1)
}

// lineCol converts a byte offset to a 1-based line and column, the column counted in
// characters as editors count them.
func lineCol(data []byte, off int) (line, col int) {
	off = min(off, len(data))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[lineStart:]) + 1
}
