package cli

import (
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
)

// newPrinter reads -o, checks it against what the command prints (spec) and returns the
// command's printer, whose tables say what they say of themselves (the columns they hid to
// fit) in lang's language on a terminal (nil: English). Commands call it first, before any
// request or prompt, so a format they cannot print, or a --jq or --template that does not
// compile (script), is exit 2 that costs nothing.
func newPrinter(lang *l10n.Printer, streams *iostreams.IOStreams, format func() (output.Format, error), spec output.Spec, noHeaders bool, script scriptFlags) (*output.Printer, error) {
	f, err := format()
	if err != nil {
		return nil, err
	}
	filter, err := script.filter()
	if err != nil {
		return nil, err
	}
	return output.NewPrinter(spec, f, output.PrinterOptions{Out: streams.CurrentOut(), TTY: streams.IsStdoutTTY(), NoHeaders: noHeaders, Filter: filter, Width: streams.TerminalWidth(), Language: lang})
}
