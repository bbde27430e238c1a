// Command triagesite builds a verified static site from Kubernetes CI triage reports.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/root"
)

// version is set at release time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := root.SignalContext(context.Background())
	defer stop()
	io := iostreams.System()
	if err := root.NewCmdRoot(io, version).ExecuteContext(ctx); err != nil {
		fmt.Fprintln(io.ErrOut, "error:", err)
		os.Exit(1)
	}
}
