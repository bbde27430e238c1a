package build_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/cli/build"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
)

// TestMemoryLimit: the build sets --memory-limit (DefaultMemoryLimit unless given, which the
// flag's default must spell) as the soft memory limit, leaves a GOMEMLIMIT from the
// environment alone, and refuses a size it cannot read.
func TestMemoryLimit(t *testing.T) {
	for _, c := range []struct {
		name, flag, env string
		want            int64 // -1: not set
		err             string
	}{
		{name: "default", want: build.DefaultMemoryLimit},
		{name: "MiB", flag: "512MiB", want: 512 << 20},
		{name: "GiB", flag: "2GiB", want: 2 << 30},
		{name: "bytes", flag: "1048576", want: 1 << 20},
		{name: "off", flag: "off", want: -1},
		{name: "zero", flag: "0", want: -1},
		{name: "GOMEMLIMIT wins", env: "1GiB", want: -1},
		{name: "bad unit", flag: "512MB", err: `--memory-limit "512MB": want a size`},
		{name: "negative", flag: "-1MiB", err: `--memory-limit "-1MiB": want a size`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, filepath.Join(dir, "content"), "")
			io, _, _ := iostreams.Test()
			got := int64(-1)
			cmd := build.NewCmdBuild(io, "v1", func(ctx context.Context, o *build.Options) error {
				o.SetMemoryLimit = func(n int64) int64 { got = n; return 0 }
				o.Getenv = func(k string) string {
					if k == "GOMEMLIMIT" {
						return c.env
					}
					return ""
				}
				return build.Run(ctx, o)
			})
			args := []string{"--content", filepath.Join(dir, "content"), "--out", filepath.Join(dir, "site")}
			if c.flag != "" {
				args = append(args, "--memory-limit", c.flag)
			}
			cmd.SetArgs(args)
			err := cmd.Execute()
			if c.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("limit set %d, want %d", got, c.want)
			}
		})
	}
}
