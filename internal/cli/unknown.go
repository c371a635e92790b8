package cli

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
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
		return &flagError{err: errkind.Wrap(errkind.Usage, cobraError(err))}
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
	err := l10n.Errorf("unknown command %q for %q", arg, cmd.CommandPath())
	if s := cmd.SuggestionsFor(arg); len(s) > 0 {
		err = l10n.Errorf("unknown command %q for %q\n\nDid you mean this?\n\t%s\n", arg, cmd.CommandPath(), strings.Join(s, "\n\t"))
	}
	return &flagError{err: errkind.Wrap(errkind.Usage, err), usageOf: cmd.CommandPath()}
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
		return &flagError{err: errkind.Wrap(errkind.Usage, cobraError(err))}
	}
}

// noArgs is the Args of a command that takes no arguments; hint, when it returns one, says
// on a line of its own what the arguments were probably meant as: a text, or a message put
// in the reader's language.
func noArgs[H string | l10n.Msg](hint func(args []string) H) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		var next func([]string) any
		if hint != nil {
			next = func(args []string) any { return hint(args) }
		}
		return strayArguments(cmd, args, next)
	}
}

// strayArguments is the error of arguments given to a command that takes none: what was
// given, and the likeliest intent when one is plain (a flag's name without its dashes, or
// the command's own hint, a string or an l10n.Msg).
func strayArguments(cmd *cobra.Command, args []string, hint func([]string) any) error {
	var next any
	if fl := cmd.Flags().Lookup(args[0]); fl != nil && len(args) == 1 {
		next = l10n.M("did you mean --%s?", fl.Name)
	} else if hint != nil {
		next = hint(args)
	}
	switch h := next.(type) {
	case string:
		if h == "" {
			next = nil
		}
	case l10n.Msg:
		if h.IsZero() {
			next = nil
		}
	}
	path, got := cmd.CommandPath(), output.QuotedList(args)
	if next == nil {
		return argsError("%s takes no arguments, got %s", path, got)
	}
	return argsError("%s takes no arguments, got %s\n%s", path, got, next)
}

// argsError is a wrong number of arguments, saying what the argument is.
func argsError(format string, args ...any) error {
	return &flagError{err: errkind.Usagef(format, args...)}
}

// localized is err, a text of cobra's or pflag's, with the message that says it in another
// language: errors.As still finds pflag's typed errors through it.
type localized struct {
	err error
	msg l10n.Msg
}

func (e *localized) Error() string                   { return e.err.Error() }
func (e *localized) Unwrap() error                   { return e.err }
func (e *localized) Localize(p *l10n.Printer) string { return e.msg.Localize(p) }

// cobraError is err, an error of cobra's or pflag's, made translatable where its text is one
// of theirs, read back into its format and arguments; any other error as it is. The English
// is unchanged: a message is used only when it gives err's text to the byte.
func cobraError(err error) error {
	if err == nil {
		return nil
	}
	text := err.Error()
	for _, m := range cobraMessages(err, text) {
		if m.String() == text {
			return &localized{err: err, msg: m}
		}
	}
	return err
}

// cobraMessages are the messages err may be, as cobra and pflag write them; cobraError keeps
// the one whose English is err's text.
func cobraMessages(err error, text string) []l10n.Msg {
	var ms []l10n.Msg
	var notExist *pflag.NotExistError
	if errors.As(err, &notExist) {
		name := notExist.GetSpecifiedName()
		ms = append(ms, l10n.M("unknown flag: --%s", name))
		if name != "" {
			ms = append(ms, l10n.M("unknown shorthand flag: %q in -%s", rune(name[0]), notExist.GetSpecifiedShortnames()))
		}
	}
	var required *pflag.ValueRequiredError
	if errors.As(err, &required) {
		name := required.GetSpecifiedName()
		ms = append(ms, l10n.M("flag needs an argument: --%s", name))
		if name != "" {
			ms = append(ms, l10n.M("flag needs an argument: %q in -%s", rune(name[0]), required.GetSpecifiedShortnames()))
		}
	}
	var invalid *pflag.InvalidValueError
	if errors.As(err, &invalid) {
		fl := invalid.GetFlag()
		for _, name := range []string{"--" + fl.Name, "-" + fl.Shorthand + ", --" + fl.Name} {
			ms = append(ms, l10n.M("invalid argument %q for %q flag: %v", invalid.GetValue(), name, invalid.Unwrap()))
		}
	}
	var syntax *pflag.InvalidSyntaxError
	if errors.As(err, &syntax) {
		ms = append(ms, l10n.M("bad flag syntax: %s", syntax.GetSpecifiedFlag()))
	}
	// cobra's argument checks (args.go) and unknown command, and its required flags
	// (command.go): fmt.Errorf texts, read back.
	var x, y, z int
	scan := func(format string, n ...any) bool {
		k, _ := fmt.Sscanf(text, format, n...)
		return k == len(n)
	}
	switch {
	case scan("accepts %d arg(s), received %d", &x, &y):
		ms = append(ms, l10n.M("accepts %d arg(s), received %d", x, y))
	case scan("requires at least %d arg(s), only received %d", &x, &y):
		ms = append(ms, l10n.M("requires at least %d arg(s), only received %d", x, y))
	case scan("accepts at most %d arg(s), received %d", &x, &y):
		ms = append(ms, l10n.M("accepts at most %d arg(s), received %d", x, y))
	case scan("accepts between %d and %d arg(s), received %d", &x, &y, &z):
		ms = append(ms, l10n.M("accepts between %d and %d arg(s), received %d", x, y, z))
	}
	if !strings.HasPrefix(text, "unknown command ") && !strings.HasPrefix(text, "required flag(s) ") {
		return ms
	}
	quoted := `("(?:[^"\\]|\\.)*")`
	if m := regexp.MustCompile(`(?s)^unknown command ` + quoted + ` for ` + quoted + `(.*)$`).FindStringSubmatch(text); m != nil {
		arg, err1 := strconv.Unquote(m[1])
		path, err2 := strconv.Unquote(m[2])
		if err1 == nil && err2 == nil {
			if m[3] == "" {
				ms = append(ms, l10n.M("unknown command %q for %q", arg, path))
			} else if s, ok := strings.CutPrefix(m[3], "\n\nDid you mean this?\n\t"); ok {
				ms = append(ms, l10n.M("unknown command %q for %q\n\nDid you mean this?\n\t%s\n", arg, path, strings.TrimSuffix(s, "\n")))
			}
		}
	}
	if m := regexp.MustCompile(`^required flag\(s\) "(.*)" not set$`).FindStringSubmatch(text); m != nil {
		ms = append(ms, l10n.M(`required flag(s) "%s" not set`, m[1]))
	}
	return ms
}
