package importcmd_test

import (
	"os"
	"testing"

	"github.com/triagesite/triagesite/internal/cli/importcmd"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// FuzzConvert: any markdown converts or is refused with an error; it never panics.
func FuzzConvert(f *testing.F) {
	data, err := os.ReadFile("testdata/tree.txtar")
	if err != nil {
		f.Fatal(err)
	}
	fsys := txtarfs.FS(string(data))
	tree, err := content.Load(fsys, "content")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range []string{"template.md", "template-truncated.md", "template-missing-column.md", "update.md"} {
		doc, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(doc))
	}
	f.Fuzz(func(t *testing.T, doc string) {
		_, _, _ = importcmd.Convert("draft.md", doc, "failures", "2026-05-17", tree, fsys)
	})
}
