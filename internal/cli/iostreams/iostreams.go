// Package iostreams carries the standard streams a command writes to, so tests can capture them.
package iostreams

import (
	"bytes"
	"io"
	"os"
)

// IO is where a command reads and writes.
type IO struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
}

// System is the process's own streams.
func System() *IO { return &IO{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr} }

// Test returns streams writing into buffers.
func Test() (*IO, *bytes.Buffer, *bytes.Buffer) {
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	return &IO{In: &bytes.Buffer{}, Out: out, ErrOut: errOut}, out, errOut
}
