package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/keyselect"
	"github.com/k2geospatial/apikeys/internal/l10n"
)

type keyLister interface {
	ListKeys(ctx context.Context) ([]jmapcloud.APIKey, error)
}

// keyPageLister is the organization's key list given page by page as it is read (see
// jmapcloud.Client.ListAPIKeyPages): list makes its rows while the next pages arrive.
type keyPageLister interface {
	ListKeyPages(ctx context.Context, read func(jmapcloud.KeyPage)) (pages int, err error)
}

// writeWarnings writes the warnings about malformed keys, one a line.
func writeWarnings(w io.Writer, warn *keyselect.Warnings) { writeWarningsIn(w, nil, warn) }

// writeWarningsIn is writeWarnings in lang's language.
func writeWarningsIn(w io.Writer, lang *l10n.Printer, warn *keyselect.Warnings) {
	for _, l := range warn.LinesIn(lang) {
		fmt.Fprintln(w, l)
	}
}
