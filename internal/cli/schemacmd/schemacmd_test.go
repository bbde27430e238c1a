package schemacmd_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/schemacmd"
)

func TestSchemaWritesEveryKind(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "schema")
	io, out, _ := iostreams.Test()
	cmd := schemacmd.NewCmdSchema(io, nil)
	cmd.SetArgs([]string{"--out", dir})
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"repos", "sigs", "categories", "snapshot-meta", "pattern", "report"} {
		data, err := os.ReadFile(filepath.Join(dir, name+".json"))
		if err != nil || !strings.Contains(string(data), `"$schema": "https://json-schema.org/draft/2020-12/schema"`) {
			t.Errorf("%s.json: %v", name, err)
		}
		if !strings.Contains(out.String(), name+".json") {
			t.Errorf("output does not name %s.json:\n%s", name, out)
		}
	}
}
