package cli

import "github.com/k2geospatial/apikeys/internal/iostreams"

// paged runs print with stdout through the pager, when stdout is a terminal and one is wanted
// (iostreams.StartPager), and waits for the pager to end before returning, so that what the
// command writes next comes after it. Only commands that ask nothing page.
func paged(streams *iostreams.IOStreams, print func() error) error {
	streams.StartPager()
	defer streams.StopPager()
	return print()
}
