package site_test

import (
	"bufio"
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	buildcmd "github.com/triagesite/triagesite/internal/cli/build"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/publish"
	"github.com/triagesite/triagesite/internal/site"
	"github.com/triagesite/triagesite/internal/synth"
)

// BenchmarkBuildBundled times `triagesite build` on the real content: load, render, stage.
func BenchmarkBuildBundled(b *testing.B) {
	benchBuild(b, os.DirFS("../../content"))
}

// BenchmarkBuildSynthetic times the same on generated trees; generation is not timed.
func BenchmarkBuildSynthetic(b *testing.B) {
	for _, c := range []struct {
		name  string
		sizes synth.Sizes
	}{
		{"small", synth.Small},
		// Memory should stay flat as the history grows: the same jobs and patterns over a
		// quarter, a year and two years of daily snapshots.
		{"quarter", synth.Sizes{Jobs: 1500, Days: 91, Patterns: 1000, CitationsPerPattern: 12}},
		{"year", synth.Sizes{Jobs: 1500, Days: 365, Patterns: 1000, CitationsPerPattern: 12}},
		{"full", synth.Default},
		// How time and memory follow the number of patterns: six times as many, each citing
		// half as much, over the same two years (about 135,000 pages, most of them ref pages).
		{"6000-patterns", synth.Sizes{Jobs: 1500, Days: 730, Patterns: 6000, CitationsPerPattern: 6}},
	} {
		b.Run(c.name, func(b *testing.B) {
			dir := b.TempDir()
			if err := synth.Write(dir, c.sizes); err != nil {
				b.Fatal(err)
			}
			benchBuild(b, os.DirFS(dir))
		})
	}
}

// benchBuild loads and builds once per iteration, then reports pages, throughput and peak RSS.
// It runs under the soft memory limit `triagesite build` sets (or GOMEMLIMIT, when set).
func benchBuild(b *testing.B, fsys fs.FS) {
	if os.Getenv("GOMEMLIMIT") == "" && buildcmd.DefaultMemoryLimit > 0 {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(buildcmd.DefaultMemoryLimit))
	}
	resetPeakRSS()
	var pages, size int
	var load time.Duration
	for b.Loop() {
		t := time.Now()
		tree, err := content.Load(fsys, "content", content.RenderOnly()) // as triagesite build loads
		if err != nil {
			b.Fatal(err)
		}
		load += time.Since(t)
		pages, size = buildOnce(b, tree)
	}
	b.ReportMetric(float64(pages), "pages/op")
	b.ReportMetric(float64(pages)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(load.Seconds()/float64(b.N), "load-s/op")
	b.ReportMetric(float64(size)/1e6, "out-MB/op")
	reportPeakRSS(b)
}

// buildOnce renders the tree into a fresh staging directory and discards it untimed.
// It returns the pages written and their total size.
func buildOnce(b *testing.B, tree *content.Tree) (int, int) {
	stage, err := publish.Begin(filepath.Join(b.TempDir(), "site"), publish.Options{})
	if err != nil {
		b.Fatal(err)
	}
	out := &counter{Staging: stage}
	if err := site.Build(context.Background(), tree, site.Options{Minify: true}, out); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	defer b.StartTimer()
	stage.Abort() // a full build writes a gigabyte or more; keep it off the disk between iterations
	return stage.Pages(), int(out.bytes.Load())
}

// counter tallies the bytes written, so pages/s can be read against page weight.
type counter struct {
	*publish.Staging
	bytes atomic.Int64
}

func (c *counter) WritePage(path string, data []byte) error {
	c.bytes.Add(int64(len(data)))
	return c.Staging.WritePage(path, data)
}

// resetPeakRSS hands freed heap back to the OS and resets the kernel's high-water mark
// (Linux 4.0+), so VmHWM covers this benchmark rather than whatever ran before it.
func resetPeakRSS() {
	if runtime.GOOS != "linux" {
		return
	}
	runtime.GC()
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// reportPeakRSS reports VmHWM from /proc/self/status; elsewhere than Linux it reports nothing.
func reportPeakRSS(b *testing.B) {
	if runtime.GOOS != "linux" {
		return
	}
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:")
		if !ok {
			continue
		}
		kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
		if err == nil {
			b.ReportMetric(float64(kb)/1024, "peak-RSS-MB")
		}
		return
	}
}
