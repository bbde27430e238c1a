package root

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// SignalContext is ctx, ended by Ctrl-C (SIGINT) or SIGTERM, which is what a CI runner, a
// container runtime or systemd sends to stop a process. Either way a build stops cleanly:
// its staging directory is removed and the previous site stays.
func SignalContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}
