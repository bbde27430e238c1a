package synth

import (
	"slices"
	"strings"
)

// family is a kind of CI job: how its names start, the category rule that catches it and the
// SIG that owns it. Families mirror the real dashboard so the categorizer and SIG pages see
// realistic name shapes.
type family struct {
	prefix   string
	category string
	sig      string
	words    []string // middle parts of names
}

var families = []family{
	{"ci-kubernetes-e2e-gce-", "k/k-gce", "sig-cloud-provider", []string{"cos", "ubuntu", "serial", "slow", "alpha", "beta", "flaky", "reboot", "scalability"}},
	{"ci-kubernetes-node-e2e-", "k/k-node-e2e", "sig-node", []string{"containerd", "crio", "cgroupv1", "cgroupv2", "swap", "eviction", "features", "serial"}},
	{"ci-kubernetes-integration-", "k/k-integration", "sig-testing", []string{"master", "arm64", "s390x", "ppc64le", "1-34", "1-35", "1-36"}},
	{"ci-kubernetes-unit-", "k/k-unit", "sig-testing", []string{"master", "windows", "s390x", "arm64", "race", "1-34", "1-35"}},
	{"pr:pull-kubernetes-", "k/k-presubmit", "sig-testing", []string{"e2e", "kind", "node", "integration", "verify", "unit", "conformance", "dual-stack"}},
	{"e2e-kops-grid-", "kops-grid", "sig-cluster-lifecycle", []string{"calico", "cilium", "flannel", "kindnet", "rhel10", "ubuntu", "al2023", "k34", "k35"}},
	{"e2e-kops-aws-", "kops-aws", "sig-cluster-lifecycle", []string{"hostname", "ipv6", "karpenter", "warmpool", "upgrade", "gossip"}},
	{"periodic-cluster-api-provider-aws-e2e-", "capa", "sig-aws", []string{"conformance", "eks", "release-2-9", "release-2-10", "upgrade", "ci-artifacts"}},
	{"periodic-cluster-api-provider-azure-e2e-", "capz", "sig-azure", []string{"windows", "dra", "aks", "conformance", "machinepool", "ipv6"}},
	{"ci-etcd-", "etcd", "sig-etcd", []string{"unit", "integration", "e2e", "robustness", "s390x", "ppc64le", "arm64"}},
	{"ci-minikube-", "minikube", "sig-cluster-lifecycle", []string{"docker", "crio", "containerd", "linux", "x86", "arm64", "functional"}},
	{"pull-azuredisk-csi-driver-", "csi-azure", "sig-storage", []string{"unit", "e2e", "windows", "capz", "sanity", "external"}},
	{"ci-gcp-compute-persistent-disk-csi-driver-", "csi-gcp-pd", "sig-storage", []string{"latest", "canary", "sidecars", "windows", "staging"}},
	{"ci-perf-tests-", "perf-tests", "sig-scalability", []string{"kubemark", "benchmark", "netperf", "clusterloader2", "100", "5000"}},
	{"post-kubernetes-push-", "push-images", "sig-k8s-infra", []string{"images", "perf-tests", "e2e-test-images", "kube-cross", "agnhost"}},
	{"ci-test-infra-", "test-infra", "sig-testing", []string{"prow", "autobump", "misc", "image", "build", "gencred"}},
	{"ci-release-", "release", "sig-release", []string{"build", "push", "notes", "verify", "packages", "sbom"}},
	{"ci-kubernetes-kind-", "kind", "sig-testing", []string{"network", "ipv6", "dual-stack", "alpha", "beta", "compat", "deprecate-endpoints"}},
}

// sigNames are the SIGs the families name, with the display name of each.
var sigNames = [][2]string{
	{"sig-node", "SIG Node"}, {"sig-testing", "SIG Testing"}, {"sig-cloud-provider", "SIG Cloud Provider"},
	{"sig-cluster-lifecycle", "SIG Cluster Lifecycle"}, {"sig-aws", "SIG AWS"}, {"sig-azure", "SIG Azure"},
	{"sig-etcd", "SIG etcd"}, {"sig-storage", "SIG Storage"}, {"sig-scalability", "SIG Scalability"},
	{"sig-k8s-infra", "SIG K8s Infra"}, {"sig-release", "SIG Release"}, {"wg-device-management", "WG Device Management"},
}

