package cli

import (
	"context"
	"fmt"
	"regexp"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
)

type keyGetter interface {
	keyLister
	GetKey(ctx context.Context, id string) (jmapcloud.APIKey, error)
}

// showOptions are the inputs of `apikeys show`.
type showOptions struct {
	IO     *iostreams.IOStreams
	Keys   func(context.Context) (keyGetter, error)
	Copy   func(text string) (method string, err error)
	Now    func() time.Time
	Format func() (output.Format, error)

	Ref       string
	CopyEmail bool
}

func newShowCmd(f *Factory, runF func(context.Context, *showOptions) error) *cobra.Command {
	opts := &showOptions{
		IO:     f.IO,
		Now:    f.Now,
		Format: f.format,
		Keys: func(ctx context.Context) (keyGetter, error) {
			return f.Session(ctx)
		},
		Copy: func(text string) (string, error) {
			return f.Clipboard.Copy(text)
		},
	}
	cmd := &cobra.Command{
		Use:     "show KEY",
		Aliases: []string{"get"},
		Short:   "Show one API key's information",
		Long: `Show an API key's title, ID, role, creator, email, creation and expiration dates and
status. KEY is the key's ID or its exact title (case-insensitive).`,
		Example: `  apikeys show "CI deploy"
  apikeys show 5f0c...e1 -o json
  apikeys show "CI deploy" --copy-email`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runShow(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.CopyEmail, "copy-email", false, "copy the key's email address to the clipboard")
	return cmd
}

var uuidPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
})

// findKey looks a key up by ID directly when ref looks like one, else among all keys by title.
func findKey(ctx context.Context, api keyGetter, ref string) (jmapcloud.APIKey, error) {
	if uuidPattern().MatchString(ref) {
		k, err := api.GetKey(ctx, ref)
		if err == nil {
			return k, nil
		}
		if !jmapcloud.IsNotFound(err) {
			return k, err
		}
	}
	keys, err := api.ListKeys(ctx)
	if err != nil {
		return jmapcloud.APIKey{}, err
	}
	return resolveKey(keys, ref)
}

func runShow(ctx context.Context, opts *showOptions) error {
	now := opts.Now()
	fmtKind, err := opts.Format()
	if err != nil {
		return err
	}
	api, err := opts.Keys(ctx)
	if err != nil {
		return err
	}
	key, err := findKey(ctx, api, opts.Ref)
	if err != nil {
		return err
	}
	row := toOutputKey(key, now)
	switch fmtKind {
	case output.JSON:
		err = output.PrintJSON(opts.IO.Out, row)
	case output.YAML:
		err = output.PrintYAML(opts.IO.Out, row)
	case output.CSV, output.TSV:
		err = output.PrintKeys(opts.IO.Out, []output.Key{row}, output.KeyPrintOptions{Format: fmtKind, Columns: output.KeyFieldNames(), Now: now})
	default:
		output.PrintDetail(opts.IO.Out, [][2]string{
			{"Title", row.Title},
			{"ID", row.ID},
			{"Role", row.Role},
			{"Creator", row.Creator},
			{"Email", row.Email},
			{"Created", row.Created.Format(time.RFC3339)},
			{"Expires", row.Expires.Format(time.RFC3339)},
			{"Status", row.Status},
		})
	}
	if err != nil {
		return err
	}
	if opts.CopyEmail {
		if row.Email == "" {
			fmt.Fprintln(opts.IO.ErrOut, "Note: this key has no email address to copy.")
		} else if method, err := opts.Copy(row.Email); err != nil {
			fmt.Fprintf(opts.IO.ErrOut, "Note: the email was not copied to the clipboard (%v).\n", err)
		} else {
			fmt.Fprintf(opts.IO.ErrOut, "Copied %s to the clipboard (%s).\n", row.Email, method)
		}
	}
	return nil
}
