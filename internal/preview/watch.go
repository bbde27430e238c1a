package preview

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Watching polls file sizes and modification times instead of using fsnotify: a poll sees
// editors' save-by-rename, new subdirectories and files on bind mounts or network file
// systems (Docker Desktop, WSL) where inotify events never arrive, and stat-ing a content
// tree of a few hundred files every 100ms costs next to nothing. The price is up to one
// interval of delay. A large tree (the full synthetic corpus has 3,927 files, about 20ms of
// CPU a scan) is polled less often, so that scanning takes at most a third of a CPU.

// stamp is what a poll compares: a file changed when either differs.
type stamp struct {
	size int64
	mod  time.Time
}

// scan stamps every file under the watched directories; a missing directory is skipped.
func (s *Server) scan() map[string]stamp {
	out := map[string]stamp{}
	for _, root := range []string{s.opts.ContentDir, s.opts.TemplatesDir, s.opts.AssetsDir} {
		if root == "" {
			continue
		}
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || scratch(d.Name()) {
				return nil // a file removed mid-walk, or an unreadable one: the next poll sees it
			}
			if info, err := d.Info(); err == nil {
				out[p] = stamp{info.Size(), info.ModTime()}
			}
			return nil
		})
	}
	return out
}

// scratch names editors' swap, backup and lock files, which come and go while typing and
// would otherwise trigger rebuilds of unchanged content.
func scratch(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx")
}

// changed lists the files added, removed or modified between two scans.
func changed(before, after map[string]stamp) []string {
	var out []string
	for p, st := range after {
		if old, ok := before[p]; !ok || old != st {
			out = append(out, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// scanShare is how many times a scan's own duration the watcher waits, at least, before the next.
const scanShare = 2

func (s *Server) watch(ctx context.Context, seen map[string]stamp) {
	wait := s.opts.Interval
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		start := time.Now()
		now := s.scan()
		wait = max(s.opts.Interval, scanShare*time.Since(start))
		if files := changed(seen, now); len(files) > 0 {
			s.react(ctx, files)
		}
		seen = now
	}
}

// react does what each changed tree allows: content rebuilds, assets reload from disk, and
// templates, compiled into the binary, can only be picked up by a restart.
func (s *Server) react(ctx context.Context, files []string) {
	var content, templates, assets []string
	for _, f := range files {
		switch {
		case under(f, s.opts.TemplatesDir):
			templates = append(templates, f)
		case under(f, s.opts.AssetsDir):
			assets = append(assets, f)
		default:
			content = append(content, f)
		}
	}
	if len(templates) > 0 {
		fmt.Fprintf(s.opts.Log, "%s changed: templates are compiled into the binary; run `go tool templ generate` "+
			"and restart serve to see it (open pages reload when it is back)\n", strings.Join(templates, ", "))
	}
	switch {
	case len(content) > 0:
		fmt.Fprintf(s.opts.Log, "%s changed: rebuilding\n", strings.Join(content, ", "))
		s.changedContent(ctx, content)
	case len(assets) > 0:
		fmt.Fprintf(s.opts.Log, "%s changed: reloading pages, which get assets from disk "+
			"(`triagesite build` embeds them at compile time: rebuild the binary before publishing)\n", strings.Join(assets, ", "))
		s.hub.send(event{name: "build", data: "assets"})
	}
}

func under(p, dir string) bool {
	if dir == "" {
		return false
	}
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
