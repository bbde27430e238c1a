package preview

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/triagesite/triagesite/internal/content"
)

// A content edit is shown in two steps, as Hugo's fast render mode does. An edited pattern's
// page is rendered at once from the pattern file alone and the last good build's indexes
// (fastRender); then a full build, in the background, brings every other page up to date and
// checks the whole tree (fullBuilds). A later edit cancels a full build still running.

// changedContent queues a full build for the content as it is now, after rendering the
// edited patterns' pages at once when it can.
func (s *Server) changedContent(ctx context.Context, files []string) {
	s.mu.Lock()
	s.gen++
	if s.cancel != nil {
		s.cancel()
	}
	s.mu.Unlock()
	s.fastRender(ctx, files)
	select {
	case s.want <- struct{}{}:
	default: // one is queued already, and it reads the content as it will be
	}
}

// fullBuilds runs the queued full builds one at a time until ctx ends.
func (s *Server) fullBuilds(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.want:
		}
		bctx, cancel := context.WithCancel(ctx)
		s.mu.Lock()
		gen := s.gen
		s.cancel = cancel
		s.mu.Unlock()
		_ = s.rebuild(bctx, gen) // failures are logged and shown in the overlay
		cancel()
	}
}

// fastRender renders the pages of edited pattern files from each file alone. It does nothing
// unless every file changed is a pattern that loads cleanly and was in the last good build: a
// new, removed or broken file waits for the full build, which reports every problem at once.
func (s *Server) fastRender(ctx context.Context, files []string) {
	start := time.Now()
	s.mu.RLock()
	tree, prepared, gen := s.tree, s.prepared, s.gen
	s.mu.RUnlock()
	if prepared == nil {
		return
	}
	fsys := os.DirFS(s.opts.ContentDir)
	rendered := map[string][]byte{}
	var displays []string
	for _, f := range files {
		name, ok := s.patternFile(f)
		if !ok {
			return
		}
		p, err := content.LoadPattern(fsys, s.opts.ContentDir, name, tree)
		if err != nil {
			return
		}
		page, data, err := prepared.RenderPattern(ctx, p)
		if err != nil {
			return
		}
		rendered[page] = data
		displays = append(displays, path.Join(s.opts.ContentDir, name))
	}
	s.mu.Lock()
	if s.gen != gen {
		s.mu.Unlock()
		return
	}
	pages := maps.Clone(s.pages)
	maps.Copy(pages, rendered)
	s.pages, s.problems, s.fast = pages, otherProblems(s.problems, displays), true
	s.mu.Unlock()
	fmt.Fprintf(s.opts.Log, "rendered %s in %s; building the rest\n", strings.Join(slices.Sorted(maps.Keys(rendered)), ", "), time.Since(start).Round(time.Millisecond))
	s.hub.send(event{name: "build", data: "fast"})
}

// patternFile is f's name in the content tree when it is a pattern file.
func (s *Server) patternFile(f string) (string, bool) {
	rel, err := filepath.Rel(s.opts.ContentDir, f)
	if err != nil {
		return "", false
	}
	name := filepath.ToSlash(rel)
	return name, path.Dir(name) == "patterns" && path.Ext(name) == ".yaml"
}

// otherProblems drops the problems in files that now load cleanly.
func otherProblems(problems, fixed []string) []string {
	var out []string
	for _, p := range problems {
		keep := true
		for _, f := range fixed {
			if strings.HasPrefix(p, f+":") {
				keep = false
			}
		}
		if keep {
			out = append(out, p)
		}
	}
	return out
}

// maxChanged bounds the paths a changed event lists; past it, every open page reloads.
const maxChanged = 5000

// changedEvent names the pages that differ between two builds, so that only open pages
// among them reload.
func changedEvent(before, after map[string][]byte) event {
	var paths []string
	for p, data := range after {
		if old, ok := before[p]; !ok || !bytes.Equal(old, data) {
			paths = append(paths, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			paths = append(paths, p)
		}
	}
	if len(paths) > maxChanged {
		return event{name: "build", data: "full"}
	}
	slices.Sort(paths)
	return event{name: "changed", data: strings.Join(paths, "\n")}
}
