package gcs

import (
	"bufio"
	"bytes"
	"io"
)

// readSize is the read buffer; a line longer than this is searched piecewise, so a
// log with one enormous line (a dumped manifest, a progress bar) costs no more memory.
const readSize = 1 << 20

// scan streams r line by line and returns, for each non-empty quote, the 1-based lines
// it stands on. Quotes that appear nowhere have no entry.
func scan(r io.Reader, quotes []string) (map[string][]int, error) {
	m := newMatcher(quotes)
	if len(m.quotes) == 0 {
		return m.at, nil
	}
	br := bufio.NewReaderSize(r, readSize)
	for {
		chunk, err := br.ReadSlice('\n')
		switch err {
		case nil:
			m.feed(chunk[:len(chunk)-1], false)
			m.endLine()
		case bufio.ErrBufferFull:
			m.feed(chunk, true)
		case io.EOF:
			if len(chunk) > 0 || m.partial {
				m.feed(chunk, false)
				m.endLine()
			}
			return m.at, nil
		default:
			return nil, err
		}
	}
}

// matcher finds quotes in a stream of lines that may arrive in pieces.
type matcher struct {
	quotes  [][]byte
	maxLen  int
	line    int    // the current line, 1-based
	onLine  []bool // quotes[i] has been seen on the current line
	tail    []byte // the end of the current line so far, when it spans reads
	partial bool   // the current line has begun but not ended
	at      map[string][]int
}

func newMatcher(quotes []string) *matcher {
	m := &matcher{line: 1, at: map[string][]int{}}
	seen := map[string]bool{}
	for _, q := range quotes {
		// An empty quote would stand on every line; a repeated one would be counted twice.
		if q == "" || seen[q] {
			continue
		}
		seen[q] = true
		m.quotes = append(m.quotes, []byte(q))
		m.maxLen = max(m.maxLen, len(q))
	}
	m.onLine = make([]bool, len(m.quotes))
	return m
}

// feed searches the next piece of the current line; more says the line goes on.
func (m *matcher) feed(b []byte, more bool) {
	win := b
	if len(m.tail) > 0 {
		// A quote may straddle two reads: search the previous read's end with this one.
		m.tail = append(m.tail, b...)
		win = m.tail
	}
	for i, q := range m.quotes {
		if !m.onLine[i] && bytes.Contains(win, q) {
			m.onLine[i] = true
		}
	}
	m.partial = more
	if !more {
		return
	}
	keep := max(0, min(len(win), m.maxLen-1))
	m.tail = append(m.tail[:0], win[len(win)-keep:]...)
}

// endLine records the quotes seen on the current line and moves to the next.
func (m *matcher) endLine() {
	for i, seen := range m.onLine {
		if seen {
			q := string(m.quotes[i])
			m.at[q] = append(m.at[q], m.line)
			m.onLine[i] = false
		}
	}
	m.tail, m.partial = m.tail[:0], false
	m.line++
}
