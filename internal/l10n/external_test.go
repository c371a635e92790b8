package l10n_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/k2geospatial/apikeys/internal/cli"
	"github.com/k2geospatial/apikeys/internal/l10n"
)

// TestExternalMessagesAreCobras: the texts cobra gives its own commands (help, completion
// and its shells, their flags but --help) are exactly the external messages, with the
// program's name written %[1]s, so that a cobra upgrade that rewords one fails here rather
// than leaving it in English in a French help.
func TestExternalMessagesAreCobras(t *testing.T) {
	root := cli.NewRootCmdForDocs()
	name := root.Name()
	var found []string
	add := func(s string) {
		if s != "" {
			found = append(found, strings.ReplaceAll(s, name, "%[1]s"))
		}
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		add(c.Short)
		add(c.Long)
		add(c.Example)
		c.LocalNonPersistentFlags().VisitAll(func(fl *pflag.Flag) {
			if fl.Name != "help" {
				add(fl.Usage)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	for _, c := range root.Commands() {
		if c.Name() == "help" || c.Name() == "completion" {
			walk(c)
		}
	}
	slices.Sort(found)
	found = slices.Compact(found)
	want := slices.Clone(l10n.ExternalMessages)
	slices.Sort(want)
	for _, s := range found {
		if !slices.Contains(want, s) {
			t.Errorf("cobra's %q is not among the external messages (internal/l10n/scan_test.go)", s)
		}
	}
	for _, s := range want {
		if !slices.Contains(found, s) {
			t.Errorf("the external message %q is no longer cobra's: remove it", s)
		}
	}
}
