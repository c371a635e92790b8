package cli

import "github.com/spf13/cobra"

const exitCodesHelp = `Exit codes of apikeys (a promise to scripts):

  0  success (also: a dry run, or a list where nothing matched)
  1  error: network, server, or a partial failure of a multi-key delete
  2  usage or invalid input: bad flag, bad date, bad filter, missing flag without a terminal
  3  cancelled by the user: a declined confirmation changes nothing; Ctrl-C stops before
     the next change (a multi-key delete reports which keys were already deleted)
  4  not logged in, session expired, or permission denied (HTTP 401/403)
  5  not found: unknown key or member
`

// newExitCodesHelpTopic has no Run: cobra shows it under "Additional help topics" and
// `apikeys help exit-codes` prints it.
func newExitCodesHelpTopic() *cobra.Command {
	return &cobra.Command{
		Use:   "exit-codes",
		Short: "The exit codes apikeys returns",
		Long:  exitCodesHelp,
	}
}
