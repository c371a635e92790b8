package cli

import "github.com/spf13/cobra"

const exitCodesHelp = `Exit codes of apikeys (a promise to scripts):

  0  success (also: a dry run, or a list where nothing matched)
  1  error: network, server (also one refusing paging, redirecting or answering too
     much), or a partial failure of a multi-key delete; a list whose filter or sort
     needs a field the server sent unreadable (printed, with a warning)
  2  usage or invalid input: bad flag, date or filter, empty value, contradicting flags,
     unknown command or wrong argument count, a --filter matching every key without
     --all, missing flag without a terminal, a config or session path others can write
  3  cancelled: a declined confirmation changes nothing; Ctrl-C, SIGTERM or SIGHUP stop
     before the next change (a multi-key delete reports which keys were already deleted)
  4  not logged in, session expired, revoked or ended (log in again), or permission denied
     (HTTP 401/403)
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
