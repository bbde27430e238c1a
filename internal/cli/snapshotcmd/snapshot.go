// Package snapshotcmd is the `triagesite snapshot` command group: fetching dashboard snapshots into the content tree.
package snapshotcmd

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/triagesite/triagesite/internal/cli/iostreams"
)

// NewCmdSnapshot builds the `snapshot` parent; fetchRunF replaces the fetch run function in tests.
func NewCmdSnapshot(io *iostreams.IO, fetchRunF func(context.Context, *FetchOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "snapshot",
		Short: "Manage the dashboard snapshots under content/snapshots",
		Long: `Manage the dashboard snapshots the reports are checked against.

Snapshots live in content/snapshots/<dataset>/<date>.json, each beside a
<date>.meta.yaml that records where it came from and its sha256.`,
		// Runnable, so an unknown subcommand is an error rather than a silent help page.
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(NewCmdFetch(io, fetchRunF))
	return cmd
}
