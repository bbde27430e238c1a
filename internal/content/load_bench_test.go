package content_test

import (
	"os"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/synth"
)

// BenchmarkLoad times content.Load alone on the full synthetic tree (two years of daily
// snapshots, 1,000 patterns): the load-s/op part of BenchmarkBuildSynthetic/full, without
// the render, so that loading can be profiled on its own. Generation is not timed.
func BenchmarkLoad(b *testing.B) {
	dir := b.TempDir()
	if err := synth.Write(dir, synth.Default); err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := content.Load(fsys, "content"); err != nil {
			b.Fatal(err)
		}
	}
}
