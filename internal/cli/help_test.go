package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/l10n"
)

// helpGoldens are the help texts pinned byte for byte, in English and in French: the root's,
// a command's with examples and flags, one of many flags and one of cobra's commands, a
// group's, and the two help topics.
var helpGoldens = []struct {
	golden string
	args   []string
}{
	{"help-root", []string{"--help"}},
	{"help-list", []string{"list", "--help"}},
	{"help-delete", []string{"delete", "--help"}},
	{"help-auth", []string{"auth", "--help"}},
	{"help-environment", []string{"help", "environment"}},
	{"help-exit-codes", []string{"help", "exit-codes"}},
	{"help-completion-bash", []string{"completion", "bash", "--help"}},
	{"help-help", []string{"help", "help"}},
}

func TestGoldenHelp(t *testing.T) {
	e := newGoldenEnv(t)
	fr := e.inFrench()
	for _, tc := range helpGoldens {
		checkGolden(t, tc.golden+".txt", e.text(e.run(piped, nil, "", tc.args...)))
		checkGolden(t, tc.golden+".fr.txt", fr.text(fr.run(piped, nil, "", tc.args...)))
	}
}

// helpTree is the real command tree with everything cobra adds when it executes: its help
// and completion commands, and every command's --help (and the root's --version).
func helpTree(t *testing.T) *cobra.Command {
	t.Helper()
	streams, _, _, _ := iostreams.Test()
	root := newRootCmd(newFactory(streams, "test", func(string) string { return "" }))
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	fillEnvironmentHelp(root)
	walkCommands(root, func(c *cobra.Command) {
		c.InitDefaultHelpFlag()
		c.InitDefaultVersionFlag()
	})
	return root
}

// The English help of every command, hidden ones included, is cobra's default help to the
// byte: writeHelp and writeUsage lay out what cobra's template does.
func TestHelpInEnglishIsCobras(t *testing.T) {
	root := helpTree(t)
	n := 0
	walkCommands(root, func(c *cobra.Command) {
		n++
		var ours, usage strings.Builder
		if err := writeHelp(&ours, nil, c); err != nil {
			t.Fatal(err)
		}
		if err := writeUsage(&usage, nil, c); err != nil {
			t.Fatal(err)
		}
		// cobra's own: the default help and usage functions.
		c.SetHelpFunc(nil)
		c.SetUsageFunc(nil)
		root.SetHelpFunc(nil)
		root.SetUsageFunc(nil)
		var cobras strings.Builder
		c.SetOut(&cobras)
		c.HelpFunc()(c, nil)
		c.SetOut(nil)
		if ours.String() != cobras.String() {
			t.Errorf("apikeys %s --help differs from cobra's:\n%s", c.CommandPath(), diff.Diff("cobra", []byte(cobras.String()), "ours", []byte(ours.String())))
		}
		if got, want := usage.String(), c.UsageString(); got != want {
			t.Errorf("the usage of %s differs from cobra's:\n%s", c.CommandPath(), diff.Diff("cobra", []byte(want), "ours", []byte(got)))
		}
	})
	if n < 25 {
		t.Fatalf("only %d commands: the walk is broken", n)
	}
}

