package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/output"
)

// versionOptions are the inputs of `apikeys version` (newVersionCmd, in root.go beside the
// version's fast path). Format is -o from the flag or APIKEYS_OUTPUT only (versionFormat).
type versionOptions struct {
	IO      *iostreams.IOStreams
	Version string
	Format  func() (output.Format, error)

	Script scriptFlags // --jq, --template
}

func runVersion(_ context.Context, opts *versionOptions) error {
	// No language: version prints no table and reads no locale, so it stays as fast as its
	// fast path.
	p, err := newPrinter(nil, opts.IO, opts.Format, output.Spec{Command: "version", Shape: output.Object}, false, opts.Script)
	if err != nil {
		return err
	}
	return p.Print(output.Result{
		Data: versionRecord{Version: opts.Version},
		Text: func(w io.Writer) error {
			_, err := fmt.Fprintf(w, "apikeys %s\n", opts.Version)
			return err
		},
	})
}
