// Package schemacmd is the `triagesite schema` command: JSON Schemas for editors, generated from the content types.
package schemacmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/schema"
)

// Options are the inputs of one schema run.
type Options struct {
	IO     *iostreams.IO
	OutDir string
}

// NewCmdSchema builds the command; runF replaces the run function in tests.
func NewCmdSchema(io *iostreams.IO, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: io}
	cmd := &cobra.Command{
		Use:   "schema [--out DIR]",
		Short: "Write a JSON Schema for each kind of content file",
		Long: `Write one JSON Schema (draft 2020-12) per content file kind — repos, sigs,
categories, snapshot-meta, pattern, report — generated from the Go types the
loader decodes. Editors that speak yaml-language-server pick them up from the
"# yaml-language-server: $schema=…" first line of each content file.

The schemas live in schema/ at the repository root; regenerate them whenever
internal/content/model.go changes (a test fails until you do).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.OutDir, "out", "schema", "output `directory`")
	return cmd
}

// Run writes the schemas.
func Run(_ context.Context, opts *Options) error {
	written, err := schema.Write(opts.OutDir)
	for _, p := range written {
		fmt.Fprintln(opts.IO.Out, "wrote", p)
	}
	return err
}
