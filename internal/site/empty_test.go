package site_test

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/triagesite/triagesite/internal/site"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// bundledWith is the bundled content tree with the archive's files added.
func bundledWith(t *testing.T, archive string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS("../../content"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile("../../content/" + p)
		fsys[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range txtarfs.FS(archive) {
		fsys[name] = f
	}
	return fsys
}

// The day after the bundled reports, the dashboards publish {} and null. The build flags
// both and does not drift them; nothing on the way crashes or prints NaN.
func TestEmptyLatestSnapshots(t *testing.T) {
	out := build(t, bundledWith(t, `-- snapshots/failures/2026-05-11.json --
{}
-- snapshots/failures/2026-05-11.meta.yaml --
dataset: failures
date: "2026-05-11"
source: gs://k8s-metrics/failures-latest.json
sha256: auto
-- snapshots/flakes/2026-05-11.json --
null
-- snapshots/flakes/2026-05-11.meta.yaml --
dataset: flakes
date: "2026-05-11"
source: gs://k8s-metrics/flakes-latest.json
sha256: auto
`), site.Options{Minify: true})
	assertContains(t, out, "health.html", `id="failures-2026-05-11-empty"`, `id="flakes-2026-05-11-empty"`)
	assertContains(t, out, "index.html", "empty ({})", "empty (null)")
	assertContains(t, out, "drift/failures-2026-05-10-to-2026-05-11.html", "Not compared")
	assertContains(t, out, "drift/flakes-2026-05-10-to-2026-05-11.html", "Not compared")
	for p, data := range out {
		if strings.HasSuffix(p, ".html") && strings.Contains(string(data), "NaN") {
			t.Errorf("%s shows NaN", p)
		}
	}
	checkLinks(t, out)
}