// Every text a person reads in the help of a visible command has French: its short and long
// descriptions and its examples, every visible flag's usage, cobra's commands and flags
// included. A text the French printer gives back unchanged has no entry; examples, which are
// often commands only, may be the same in French but must have their entry.
func TestEveryVisibleHelpTextHasFrench(t *testing.T) {
	root := helpTree(t)
	fr := l10n.For(l10n.French)
	raw, err := os.ReadFile(filepath.Join("..", "l10n", "fr.json"))
	if err != nil {
		t.Fatal(err)
	}
	var catalog map[string]any
	if err := json.Unmarshal(raw, &catalog); err != nil {
		t.Fatal(err)
	}
	texts := 0
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden {
			return
		}
		for field, s := range map[string]string{"Short": c.Short, "Long": c.Long} {
			if s == "" {
				continue
			}
			texts++
			if c.Name() == "environment" && field == "Long" {
				continue // written by environmentHelp: TestEnvironmentHelpInFrench
			}
			if commandText(fr, c, s) == s {
				t.Errorf("%s: its %s has no French: %q", c.CommandPath(), field, s)
			}
		}
		if c.Example != "" {
			texts++
			if _, ok := catalog[c.Example]; !ok {
				t.Errorf("%s: its Example has no French: %q", c.CommandPath(), c.Example)
			}
		}
		c.LocalFlags().VisitAll(func(fl *pflag.Flag) {
			if fl.Hidden {
				return
			}
			texts++
			if flagUsage(fr, c, fl) == fl.Usage {
				t.Errorf("%s --%s: its usage has no French: %q", c.CommandPath(), fl.Name, fl.Usage)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if texts < 100 {
		t.Fatalf("only %d texts: the walk is broken", texts)
	}
}

// The environment topic in French: every variable's description, the global flags' too.
func TestEnvironmentHelpInFrench(t *testing.T) {
	fr := l10n.For(l10n.French)
	for _, v := range otherEnvVars {
		if v.about.Localize(fr) == v.about.String() {
			t.Errorf("%s: no French for %q", v.name, v.about)
		}
	}
	root := helpTree(t)
	for _, v := range flagEnvVars(fr, root.PersistentFlags()) {
		english := ""
		for _, e := range flagEnvVars(nil, root.PersistentFlags()) {
			if e.name == v.name {
				english = e.text
			}
		}
		if v.text == english {
			t.Errorf("%s: no French for %q", v.name, english)
		}
	}
	// Filled to 80 columns as the English is, a sign never alone at the start of a line.
	for _, line := range strings.Split(environmentHelp(fr, root.PersistentFlags()), "\n") {
		if n := utf8.RuneCountInString(line); n > 80 {
			t.Errorf("a line of %d columns: %q", n, line)
		}
		if trimmed := strings.TrimLeft(line, " "); trimmed != "" && strings.ContainsRune(":;?!»", []rune(trimmed)[0]) {
			t.Errorf("a line starts with a sign that French keeps with its word: %q", line)
		}
	}
}

// complete runs `apikeys __complete --config CFG args...` in process, as the shell asks.
func (e *goldenEnv) complete(args ...string) goldenRun {
	e.t.Helper()
	streams, _, out, errOut := iostreams.Test()
	line := append([]string{cobra.ShellCompRequestCmd, "--config", e.cfg}, args...)
	code := run(context.Background(), e.factory(streams, nil), line)
	return goldenRun{args: line, env: e.envLine(), term: piped, code: code, stdout: out.String(), stderr: errOut.String()}
}

// Completion's descriptions are in the reader's language: the commands', the flags'
// (cobra's --help included), the sort directions, the filter operators and a key's expiry;
// the values offered are the same in both.
func TestGoldenCompletion(t *testing.T) {
	e := newGoldenEnv(t)
	lines := [][]string{
		{""},
		{"list", "--"},
		{"list", "--sort", "title,c"},
		{"list", "--filter", "created"},
		{"list", "--columns", "a"},
		{"show", ""},
		{"completion", ""},
	}
	for _, c := range []struct {
		golden string
		env    *goldenEnv
	}{{"completion.txt", e}, {"completion.fr.txt", e.inFrench()}} {
		var runs []goldenRun
		for _, args := range lines {
			runs = append(runs, c.env.complete(args...))
		}
		checkGolden(t, c.golden, c.env.text(runs...))
	}
	// The values, the directives included, are the same in both languages.
	for _, args := range lines {
		en, fr := e.complete(args...), e.inFrench().complete(args...)
		enValues, _, _ := parseCompletion(t, en.stdout)
		frValues, _, _ := parseCompletion(t, fr.stdout)
		if !slices.Equal(values(enValues), values(frValues)) || !strings.HasSuffix(en.stdout, lastLine(fr.stdout)) {
			t.Errorf("__complete %q: the French values differ from the English ones:\n%s\n%s", args, en.stdout, fr.stdout)
		}
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return lines[len(lines)-1] + "\n"
}

// The help and completion's descriptions follow the language as every command does:
// APIKEYS_LANG, else the language of the profile given on the command line (read before
// cobra parses it, for completion), else the locale.
func TestHelpAndCompletionFollowTheProfilesLanguage(t *testing.T) {
	hermeticEnv(t)
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfg, []byte("profiles:\n  qc:\n    language: fr\n  us: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		env    map[string]string
		args   []string
		french bool
	}{
		{nil, []string{"--profile", "qc", "list", "--help"}, true},
		{nil, []string{"--profile", "us", "list", "--help"}, false},
		{map[string]string{"LANG": "fr_CA.UTF-8"}, []string{"--profile", "us", "list", "--help"}, true},
		{map[string]string{"LANG": "fr_CA.UTF-8", "APIKEYS_LANG": "en"}, []string{"list", "--help"}, false},
		{nil, []string{cobra.ShellCompRequestCmd, "--profile", "qc", "list", "--"}, true},
		{nil, []string{cobra.ShellCompRequestCmd, "--profile=qc", "list", "--filter", "role=editor", "--"}, true},
		{nil, []string{cobra.ShellCompRequestCmd, "--profile", "us", "list", "--"}, false},
		{map[string]string{"APIKEYS_LANG": "fr"}, []string{cobra.ShellCompRequestCmd, "--profile", "us", "list", "--"}, true},
	} {
		streams, _, out, errOut := iostreams.Test()
		f := newFactory(streams, "test", func(name string) string { return c.env[name] })
		args := c.args
		if args[0] == cobra.ShellCompRequestCmd {
			args = append([]string{args[0], "--config", cfg}, args[1:]...)
		} else {
			args = append([]string{"--config", cfg}, args...)
		}
		if code := run(context.Background(), f, args); code != 0 {
			t.Fatalf("%v %q: exit %d: %s", c.env, args, code, errOut)
		}
		french := strings.Contains(out.String(), "aide sur list")
		english := strings.Contains(out.String(), "help for list")
		if french != c.french || english == c.french {
			t.Errorf("%v %q: French %v, want %v:\n%s", c.env, args, french, c.french, out)
		}
	}
}
