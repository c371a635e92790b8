package cli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/iostreams"
)

// NewRootCmdForDocs builds the command tree for cmd/gen-docs: the same commands, flags and help
// as the real one, plus cobra's completion and help commands, with a factory that has no
// terminal and reads no environment, and whose session always fails, so generating the
// documentation never touches the network and gives the same output on every machine.
func NewRootCmdForDocs() *cobra.Command {
	streams, _, _, _ := iostreams.Test()
	f := newFactory(streams, "dev", func(string) string { return "" })
	f.Session = func(context.Context) (*Session, error) {
		return nil, errors.New("no API session while generating documentation")
	}
	root := newRootCmd(f)
	fillEnvironmentHelp(root)
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	return root
}
