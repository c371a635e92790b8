package cli

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/config/envbool"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/prompt"
)

// Factory builds a command's dependencies lazily, so --help, version and completion never
// read configuration or touch the network. Nothing in it depends on the order of calls:
// settings are resolved from the root command's flags whenever they are first asked for.
type Factory struct {
	IO      *iostreams.IOStreams
	Version string
	Getenv  func(string) string
	Now     func() time.Time

	// Prompter is the door to interactive prompts; callers check IO.CanPrompt first.
	Prompter func() prompt.Prompter
	// Session opens the organization-scoped API of the current profile.
	Session func(ctx context.Context) (*Session, error)
	// Clipboard is where create and show copy to and what the clipboard clearer clears.
	Clipboard Clipboard

	// completing is set while answering a shell completion: nothing may prompt, and a saved
	// session is used but never refreshed (see session.Manager.Completing).
	completing bool
	// completionTimeout overrides completionTimeout when positive (tests on a loaded machine).
	completionTimeout time.Duration
	// retrySleep replaces the clients' waits between retries when set (tests).
	retrySleep func(context.Context, time.Duration) error

	// work records that the command began its work, for run's "--help" line (workTracker).
	work workTracker

	mu sync.Mutex
	// rootFlags are the root command's persistent flags, set when the tree is built.
	rootFlags *pflag.FlagSet
	// settings were resolved from the flags as settingsFor records them.
	settings    *config.Settings
	settingsFor string
	closers     []func()
}

// newFactory wires the real dependencies, with prompts ended by the user only.
func newFactory(streams *iostreams.IOStreams, version string, getenv func(string) string) *Factory {
	return newFactoryContext(context.Background(), streams, version, getenv)
}

// newFactoryContext wires the real dependencies. The prompter and the clipboard use the
// streams; a prompt waiting for an answer ends once ctx is done.
func newFactoryContext(ctx context.Context, streams *iostreams.IOStreams, version string, getenv func(string) string) *Factory {
	f := &Factory{IO: streams, Version: version, Getenv: getenv, Now: time.Now}
	// One prompter for the process: it owns the reader of the terminal (see
	// prompt.NewSurveyContext), which a second one would compete with for keys.
	f.Prompter = sync.OnceValue(func() prompt.Prompter {
		return progressStopper{Prompter: streamPrompter(ctx, streams, f.Printer), io: streams}
	})
	f.Session = f.openSession
	f.Clipboard = systemClipboard{io: streams}
	return f
}

// streamPrompter is the survey prompter on the streams' terminal: keys read from In, prompts
// drawn on ErrOut (stdout carries data only), survey's own words in printer's language.
func streamPrompter(ctx context.Context, streams *iostreams.IOStreams, printer func() *l10n.Printer) prompt.Prompter {
	in, isFile := streams.InFile()
	draw, drawable := streams.ErrOut.(prompt.FileWriter)
	if !isFile || !drawable {
		return noTerminal{}
	}
	color := prompt.WithColor(func() bool { return !streams.ColorDisabled() })
	lang := prompt.WithPrinter(printer)
	if ctx.Done() == nil {
		return prompt.NewSurvey(in, draw, streams.ErrOut, color, lang)
	}
	return prompt.NewSurveyContext(ctx, in, draw, streams.ErrOut, color, lang)
}

// progressStopper ends the spinner before each prompt is drawn, so that a question never
// shares its line with "Fetching…".
type progressStopper struct {
	prompt.Prompter
	io *iostreams.IOStreams
}

func (p progressStopper) Input(msg, def string, validate func(string) error) (string, error) {
	p.io.StopProgress()
	return p.Prompter.Input(msg, def, validate)
}

func (p progressStopper) Password(msg string) (string, error) {
	p.io.StopProgress()
	return p.Prompter.Password(msg)
}

func (p progressStopper) Select(msg string, options []string, def int) (int, error) {
	p.io.StopProgress()
	return p.Prompter.Select(msg, options, def)
}

func (p progressStopper) Confirm(msg string, def bool) (bool, error) {
	p.io.StopProgress()
	return p.Prompter.Confirm(msg, def)
}

