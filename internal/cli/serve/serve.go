// Package serve is the `triagesite serve` command: a live-reloading preview of the site while content is edited.
package serve

import (
	"context"
	"fmt"
	"net"

	"github.com/spf13/cobra"

	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/preview"
)

// Options are the inputs of one serve run.
type Options struct {
	IO           *iostreams.IO
	ContentDir   string
	TemplatesDir string
	AssetsDir    string
	Addr         string
	Version      string
}

// NewCmdServe builds the command; runF replaces the run function in tests.
func NewCmdServe(io *iostreams.IO, version string, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: io, Version: version}
	cmd := &cobra.Command{
		Use:   "serve [--content DIR] [--addr 127.0.0.1:8080]",
		Short: "Preview the site, rebuilding and reloading open pages as content changes",
		Long: `Build the site into memory and serve it. content/ is polled for changes; each
change rebuilds the site and reloads open pages. A failed rebuild keeps serving
the last good site, with the problems (path:line:col) in a banner over it.

An edited pattern's page is rendered at once from its file alone, with the last
build's indexes (Hugo's fast render mode); a full build then follows in the
background, checks the whole tree and reloads the open pages it changed.

Stylesheets in assets/ are served from disk, so edits show at once. Templates
are compiled into the binary: after editing templates/, run
"go tool templ generate" and restart serve; open pages reload when it is back.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.ContentDir, "content", "content", "content `directory`")
	cmd.Flags().StringVar(&opts.TemplatesDir, "templates", "templates", "templates `directory`, watched to say when a restart is needed")
	cmd.Flags().StringVar(&opts.AssetsDir, "assets", "assets", "assets `directory`, served from disk")
	cmd.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "`host:port` to listen on")
	return cmd
}

// Run serves until ctx ends (Ctrl-C).
func Run(ctx context.Context, opts *Options) error {
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if host, _, _ := net.SplitHostPort(opts.Addr); !isLoopback(host) {
		fmt.Fprintf(opts.IO.ErrOut, "warning: %s is reachable from other machines; the preview has no access control\n", opts.Addr)
	}
	fmt.Fprintf(opts.IO.Out, "serving http://%s/ from %s; watching %s, %s, %s (Ctrl-C stops)\n",
		ln.Addr(), opts.ContentDir, opts.ContentDir, opts.TemplatesDir, opts.AssetsDir)
	srv := preview.New(preview.Options{
		ContentDir:   opts.ContentDir,
		TemplatesDir: opts.TemplatesDir,
		AssetsDir:    opts.AssetsDir,
		Version:      opts.Version,
		Log:          opts.IO.Out,
	})
	return srv.Serve(ctx, ln)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
