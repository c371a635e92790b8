package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/iostreams"
)

// notForPeople are variables the code reads that no one sets: apikeys sets the first for its
// own clipboard clearer, the tests the others.
var notForPeople = []string{"APIKEYS_CLIPBOARD_FINGERPRINT", "APIKEYS_REQUIRE_REAL_TOOLS", "TESTENV_GATE"}

// envLiteral is a variable's name as the code spells it, in a string literal.
var envLiteral = regexp.MustCompile(`"((?:APIKEYS|XDG)_[A-Z_]+|NO_COLOR|PAGER|COLUMNS|DISPLAY|WAYLAND_DISPLAY|TESTENV_GATE|LC_ALL|LC_MESSAGES|LANG)"`)

// envNameCall is a variable read by its setting's name, config.EnvName("lang").
var envNameCall = regexp.MustCompile(`EnvName\("([a-z-]+)"\)`)

// `apikeys help environment` lists each global flag's variable, derived from the flag set, and
// every other variable the code reads: a variable added to the code without its line here
// fails this test.
func TestEnvironmentHelpListsEveryVariable(t *testing.T) {
	streams, _, out, errOut := iostreams.Test()
	f := newFactory(streams, "test", func(string) string { return "" })
	if code := run(context.Background(), f, []string{"help", "environment"}); code != 0 {
		t.Fatalf("help environment: exit %d: %s", code, errOut)
	}
	help := out.String()
	listed := func(name string) bool { return strings.Contains(help, "\n  "+name+"\n      ") }

	root := newRootCmd(f)
	n := 0
	root.PersistentFlags().VisitAll(func(fl *pflag.Flag) {
		n++
		if name := config.EnvName(fl.Name); !listed(name) {
			t.Errorf("help environment lacks %s, the variable of --%s", name, fl.Name)
		}
	})
	if n < 10 {
		t.Fatalf("only %d global flags: the walk is broken", n)
	}
	for _, name := range []string{"APIKEYS_TOKEN", "APIKEYS_PROMPT_DISABLED", "APIKEYS_PAGER", "PAGER", "NO_COLOR", "COLUMNS", "XDG_CONFIG_HOME"} {
		if !listed(name) {
			t.Errorf("help environment lacks %s", name)
		}
	}

	// Every variable named in the code's string literals.
	read := map[string]bool{}
	for _, dir := range []string{"../../internal", "../../cmd"} {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			src, err := os.ReadFile(path)
			for _, m := range envLiteral.FindAllSubmatch(src, -1) {
				read[string(m[1])] = true
			}
			for _, m := range envNameCall.FindAllSubmatch(src, -1) {
				read[config.EnvName(string(m[1]))] = true
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(read) < 10 {
		t.Fatalf("found only %d variables in the code: the scan is broken", len(read))
	}
	for name := range read {
		if !listed(name) && !slices.Contains(notForPeople, name) {
			t.Errorf("the code reads %s, which help environment does not list", name)
		}
	}
	for _, line := range strings.Split(help, "\n") {
		if len(line) > 80 {
			t.Errorf("a line wider than 80 columns: %q", line)
		}
	}
	// The topic is listed in the root's help.
	out.Reset()
	run(context.Background(), newFactory(streams, "test", func(string) string { return "" }), []string{"--help"})
	if !strings.Contains(out.String(), "\n  apikeys environment       The environment variables apikeys reads\n") {
		t.Errorf("apikeys --help does not list the environment topic:\n%s", out)
	}
}

// Duration flags show as "duration" in help, not "string": every flag read with the one
// duration grammar (durationVar), wherever it is in the tree.
func TestDurationFlagsShowAsDuration(t *testing.T) {
	streams, _, _, _ := iostreams.Test()
	root := newRootCmd(newFactory(streams, "test", func(string) string { return "" }))
	var found []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.LocalFlags().VisitAll(func(fl *pflag.Flag) {
			if !isOurDuration(fl) {
				return
			}
			found = append(found, fl.Name)
			if typ, _ := pflag.UnquoteUsage(fl); typ != "duration" {
				t.Errorf("%s --%s shows as %q in help; want duration", c.CommandPath(), fl.Name, typ)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	slices.Sort(found)
	if want := []string{"clear-after", "expiring-within", "slow-delay", "timeout", "token-ttl"}; !slices.Equal(slices.Compact(found), want) {
		t.Errorf("duration flags %q; want %q", found, want)
	}
}
