package snapshotcmd

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/storage"
	"github.com/fsouza/fake-gcs-server/fakestorage"
	"go.yaml.in/yaml/v3"

	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/content"
)

const (
	failuresDoc = `{
  "ci-b": {"failing_days": 12},
  "ci-a": {"failing_days": 3}
}
`
	flakesDoc = `{"ci-f": {"consistency": 0.9, "flakes": 2, "test_flakes": null}}`
)

// fetchedAt is 23:30 on 2026-05-10 in UTC but already 2026-05-11 in Tokyo,
// so a default date taken from local time would be caught.
var fetchedAt = time.Date(2026, 5, 11, 8, 30, 0, 0, time.FixedZone("JST", 9*3600))

// run executes `snapshot <args>` with a fixed clock and the given HTTP client,
// and a content directory that already exists.
func run(t *testing.T, hc *http.Client, args ...string) (contentDir, out string, err error) {
	t.Helper()
	contentDir = filepath.Join(t.TempDir(), "content")
	if err := os.Mkdir(contentDir, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err = runIn(t, contentDir, hc, args...)
	return contentDir, out, err
}

func runIn(t *testing.T, contentDir string, hc *http.Client, args ...string) (string, error) {
	t.Helper()
	io, stdout, _ := iostreams.Test()
	cmd := NewCmdSnapshot(io, func(ctx context.Context, o *FetchOptions) error {
		o.Now = func() time.Time { return fetchedAt }
		if hc != nil {
			o.HTTPClient = hc
		}
		return RunFetch(ctx, o)
	})
	cmd.SetArgs(append(args, "--content", contentDir))
	cmd.SetOut(io.Out)
	cmd.SetErr(io.ErrOut)
	err := cmd.Execute()
	return stdout.String(), err
}

func newGCS(t *testing.T, objects map[string]string) *fakestorage.Server {
	t.Helper()
	var initial []fakestorage.Object
	for name, body := range objects {
		initial = append(initial, fakestorage.Object{
			ObjectAttrs: fakestorage.ObjectAttrs{
				BucketName: "k8s-metrics",
				Name:       name,
				ACL:        []storage.ACLRule{{Entity: storage.AllUsers, Role: storage.RoleReader}},
			},
			Content: []byte(body),
		})
	}
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{Scheme: "http", Host: "127.0.0.1", InitialObjects: initial})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	// The production client, anonymous, finds the emulator through this variable alone.
	t.Setenv("STORAGE_EMULATOR_HOST", strings.TrimPrefix(srv.URL(), "http://"))
	return srv
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func readMeta(t *testing.T, path string) (content.SnapshotMeta, string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m content.SnapshotMeta
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m, string(raw)
}

// checkWritten asserts the snapshot is byte-identical to body and its provenance matches.
func checkWritten(t *testing.T, contentDir, dataset, date, source, body string) {
	t.Helper()
	base := filepath.Join(contentDir, "snapshots", dataset, date)
	got, err := os.ReadFile(base + ".json")
	if err != nil || string(got) != body {
		t.Fatalf("%s.json = %q, %v; want the fetched bytes", base, got, err)
	}
	m, raw := readMeta(t, base+".meta.yaml")
	want := content.SnapshotMeta{
		Dataset: dataset, Date: date, Source: source, FetchedAt: "2026-05-10T23:30:00Z",
		SHA256: sha(body), JobsInSource: m.JobsInSource, Note: content.Markdown(fetchedNote),
	}
	if m.Dataset != want.Dataset || m.Date != want.Date || m.Source != want.Source ||
		m.FetchedAt != want.FetchedAt || m.SHA256 != want.SHA256 || m.Partial || m.Note != want.Note {
		t.Errorf("meta = %+v\nwant %+v", m, want)
	}
	if !strings.Contains(raw, `date: "`+date+`"`) {
		t.Errorf("date is not quoted in the meta file:\n%s", raw)
	}
	if _, err := time.Parse(time.RFC3339, m.FetchedAt); err != nil {
		t.Errorf("fetched_at: %v", err)
	}
}

// listTree returns every path under dir, so a test can assert nothing was created.
func listTree(t *testing.T, dir string) []string {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		paths = append(paths, p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

func TestFetchGCSDefaultSource(t *testing.T) {
	newGCS(t, map[string]string{"failures-latest.json": failuresDoc})
	dir, out, err := run(t, nil, "fetch", "--dataset", "failures")
	if err != nil {
		t.Fatal(err)
	}
	checkWritten(t, dir, "failures", "2026-05-10", "gs://k8s-metrics/failures-latest.json", failuresDoc)
	m, _ := readMeta(t, filepath.Join(dir, "snapshots/failures/2026-05-10.meta.yaml"))
	if m.JobsInSource != 2 {
		t.Errorf("jobs_in_source = %d, want 2", m.JobsInSource)
	}
	for _, want := range []string{filepath.Join(dir, "snapshots/failures/2026-05-10.json"), "2 jobs", sha(failuresDoc)} {
		if !strings.Contains(out, want) {
			t.Errorf("output %q does not mention %q", out, want)
		}
	}
	if strings.Count(out, "\n") != 1 {
		t.Errorf("output is not one line: %q", out)
	}
}

func TestFetchHTTPS(t *testing.T) {
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(flakesDoc))
	}))
	defer ts.Close()
	src := ts.URL + "/flakes-latest.json"
	dir, _, err := run(t, ts.Client(), "fetch", "--dataset", "flakes", "--from", src, "--date", "2026-05-09")
	if err != nil {
		t.Fatal(err)
	}
	checkWritten(t, dir, "flakes", "2026-05-09", src, flakesDoc)
}

