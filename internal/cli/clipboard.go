package cli

import (
	"time"

	"github.com/k2geospatial/apikeys/internal/clipboard"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/l10n"
)

// Clipboard is the clipboard as commands use it. The Factory holds the real one; command
// tests put a fake there, so that no command test touches the one X clipboard that other
// test packages use at the same time.
type Clipboard interface {
	// Copy puts text on the system clipboard or, on a terminal without a display, sends it
	// by OSC 52; it returns the method that worked (clipboard.MethodSystem or MethodOSC52).
	Copy(text string) (method string, err error)
	// ScheduleClear has a detached process clear the system clipboard after `after` if it
	// still holds text.
	ScheduleClear(text string, after time.Duration) error
	// System is the system clipboard itself, which the hidden clearer command reads and clears.
	System() clipboard.Clipboard
}

// systemClipboard is the real clipboard: the system one, or OSC 52 on the terminal of io.
type systemClipboard struct{ io *iostreams.IOStreams }

func (c systemClipboard) Copy(text string) (string, error) {
	return clipboard.Copy(text, c.io.ErrOut, c.io.IsStderrTTY())
}

func (c systemClipboard) ScheduleClear(text string, after time.Duration) error {
	return clipboard.ScheduleClear(clipboard.Fingerprint(text), after)
}

func (systemClipboard) System() clipboard.Clipboard { return clipboard.System() }

// osc52SentIn is the note, in p's language, after text was sent by OSC 52, which nothing can
// confirm: the terminal may ignore the escape (many do, and tmux unless set-clipboard is on),
// and nothing can read it back to clear it. what is the text copied ("the secret", an email);
// secret adds that it will stay there. Two lines, each within 80 columns.
func osc52SentIn(p *l10n.Printer, what string, secret bool) string {
	if secret {
		return p.Sprintf("Sent %s to your terminal's clipboard (OSC 52).\n  Some terminals and tmux ignore this; it will not be cleared automatically.", what)
	}
	return p.Sprintf("Sent %s to your terminal's clipboard (OSC 52).\n  Some terminals and tmux ignore this.", what)
}

// copyMethodText is the method a copy used, as a person reads it in p's language: "system"
// ("système" in French) for the system clipboard; another method as it is named.
func copyMethodText(p *l10n.Printer, method string) string {
	if method == clipboard.MethodSystem {
		return p.Text("system")
	}
	return method
}
