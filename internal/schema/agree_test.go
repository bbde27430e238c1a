package schema_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
)

// TestSchemaAndLoaderAgree holds the JSON schema (what editors check as you type) and the
// loader (what build checks) to the same verdict on the kinds and types of values: each
// document is put in the loader's minimal tree, and the loader refuses that file exactly
// when the schema does.
func TestSchemaAndLoaderAgree(t *testing.T) {
	schemas := compile(t)
	const pattern = "patterns/node-flake.yaml"
	const patternHead = "slug: node-flake\ndataset: failures\ntitle: T\n"
	const report = "reports/2026-05-10-failures.yaml"
	const reportHead = "title: R\ndate: \"2026-05-10\"\ndataset: failures\nsnapshot: \"2026-05-10\"\n"
	const meta = "snapshots/failures/2026-05-10.meta.yaml"
	const metaHead = "dataset: failures\ndate: \"2026-05-10\"\nsource: s\nsha256: auto\n"
	for _, tc := range []struct {
		name, rel, doc string
	}{
		{"a plain pattern", pattern, patternHead},
		{"a whole number", pattern, patternHead + "job_count: 3\n"},
		{"a number as text", pattern, patternHead + "job_count: \"3\"\n"},
		{"a fraction for a whole number", pattern, patternHead + "job_count: 2.5\n"},
		{"a number for text", pattern, patternHead + "details: 42\n"},
		{"a number quoted as text", pattern, patternHead + "details: \"42\"\n"},
		{"a boolean for text", pattern, patternHead + "tracker: true\n"},
		{"a null for text", pattern, patternHead + "details:\n"},
		{"text for a list", pattern, patternHead + "owner_sigs: sig-node\n"},
		{"a mapping for text", pattern, patternHead + "summary: {a: b}\n"},
		{"a timestamp as text", pattern, patternHead + "citations: [{ref: \"k/k#100\", state: merged, merged_at: 2026-05-10T04:57:45Z}]\n"},
		{"text for a boolean", pattern, patternHead + "jobs: [{name: ci-node-e2e-a, not_in_snapshot: \"true\"}]\n"},
		{"yes for a boolean", pattern, patternHead + "jobs: [{name: ci-node-e2e-a, not_in_snapshot: yes}]\n"},
		{"an unknown key", pattern, patternHead + "bogus: 1\n"},
		{"a number for a sub-pattern title", pattern, patternHead + "subpatterns: [{id: a, title: 7}]\n"},
		{"a tier as text", report, reportHead + "tiers: [{tier: \"1\"}]\n"},
		{"a tier as a number", report, reportHead + "tiers: [{tier: 1}]\n"},
		{"partial as text", meta, metaHead + "partial: \"true\"\n"},
		{"partial as a boolean", meta, metaHead + "partial: true\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := minimal(t, "-- "+tc.rel+" --\n"+tc.doc)
			schemaErr := validate(t, schemas, tc.rel, fsys[tc.rel].Data)
			var loaderErr []string
			_, err := content.Load(fsys, "content")
			var errs content.Errors
			if err != nil && !errors.As(err, &errs) {
				t.Fatal(err)
			}
			for _, e := range errs {
				if e.Pos.File == "content/"+tc.rel {
					loaderErr = append(loaderErr, e.Error())
				}
			}
			if (schemaErr == nil) != (len(loaderErr) == 0) {
				t.Errorf("disagree on\n%s\nschema: %v\nloader: %s", tc.doc, schemaErr, strings.Join(loaderErr, "\n"))
			}
		})
	}
}
