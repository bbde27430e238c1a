package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

var (
	subjects = []string{"The kubelet", "The test framework", "The e2e suite", "The job config", "The runner image", "The CSI sidecar",
		"The scheduler", "The etcd client", "The cluster template", "The registry mirror", "The conformance run", "The upgrade step"}
	verbs = []string{"times out waiting for", "fails to pull", "races with", "leaks a goroutine in", "retries too fast against",
		"still pins", "misreads", "never cleans up", "panics on", "skips", "double-counts", "blocks on"}
	objects = []string{"the node readiness probe", "a stale gcb-docker-gcloud image", "the default 127.0.0.1:2380 peer port",
		"the ACR pull secret", "the cgroup v1 hierarchy", "an nft-only RHEL 10 image", "the log scrape window",
		"the batchTxBuffered commit path", "the Windows snapshot size check", "a deprecated endpoints API", "the CPU quota of the pod",
		"the feature-gate metrics"}
	topics = []string{"kubelet", "etcd", "kops", "capz", "capa", "csi", "registry", "windows", "dra", "netperf", "kind", "minikube",
		"scheduler", "apiserver", "conformance", "upgrade", "image", "timeout", "leak", "quota"}
	people = []string{"Shivam Wayal", "dims", "ahrtr", "BenTheElder", "justinsb", "hakman", "aojea", "pohly", "liggitt", "jpbetz"}
	labels = []string{"lgtm", "approved", "ok-to-test", "do-not-merge/work-in-progress", "needs-rebase", "kind/flake", "kind/bug", "sig/node"}
	states = []string{"merged", "closed", "open", "draft"}
	roles  = []string{"fix", "tracker", "introduced", "exposed", "umbrella", "related", "sample", "evidence"}
	tests  = []string{"TestEnableAuth", "TestIssue20271", "TestRegistrationHandler/manage-resource-slices", "TestLeaseRenewal",
		"TestPodEviction", "TestVolumeSnapshot", "TestSchedulerPreemption", "TestAPIServerRestart", "TestWatchCache",
		"TestDefragmentation", "TestKubeletRestart", "TestCRIOStats"}
	letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
)

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// shaHex is n lower-case hex digits, for commit SHAs.
func shaHex(r *rand.Rand, n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[r.IntN(16)]
	}
	return string(b)
}

// buildID is a Prow build number: 19 digits, as the real ones are.
func buildID(r *rand.Rand) string { return fmt.Sprintf("20%017d", r.Int64N(1e17)) }

// buildRef is where Prow keeps a job's build: presubmits under pr-logs, the rest under logs.
func buildRef(r *rand.Rand, job string) string {
	if name, ok := strings.CutPrefix(job, "pr:"); ok {
		return "gs://kubernetes-ci-logs/pr-logs/directory/" + name + "/" + buildID(r)
	}
	return "gs://kubernetes-ci-logs/logs/" + job + "/" + buildID(r)
}

func fileRef(r *rand.Rand) string {
	rp := pick(r, repos)
	line := 1 + r.IntN(3000)
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("%s:%s:%d-%d", rp.alias, pick(r, rp.paths), line, line+r.IntN(8))
	case 1:
		return fmt.Sprintf("%s:%s:%d,%d", rp.alias, pick(r, rp.paths), line, line+10+r.IntN(200))
	}
	return fmt.Sprintf("%s:%s:%d", rp.alias, pick(r, rp.paths), line)
}

// cite is an inline citation of any kind; bare #N only where a default repository resolves it.
func (g *gen) cite(bare bool) string {
	r := g.r
	switch r.IntN(6) {
	case 0:
		return fmt.Sprintf("%s#%d", pick(r, repos).alias, 1000+r.IntN(138000))
	case 1:
		if bare {
			return fmt.Sprintf("#%d", 100000+r.IntN(39000))
		}
		return fmt.Sprintf("%s#%d", pick(r, repos).name, 100+r.IntN(40000))
	case 2:
		return pick(r, repos).alias + "@" + shaHex(r, 7+r.IntN(6))
	case 3:
		return fileRef(r)
	case 4:
		return buildRef(r, pick(r, g.stable))
	}
	return "`" + pick(r, tests) + "`"
}

// sentence is one line of prose, often carrying a citation, sometimes a look-alike that must stay text.
func (g *gen) sentence(bare bool) string {
	r := g.r
	s := pick(r, subjects) + " " + pick(r, verbs) + " " + pick(r, objects)
	switch r.IntN(5) {
	case 0, 1:
		s += " (" + g.cite(bare) + ")"
	case 2:
		s += "; see " + g.cite(bare) + " and " + g.cite(bare)
	case 3:
		s += fmt.Sprintf(" at %02d:%02d:%02d UTC, per https://github.com/kubernetes/kubernetes/issues", r.IntN(24), r.IntN(60), r.IntN(60))
	}
	return s + "."
}

func (g *gen) para(n int, bare bool) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = g.sentence(bare)
	}
	return strings.Join(parts, " ")
}

// markdown is a few paragraphs, with a list or a table now and then, as the reports write them.
func (g *gen) markdown(paras int, bare bool) string {
	r := g.r
	var out []string
	for i := 0; i < paras; i++ {
		out = append(out, g.para(1+r.IntN(3), bare))
	}
	switch r.IntN(4) {
	case 0:
		var items []string
		for i := 0; i < 2+r.IntN(3); i++ {
			items = append(items, "- "+g.sentence(bare))
		}
		out = append(out, strings.Join(items, "\n"))
	case 1:
		out = append(out, fmt.Sprintf("| lane | figure |\n|---|---|\n| %s | %dd |\n| %s | c=0.%03d |",
			pick(r, g.stable), r.IntN(900), pick(r, g.stable), r.IntN(1000)))
	}
	return strings.Join(out, "\n\n")
}

// letter is the report's pattern letter for an index: A…Z, then AA, AB, ….
func letter(i int) string {
	if i < len(letters) {
		return letters[i : i+1]
	}
	return letter(i/len(letters)-1) + letters[i%len(letters):i%len(letters)+1]
}
