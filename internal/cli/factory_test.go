package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
)

// Settings need no pre-run to have stored anything: asked for before the command line is
// parsed they are the defaults, asked for by a command (here without the root's pre-run)
// they are the command line's, and the pre-run's checks are made with its messages.
func TestSettingsWorkWithoutThePreRun(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(t.TempDir(), "config"))
	streams, _, _, _ := iostreams.Test()
	f := newFactory(streams, "test", func(string) string { return "" })
	root := newRootCmd(f)
	s, err := f.Settings()
	if err != nil || s.Profile != "default" || s.Output != "table" || s.APIURL != config.DefaultAPIURL {
		t.Fatalf("settings before Execute: %+v, %v", s, err)
	}
	var seen *config.Settings
	var seenErr error
	root.AddCommand(&cobra.Command{Use: "probe", RunE: func(*cobra.Command, []string) error {
		seen, seenErr = f.Settings()
		return nil
	}})
	root.PersistentPreRunE = nil

	root.SetArgs([]string{"--profile", "qa", "-o", "json", "probe"})
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	if seenErr != nil || seen.Profile != "qa" || seen.Output != "json" {
		t.Fatalf("settings in the command: %+v, %v", seen, seenErr)
	}

	// The checks of the pre-run, made by Settings itself.
	f = newFactory(streams, "test", func(string) string { return "" })
	root = newRootCmd(f)
	root.AddCommand(&cobra.Command{Use: "probe", RunE: func(*cobra.Command, []string) error {
		_, err := f.Settings()
		return err
	}})
	root.PersistentPreRunE = nil
	root.SetArgs([]string{"--sandbox", "--api-url", "https://api.example.com", "probe"})
	err = root.ExecuteContext(context.Background())
	if want := "--sandbox and --api-url contradict each other: the sandbox runs in process and talks to no URL; give one"; err == nil || err.Error() != want {
		t.Errorf("Settings with --sandbox and --api-url: %v, want %q", err, want)
	}

	// A command built alone, without the tree: the root's flags at their defaults.
	f = newFactory(streams, "test", func(string) string { return "" })
	if s, err := f.Settings(); err != nil || s.Profile != "default" || s.Output != "table" {
		t.Errorf("settings without a tree: %+v, %v", s, err)
	}
}

// The factory's prompter reads the terminal of its streams, not the process's stdin, and is
// one for the factory (it owns the terminal's reader).
func TestFactoryPrompterReadsTheStreams(t *testing.T) {
	c := ptytest.New(t)
	tty := c.Tty()
	if tty == nil {
		t.Skip("no pseudo-terminal on this system")
	}
	streams := &iostreams.IOStreams{In: tty, Out: tty, ErrOut: tty}
	streams.SetTTY(true, true, true)
	f := newFactory(streams, "test", func(string) string { return "" })
	p := f.Prompter()
	if f.Prompter() != p {
		t.Error("a second prompter was built: two would compete for the terminal's keys")
	}
	var answer string
	var err error
	wait := c.Go(func() { answer, err = p.Input("Favourite colour:", "", nil) })
	c.ExpectString("Favourite colour:")
	c.Send("teal" + ptytest.KeyEnter)
	wait()
	if err != nil || strings.TrimSpace(answer) != "teal" {
		t.Errorf("answer %q, %v; want teal", answer, err)
	}

	// Streams that are not a terminal give a prompter that refuses instead of reading stdin.
	buffers, _, _, _ := iostreams.Test()
	if _, err := newFactory(buffers, "test", func(string) string { return "" }).Prompter().Confirm("Sure?", false); err != errNoTerminal {
		t.Errorf("prompt on buffers: %v, want errNoTerminal", err)
	}
}
