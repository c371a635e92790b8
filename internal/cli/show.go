package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/clipboard"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/keyselect"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/sanitize"
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

	Script scriptFlags // --jq, --template

	// Printer is the language of what a person reads (nil: English); machine output has none.
	Printer *l10n.Printer
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
status. KEY is the key's ID, the start of its ID (4 characters or more, as long as no
other key's ID starts so), or its exact title (case-insensitive). Spaces pasted around
KEY are ignored.`,
		Example: `  apikeys show "CI deploy"
  apikeys show 5f0c7a9e -o json
  apikeys show "CI deploy" --copy-email`,
		Args: oneKeyArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref = args[0]
			opts.Printer = f.Printer()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runShow(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.CopyEmail, "copy-email", false, "copy the key's email address to the clipboard")
	cmd.ValidArgsFunction = newCompleter(f).keyArgs(false)
	addScriptFlags(cmd, &opts.Script)
	return cmd
}

// oneKeyArg says what show's one argument is when it is missing, repeated (a title with
// spaces given unquoted is the usual cause) or blank: show "$K" with K unset would otherwise
// open the session, a login perhaps, only to refuse it. No key has a blank ID or title. The
// errors are argsError's, written out so that the catalog's scan finds their messages.
func oneKeyArg(_ *cobra.Command, args []string) error {
	switch {
	case len(args) == 0:
		return &flagError{err: errkind.Usagef("missing KEY: an API key ID or exact title")}
	case len(args) > 1:
		return &flagError{err: errkind.Usagef("show takes one KEY (an API key ID or exact title), not %d arguments: quote a title that has spaces", len(args))}
	case strings.TrimSpace(args[0]) == "":
		return &flagError{err: errkind.Usagef("an empty KEY: give an API key ID or exact title")}
	}
	return nil
}

func runShow(ctx context.Context, opts *showOptions) error {
	now := opts.Now()
	// One key is a row of list's table: every format, CSV and TSV the header and one row, as
	// `list --columns all` prints them.
	lang := opts.Printer
	p, err := newPrinter(lang, opts.IO, opts.Format, output.Spec{Command: "show", Shape: output.Records}, false, opts.Script)
	if err != nil {
		return err
	}
	opts.IO.StartProgress(func() string { return lang.Text("Fetching the API key…") })
	defer opts.IO.StopProgress()
	api, err := opts.Keys(ctx)
	if err != nil {
		return err
	}
	key, warn, err := keyselect.Find(ctx, api, opts.Ref)
	opts.IO.StopProgress()
	writeWarningsIn(opts.IO.ErrOut, lang, &warn)
	if err != nil {
		return err
	}
	row := keyselect.Row(key, now)
	look := detailLook{Relative: opts.IO.IsStdoutTTY(), Color: opts.IO.ColorEnabled(), Now: now}
	if look.Relative {
		look.Lang = lang // a detail view on a pipe is read by scripts too: English
	}
	if err := paged(opts.IO, lang, func() error { return p.Print(showResult(row, key.Problems(), look)) }); err != nil {
		return err
	}
	if opts.CopyEmail {
		copyEmail(opts, lang, row.Email)
	}
	return nil
}

// detailLook is how a key's detail view is drawn: on a terminal (Relative) the dates carry
// the relative date list shows, and with colour the status is painted as list paints it.
// Lang, on a terminal, is the language of its labels, relative dates, role and status.
type detailLook struct {
	Relative, Color bool
	Now             time.Time
	Lang            *l10n.Printer
}

// statusColorsAt paints the value labelled label (the Status, in the view's language) of a
// detail view, when colour is on.
func (l detailLook) statusColorsAt(label, status string) map[string]string {
	if !l.Color {
		return nil
	}
	return map[string]string{label: output.StatusColor(status)}
}

// showResult is one key: its row (JSON keeps time.Time's form, as it always had), and the
// detail view a person reads.
func showResult(row output.Key, problems jmapcloud.KeyProblems, look detailLook) output.Result {
	return output.Result{
		Data: row,
		Rows: output.TableOf(output.KeyColumns(), []output.Key{row}),
		Text: func(w io.Writer) error {
			lang := look.Lang
			role, status := row.Role, row.Status
			if lang.Lang() != l10n.English {
				role, status = output.RoleText(lang, role), output.StatusText(lang, status)
			}
			statusLabel := lang.Text("Status")
			output.PrintDetailIn(lang, w, [][2]string{
				{lang.Text("Title"), row.Title},
				{"ID", row.ID}, // French too; and go-i18n reserves the key "ID"
				{lang.Text("Role"), role},
				{lang.Text("Creator"), row.Creator},
				{lang.Text("Email"), row.Email},
				{lang.Text("Created"), detailDate(row.Created, problems.CreationDate, look)},
				{lang.Text("Expires"), detailDate(row.Expires, problems.ExpirationDate, look)},
				{statusLabel, status},
			}, look.statusColorsAt(statusLabel, row.Status))
			return nil
		},
	}
}

// copyEmail copies the shown key's email, best effort: every outcome is a note on stderr.
func copyEmail(opts *showOptions, lang *l10n.Printer, email string) {
	switch {
	case email == "":
		lang.Fprintf(opts.IO.ErrOut, "Note: this key has no email address to copy.\n")
	case !sanitize.Safe(email):
		// No address holds control characters; a paste into a terminal would act on them.
		lang.Fprintf(opts.IO.ErrOut, "Note: %s was not copied to the clipboard: the server sent it with control characters, which a paste into a terminal would act on.\n", sanitize.Text(email))
	default:
		if method, err := opts.Copy(email); err != nil {
			lang.Fprintf(opts.IO.ErrOut, "Note: the email was not copied to the clipboard (%v).\n", err)
		} else if method == clipboard.MethodOSC52 {
			fmt.Fprintln(opts.IO.ErrOut, osc52SentIn(lang, sanitize.Text(email), false))
		} else {
			lang.Fprintf(opts.IO.ErrOut, "Copied %s to the clipboard (%s).\n", sanitize.Text(email), method)
		}
	}
}

// detailDate is a date of show's detail view; problem is why the server's value was unreadable.
func detailDate(t time.Time, problem string, look detailLook) string {
	if problem != "" {
		return look.Lang.Text("unreadable (see the warning)")
	}
	return output.DetailDateIn(look.Lang, t, look.Now, look.Relative)
}
