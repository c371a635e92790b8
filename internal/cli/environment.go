package cli

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/config/envbool"
	"github.com/k2geospatial/apikeys/internal/l10n"
)

// envVar is one variable of `apikeys help environment`.
type envVar struct {
	name  string
	about l10n.Msg
	text  string // about already in the reader's language (a global flag's usage)
}

// otherEnvVars are the variables apikeys reads that are no global flag's, in the order the
// help lists them. TestEnvironmentHelpListsEveryVariable finds every variable the code reads
// in this list or among the global flags'.
var otherEnvVars = []envVar{
	{name: "APIKEYS_TOKEN", about: l10n.M("an organization-scoped access token, used with --org (APIKEYS_ORG): no login happens and nothing is saved; it cannot be refreshed")},
	{name: "APIKEYS_USERNAME", about: l10n.M("with APIKEYS_PASSWORD, logs in for this one invocation (nothing saved); auth login uses and saves them")},
	{name: "APIKEYS_PASSWORD", about: l10n.M("the password of APIKEYS_USERNAME; it never appears in argv or in a child's environment")},
	{name: "APIKEYS_SESSION_STORE", about: l10n.M("where sessions keep their tokens: auto (the default: the OS keyring when one answers, else the file), keyring or file; the profile's session-store")},
	{name: "APIKEYS_PROMPT_DISABLED", about: l10n.M("never prompt, even on a terminal: a missing value is exit 2 naming its flag")},
	{name: "APIKEYS_PAGER", about: l10n.M("the pager of long output on a terminal (before PAGER; default less -FRX); empty or cat: none")},
	{name: "PAGER", about: l10n.M("the pager when APIKEYS_PAGER is unset")},
	{name: "LESS", about: l10n.M("set to FRX for the pager when unset (quit if one screen, keep colour, no screen clearing)")},
	{name: "LV", about: l10n.M("set to -c for the pager when unset")},
	{name: "NO_COLOR", about: l10n.M("any non-empty value turns colour off, as --no-color does (https://no-color.org)")},
	{name: "COLUMNS", about: l10n.M("the width tables fit on a terminal, instead of the terminal's own")},
	{name: "APIKEYS_LANG", about: l10n.M("language of human text: en or fr (default: the locale, LC_ALL, LC_MESSAGES, LANG); the profile's language")},
	{name: "LC_ALL", about: l10n.M("the locale: the first of LC_ALL, LC_MESSAGES and LANG that is set and not empty gives the language of human text when neither APIKEYS_LANG nor the profile's language does (fr, fr_CA.UTF-8...: French; anything else: English)")},
	{name: "LC_MESSAGES", about: l10n.M("the locale of messages, when LC_ALL is unset")},
	{name: "LANG", about: l10n.M("the locale, when LC_ALL and LC_MESSAGES are unset")},
	{name: "XDG_CONFIG_HOME", about: l10n.M("the configuration directory is $XDG_CONFIG_HOME/apikeys (else ~/.config/apikeys): config.yaml and the saved sessions")},
	{name: "XDG_STATE_HOME", about: l10n.M("the sandbox's data file is $XDG_STATE_HOME/apikeys/sandbox.db (else ~/.local/state/apikeys)")},
	{name: "XDG_CACHE_HOME", about: l10n.M("shell completion caches key titles in $XDG_CACHE_HOME/apikeys/completion (else ~/.cache/apikeys)")},
	{name: "WAYLAND_DISPLAY", about: l10n.M("with wl-copy installed, the clipboard is Wayland's; else xclip or xsel (DISPLAY), else OSC 52 through the terminal")},
	{name: "DISPLAY", about: l10n.M("the X display of xclip or xsel, for the clipboard")},
	{name: "DBUS_SESSION_BUS_ADDRESS", about: l10n.M("the D-Bus session bus of the Secret Service (Linux keyring); without it, or a bus in $XDG_RUNTIME_DIR, the keyring is not tried")},
	{name: "XDG_RUNTIME_DIR", about: l10n.M("where the D-Bus session bus is looked for ($XDG_RUNTIME_DIR/bus) when DBUS_SESSION_BUS_ADDRESS is unset")},
}