func TestFetchFile(t *testing.T) {
	src := filepath.Join(t.TempDir(), "failures-latest.json")
	if err := os.WriteFile(src, []byte(failuresDoc), 0o644); err != nil {
		t.Fatal(err)
	}
	dir, _, err := run(t, nil, "fetch", "--dataset", "failures", "--from", src)
	if err != nil {
		t.Fatal(err)
	}
	checkWritten(t, dir, "failures", "2026-05-10", src, failuresDoc)
	leftovers, _ := filepath.Glob(filepath.Join(dir, "snapshots/failures/.*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestFetchRefusesWrongShape(t *testing.T) {
	newGCS(t, map[string]string{
		"flakes-latest.json": flakesDoc,
		// A number written as a string is refused too, not read as the number.
		"failures-latest.json": `{"ci-ok": {"failing_days": 1}, "ci-bad": {"failing_days": "3"}}`,
		"cut-short.json":       "{\"ci-ok\": {\"failing_days\": 1},\n \"ci-cut\": {\"failing_",
	})
	tests := []struct {
		name, from string
		want       []string
	}{
		{"flakes fetched as failures", "gs://k8s-metrics/flakes-latest.json", []string{`job "ci-f"`, `field "consistency"`, "not a failures field"}},
		{"failing_days a string", "gs://k8s-metrics/failures-latest.json", []string{
			`gs://k8s-metrics/failures-latest.json is not a failures snapshot at line 1, column 59 (byte 58): snapshot: job "ci-bad": field "failing_days": want a whole number, got the string "3"`}},
		{"cut short", "gs://k8s-metrics/cut-short.json", []string{
			`gs://k8s-metrics/cut-short.json is not a failures snapshot at line 2, column 22 (byte 52): snapshot: job "ci-cut": not JSON: `}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "content")
			os.MkdirAll(filepath.Join(dir, "snapshots", "flakes"), 0o755)
			before := listTree(t, dir)
			_, err := runIn(t, dir, nil, "fetch", "--dataset", "failures", "--from", tt.from)
			if err == nil {
				t.Fatal("fetch succeeded; want the shape refused")
			}
			for _, w := range append(tt.want, "nothing was written") {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if after := listTree(t, dir); strings.Join(after, "\n") != strings.Join(before, "\n") {
				t.Errorf("content changed:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
}

func TestFetchNotFoundWritesNothing(t *testing.T) {
	newGCS(t, map[string]string{"failures-latest.json": failuresDoc})
	ts := httptest.NewTLSServer(http.NotFoundHandler())
	defer ts.Close()
	for _, src := range []string{"gs://k8s-metrics/x.json", ts.URL + "/x.json"} {
		dir := filepath.Join(t.TempDir(), "content")
		os.Mkdir(dir, 0o755)
		_, err := runIn(t, dir, ts.Client(), "fetch", "--dataset", "failures", "--from", src)
		if err == nil || !strings.Contains(err.Error(), "snapshot fetch: "+src+": ") ||
			!strings.Contains(err.Error(), "not found") || !strings.Contains(err.Error(), "check --from") {
			t.Errorf("%s: err = %v, want a not-found error naming the source and --from", src, err)
		}
		if tree := listTree(t, dir); len(tree) != 1 {
			t.Errorf("%s: wrote %v", src, tree[1:])
		}
	}
}

func TestFetchRefusesOverwriteWithoutForce(t *testing.T) {
	newGCS(t, map[string]string{"failures-latest.json": failuresDoc})
	dir := filepath.Join(t.TempDir(), "content")
	snapDir := filepath.Join(dir, "snapshots", "failures")
	os.MkdirAll(snapDir, 0o755)
	old := filepath.Join(snapDir, "2026-05-10.json")
	os.WriteFile(old, []byte("{}"), 0o644)
	_, err := runIn(t, dir, nil, "fetch", "--dataset", "failures")
	if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("err = %v, want a refusal naming --force", err)
	}
	if got, _ := os.ReadFile(old); string(got) != "{}" {
		t.Fatalf("existing snapshot changed to %q", got)
	}
	if _, err := runIn(t, dir, nil, "fetch", "--dataset", "failures", "--force"); err != nil {
		t.Fatal(err)
	}
	checkWritten(t, dir, "failures", "2026-05-10", "gs://k8s-metrics/failures-latest.json", failuresDoc)
}

func TestFetchRejectsBadFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"fetch"}, `"dataset" not set`},
		{[]string{"fetch", "--dataset", "flaky"}, "want failures or flakes"},
		{[]string{"fetch", "--dataset", "failures", "--date", "10/05/2026"}, "want YYYY-MM-DD"},
		{[]string{"fetch", "--dataset", "failures", "--from", "http://example.com/x.json"}, "https://"},
	}
	for _, tt := range tests {
		dir, _, err := run(t, nil, tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: err = %v, want %q", tt.args, err, tt.want)
		}
		if tree := listTree(t, dir); len(tree) != 1 {
			t.Errorf("%v: wrote %v", tt.args, tree[1:])
		}
	}
}

func TestFetchNeedsContentDir(t *testing.T) {
	io, _, _ := iostreams.Test()
	missing := filepath.Join(t.TempDir(), "nope")
	opts := &FetchOptions{IO: io, Dataset: "failures", ContentDir: missing, Now: func() time.Time { return fetchedAt }}
	err := RunFetch(context.Background(), opts)
	if err == nil || !strings.Contains(err.Error(), "--content") {
		t.Fatalf("err = %v, want a hint about --content", err)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("%s was created", missing)
	}
}

func TestSnapshotHelp(t *testing.T) {
	io, out, _ := iostreams.Test()
	cmd := NewCmdSnapshot(io, nil)
	cmd.SetOut(io.Out)
	cmd.SetArgs([]string{"fetch", "--help"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--dataset", "--from", "--content", "--date", "--force", "gs://k8s-metrics"} {
		if !bytes.Contains(out.Bytes(), []byte(want)) {
			t.Errorf("help does not mention %s:\n%s", want, out)
		}
	}
}

// A gs:// object's own update time and generation go into the meta file: they date the
// dashboard, where fetched_at only dates the fetch.
func TestFetchGCSRecordsObjectTimeAndGeneration(t *testing.T) {
	updated := time.Date(2026, 5, 10, 6, 15, 0, 0, time.UTC)
	srv := newGCS(t, nil)
	srv.CreateObject(fakestorage.Object{
		ObjectAttrs: fakestorage.ObjectAttrs{
			BucketName: "k8s-metrics", Name: "failures-latest.json", Generation: 1778393700123456, Updated: updated,
			ACL: []storage.ACLRule{{Entity: storage.AllUsers, Role: storage.RoleReader}},
		},
		Content: []byte(failuresDoc),
	})
	dir, _, err := run(t, nil, "fetch", "--dataset", "failures")
	if err != nil {
		t.Fatal(err)
	}
	m, raw := readMeta(t, filepath.Join(dir, "snapshots/failures/2026-05-10.meta.yaml"))
	if m.ObjectUpdated != "2026-05-10T06:15:00Z" || m.ObjectGeneration != 1778393700123456 {
		t.Errorf("object_updated %q, object_generation %d; want 2026-05-10T06:15:00Z, 1778393700123456\n%s", m.ObjectUpdated, m.ObjectGeneration, raw)
	}
	// A file has neither, and the meta file says nothing of them.
	src := filepath.Join(t.TempDir(), "f.json")
	if err := os.WriteFile(src, []byte(failuresDoc), 0o644); err != nil {
		t.Fatal(err)
	}
	dir, _, err = run(t, nil, "fetch", "--dataset", "failures", "--from", src)
	if err != nil {
		t.Fatal(err)
	}
	if _, raw := readMeta(t, filepath.Join(dir, "snapshots/failures/2026-05-10.meta.yaml")); strings.Contains(raw, "object_") {
		t.Errorf("a file's meta names object fields:\n%s", raw)
	}
}
