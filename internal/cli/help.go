package cli

import (
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// The help is cobra's, written in the reader's language when it is shown: the command tree
// keeps its English texts, which are the catalog's message IDs, and writeHelp and writeUsage
// put each in the printer's language as cobra's default template would lay them out
// (cobra v1.10.2, defaultHelpFunc and defaultUsageFunc). In English the bytes are cobra's
// own, which TestHelpInEnglishIsCobras holds for every command of the tree.

// installHelp makes the help and usage of root and every command under it speak the
// language of f's printer, asked for when the help is shown (the flags are parsed by then,
// so --profile's language counts).
func installHelp(root *cobra.Command, f *Factory) {
	root.SetHelpFunc(func(c *cobra.Command, _ []string) {
		if err := writeHelp(c.OutOrStdout(), f.Printer(), c); err != nil {
			c.PrintErrln(err)
		}
	})
	root.SetUsageFunc(func(c *cobra.Command) error {
		err := writeUsage(c.OutOrStderr(), f.Printer(), c)
		if err != nil {
			c.PrintErrln(err)
		}
		return err
	})
}

// writeHelp is cobra's help: the long description (else the short one), then the usage of
// a command that runs or has subcommands.
func writeHelp(w io.Writer, p *l10n.Printer, c *cobra.Command) error {
	text := c.Long
	if text == "" {
		text = c.Short
	}
	text = strings.TrimRightFunc(commandText(p, c, text), unicode.IsSpace)
	var b strings.Builder
	if text != "" {
		b.WriteString(text + "\n\n")
	}
	if c.Runnable() || c.HasSubCommands() {
		usage(&b, p, c)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeUsage is cobra's usage of c.
func writeUsage(w io.Writer, p *l10n.Printer, c *cobra.Command) error {
	var b strings.Builder
	usage(&b, p, c)
	_, err := io.WriteString(w, b.String())
	return err
}

func usage(b *strings.Builder, p *l10n.Printer, c *cobra.Command) {
	c.InheritedFlags() // merges the parents' persistent flags into c's, as cobra's help does first
	b.WriteString(p.Text("Usage:"))
	if c.Runnable() {
		b.WriteString("\n  " + useLine(p, c))
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n  " + c.CommandPath() + " " + p.Text("[command]"))
	}
	if len(c.Aliases) > 0 {
		b.WriteString("\n\n" + p.Text("Aliases:") + "\n")
		b.WriteString("  " + c.NameAndAliases())
	}
	if c.HasExample() {
		b.WriteString("\n\n" + p.Text("Examples:") + "\n")
		b.WriteString(commandText(p, c, c.Example))
	}
	if c.HasAvailableSubCommands() {
		cmds := c.Commands()
		listed := func(sub *cobra.Command) bool { return sub.IsAvailableCommand() || sub.Name() == "help" }
		line := func(sub *cobra.Command) {
			fmt.Fprintf(b, "\n  %s %s", rpad(sub.Name(), sub.NamePadding()), commandText(p, sub, sub.Short))
		}
		if len(c.Groups()) == 0 {
			b.WriteString("\n\n" + p.Text("Available Commands:"))
			for _, sub := range cmds {
				if listed(sub) {
					line(sub)
				}
			}
		} else {
			for _, group := range c.Groups() {
				b.WriteString("\n\n" + p.Text(group.Title))
				for _, sub := range cmds {
					if sub.GroupID == group.ID && listed(sub) {
						line(sub)
					}
				}
			}
			if !c.AllChildCommandsHaveGroup() {
				b.WriteString("\n\n" + p.Text("Additional Commands:"))
				for _, sub := range cmds {
					if sub.GroupID == "" && listed(sub) {
						line(sub)
					}
				}
			}
		}
	}
	if c.HasAvailableLocalFlags() {
		b.WriteString("\n\n" + p.Text("Flags:") + "\n")
		b.WriteString(strings.TrimRightFunc(flagUsages(p, c, c.LocalFlags()), unicode.IsSpace))
	}
	if c.HasAvailableInheritedFlags() {
		b.WriteString("\n\n" + p.Text("Global Flags:") + "\n")
		b.WriteString(strings.TrimRightFunc(flagUsages(p, c, c.InheritedFlags()), unicode.IsSpace))
	}
	if c.HasHelpSubCommands() {
		b.WriteString("\n\n" + p.Text("Additional help topics:"))
		for _, sub := range c.Commands() {
			if sub.IsAdditionalHelpTopicCommand() {
				fmt.Fprintf(b, "\n  %s %s", rpad(sub.CommandPath(), sub.CommandPathPadding()), commandText(p, sub, sub.Short))
			}
		}
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n\n" + p.Sprintf("Use \"%s [command] --help\" for more information about a command.", c.CommandPath()))
	}
	b.WriteString("\n")
}

// useLine is cobra's use line, whose "[flags]" and "[command]" (help's) are the printer's
// words for them.
func useLine(p *l10n.Printer, c *cobra.Command) string {
	line := c.UseLine()
	if p.Lang() == l10n.English {
		return line
	}
	if rest, ok := strings.CutSuffix(line, " [flags]"); ok {
		line = rest + " " + p.Text("[flags]")
	}
	return strings.ReplaceAll(line, " [command]", " "+p.Text("[command]"))
}

func rpad(s string, padding int) string {
	return fmt.Sprintf("%-*s", padding, s)
}

// commandText is a command's Short, Long or Example in the printer's language. cobra's own
// commands (help, completion and its shells) write the program's name into theirs: those
// are found in the catalog with the name written %[1]s, as cobra's source has it.
func commandText(p *l10n.Printer, c *cobra.Command, s string) string {
	if p.Lang() == l10n.English || s == "" {
		return s
	}
	if t := p.Text(s); t != s {
		return t
	}
	name := c.Root().Name()
	if !strings.Contains(s, name) {
		return s
	}
	format := strings.ReplaceAll(strings.ReplaceAll(s, "%", "%%"), name, "%[1]s")
	if t := p.Sprintf(format, name); t != fmt.Sprintf(format, name) {
		return t
	}
	return s
}

// flagUsages is pflag's FlagUsages of fs, the usages in the printer's language: a copy of
// the flags, each with its usage translated, so the columns are pflag's own.
func flagUsages(p *l10n.Printer, c *cobra.Command, fs *pflag.FlagSet) string {
	if p.Lang() == l10n.English {
		return fs.FlagUsages()
	}
	copied := pflag.NewFlagSet(fs.Name(), pflag.ContinueOnError)
	copied.SortFlags = fs.SortFlags
	fs.VisitAll(func(fl *pflag.Flag) {
		dup := *fl
		dup.Usage = flagUsage(p, c, fl)
		copied.AddFlag(&dup)
	})
	// pflag's own words after a usage, " (default X)", end its line.
	lines := strings.Split(copied.FlagUsages(), "\n")
	for i, line := range lines {
		if at := strings.LastIndex(line, " (default "); at >= 0 && strings.HasSuffix(line, ")") {
			value := line[at+len(" (default ") : len(line)-1]
			lines[i] = line[:at] + " " + p.Sprintf("(default %s)", value)
		}
	}
	return strings.Join(lines, "\n")
}

// flagUsage is fl's usage in the printer's language. cobra's --help and --version name the
// command they belong to.
func flagUsage(p *l10n.Printer, c *cobra.Command, fl *pflag.Flag) string {
	if p.Lang() == l10n.English {
		return fl.Usage
	}
	if _, ours := fl.Annotations[cobra.FlagSetByCobraAnnotation]; ours {
		if name, ok := strings.CutPrefix(fl.Usage, "help for "); ok && fl.Name == "help" {
			return p.Sprintf("help for %s", name)
		}
		if name, ok := strings.CutPrefix(fl.Usage, "version for "); ok && fl.Name == "version" {
			return p.Sprintf("version for %s", name)
		}
	}
	return commandText(p, c, fl.Usage)
}

// localizeForCompletion puts in p's language the descriptions cobra will print for the
// completion of args (`__complete`, the words, the word being typed), and only those: the
// flags of the command being completed when a flag's name is typed, else the short
// descriptions of its subcommands. A value's candidates are described by the completion
// functions themselves. Nothing for English, or when the shell asked for no descriptions.
func localizeForCompletion(root *cobra.Command, p *l10n.Printer, args []string) {
	if p.Lang() == l10n.English || len(args) < 2 || args[0] == cobra.ShellCompNoDescRequestCmd {
		return
	}
	words := args[1:]
	if words[0] == "help" {
		localizeTree(root, p) // `help a b <TAB>` lists the commands anywhere in the tree
		return
	}
	found, _, err := root.Find(words[:len(words)-1])
	if err != nil || found == nil {
		found = root
	}
	if strings.HasPrefix(words[len(words)-1], "-") {
		found.InitDefaultHelpFlag()
		if found == root {
			found.InitDefaultVersionFlag()
		}
		for _, fs := range []*pflag.FlagSet{found.Flags(), found.InheritedFlags()} {
			fs.VisitAll(func(fl *pflag.Flag) { fl.Usage = flagUsage(p, found, fl) })
		}
		return
	}
	for _, c := range found.Commands() {
		c.Short = commandText(p, c, c.Short)
	}
}

// localizeTree puts the short descriptions and flag usages of the whole tree in the
// printer's language, for shell completion, which cobra answers with them (`apikeys
// __complete list --`): the process answers one completion and ends, so nothing reads the
// English after it. The --help and --version flags cobra adds are added first.
func localizeTree(root *cobra.Command, p *l10n.Printer) {
	if p.Lang() == l10n.English {
		return
	}
	walkCommands(root, func(c *cobra.Command) {
		c.InitDefaultHelpFlag()
		if c == root {
			c.InitDefaultVersionFlag()
		}
		c.Short = commandText(p, c, c.Short)
		for _, fs := range []*pflag.FlagSet{c.LocalNonPersistentFlags(), c.PersistentFlags()} {
			fs.VisitAll(func(fl *pflag.Flag) { fl.Usage = flagUsage(p, c, fl) })
		}
	})
}
