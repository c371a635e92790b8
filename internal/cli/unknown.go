package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/errkind"
)

// commandGuard makes unknown subcommands and wrong argument counts usage errors (exit 2).
// Cobra prints help and succeeds for `apikeys auth logut`, `apikeys help nonsense` or
// `apikeys completion tcsh` (a command without Run accepts any argument), and its argument
// checks (`list extra`, `show` alone) are plain errors that would exit 1.
type commandGuard struct {
	// err is an unknown command found while cobra was about to print help instead.
	err error
}

// guardCommands installs the guard on the whole tree of root; run reads guard.err once the
// command returned.
func guardCommands(root *cobra.Command) *commandGuard {
	g := &commandGuard{}
	// Cobra adds these two only when it executes: add them now so they are guarded too.
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	// With Args set, cobra's Find no longer rejects an unknown first word itself (without
	// the "Run ... --help" line and exit 2): the help function below does, like everywhere.
	root.Args = cobra.ArbitraryArgs
	showHelp := root.HelpFunc()
	root.SetHelpFunc(func(cmd *cobra.Command, args []string) {
		if err := strayArgument(cmd); err != nil {
			g.err = err
			return
		}
		showHelp(cmd, args)
	})
	walkCommands(root, func(cmd *cobra.Command) {
		if cmd.Name() == "help" && cmd.Parent() == root {
			cmd.Run = nil
			cmd.RunE = helpTopic
			cmd.Args = cobra.ArbitraryArgs // helpTopic says which topic is unknown
		}
		if cmd.Args != nil && cmd != root {
			cmd.Args = usageArgs(cmd.Args)
		}
	})
	return g
}

func walkCommands(cmd *cobra.Command, fn func(*cobra.Command)) {
	fn(cmd)
	for _, c := range cmd.Commands() {
		walkCommands(c, fn)
	}
}

// strayArgument is the error of a command without Run (apikeys, auth, sandbox, completion,
// a help topic) given a positional argument: cobra would print its help and exit 0. Alone,
// such a command prints its help and succeeds.
func strayArgument(cmd *cobra.Command) error {
	if cmd.Runnable() {
		return nil
	}
	args := cmd.Flags().Args()
	if len(args) == 0 {
		return nil
	}
	if !cmd.HasSubCommands() {
		return strayArguments(cmd, args, nil) // a help topic: exit-codes
	}
	return unknownCommand(cmd, args[0])
}

// helpTopic is `apikeys help [command]`: an unknown topic is an unknown command.
func helpTopic(cmd *cobra.Command, args []string) error {
	target, rest, err := cmd.Root().Find(args)
	if err != nil {
		return &flagError{err: errkind.Wrap(errkind.Usage, err)}
	}
	if len(rest) > 0 {
		return unknownCommand(target, rest[0])
	}
	target.InitDefaultHelpFlag()
	target.InitDefaultVersionFlag()
	return target.Help()
}

// unknownCommand is cobra's message for an unknown subcommand, with its suggestions, as a
// usage error that also points at the command's help.
func unknownCommand(cmd *cobra.Command, arg string) error {
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2
	}
	msg := fmt.Sprintf("unknown command %q for %q", arg, cmd.CommandPath())
	if s := cmd.SuggestionsFor(arg); len(s) > 0 {
		msg += "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t") + "\n"
	}
	return &flagError{err: errkind.Wrap(errkind.Usage, errors.New(msg)), usageOf: cmd.CommandPath()}
}

// usageArgs makes an argument check's failure a usage error. A command without subcommands
// whose check takes no argument but refuses one (cobra.NoArgs) says so, where cobra would
// call the argument an unknown command: there is no command to look for below it.
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		err := check(cmd, args)
		if err == nil || isFlagError(err) {
			return err
		}
		if !cmd.HasSubCommands() && len(args) > 0 && check(cmd, nil) == nil {
			return strayArguments(cmd, args, nil)
		}
		return &flagError{err: errkind.Wrap(errkind.Usage, err)}
	}
}

// noArgs is the Args of a command that takes no arguments; hint, when it returns one, says
// on a line of its own what the arguments were probably meant as.
func noArgs(hint func(args []string) string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		return strayArguments(cmd, args, hint)
	}
}

// strayArguments is the error of arguments given to a command that takes none: what was
// given, and the likeliest intent when one is plain (a flag's name without its dashes, or
// the command's own hint).
func strayArguments(cmd *cobra.Command, args []string, hint func([]string) string) error {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = fmt.Sprintf("%q", a)
	}
	msg := fmt.Sprintf("%s takes no arguments, got %s", cmd.CommandPath(), strings.Join(quoted, ", "))
	next := ""
	if fl := cmd.Flags().Lookup(args[0]); fl != nil && len(args) == 1 {
		next = "did you mean --" + fl.Name + "?"
	} else if hint != nil {
		next = hint(args)
	}
	if next != "" {
		msg += "\n" + next
	}
	return argsError("%s", msg)
}

// argsError is a wrong number of arguments, saying what the argument is.
func argsError(format string, args ...any) error {
	return &flagError{err: errkind.Usagef(format, args...)}
}
