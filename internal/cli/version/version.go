// Package version is the `triagesite version` command.
package version

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/triagesite/triagesite/internal/cli/iostreams"
)

// NewCmdVersion prints the version.
func NewCmdVersion(io *iostreams.IO, version string) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the triagesite version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintf(io.Out, "triagesite %s\n", version)
			return err
		},
	}
}
