package gcs

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// logGen produces a build log of numbered lines on the fly, so a test can read a
// log far larger than it would want to hold in memory.
type logGen struct {
	lines, n int
	buf      []byte // the current line
	off      int    // how much of buf has been read
}

func (g *logGen) Read(p []byte) (int, error) {
	for g.off == len(g.buf) {
		if g.n == g.lines {
			return 0, io.EOF
		}
		g.n++
		g.buf, g.off = appendLine(g.buf[:0], g.n), 0
	}
	n := copy(p, g.buf[g.off:])
	g.off += n
	return n, nil
}

// appendLine appends line n of the generated log, formatted without fmt so that
// generating allocates nothing and a test can count what scanning allocates.
func appendLine(b []byte, n int) []byte {
	b = append(b, "I0510 12:00:00.000000 1 step.go:42] line "...)
	var digits [20]byte
	num := strconv.AppendInt(digits[:0], int64(n), 10)
	b = append(b, "0000000"[len(num):]...)
	b = append(b, num...)
	return append(b, " of a long and boring log\n"...)
}

func TestScan(t *testing.T) {
	log := "alpha\r\nbeta gamma\n\nalpha again\nlast without newline alpha"
	got, err := scan(strings.NewReader(log), []string{"alpha", "gamma", "", "alpha", "absent", "beta gamma\n"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]int{"alpha": {1, 4, 5}, "gamma": {2}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("scan = %v, want %v", got, want)
	}
}

func TestScanQuoteAcrossReads(t *testing.T) {
	// One line longer than the read buffer, with the quote straddling the buffer's end.
	quote := "the quote that straddles"
	long := strings.Repeat("x", readSize-10) + quote + strings.Repeat("y", 2*readSize)
	log := "first\n" + long + "\nafter " + quote + "\n"
	got, err := scan(strings.NewReader(log), []string{quote, "first", "yyy"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got[quote], []int{2, 3}) || !slices.Equal(got["first"], []int{1}) || !slices.Equal(got["yyy"], []int{2}) {
		t.Errorf("scan = %v, want the quote on lines 2 and 3", got)
	}
}

func TestScanWithoutQuotesReadsNothing(t *testing.T) {
	got, err := scan(&logGen{lines: 1 << 30}, nil)
	if err != nil || len(got) != 0 {
		t.Errorf("scan = %v, %v; want nothing, at once", got, err)
	}
}

func TestScanStreamsLargeLog(t *testing.T) {
	const lines = 700_000 // ~50 MB, never held whole
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	got, err := scan(&logGen{lines: lines}, []string{fmt.Sprintf("line %07d", lines), "line 0000001 "})
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if !slices.Equal(got[fmt.Sprintf("line %07d", lines)], []int{lines}) || !slices.Equal(got["line 0000001 "], []int{1}) {
		t.Errorf("scan = %v, want the first and last lines", got)
	}
	// The log is ~50 MB; streaming allocates about one read buffer (the generator reuses its own).
	if n := after.TotalAlloc - before.TotalAlloc; n > 4<<20 {
		t.Errorf("scanning a streamed 50 MB log allocated %d MB", n>>20)
	}
}
