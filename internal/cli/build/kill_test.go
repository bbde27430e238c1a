package build_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/triagesite/triagesite/internal/cli/build"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/root"
	"github.com/triagesite/triagesite/internal/publish"
)

// pausingStage stops a build after a few pages: it says so on stdout, then waits for the
// build to be stopped, as a build killed mid-write would be.
type pausingStage struct {
	build.Stage
	ctx     context.Context
	mu      sync.Mutex // pages are written from several goroutines; exactly one pauses
	written int
}

func (p *pausingStage) WritePage(path string, data []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.Stage.WritePage(path, data); err != nil {
		return err
	}
	p.written++
	if p.written == 5 {
		fmt.Println("paused mid-write")
		<-p.ctx.Done()
		return p.ctx.Err()
	}
	return nil
}

// TestKilledBuildHelper is the build the parent test kills; it runs only as that child.
func TestKilledBuildHelper(t *testing.T) {
	contentDir, out := os.Getenv("TRIAGESITE_KILL_CONTENT"), os.Getenv("TRIAGESITE_KILL_OUT")
	if contentDir == "" {
		t.Skip("run by TestKilledBuildLeavesPreviousSite")
	}
	ctx, stop := root.SignalContext(context.Background()) // what the binary's main uses
	defer stop()
	streams, _, _ := iostreams.Test()
	err := build.Run(ctx, &build.Options{IO: streams, ContentDir: contentDir, OutDir: out,
		Begin: func(dest string, o publish.Options) (build.Stage, error) {
			s, err := publish.Begin(dest, o)
			if err != nil {
				return nil, err
			}
			return &pausingStage{Stage: s, ctx: ctx}, nil
		}})
	fmt.Println("build returned:", err)
}

// TestKilledBuildLeavesPreviousSite kills a build mid-write with each signal: the previous
// site stays intact and servable; SIGINT and SIGTERM clean up at once, and the next build
// cleans up after SIGKILL.
func TestKilledBuildLeavesPreviousSite(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			tmp := t.TempDir()
			contentDir, out := filepath.Join(tmp, "content"), filepath.Join(tmp, "site")
			writeTree(t, contentDir, "")
			streams, _, _ := iostreams.Test()
			opts := &build.Options{IO: streams, ContentDir: contentDir, OutDir: out}
			if err := build.Run(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			before := snapshotDir(t, out)

			cmd := exec.Command(os.Args[0], "-test.run=^TestKilledBuildHelper$", "-test.count=1")
			cmd.Env = append(os.Environ(), "TRIAGESITE_KILL_CONTENT="+contentDir, "TRIAGESITE_KILL_OUT="+out)
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := bufio.NewScanner(stdout)
			if !lines.Scan() || lines.Text() != "paused mid-write" {
				_ = cmd.Process.Kill()
				t.Fatalf("the child build did not pause: %q", lines.Text())
			}
			if staged, _ := filepath.Glob(filepath.Join(tmp, ".site.tmp-*")); len(staged) != 1 {
				t.Fatalf("mid-write, staging directories: %v", staged)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			rest, _ := io.ReadAll(stdout)
			_ = cmd.Wait()
			// The build stops wherever the cancellation finds it ("build: render x.html: context
			// canceled"), and says the previous site is unchanged.
			if sig != syscall.SIGKILL && (!strings.Contains(string(rest), "context canceled") || !strings.Contains(string(rest), "(the previous")) {
				t.Errorf("the child did not stop cleanly on %s: %q", sig, rest)
			}

			sameSite(t, before, snapshotDir(t, out))
			assertServable(t, out)
			left, _ := filepath.Glob(filepath.Join(tmp, ".site.*"))
			if sig == syscall.SIGKILL && len(left) == 0 {
				t.Error("SIGKILL left nothing behind: the build was not stopped mid-write")
			}
			if sig != syscall.SIGKILL && len(left) != 0 {
				t.Errorf("%s left %v behind", sig, left)
			}

			if err := build.Run(context.Background(), opts); err != nil {
				t.Fatalf("the next build: %v", err)
			}
			if left, _ := filepath.Glob(filepath.Join(tmp, ".site.*")); len(left) != 0 {
				t.Errorf("the next build left %v", left)
			}
			sameSite(t, before, snapshotDir(t, out))
		})
	}
}

func sameSite(t *testing.T, before, after map[string]string) {
	t.Helper()
	if len(after) != len(before) {
		t.Errorf("site has %d files, %d before", len(after), len(before))
	}
	for p, b := range before {
		if after[p] != b {
			t.Errorf("%s changed", p)
		}
	}
}

// assertServable serves dir as a web server would and fetches its home page.
func assertServable(t *testing.T, dir string) {
	t.Helper()
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<html") {
		t.Errorf("GET / on the previous site: %s, %d bytes", resp.Status, len(body))
	}
}
