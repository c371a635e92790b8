package cli

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/spf13/viper"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/prompt"
)

// Factory builds a command's dependencies lazily, so --help, version and completion never
// read configuration or touch the network.
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
	// session is used but never refreshed (see storedTokens.noRenew).
	completing bool
	// completionTimeout overrides completionTimeout when positive (tests on a loaded machine).
	completionTimeout time.Duration
	// retrySleep replaces the clients' waits between retries when set (tests).
	retrySleep func(context.Context, time.Duration) error

	viper    *viper.Viper
	settings *config.Settings
	mu       sync.Mutex
	closers  []func()
}

// newFactory wires the real dependencies.
func newFactory(streams *iostreams.IOStreams, version string, getenv func(string) string) *Factory {
	f := &Factory{IO: streams, Version: version, Getenv: getenv, Now: time.Now}
	f.Prompter = func() prompt.Prompter {
		return prompt.NewSurvey(os.Stdin, os.Stderr, os.Stderr)
	}
	f.Session = f.openSession
	f.Clipboard = systemClipboard{io: streams}
	return f
}

// Settings resolves the global settings once, on first use.
func (f *Factory) Settings() (*config.Settings, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.settings != nil {
		return f.settings, nil
	}
	if f.viper == nil {
		return nil, fmt.Errorf("internal error: settings read before flags were parsed")
	}
	s, err := config.Load(f.viper)
	if err != nil {
		return nil, err
	}
	f.settings = s
	return s, nil
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

// format is -o, read once settings are parsed: an unknown format is a usage error listing
// the valid ones.
func (f *Factory) format() (output.Format, error) {
	s, err := f.Settings()
	if err != nil {
		return "", err
	}
	return output.ParseFormat(s.Output)
}
