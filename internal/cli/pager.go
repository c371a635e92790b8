package cli

import (
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/l10n"
)

// paged runs print with stdout through the pager, when stdout is a terminal and one is wanted
// (iostreams.StartPager, whose note of a pager that cannot run is in lang's language), and
// waits for the pager to end before returning, so that what the command writes next (list's
// count, warnings) comes after it, below what the pager leaves on the screen. Only commands
// that ask nothing page.
func paged(streams *iostreams.IOStreams, lang *l10n.Printer, print func() error) error {
	streams.StartPager(lang)
	defer streams.StopPager()
	return print()
}