// repo is one repository of repos.yaml and the file paths citations into it use.
type repo struct {
	name, alias string
	paths       []string
}

var repos = []repo{
	{"kubernetes/kubernetes", "k/k", []string{"pkg/kubelet/kubelet.go", "test/integration/framework/test_server.go", "test/e2e/framework/pod/wait.go", "pkg/scheduler/schedule_one.go", "cmd/kube-apiserver/app/server.go"}},
	{"kubernetes/kops", "kops", []string{"upup/pkg/fi/cloudup/new_cluster.go", "tests/e2e/scenarios/grid.sh", "nodeup/pkg/model/containerd.go"}},
	{"kubernetes/test-infra", "test-infra", []string{"config/jobs/etcd/etcd-periodics.yaml", "config/jobs/kubernetes/sig-node/node-e2e.yaml", "images/kubekins-e2e/Dockerfile"}},
	{"etcd-io/etcd", "etcd", []string{"server/embed/auth_test.go", "tests/e2e/reproduce_20271_test.go", "client/pkg/testutil/leak.go"}},
	{"kubernetes-sigs/cluster-api", "CAPI", []string{"test/e2e/config/docker.yaml", "internal/controllers/machine/machine_controller.go"}},
	{"kubernetes-sigs/cluster-api-provider-aws", "CAPA", []string{"test/e2e/suites/conformance/conformance_test.go", "scripts/ci-conformance.sh"}},
	{"kubernetes-sigs/cluster-api-provider-azure", "CAPZ", []string{"templates/test/ci/cluster-template-prow-windows.yaml", "scripts/ci-e2e.sh"}},
	{"kubernetes/minikube", "minikube", []string{"pkg/minikube/cruntime/crio.go", "test/integration/functional_test.go"}},
	{"kubernetes/perf-tests", "perf-tests", []string{"clusterloader2/testing/load/config.yaml", "network/benchmarks/netperf/launch.go"}},
	{"kubernetes/k8s.io", "k8s.io", []string{"registry.k8s.io/images/k8s-staging-e2e-test-images/images.yaml"}},
}

// writeRepos writes repos.yaml.
func writeRepos() []byte {
	w := &yw{}
	w.comment("Synthetic repository registry (internal/synth).")
	w.items("repos", len(repos), func(i int) {
		w.str("repo", repos[i].name)
		w.strs("aliases", []string{repos[i].alias})
		w.str("default_branch", "main")
	})
	return w.b.Bytes()
}

// writeCategories writes categories.yaml: one prefix rule per family, plus rules of every
// matcher shape so the categorizer does the work the real file makes it do.
func writeCategories() []byte {
	w := &yw{}
	w.comment("Synthetic job categorizer (internal/synth).")
	w.items("rules", len(families)+2, func(i int) {
		switch {
		case i == 0:
			w.str("category", "arch-s390x")
			w.items("all", 2, func(k int) {
				w.str("contains", []string{"integration", "s390x"}[k])
			})
		case i == 1:
			w.str("category", "windows")
			w.items("any", 2, func(k int) {
				w.str("contains", []string{"windows", "win2022"}[k])
			})
		default:
			f := families[i-2]
			w.str("category", f.category)
			w.str("prefix", f.prefix)
		}
	})
	w.str("fallback", "other")
	return w.b.Bytes()
}

// writeSIGs writes sigs.yaml: each SIG owns its families' categories and one name prefix.
func writeSIGs() []byte {
	w := &yw{}
	w.comment("Synthetic SIG registry (internal/synth).")
	w.items("sigs", len(sigNames), func(i int) {
		id := sigNames[i][0]
		w.str("id", id)
		w.str("name", sigNames[i][1])
		w.str("label", strings.Replace(id, "-", "/", 1))
		w.md("description", "Owns the jobs of the "+sigNames[i][1]+" families and the patterns filed against them.")
		var cats, prefixes []string
		for _, f := range families {
			if f.sig == id && !slices.Contains(cats, f.category) {
				cats = append(cats, f.category)
				prefixes = append(prefixes, f.prefix+f.words[0])
			}
		}
		w.strs("categories", cats)
		w.strs("job_prefixes", prefixes)
	})
	return w.b.Bytes()
}
