package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
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
	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

type keyCreator interface {
	CreateKey(ctx context.Context, req jmapcloud.CreateAPIKeyRequest) (jmapcloud.APIKey, error)
}

// secretDelivery puts a new secret on the clipboard; it is best effort.
type secretDelivery interface {
	Copy(secret string) (method string, err error)
	ScheduleClear(secret string, after time.Duration) error
}

// createOptions are the inputs of `apikeys create`.
type createOptions struct {
	IO        *iostreams.IOStreams
	Keys      func(context.Context) (keyCreator, error)
	Prompter  func() prompt.Prompter
	Clipboard secretDelivery
	Now       func() time.Time
	Format    func() (output.Format, error)
	// Printer is the language of what a person reads (nil: English); RunE sets it.
	Printer *l10n.Printer

	Title      string
	Role       string
	Expires    string
	SecretFile string
	Copy       bool
	NoCopy     bool
	ClearAfter time.Duration

	Script scriptFlags // --jq, --template
}

const maxTitleLength = 100

func newCreateCmd(f *Factory, runF func(context.Context, *createOptions) error) *cobra.Command {
	opts := &createOptions{
		IO:        f.IO,
		Prompter:  f.Prompter,
		Clipboard: f.Clipboard,
		Now:       f.Now,
		Format:    f.format,
		Keys: func(ctx context.Context) (keyCreator, error) {
			return f.Session(ctx)
		},
	}
	cmd := &cobra.Command{
		Use:   "create [TITLE]",
		Short: "Create an API key and show its secret once",
		Long: `Create an API key with a role (editor or viewer) and an expiration date.

The secret is shown once and can never be seen again. On a terminal it is printed with a
warning and copied to the clipboard, which is cleared after --clear-after if it still holds
the secret. When stdout is not a terminal, stdout carries the secret alone, so
K=$(apikeys create ...) works; everything else goes to stderr.

--expires takes YYYY-MM-DD, RFC 3339, or a duration from now such as 30d, 12w or 1y.
Durations use the units ms, s, min, h, d, w and y; m is refused (minutes or months?).`,
		Example: `  apikeys create "CI deploy" --role editor --expires 90d
  K=$(apikeys create nightly --role viewer --expires 2027-01-31)
  apikeys create backup --role viewer --expires 1y --secret-file ./backup.key`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 {
				return argsError("create takes at most one TITLE (the new key's title), not %d arguments: quote a title that has spaces", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Printer = f.Printer()
			if len(args) == 1 && strings.TrimSpace(args[0]) == "" {
				// As --title "": usually an unset variable, which would otherwise be asked
				// for on a terminal or reported as a missing TITLE in a script.
				return errkind.Usagef("an empty TITLE (an unset shell variable?): give the new key's title")
			}
			if len(args) == 1 {
				if opts.Title != "" && opts.Title != args[0] {
					return errkind.Usagef("the title was given twice (%q and --title %q): give one", args[0], opts.Title)
				}
				opts.Title = args[0]
			}
			// Refused before any I/O, as flags are: a format create cannot print, and missing
			// values with no terminal to ask for them on.
			if _, err := newPrinter(opts.Printer, opts.IO, opts.Format, createSpec(), false, opts.Script); err != nil {
				return err
			}
			if missing := missingCreateFlags(opts); len(missing) > 0 && !opts.IO.CanPrompt() {
				return missingCreateValues(opts.Printer, opts.IO, missing)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runCreate(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Title, "title", "", "title of the key")
	fl.StringVar(&opts.Role, "role", "", "role: editor or viewer (aliases manager, user, ORG_EDITOR, ORG_VIEWER)")
	fl.StringVar(&opts.Expires, "expires", "", "expiration: YYYY-MM-DD, RFC 3339, or a duration from now (30d, 12w, 1y)")
	fl.StringVar(&opts.SecretFile, "secret-file", "", "write the secret to this new file (mode 0600) instead of printing it")
	fl.BoolVar(&opts.Copy, "copy", false, "copy the secret to the clipboard (default when stdout is a terminal, without --secret-file)")
	fl.BoolVar(&opts.NoCopy, "no-copy", false, "do not copy the secret to the clipboard")
	durationVar(fl, &opts.ClearAfter, "clear-after", "45s", "clear the clipboard after this long if it still holds the secret (0: never)")
	cmd.ValidArgsFunction = noValues // TITLE is new text
	completeFlag(cmd, "title", noValues)
	completeFlag(cmd, "role", completeKeyRole)
	completeFlag(cmd, "expires", noValues)
	completeFiles(cmd, "secret-file")
	completeFlag(cmd, "clear-after", noValues)
	forgetKeysAfter(f, cmd)
	addScriptFlags(cmd, &opts.Script)
	return cmd
}

// createInput is the validated request.
type createInput struct {
	title   string
	role    string
	expires time.Time
}

// createSpec is what create prints: one new key and its secret, which no CSV line should carry
// (read as the default, -o csv handed a script expecting a header row the bare secret).
func createSpec() output.Spec {
	return output.Spec{Command: "create", Shape: output.Object,
		AdviceText: l10n.M("use -o json (the row and its secret), or no -o to get the secret alone on stdout")}
}

func runCreate(ctx context.Context, opts *createOptions) error {
	now := opts.Now()
	p, err := newPrinter(opts.Printer, opts.IO, opts.Format, createSpec(), false, opts.Script)
	if err != nil {
		return err
	}
	in, err := createInputs(opts, now)
	if err != nil {
		return err
	}
	if err := checkSecretKept(p, opts, in, now); err != nil {
		return err
	}

	// Claim the secret file before creating anything, so a refused path costs no key.
	var secretFile *os.File
	if opts.SecretFile != "" {
		secretFile, err = os.OpenFile(opts.SecretFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			if errors.Is(err, os.ErrExist) {
				return errkind.Usagef("%s already exists: --secret-file never overwrites; choose a new path", opts.SecretFile)
			}
			return errkind.Usagef("cannot create the secret file: %v", err)
		}
		defer secretFile.Close()
	}
	removeSecretFile := func() {
		if secretFile != nil {
			secretFile.Close()
			os.Remove(opts.SecretFile)
		}
	}

	api, err := opts.Keys(ctx)
	if err != nil {
		removeSecretFile()
		return err
	}
	opts.IO.StartProgress(func() string { return opts.Printer.Text("Creating the API key…") })
	key, err := api.CreateKey(ctx, jmapcloud.CreateAPIKeyRequest{Title: in.title, Role: in.role, ExpirationDate: in.expires})
	opts.IO.StopProgress()
	if err != nil {
		removeSecretFile()
		return createFailure(err, in.title)
	}
	if key.Secret == "" {
		removeSecretFile()
		return l10n.Errorf("the server created key %s (%q) but returned no secret; delete it with `apikeys delete %s` and try again", sanitize.Text(key.ID), key.Title, shellWord(sanitize.Text(key.ID)))
	}
	if err := deliverSecret(opts, p, key, secretFile, opts.ClearAfter, now); err != nil {
		return err
	}
	return checkCreatedAsAsked(opts.Printer, key, in)
}

// expiryTolerance is how far the created key's expiry may be from the one asked for (a
// server may round it to its day) before the key counts as another than asked.
const expiryTolerance = 24 * time.Hour

// checkCreatedAsAsked fails (exit 1) when the server created a key with another role or
// expiry than asked: a Viewer key answered as an Editor is more power than anyone chose. The
// secret has been delivered already (it exists only now); the error says how to check and
// delete the key.
func checkCreatedAsAsked(p *l10n.Printer, key jmapcloud.APIKey, in createInput) error {
	var diffs []string
	// Compared as the roles they name: a server spelling ORG_EDITOR "editor" asked nothing else.
	if key.Role != "" && output.RoleName(key.Role) != output.RoleName(in.role) {
		diffs = append(diffs, p.Sprintf("role %s, not %s", sanitize.Text(output.RoleName(key.Role)), output.RoleName(in.role)))
	}
	if !key.ExpirationDate.IsZero() && key.ExpirationDate.Sub(in.expires).Abs() > expiryTolerance {
		diffs = append(diffs, p.Sprintf("expiry %s, not %s", jmapcloud.FormatTime(key.ExpirationDate), jmapcloud.FormatTime(in.expires)))
	}
	if len(diffs) == 0 {
		return nil
	}
	id := shellWord(sanitize.Text(key.ID))
	return l10n.Errorf("the server created API key %s with %s as asked\ncheck it with `apikeys show %s`; delete it with `apikeys delete %s` if it is not what you want", id, joinAnd(p, diffs), id, id)
}

// joinAnd lists items for a sentence in p's language: "a and b and c".
func joinAnd(p *l10n.Printer, items []string) string {
	if len(items) == 0 {
		return ""
	}
	list := items[0]
	for _, item := range items[1:] {
		list = p.Sprintf("%s and %s", list, item)
	}
	return list
}

// shellWord is s as one word to paste into a POSIX shell: as is when it holds only characters
// no shell treats specially, else single-quoted. A key ID in a suggested command comes from the
// server: "k1; curl … | sh" must stay one argument.
func shellWord(s string) string {
	if s == "" {
		return "''"
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.:~@%+=,/", r)) {
			return singleQuoted(s)
		}
	}
	return s
}

// singleQuoted is s single-quoted for a POSIX shell: each single quote inside closes the
// quoting, is written escaped, and reopens it.
func singleQuoted(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// createFailure says what to do when a create may or may not have happened: a lost or
// unreadable answer, or a 502/504 (a gateway that gave up waiting for a server that may have
// created the key).
func createFailure(err error, title string) error {
	var netErr *jmapcloud.NetworkError
	var decErr *jmapcloud.DecodeError
	check := l10n.M("the key %q may or may not have been created; run `apikeys list --filter %s` to check before trying again", title, singleQuoted("title="+title))
	switch {
	case errors.As(err, &netErr) || errors.As(err, &decErr):
		return l10n.Errorf("%w\n%s", err, check)
	case jmapcloud.StatusCode(err) == http.StatusBadGateway || jmapcloud.StatusCode(err) == http.StatusGatewayTimeout:
		// %v: the 5xx hint ("try again in a moment") would invite a duplicate.
		return l10n.Errorf("%v\n%s", err, check)
	}
	return err
}

// missingCreateFlags names the values create would have to ask for, in opts' language.
func missingCreateFlags(opts *createOptions) []string {
	var missing []string
	if strings.TrimSpace(opts.Title) == "" {
		missing = append(missing, opts.Printer.Text("--title (or a TITLE argument)"))
	}
	if opts.Role == "" {
		missing = append(missing, "--role")
	}
	if opts.Expires == "" {
		missing = append(missing, "--expires")
	}
	return missing
}

// missingCreateValues refuses to create without the missing values when nothing can be
// asked: no terminal, or prompts turned off on one.
func missingCreateValues(p *l10n.Printer, s *iostreams.IOStreams, missing []string) error {
	why := p.Text("no terminal to ask on")
	if promptsDisabled(s) {
		why = p.Text(promptsOff)
	}
	return errkind.Usagef("missing %s: %s, so pass %s", strings.Join(missing, ", "), why, joinAnd(p, missing))
}

// createInputs validates flags and asks for what is missing (on a terminal: RunE refused
// missing values without one).
func createInputs(opts *createOptions, now time.Time) (createInput, error) {
	var in createInput
	missing := missingCreateFlags(opts)
	if len(missing) > 0 && !opts.IO.CanPrompt() {
		return in, missingCreateValues(opts.Printer, opts.IO, missing)
	}
	if opts.Title != "" {
		if err := validateTitle(opts.Title); err != nil {
			return in, err
		}
	}
	if opts.Role != "" {
		role, err := output.ParseRole(opts.Role)
		if err != nil {
			return in, err
		}
		in.role = role
	}
	if opts.Expires != "" {
		t, err := parseExpiry(opts.Expires, now)
		if err != nil {
			return in, errkind.Usagef("invalid --expires: %v", err)
		}
		in.expires = t
	}
	in.title = strings.TrimSpace(opts.Title)
	if len(missing) == 0 {
		return in, nil
	}
	p, tr := opts.Prompter(), opts.Printer
	if in.title == "" {
		t, err := p.Input(tr.Text(titleQuestion), "", validateTitle)
		if err != nil {
			return in, err
		}
		in.title = strings.TrimSpace(t)
	}
	if in.role == "" {
		i, err := p.Select(tr.Text(roleQuestion), []string{tr.Text("Editor"), tr.Text("Viewer")}, 1)
		if err != nil {
			return in, err
		}
		in.role = []string{jmapcloud.RoleEditor, jmapcloud.RoleViewer}[i]
	}
	if in.expires.IsZero() {
		answer, err := p.Input(tr.Text(expiresQuestion), "90d", checkExpiryAnswer(tr, opts.Now))
		if err != nil {
			return in, err
		}
		if in.expires, err = parseExpiry(answer, opts.Now()); err != nil {
			return in, err
		}
	}
	return in, nil
}

// create's questions are short, so that on a terminal of 60 columns the question, its
// default and a usual answer (a date, a duration, a title of some 40 characters) fit on one
// line: survey redraws an answer that wrapped over the line above it.
const (
	titleQuestion   = "Title:"
	roleQuestion    = "Role:"
	expiresQuestion = "Expires (YYYY-MM-DD, 30d, 1y):"
)

// promptErrorWidth is the most a prompt's error may take so that it fits 60 columns after
// the prompt's "X " mark: a wrapped error line is cut in the middle of a word.
const promptErrorWidth = 58

// checkExpiryAnswer is the expiry prompt's check: parseExpiry's error when it fits
// promptErrorWidth in p's language, else the same in a few words (the full message is the
// flag's), with examples that are valid answers.
func checkExpiryAnswer(p *l10n.Printer, now func() time.Time) func(string) error {
	return func(s string) error {
		_, err := parseExpiry(s, now())
		if err == nil || len([]rune(p.Error(err))) <= promptErrorWidth {
			return err
		}
		if _, unreadable := output.ParseAhead(s, now()); unreadable == nil {
			return l10n.Errorf("%q is in the past: give a later date, or 30d", promptQuote(s))
		}
		return l10n.Errorf("%q is not a date: use YYYY-MM-DD, 30d or 1y", promptQuote(s))
	}
}

// promptQuote is an answer for a prompt's error (quoted by %q, or « » in French with %q's
// escaping), cut to keep the error on one line.
func promptQuote(s string) string {
	const most = 12
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > most {
		s = string(r[:most-1]) + "…"
	}
	return s
}

func validateTitle(s string) error {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return errkind.Usagef("the title is empty: give the key a name")
	case len([]rune(s)) > maxTitleLength:
		return errkind.Usagef("the title is %d characters long: at most %d are allowed", len([]rune(s)), maxTitleLength)
	}
	return nil
}

// parseExpiry reads --expires and insists on the future.
func parseExpiry(s string, now time.Time) (time.Time, error) {
	t, err := output.ParseAhead(s, now)
	if err != nil {
		return time.Time{}, err
	}
	if !t.After(now) {
		return time.Time{}, errkind.Usagef("the expiration %s is in the past: give a future date (YYYY-MM-DD) or a duration such as 90d", t.UTC().Format(time.RFC3339))
	}
	return t, nil
}

// probeSecret is the secret of the stand-in key that checkSecretKept filters.
const probeSecret = "apikeys-probe-secret-5c1e9a"

// checkSecretKept runs --jq or --template on a stand-in for the key about to be created: an
// expression that would leave out the secret, which is shown only once, or that fails, is
// refused (exit 2) before it costs a key whose secret nobody could read. With --secret-file
// the output holds the file's path, not the secret: any expression will do.
func checkSecretKept(p *output.Printer, opts *createOptions, in createInput, now time.Time) error {
	if opts.SecretFile != "" {
		return nil
	}
	stand := jmapcloud.APIKey{ID: "00000000-0000-4000-8000-000000000000", Title: in.title, Role: in.role, CreationDate: now, ExpirationDate: in.expires}
	err := p.Probe(output.Result{Data: createdKey{Key: keyselect.Row(stand, now), Secret: probeSecret}, Keep: probeSecret})
	var dropped *output.DroppedError
	if errors.As(err, &dropped) {
		return errkind.Usagef("%s would leave out the new key's secret, which is shown only once: print .secret (--jq .secret, or --template '{{.secret}}'), or give --secret-file", dropped.Flag)
	}
	return err
}

// createdKey is the machine output of create: the key's row plus the secret (or its file).
type createdKey struct {
	output.Key
	Secret     string `json:"secret,omitempty"`
	SecretFile string `json:"secretFile,omitempty"`
}

func deliverSecret(opts *createOptions, p *output.Printer, key jmapcloud.APIKey, secretFile *os.File, clearAfter time.Duration, now time.Time) error {
	row := keyselect.Row(key, now)
	if secretFile != nil {
		if _, err := io.WriteString(secretFile, key.Secret+"\n"); err != nil {
			return l10n.Errorf("key %s (%q) was created but its secret could not be written to %s: %v\ndelete the key with `apikeys delete %s` and create another", sanitize.Text(key.ID), key.Title, opts.SecretFile, err, shellWord(sanitize.Text(key.ID)))
		}
		if err := secretFile.Close(); err != nil {
			return l10n.Errorf("key %s (%q) was created but closing %s failed: %v", sanitize.Text(key.ID), key.Title, opts.SecretFile, err)
		}
	}
	// A secret sent to --secret-file is meant to live there only: no clipboard unless --copy.
	copyWanted := opts.Copy || (!opts.NoCopy && opts.IO.IsStdoutTTY() && secretFile == nil)
	if copyWanted {
		defer copySecret(opts, key.Secret, clearAfter)
	}
	out := createdKey{Key: row}
	if secretFile != nil {
		out.SecretFile = opts.SecretFile
	} else {
		out.Secret = key.Secret
	}
	err := p.Print(output.Result{Data: out, Keep: out.Secret, Text: func(w io.Writer) error {
		return printCreated(w, opts, key, row, secretFile != nil, now)
	}})
	var dropped *output.DroppedError
	switch {
	case errors.As(err, &dropped):
		// The stand-in's output had the secret (checkSecretKept), this key's does not.
		return l10n.Errorf("key %s (%q) was created, but the %s output left out its secret, which cannot be shown again; delete the key with `apikeys delete %s` and create another", sanitize.Text(key.ID), key.Title, dropped.Flag, shellWord(sanitize.Text(key.ID)))
	case err != nil && out.Secret != "" && opts.Script.given():
		return l10n.Errorf("key %s (%q) was created, but printing its secret failed (%v); delete the key with `apikeys delete %s` and create another", sanitize.Text(key.ID), key.Title, err, shellWord(sanitize.Text(key.ID)))
	}
	return err
}

// printCreated is create's -o table, w its stdout: a note on stderr when the secret went to a file; the
// secret alone on stdout when stdout is no terminal; else the panel, the secret sanitised.
func printCreated(w io.Writer, opts *createOptions, key jmapcloud.APIKey, row output.Key, toFile bool, now time.Time) error {
	errOut, p := opts.IO.ErrOut, opts.Printer
	if toFile {
		p.Fprintf(errOut, "Created API key %q (%s, %s, expires %s).\nIts secret was written to %s (mode 0600).\n",
			key.Title, sanitize.Text(output.RoleText(p, row.Role)), sanitize.Text(key.ID), row.Expires.Format(time.RFC3339), opts.SecretFile)
		return nil
	}
	if !opts.IO.IsStdoutTTY() {
		p.Fprintf(errOut, "Created API key %q (%s, %s, expires %s). Its secret is on stdout; it cannot be shown again.\n",
			key.Title, sanitize.Text(output.RoleText(p, row.Role)), sanitize.Text(key.ID), row.Expires.Format(time.RFC3339))
		_, err := fmt.Fprintln(w, key.Secret)
		return err
	}
	p.Fprintf(w, "Created API key %q\n\n", key.Title)
	// The panel is drawn on a terminal only: the relative date beside the absolute one, and
	// the status painted, as show draws them, in the reader's language (French role words are
	// what --role and --filter accept too).
	status := p.Text("Status")
	var colors map[string]string
	if opts.IO.ColorEnabled() {
		colors = map[string]string{status: output.StatusColor(row.Status)}
	}
	output.PrintDetailIn(p, w, [][2]string{
		{"ID", key.ID}, {p.Text("Role"), output.RoleText(p, row.Role)}, {p.Text("Expires"), output.DetailDateIn(p, row.Expires, now, true)}, {status, output.StatusText(p, row.Status)},
	}, colors)
	// On a terminal the secret is shown, not sent: a hostile one must not act on the screen.
	p.Fprintf(w, "\n  Secret:  %s\n\n", sanitize.Text(key.Secret))
	p.Fprintf(errOut, "! Store this secret now: it is shown only once.\n")
	p.Fprintf(errOut, "  Use it in the header   Api-Key: <secret>\n")
	return nil
}

// copySecret copies and schedules the clear; failures are warnings, never errors.
func copySecret(opts *createOptions, secret string, clearAfter time.Duration) {
	errOut, p := opts.IO.ErrOut, opts.Printer
	if !sanitize.Safe(secret) {
		// A paste into a terminal would send the control characters too: a hostile secret
		// holding "\n…\n" would run a command there.
		p.Fprintf(errOut, "Note: the secret was not copied to the clipboard: the server sent it with control characters, which a paste into a terminal would act on.\n")
		return
	}
	method, err := opts.Clipboard.Copy(secret)
	if err != nil {
		p.Fprintf(errOut, "Note: the secret was not copied to the clipboard (%v).\n", err)
		return
	}
	if method == clipboard.MethodOSC52 {
		fmt.Fprintln(errOut, osc52SentIn(p, p.Text("the secret"), true))
		return
	}
	if clearAfter <= 0 || method != clipboard.MethodSystem {
		p.Fprintf(errOut, "Copied the secret to the clipboard (%s).\n", copyMethodText(p, method))
		return
	}
	if err := opts.Clipboard.ScheduleClear(secret, clearAfter); err != nil {
		p.Fprintf(errOut, "Copied the secret to the clipboard; it could not be scheduled for clearing (%v): clear it yourself.\n", err)
		return
	}
	p.Fprintf(errOut, "Copied the secret to the clipboard; it will be cleared in %s if still there.\n", output.FormatDuration(clearAfter))
}