// flagEnvVars are the global flags' variables: APIKEYS_ and the flag's name (config.EnvName),
// about what the flag's usage says, without its own "(env ...)" note.
func flagEnvVars(p *l10n.Printer, pf *pflag.FlagSet) []envVar {
	var vars []envVar
	pf.VisitAll(func(fl *pflag.Flag) {
		about := p.Sprintf("--%s: %s", fl.Name, withoutEnvNote(p.Text(fl.Usage)))
		vars = append(vars, envVar{name: config.EnvName(fl.Name), text: about})
	})
	return vars
}

// withoutEnvNote drops a usage's note of its variable, "(env APIKEYS_PROFILE)" or "(also
// NO_COLOR)", in English or in French: the help lists the variables itself.
func withoutEnvNote(usage string) string {
	for _, note := range []string{" (env ", " (also ", " (aussi "} {
		if i := strings.Index(usage, note); i >= 0 {
			if j := strings.Index(usage[i:], ")"); j >= 0 {
				usage = usage[:i] + usage[i+j+1:]
			}
		}
	}
	return usage
}

// environmentHelp is the text of `apikeys help environment` in p's language, and (in
// English) of the man pages' ENVIRONMENT section.
func environmentHelp(p *l10n.Printer, pf *pflag.FlagSet) string {
	var b strings.Builder
	b.WriteString(p.Text("Environment variables apikeys reads.") + "\n\n")
	fill(&b, "", p.Sprintf(`Every global flag can be set as APIKEYS_ and its name in upper case, "-" written
"_". A flag beats its variable, which beats the profile's key in the configuration file. An
empty variable is unset. Booleans take %s; another value is exit 2 naming the
variable.`, p.Text(envbool.Words)))
	b.WriteString("\n")
	writeEnvVars(&b, p, flagEnvVars(p, pf))
	b.WriteString("\n" + p.Text("Credentials, prompts, output and files:") + "\n\n")
	writeEnvVars(&b, p, otherEnvVars)
	return b.String()
}

// writeEnvVars writes one variable a paragraph: its name, then what it does, indented and
// wrapped to fit 80 columns.
func writeEnvVars(b *strings.Builder, p *l10n.Printer, vars []envVar) {
	for _, v := range vars {
		fmt.Fprintf(b, "  %s\n", v.name)
		about := v.text
		if about == "" {
			about = v.about.Localize(p)
		}
		fill(b, "      ", about)
	}
}

// fill writes text's words as lines of at most 80 columns, each starting with indent. A
// non-breaking space (French typography's, before ":") joins two words into one.
func fill(b *strings.Builder, indent, text string) {
	const width = 80
	line := indent
	breakable := func(r rune) bool { return r != '\u00a0' && unicode.IsSpace(r) }
	for _, word := range strings.FieldsFunc(text, breakable) {
		if line != indent && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) > width {
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
func newEnvironmentHelpTopic(f *Factory, pf *pflag.FlagSet) *cobra.Command {
	topic := &cobra.Command{
		Use:   "environment",
		Short: "The environment variables apikeys reads",
	}
	topic.SetHelpFunc(func(c *cobra.Command, args []string) {
		c.Long = environmentHelp(f.Printer(), pf)
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
			c.Long = environmentHelp(nil, root.PersistentFlags())
		}
	}
}

// ManSections are the sections every man page gains (cmd/gen-docs): EXIT STATUS and
// ENVIRONMENT, the texts of `apikeys help exit-codes` and `apikeys help environment`.
func ManSections(root *cobra.Command) (exitStatus, environment string) {
	return exitCodesHelp, environmentHelp(nil, root.PersistentFlags())
}
