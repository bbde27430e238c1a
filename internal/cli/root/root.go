// Package root assembles the triagesite command tree.
package root

import (
	"github.com/spf13/cobra"

	"github.com/triagesite/triagesite/internal/cli/audit"
	"github.com/triagesite/triagesite/internal/cli/build"
	"github.com/triagesite/triagesite/internal/cli/categorize"
	"github.com/triagesite/triagesite/internal/cli/digest"
	"github.com/triagesite/triagesite/internal/cli/drift"
	"github.com/triagesite/triagesite/internal/cli/importcmd"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/lint"
	"github.com/triagesite/triagesite/internal/cli/newcmd"
	"github.com/triagesite/triagesite/internal/cli/schemacmd"
	"github.com/triagesite/triagesite/internal/cli/serve"
	"github.com/triagesite/triagesite/internal/cli/snapshotcmd"
	"github.com/triagesite/triagesite/internal/cli/testgridcmd"
	"github.com/triagesite/triagesite/internal/cli/verifycmd"
	"github.com/triagesite/triagesite/internal/cli/version"
)

// NewCmdRoot returns the triagesite command with every subcommand.
func NewCmdRoot(io *iostreams.IO, ver string) *cobra.Command {
	cmd := &cobra.Command{
		Use:           "triagesite",
		Short:         "Build a verified static site from Kubernetes CI triage reports",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	cmd.SetOut(io.Out)
	cmd.SetErr(io.ErrOut)
	cmd.AddCommand(
		audit.NewCmdAudit(io, nil),
		build.NewCmdBuild(io, ver, nil),
		categorize.NewCmdCategorize(io, nil),
		digest.NewCmdDigest(io, nil),
		drift.NewCmdDrift(io, nil),
		importcmd.NewCmdImport(io, nil),
		lint.NewCmdLint(io, nil),
		newcmd.NewCmdNew(io),
		schemacmd.NewCmdSchema(io, nil),
		serve.NewCmdServe(io, ver, nil),
		snapshotcmd.NewCmdSnapshot(io, nil),
		testgridcmd.NewCmdTestgrid(io, nil),
		verifycmd.NewCmdVerify(io, nil),
		version.NewCmdVersion(io, ver),
	)
	return cmd
}
