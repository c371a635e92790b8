package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/config/envbool"
)

// envVar is one variable of `apikeys help environment`.
type envVar struct{ name, about string }

// otherEnvVars are the variables apikeys reads that are no global flag's, in the order the
// help lists them. TestEnvironmentHelpListsEveryVariable finds every variable the code reads
// in this list or among the global flags'.
var otherEnvVars = []envVar{
	{"APIKEYS_TOKEN", "an organization-scoped access token, used with --org (APIKEYS_ORG): no login happens and nothing is saved; it cannot be refreshed"},
	{"APIKEYS_USERNAME", "with APIKEYS_PASSWORD, logs in for this one invocation (nothing saved); auth login uses and saves them"},
	{"APIKEYS_PASSWORD", "the password of APIKEYS_USERNAME; it never appears in argv or in a child's environment"},
	{"APIKEYS_SESSION_STORE", "where sessions keep their tokens: auto (the default: the OS keyring when one answers, else the file), keyring or file; the profile's session-store"},
	{"APIKEYS_PROMPT_DISABLED", "never prompt, even on a terminal: a missing value is exit 2 naming its flag"},
	{"APIKEYS_PAGER", "the pager of long output on a terminal (before PAGER; default less -FRX); empty or cat: none"},
	{"PAGER", "the pager when APIKEYS_PAGER is unset"},
	{"LESS", "set to FRX for the pager when unset (quit if one screen, keep colour, no screen clearing)"},
	{"LV", "set to -c for the pager when unset"},
	{"NO_COLOR", "any non-empty value turns colour off, as --no-color does (https://no-color.org)"},
	{"COLUMNS", "the width tables fit on a terminal, instead of the terminal's own"},
	{"XDG_CONFIG_HOME", "the configuration directory is $XDG_CONFIG_HOME/apikeys (else ~/.config/apikeys): config.yaml and the saved sessions"},
	{"XDG_STATE_HOME", "the sandbox's data file is $XDG_STATE_HOME/apikeys/sandbox.db (else ~/.local/state/apikeys)"},
	{"XDG_CACHE_HOME", "shell completion caches key titles in $XDG_CACHE_HOME/apikeys/completion (else ~/.cache/apikeys)"},
	{"WAYLAND_DISPLAY", "with wl-copy installed, the clipboard is Wayland's; else xclip or xsel (DISPLAY), else OSC 52 through the terminal"},
	{"DISPLAY", "the X display of xclip or xsel, for the clipboard"},
	{"DBUS_SESSION_BUS_ADDRESS", "the D-Bus session bus of the Secret Service (Linux keyring); without it, or a bus in $XDG_RUNTIME_DIR, the keyring is not tried"},
	{"XDG_RUNTIME_DIR", "where the D-Bus session bus is looked for ($XDG_RUNTIME_DIR/bus) when DBUS_SESSION_BUS_ADDRESS is unset"},
}

// flagEnvVars are the global flags' variables: APIKEYS_ and the flag's name (config.EnvName),
// about what the flag's usage says, without its own "(env ...)" note.
func flagEnvVars(pf *pflag.FlagSet) []envVar {
	var vars []envVar
	pf.VisitAll(func(fl *pflag.Flag) {
		vars = append(vars, envVar{config.EnvName(fl.Name), "--" + fl.Name + ": " + withoutEnvNote(fl.Usage)})
	})
	return vars
}

// withoutEnvNote drops a usage's note of its variable, "(env APIKEYS_PROFILE)" or "(also
// NO_COLOR)": the help lists the variables itself.
func withoutEnvNote(usage string) string {
	for _, note := range []string{" (env ", " (also "} {
		if i := strings.Index(usage, note); i >= 0 {
			if j := strings.Index(usage[i:], ")"); j >= 0 {
				usage = usage[:i] + usage[i+j+1:]
			}
		}
	}
	return usage
}

// environmentHelp is the text of `apikeys help environment`, and of the man pages'
// ENVIRONMENT section.
func environmentHelp(pf *pflag.FlagSet) string {
	var b strings.Builder
	b.WriteString("Environment variables apikeys reads.\n\n")
	fill(&b, "", `Every global flag can be set as APIKEYS_ and its name in upper case, "-" written
"_". A flag beats its variable, which beats the profile's key in the configuration file. An
empty variable is unset. Booleans take `+envbool.Words+`; another value is exit 2 naming the
variable.`)
	b.WriteString("\n")
	writeEnvVars(&b, flagEnvVars(pf))
	b.WriteString("\nCredentials, prompts, output and files:\n\n")
	writeEnvVars(&b, otherEnvVars)
	return b.String()
}

// writeEnvVars writes one variable a paragraph: its name, then what it does, indented and
// wrapped to fit 80 columns.
func writeEnvVars(b *strings.Builder, vars []envVar) {
	for _, v := range vars {
		fmt.Fprintf(b, "  %s\n", v.name)
		fill(b, "      ", v.about)
	}
}

// fill writes text's words as lines of at most 80 columns, each starting with indent.
func fill(b *strings.Builder, indent, text string) {
	const width = 80
	line := indent
	for _, word := range strings.Fields(text) {
		if line != indent && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if line != indent {
			line += " "
		}
		line += word
	}
	b.WriteString(line + "\n")
}

// newEnvironmentHelpTopic has no Run: cobra shows it under "Additional help topics" and
// `apikeys help environment` prints it. pf are the root's persistent flags, whose variables
// it lists. The text is written when the help is shown (fillEnvironmentHelp): every command
// builds the tree, and the text is some 400 allocations.
func newEnvironmentHelpTopic(pf *pflag.FlagSet) *cobra.Command {
	topic := &cobra.Command{
		Use:   "environment",
		Short: "The environment variables apikeys reads",
	}
	topic.SetHelpFunc(func(c *cobra.Command, args []string) {
		c.Long = environmentHelp(pf)
		c.SetHelpFunc(nil) // the tree's help, now that the text is there
		c.HelpFunc()(c, args)
	})
	return topic
}

// fillEnvironmentHelp writes the environment topic's text now, for the generated
// documentation, which reads it without showing the help.
func fillEnvironmentHelp(root *cobra.Command) {
	for _, c := range root.Commands() {
		if c.Name() == "environment" && !c.Runnable() {
			c.Long = environmentHelp(root.PersistentFlags())
		}
	}
}

// ManSections are the sections every man page gains (cmd/gen-docs): EXIT STATUS and
// ENVIRONMENT, the texts of `apikeys help exit-codes` and `apikeys help environment`.
func ManSections(root *cobra.Command) (exitStatus, environment string) {
	return exitCodesHelp, environmentHelp(root.PersistentFlags())
}
