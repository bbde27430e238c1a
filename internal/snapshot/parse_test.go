package snapshot_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/snapshot"
)

// BenchmarkParse reads a failures and a flakes document the size of a real daily dashboard
// (~1,500 jobs), indented as the dashboard publishes them.
func BenchmarkParse(b *testing.B) {
	for _, ds := range []snapshot.Dataset{snapshot.Failures, snapshot.Flakes} {
		doc := benchDoc(ds, 1500)
		b.Run(string(ds), func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := snapshot.Parse(ds, doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchDoc writes n jobs in a deterministic but irregular order; flakes jobs get 1–4 test
// flakes each, some of them null as on the real dashboard.
func benchDoc(ds snapshot.Dataset, n int) []byte {
	var sb strings.Builder
	sb.WriteString("{\n")
	for i := range n {
		k := i * 7919 % n // a prime stride, so the document is not in name order
		if i > 0 {
			sb.WriteString(",\n")
		}
		fmt.Fprintf(&sb, "  \"ci-kubernetes-e2e-gce-cos-k8sbeta-%04d\": {\n", k)
		if ds == snapshot.Failures {
			fmt.Fprintf(&sb, "    \"failing_days\": %d\n  }", k*13%400)
			continue
		}
		fmt.Fprintf(&sb, "    \"consistency\": %.3f,\n    \"flakes\": %d,\n    \"test_flakes\": ", float64(k%1000)/999, k%40)
		if k%5 == 0 {
			sb.WriteString("null\n  }")
			continue
		}
		sb.WriteString("{\n")
		for t := range 1 + k%4 {
			if t > 0 {
				sb.WriteString(",\n")
			}
			fmt.Fprintf(&sb, "      \"Kubernetes e2e suite.[It] [sig-node] Pods should run case %d\": %d", (k+t*31)%97, 1+t)
		}
		sb.WriteString("\n    }\n  }")
	}
	sb.WriteString("\n}\n")
	return []byte(sb.String())
}
