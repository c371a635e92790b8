package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/keyselect"
)

type keyLister interface {
	ListKeys(ctx context.Context) ([]jmapcloud.APIKey, error)
}

// writeWarnings writes the warnings about malformed keys, one a line.
func writeWarnings(w io.Writer, warn *keyselect.Warnings) {
	for _, l := range warn.Lines() {
		fmt.Fprintln(w, l)
	}
}
