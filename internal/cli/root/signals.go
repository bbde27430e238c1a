package root

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// SignalContext is ctx, ended by Ctrl-C (SIGINT) or SIGTERM, which is what a CI runner, a
// container runtime or systemd sends to stop a process. Either way a build stops cleanly:
// its staging directory is removed and the previous site stays. Once ctx ends the signals
// have their default effect again, so a second Ctrl-C stops at once; the next build then
// removes what is left.
func SignalContext(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}
