package preview_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/triagesite/triagesite/internal/preview"
	"github.com/triagesite/triagesite/internal/synth"
)

// BenchmarkServeEditPattern times one pattern edit on the full synthetic corpus, from the
// file written to the edited page served: the watcher's poll at its default interval, the
// fast render and the request. Generating the corpus and the first build are not timed. Each
// edit also cancels the full build the one before it started, which keeps a CPU busy.
func BenchmarkServeEditPattern(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "content")
	if err := synth.Write(dir, synth.Default); err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	log := &logBuffer{}
	srv := preview.New(preview.Options{ContentDir: dir, Log: log})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			b.Error(err)
		}
	}()
	base := "http://" + ln.Addr().String()
	for !served(b, base+"/", "") {
		time.Sleep(100 * time.Millisecond) // the first build
	}
	file := filepath.Join(dir, "patterns", "apiserver-apiserver-0515.yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	title := regexp.MustCompile(`(?m)^title: .*$`)
	page := base + "/patterns/apiserver-apiserver-0515.html"
	for i := 0; b.Loop(); i++ {
		want := fmt.Sprintf("Edit number %d of this title", i)
		edited := title.ReplaceAllLiteral(data, []byte("title: "+want))
		if err := os.WriteFile(file, edited, 0o644); err != nil {
			b.Fatal(err)
		}
		for !served(b, page, want) {
			time.Sleep(time.Millisecond)
		}
	}
	b.StopTimer()
	renders := renderTimes.FindAllStringSubmatch(log.String(), -1)
	if len(renders) < b.N {
		b.Fatalf("%d edits, %d fast renders:\n%s", b.N, len(renders), log)
	}
	var total time.Duration
	for _, m := range renders {
		d, err := time.ParseDuration(m[1])
		if err != nil {
			b.Fatal(err)
		}
		total += d
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(len(renders)), "render-ms/op")
}

// renderTimes finds how long each fast render took, in the server's log.
var renderTimes = regexp.MustCompile(`rendered patterns/\S+ in (\S+);`)

// served reports whether url answers 200 with want in its body.
func served(b *testing.B, url, want string) bool {
	resp, err := http.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	return resp.StatusCode == http.StatusOK && strings.Contains(string(body), want)
}
