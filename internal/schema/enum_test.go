package schema_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/schema"
)

// enumFiles place one enum value (%s) in a file added to the minimal fixture, keyed by "Type.key".
var enumFiles = map[string]string{
	"Pattern.dataset":       "-- patterns/x.yaml --\nslug: x\ndataset: %s\ntitle: T\n",
	"Report.dataset":        "-- reports/2026-05-10-%[1]s.yaml --\ntitle: T\ndate: \"2026-05-10\"\ndataset: %[1]s\nsnapshot: \"2026-05-10\"\n-- snapshots/flakes/2026-05-10.json --\n{}\n-- snapshots/flakes/2026-05-10.meta.yaml --\ndataset: flakes\ndate: \"2026-05-10\"\nsource: s\nsha256: auto\n",
	"SnapshotMeta.dataset":  "-- snapshots/%[1]s/2026-05-11.json --\n{}\n-- snapshots/%[1]s/2026-05-11.meta.yaml --\ndataset: %[1]s\ndate: \"2026-05-11\"\nsource: s\nsha256: auto\n",
	"JobMatcher.dataset":    "-- patterns/x.yaml --\nslug: x\ndataset: failures\ntitle: T\nmatch:\n  - glob: x-*\n    dataset: %s\n",
	"Claim.kind":            claimIn("ref: k/k#1\n    kind: %s"),
	"Claim.role":            claimIn("ref: k/k#1\n    role: %s"),
	"Claim.state":           claimIn("ref: k/k#1\n    state: %s"),
	"Claim.result":          claimIn("ref: gs://kubernetes-ci-logs/logs/ci-node-e2e-a/1\n    result: %s"),
	"ReleaseDashboard.kind": "-- testgrid.yaml --\nsource: kubernetes/test-infra\ncommit: 9cd5798cbb4f26d5665c6a8d0ebe9e23f95a99a6\ndashboards:\n  - name: d\n    kind: %s\n    jobs: [ci-a]\n",
	"Verification.verdict":  "-- reports/2026-05-09-failures.yaml --\ntitle: T\ndate: \"2026-05-09\"\ndataset: failures\nsnapshot: \"2026-05-09\"\nverifications:\n  - id: Q\n    verdict: %s\n",
}

func claimIn(claim string) string {
	return "-- patterns/x.yaml --\nslug: x\ndataset: failures\ntitle: T\ncitations:\n  - " + claim + "\n"
}

// TestEnumsAgreeWithLoader loads every enum value the schema offers, and one it does not,
// so the schema's enums cannot drift from internal/content/validate.go unnoticed.
func TestEnumsAgreeWithLoader(t *testing.T) {
	for _, k := range schema.Kinds {
		for _, d := range schema.For(k).Defs {
			for _, p := range d.Schema.Properties {
				checkEnum(t, d.Name+"."+p.Name, p.Schema.Enum)
			}
		}
		for _, p := range schema.For(k).Properties {
			checkEnum(t, k.Type.Name()+"."+p.Name, p.Schema.Enum)
		}
	}
}

func checkEnum(t *testing.T, key string, values []string) {
	t.Helper()
	if len(values) == 0 {
		return
	}
	file, ok := enumFiles[key]
	if !ok {
		t.Errorf("enum %s has no loader check; add it to enumFiles", key)
		return
	}
	for _, v := range values {
		if _, err := content.Load(minimal(t, fmt.Sprintf(file, v)), "content"); err != nil {
			t.Errorf("%s: the schema offers %q, the loader rejects it:\n%v", key, v, err)
		}
	}
	bogus := "bogus" + strings.ToLower(values[0])
	if _, err := content.Load(minimal(t, fmt.Sprintf(file, bogus)), "content"); err == nil {
		t.Errorf("%s: the loader accepts %q, which the schema's enum leaves out", key, bogus)
	}
}
