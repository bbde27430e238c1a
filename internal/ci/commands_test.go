package ci_test

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/root"
)

// TestREADMEListsEveryFlag: the README's command table names every command and every flag it
// takes, so a flag added in code is a flag documented. A flag every content command shares
// may be said once, in the sentence under the table.
func TestREADMEListsEveryFlag(t *testing.T) {
	section := readmeSection(t, "## Commands")
	var rows []string
	shared := ""
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "| `triagesite ") {
			rows = append(rows, line)
		} else if !strings.HasPrefix(line, "|") {
			shared += line + "\n"
		}
	}
	io, _, _ := iostreams.Test()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if !sub.Hidden && sub.Name() != "help" && sub.Name() != "completion" {
				walk(sub)
			}
		}
		if !c.Runnable() || !c.HasParent() {
			return
		}
		var mine []string
		for _, r := range rows {
			if strings.Contains(r, "`"+c.CommandPath()+" ") || strings.Contains(r, "`"+c.CommandPath()+"`") ||
				strings.Contains(r, "/ `"+strings.TrimPrefix(c.CommandPath(), "triagesite ")) {
				mine = append(mine, r)
			}
		}
		if len(mine) == 0 {
			t.Errorf("README's command table has no row for %s", c.CommandPath())
			return
		}
		all := strings.Join(mine, "\n")
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Hidden || f.Name == "help" {
				return
			}
			if !strings.Contains(all, "--"+f.Name) && !strings.Contains(shared, "`--"+f.Name) {
				t.Errorf("README does not document %s --%s", c.CommandPath(), f.Name)
			}
		})
	}
	walk(root.NewCmdRoot(io, "test"))
}
