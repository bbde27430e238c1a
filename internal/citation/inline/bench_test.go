package inline

import (
	"fmt"
	"strings"
	"testing"
)

// reportProse is the kind of markdown a triage report holds: a few paragraphs, a list
// and a handful of citations among ordinary words, URLs, times and version tags.
const reportProse = `## What fails

Since 2025-05-12 the job ci-kubernetes-unit-s390x fails in about one run in five.
The first failing build is gs://kubernetes-ci-logs/logs/ci-kubernetes-unit-s390x/2053226169234362368,
and every failure since times out in TestKubeletSyncPod after 10m0s; see
https://testgrid.k8s.io/sig-node-kubelet#ci-kubernetes-unit-s390x for the grid.

The timeout was raised in k/k#138584 (merged 2025-05-09 at 14:02 UTC), which also
changed the fake runtime at k/k:pkg/kubelet/kubelet_test.go:3306,3458. The runner
image is gcr.io/k8s-staging-test-infra/kubekins-e2e:v20250508-6f3b8c1d2e-master and
Go is golang:1.24.3; neither changed in the window.

- Introduced by k/k@daa2e07f08c, reverted in #137671 and relanded in (#138017).
- kops:nodeup/pkg/model/containerd.go:391-401, 420 sets the same knob for kops.
- Ask antonio.ojea.garcia@gmail.com before touching the s390x pool: it is shared.

## Next steps

Wait for the next periodic at 18:00, then compare its build-log.txt with the last
good run. If the failure rate stays above 10% for a week, file it as a flake against
sig-node and link it from kubernetes/test-infra:config/jobs/kubernetes/sig-node/s390x.yaml:12-14.
`

// logProse is a long paragraph with no citation but many ':' in timestamps, the
// worst ordinary case: every ':' is an anchor the scanner has to look at.
func logProse() string {
	var b strings.Builder
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "At 2025-05-12T%02d:%02d:%02dZ the kubelet logged E0512 %02d:%02d:%02d.%06d sync failed: context deadline exceeded; ",
			i%24, i%60, (i*7)%60, i%24, (i*3)%60, (i*11)%60, i*1013)
	}
	return b.String()
}

func BenchmarkScan(b *testing.B) {
	for _, c := range []struct{ name, text string }{
		{"report", reportProse},
		{"timestamps", logProse()},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.text)))
			for b.Loop() {
				Scan(c.text, true)
			}
		})
	}
}