// noTerminal is the prompter of streams that are not files: callers check CanPrompt first,
// so it answers only a command that forgot to.
type noTerminal struct{}

var errNoTerminal = errors.New("internal error: a prompt was asked for, but the streams are not a terminal")

func (noTerminal) Input(string, string, func(string) error) (string, error) { return "", errNoTerminal }
func (noTerminal) Password(string) (string, error)                          { return "", errNoTerminal }
func (noTerminal) Select(string, []string, int) (int, error)                { return 0, errNoTerminal }
func (noTerminal) Confirm(string, bool) (bool, error)                       { return false, errNoTerminal }

// Settings resolves the global settings from the root command's flags, the environment and
// the profile file, once: again only if the flags changed since (settings asked for before
// the command line was parsed are not those of the command). A factory whose tree was never
// built (a command built alone, in a test) reads the root's flags at their defaults.
func (f *Factory) Settings() (*config.Settings, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rootFlags == nil {
		newRootCmd(f)
	}
	state := flagsState(f.rootFlags)
	if f.settings != nil && f.settingsFor == state {
		return f.settings, nil
	}
	v, err := f.configure()
	if err != nil {
		return nil, err
	}
	s, err := config.Load(v)
	if err != nil {
		return nil, err
	}
	f.settings, f.settingsFor = s, state
	return s, nil
}

// configure builds the settings' viper instance from the root's flags and makes the checks
// of every command, before anything is read or sent, in this order: --sandbox against
// --api-url, --no-color (applied to the streams), APIKEYS_PROMPT_DISABLED.
func (f *Factory) configure() (*viper.Viper, error) {
	v, err := config.NewViper(f.rootFlags)
	if err != nil {
		return nil, err
	}
	if err := checkSandboxTarget(v, f.rootFlags); err != nil {
		return nil, err
	}
	noColor, err := config.BoolSetting(v, "no-color")
	if err != nil {
		return nil, err
	}
	if noColor {
		f.IO.DisableColor()
	}
	// iostreams read it already (an unreadable value there means "do not prompt"):
	// a value that is not a boolean is still a usage error.
	if _, err := envbool.Lookup(f.Getenv, "APIKEYS_PROMPT_DISABLED"); err != nil {
		return nil, errkind.Wrap(errkind.Usage, err)
	}
	return v, nil
}

// checkSettings makes configure's checks for a command about to run.
func (f *Factory) checkSettings() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, err := f.configure()
	return err
}

// flagsState is what was given on the command line, flag by flag.
func flagsState(flags *pflag.FlagSet) string {
	var b strings.Builder
	flags.VisitAll(func(fl *pflag.Flag) {
		if fl.Changed {
			b.WriteString(fl.Name + "=" + fl.Value.String() + "\x00")
		}
	})
	return b.String()
}

// onClose registers clean-up run when the command ends (an in-process sandbox, say).
func (f *Factory) onClose(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closers = append(f.closers, fn)
}

func (f *Factory) close() {
	f.mu.Lock()
	closers := f.closers
	f.closers = nil
	f.mu.Unlock()
	for i := len(closers) - 1; i >= 0; i-- {
		closers[i]()
	}
}

// Printer puts human text in the reader's language: APIKEYS_LANG, else the profile file's
// language key, else the locale (LC_ALL, LC_MESSAGES, LANG; see l10n.FromLocale). Settings
// that cannot be read leave the choice to the environment: the command reports them itself,
// in that language. Help and completion read the profile file for this key only.
func (f *Factory) Printer() *l10n.Printer {
	if lang, ok := l10n.ParseLang(f.Getenv(config.EnvName("lang"))); ok {
		return l10n.For(lang)
	}
	if s, err := f.Settings(); err == nil && s.Language != "" {
		lang, _ := l10n.ParseLang(s.Language)
		return l10n.For(lang)
	}
	return l10n.For(l10n.FromLocale(f.Getenv))
}

// format is -o, read once settings are parsed: an unknown format is a usage error listing
// the valid ones.
func (f *Factory) format() (output.Format, error) {
	s, err := f.Settings()
	if err != nil {
		return "", err
	}
	return output.ParseFormat(s.Output)
}
