package synth

import (
	"bytes"
	"strconv"
	"strings"
)

// yw writes block YAML by hand: the loader rejects empty lists and unknown keys, so every
// key is written only when it has a value, which a generic marshaller would not do.
type yw struct {
	b    bytes.Buffer
	ind  int
	dash bool // the next line opens a sequence item
}

// line starts a line at the current indent, turning the last two spaces into "- " for a new item.
func (w *yw) line(s string) {
	if w.dash {
		w.b.WriteString(strings.Repeat(" ", w.ind-2))
		w.b.WriteString("- ")
		w.dash = false
	} else {
		w.b.WriteString(strings.Repeat(" ", w.ind))
	}
	w.b.WriteString(s)
	w.b.WriteByte('\n')
}

func (w *yw) comment(s string) { w.b.WriteString("# " + s + "\n") }

// str writes a quoted scalar; Go's quoting is valid YAML for the printable text generated here.
func (w *yw) str(key, v string) {
	if v != "" {
		w.line(key + ": " + strconv.Quote(v))
	}
}

func (w *yw) num(key string, n int) { w.line(key + ": " + strconv.Itoa(n)) }

func (w *yw) flag(key string, v bool) {
	if v {
		w.line(key + ": true")
	}
}

// md writes prose as a literal block, the way content authors write it.
func (w *yw) md(key, v string) {
	if v == "" {
		return
	}
	w.line(key + ": |")
	for _, l := range strings.Split(strings.TrimRight(v, "\n"), "\n") {
		if l == "" {
			w.b.WriteByte('\n')
			continue
		}
		w.b.WriteString(strings.Repeat(" ", w.ind+2))
		w.b.WriteString(l)
		w.b.WriteByte('\n')
	}
}

// strs writes a flow list of quoted strings.
func (w *yw) strs(key string, vs []string) {
	if len(vs) == 0 {
		return
	}
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = strconv.Quote(v)
	}
	w.line(key + ": [" + strings.Join(q, ", ") + "]")
}

// mdList writes a list of prose items, each a literal block.
func (w *yw) mdList(key string, vs []string) {
	if len(vs) == 0 {
		return
	}
	w.line(key + ":")
	for _, v := range vs {
		w.line("- " + strconv.Quote(v))
	}
}

// block writes key: and then body one level deeper.
func (w *yw) block(key string, body func()) {
	w.line(key + ":")
	w.ind += 2
	body()
	w.ind -= 2
}

// items writes key: and a block sequence of n mappings.
func (w *yw) items(key string, n int, item func(i int)) {
	if n == 0 {
		return
	}
	w.line(key + ":")
	w.ind += 4
	for i := 0; i < n; i++ {
		w.dash = true
		item(i)
	}
	w.ind -= 4
}
