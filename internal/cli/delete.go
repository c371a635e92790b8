package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/deleteplan"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/keyselect"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// keyDeleter is the organization's API as delete consumes it: choosing the keys, then the plan.
type keyDeleter interface {
	keyselect.Source
	deleteplan.API
}

// deleteOptions are the inputs of `apikeys delete`.
type deleteOptions struct {
	IO       *iostreams.IOStreams
	API      func(context.Context) (keyDeleter, error)
	Prompter func() prompt.Prompter
	Now      func() time.Time
	Format   func() (output.Format, error)
	// Printer is the language of what a person reads (nil: English); RunE sets it.
	Printer *l10n.Printer

	Refs       []string
	Filters    []string
	TransferTo string
	NoTransfer bool
	Yes        bool
	DryRun     bool
	All        bool

	Script scriptFlags // --jq, --template
}

func newDeleteCmd(f *Factory, runF func(context.Context, *deleteOptions) error) *cobra.Command {
	opts := &deleteOptions{
		IO:       f.IO,
		Prompter: f.Prompter,
		Now:      f.Now,
		Format:   f.format,
		API: func(ctx context.Context) (keyDeleter, error) {
			return f.Session(ctx)
		},
	}
	cmd := &cobra.Command{
		Use:     "delete KEY...",
		Aliases: []string{"rm"},
		Args:    cobra.ArbitraryArgs, // any number of KEYs; none with --filter or --all
		Short:   "Delete API keys, handing their resources to an Editor or deleting them",
		Long: `Delete one or more API keys (by ID or exact title, or chosen with --filter).

A key may own data sources, projects, layers and tables. Before anything is deleted, apikeys
shows what each key owns and what will happen to it: the resources move to a member holding
the Editor role (--transfer-to, or chosen from a list on a terminal), or they are deleted
with the key (--no-transfer). Deletion is irreversible, so it asks for confirmation unless
--yes is given. Without a terminal, --yes is required, and so is --transfer-to or
--no-transfer when a key owns resources. A dry run asks nothing, on a terminal too: without
--transfer-to or --no-transfer, what becomes of the resources shows as undecided.

Every key and the transfer target are checked before the first deletion; a failure on one
key does not stop the others, and the command exits 1 if any failed.

A --filter selection that matches every key of the organization is refused, dry runs
included, unless --all is given; --all alone selects every key.`,
		Example: `  apikeys delete "old CI key" --dry-run
  apikeys delete "old CI key" --transfer-to erin@acme.example --yes
  apikeys delete --filter status=expired --no-transfer --yes
  apikeys delete --filter 'expires<-90d' --transfer-to erin@acme.example --yes -o json
  apikeys delete --all --no-transfer --dry-run`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Refs = args
			opts.Printer = f.Printer()
			if err := checkDeleteFlags(opts); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runDelete(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.TransferTo, "transfer-to", "", "member (ID or email) holding the Editor role who inherits the keys' resources")
	fl.BoolVar(&opts.NoTransfer, "no-transfer", false, "delete the keys' resources with them")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "do not ask for confirmation")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print the plan and change nothing")
	fl.StringArrayVar(&opts.Filters, "filter", nil, "select keys with a list filter (FIELD OP VALUE); repeatable")
	fl.BoolVar(&opts.All, "all", false, "select every key of the organization; also required when --filter selects every key")
	c := newCompleter(f)
	cmd.ValidArgsFunction = c.keyArgs(true)
	completeFlag(cmd, "transfer-to", c.editors)
	completeFlag(cmd, "filter", completeFilter)
	forgetKeysAfter(f, cmd)
	addScriptFlags(cmd, &opts.Script)
	return cmd
}

// runDelete plans (the keys and what they own), decides who inherits their resources,
// confirms, deletes and reports. RunE has already refused what needs no server to refuse.
func runDelete(ctx context.Context, opts *deleteOptions) error {
	now := opts.Now()
	p, err := newPrinter(opts.Printer, opts.IO, opts.Format, deleteSpec, false, opts.Script)
	if err != nil {
		return err
	}
	filters, err := parseFilters(opts.Filters, now)
	if err != nil {
		return err
	}
	opts.IO.StartProgress(func() string { return opts.Printer.Text("Fetching API keys…") })
	defer opts.IO.StopProgress()
	api, err := opts.API(ctx)
	if err != nil {
		return err
	}
	plan, err := planDelete(ctx, api, opts, filters, now)
	if err != nil {
		return err
	}
	if len(plan) == 0 {
		return reportNothingMatched(p, opts, opts.DryRun)
	}
	heir, err := decideHeir(ctx, api, opts, plan)
	if err != nil {
		return err
	}
	heir.Assign(plan)
	if opts.DryRun {
		return printDeleteResult(p, opts, plan, true)
	}
	if !opts.Yes {
		if err := confirmPlan(opts, plan, heir.planShown); err != nil {
			return err
		}
	}
	deleteplan.Execute(ctx, deleteProgress(opts.Printer, opts.IO, api, plan), plan)
	opts.IO.StopProgress()
	return reportOutcome(ctx, p, opts, plan)
}

// checkDeleteFlags applies, in RunE, the rules that need no server, so a refused command
// opens no session and fetches nothing. The rule for keys that own resources without a
// terminal needs to know what they own: decideHeir applies it, after the plan is read.
func checkDeleteFlags(opts *deleteOptions) error {
	if len(opts.Refs) == 0 && len(opts.Filters) == 0 && !opts.All {
		return errkind.Usagef("name the keys to delete (ID or title), select them with --filter, or pass --all for every key")
	}
	// KEYs named one by one never need --all, and with --filter the every-key rule judges the
	// filters' own matches (checkEveryKeySelected): --all beside KEYs is never meaningful.
	if opts.All && len(opts.Refs) > 0 {
		return errkind.Usagef("--all and KEY arguments contradict each other: give the keys, or --all for every key")
	}
	for _, ref := range opts.Refs {
		if err := keyselect.CheckRef(ref); err != nil {
			return err
		}
	}
	if _, err := newPrinter(opts.Printer, opts.IO, opts.Format, deleteSpec, false, opts.Script); err != nil {
		return err
	}
	// A wrong filter is reported before the missing --yes: told only to add --yes, a script
	// author would fix that first and meet the filter error on the next run.
	if _, err := parseFilters(opts.Filters, opts.Now()); err != nil {
		return err
	}
	if !opts.DryRun && !opts.Yes && !opts.IO.CanPrompt() {
		tr := opts.Printer
		why := tr.Text("there is no terminal to confirm on")
		if promptsDisabled(opts.IO) {
			why = tr.Sprintf("%s, so it cannot be confirmed", tr.Text(promptsOff))
		}
		return errkind.Usagef("deleting API keys is irreversible and %s: pass --yes (and --transfer-to MEMBER or --no-transfer for keys that own resources), or --dry-run to see the plan", why)
	}
	return nil
}

// planDelete selects the keys and reads what each owns: the plan, before anyone is chosen to
// inherit. The warnings about malformed keys are written whether or not the selection stands.
func planDelete(ctx context.Context, api keyDeleter, opts *deleteOptions, filters []output.Filter, now time.Time) (deleteplan.Plan, error) {
	keys, warn, err := keyselect.Select(ctx, api, keyselect.Selection{Refs: opts.Refs, Filters: filters, All: opts.All}, now)
	opts.IO.StopProgress()
	writeWarnings(opts.IO.ErrOut, &warn)
	if err != nil {
		return nil, err
	}
	opts.IO.StartProgress(func() string { return opts.Printer.Text("Reading what the keys own…") })
	defer opts.IO.StopProgress()
	return deleteplan.Read(ctx, api, keys)
}

// reportNothingMatched says that nothing was selected; machine formats still print an empty
// list (CSV and TSV their header row, as list does).
func reportNothingMatched(p *output.Printer, opts *deleteOptions, dryRun bool) error {
	opts.Printer.Fprintf(opts.IO.ErrOut, "No API key matched: nothing to delete.\n")
	if p.Format() == output.Table {
		return nil
	}
	return printDeleteResult(p, opts, deleteplan.Plan{}, dryRun)
}

// heirDecision is what becomes of the resources, and whether the person deciding on a
// terminal has seen them listed already (before the picker): then they are not listed again.
type heirDecision struct {
	deleteplan.Heir
	planShown bool
}

// decideHeir settles who inherits the resources: --transfer-to (checked to be an Editor,
// even when no key owns anything), --no-transfer, or on a terminal the picker, shown after
// the plan. A dry run never prompts, terminal or not: it leaves the heir undecided. Without
// a terminal a real run is refused.
func decideHeir(ctx context.Context, api keyDeleter, opts *deleteOptions, plan deleteplan.Plan) (heirDecision, error) {
	owning := plan.Owning()
	pick := owning > 0 && !opts.NoTransfer && !opts.DryRun // the Editors, to choose from or name in the refusal
	if opts.TransferTo != "" || pick {
		opts.IO.StartProgress(func() string { return opts.Printer.Text("Fetching members…") })
	}
	cands, err := deleteplan.ReadCandidates(ctx, api, opts.TransferTo, pick)
	opts.IO.StopProgress()
	if err != nil {
		return heirDecision{}, err
	}
	heir := heirDecision{Heir: deleteplan.Heir{Target: cands.Target, NoTransfer: opts.NoTransfer}}
	if owning == 0 || heir.Target != nil || heir.NoTransfer {
		return heir, nil
	}
	switch {
	case opts.DryRun:
		return heir, nil // the plan still shows what each key owns; the action stays undecided
	case !opts.IO.CanPrompt():
		tr := opts.Printer
		why := tr.Text("there is no terminal to choose who inherits them")
		if promptsDisabled(opts.IO) {
			why = tr.Sprintf("%s, so nobody can choose who inherits them", tr.Text(promptsOff))
		}
		return heir, errkind.Usagef("%s and %s: pass --transfer-to MEMBER (an Editor: %s) or --no-transfer", plan.OwningKeys(tr), why, deleteplan.EditorEmails(cands.Editors))
	}
	return pickHeir(opts, plan, cands.Editors)
}

// pickHeir lists the resources, then asks who inherits them.
func pickHeir(opts *deleteOptions, plan deleteplan.Plan, editors []jmapcloud.Member) (heirDecision, error) {
	plan.WriteText(opts.Printer, opts.IO.ErrOut, false)
	heir := heirDecision{planShown: true}
	chosen, err := chooseHeir(opts.Printer, opts.Prompter(), editors, plan.Owning())
	if err != nil {
		return heir, err
	}
	if chosen == nil {
		heir.NoTransfer = true
	} else {
		heir.Target = chosen
	}
	return heir, nil
}

// confirmPlan states what will happen, then asks the final yes.
func confirmPlan(opts *deleteOptions, plan deleteplan.Plan, planShown bool) error {
	if planShown {
		plan.WriteActions(opts.Printer, opts.IO.ErrOut)
	} else {
		plan.WriteText(opts.Printer, opts.IO.ErrOut, true)
	}
	return confirmDelete(opts.Printer, opts.Prompter(), plan)
}

// reportOutcome prints each key's outcome and, for a table, the line that sums it up; after
// failures the command fails (exit 3 when interrupted, else 1).
func reportOutcome(ctx context.Context, p *output.Printer, opts *deleteOptions, plan deleteplan.Plan) error {
	if err := printDeleteResult(p, opts, plan, false); err != nil {
		return err
	}
	if line := outcomeLine(p, opts.Printer, opts.IO, plan); line != "" {
		fmt.Fprintln(opts.IO.ErrOut, line)
	}
	if plan.AllDeleted() {
		return nil
	}
	if ctx.Err() != nil {
		return &errkind.Reported{Kind: errkind.Cancelled}
	}
	return &errkind.Reported{Kind: plan.FailureKind()}
}

// outcomeLine sums up a table's outcome on stderr: on a terminal, what was deleted and who
// received the resources; in a pipe, only the count of failures, as before (a script reads
// the table or the exit code, not a sentence). Machine formats get no line.
func outcomeLine(p *output.Printer, tr *l10n.Printer, streams *iostreams.IOStreams, plan deleteplan.Plan) string {
	switch {
	case p.Format() != output.Table:
		return ""
	case streams.IsStderrTTY():
		return plan.OutcomeSummary(tr)
	case !plan.AllDeleted():
		return plan.FailureSummary(tr)
	}
	return ""
}

// chooseHeir asks who inherits the resources of the owning keys; nil means nobody (after a
// second warning).
func chooseHeir(tr *l10n.Printer, p prompt.Prompter, editors []jmapcloud.Member, owning int) (*deleteplan.Member, error) {
	options := make([]string, 0, len(editors)+1)
	for _, e := range editors {
		options = append(options, fmt.Sprintf("%s <%s>", e.Name, e.Email))
	}
	options = append(options, tr.Text("nobody — delete the resources"))
	for {
		i, err := p.Select(tr.Text("Who inherits the resources?"), options, 0)
		if err != nil {
			return nil, err
		}
		if i < len(editors) {
			return deleteplan.MemberOf(editors[i]), nil
		}
		ok, err := p.Confirm(nobodyWarning(tr, owning), false)
		if err != nil {
			return nil, err
		}
		if ok {
			return nil, nil
		}
	}
}

// nobodyWarning is the second warning before the resources are deleted with their keys.
func nobodyWarning(tr *l10n.Printer, owning int) string {
	if owning == 1 {
		return tr.Text("The resources will be PERMANENTLY DELETED with the key. Delete them?")
	}
	return tr.Text("The resources will be PERMANENTLY DELETED with the keys. Delete them?")
}

// confirmDelete is the final, explicit yes.
func confirmDelete(tr *l10n.Printer, p prompt.Prompter, plan deleteplan.Plan) error {
	var msg string
	if len(plan) == 1 {
		msg = tr.Sprintf("Delete API key %q (%s)? This cannot be undone.", plan[0].Title, plan[0].ID)
	} else {
		msg = tr.Sprintf("Delete these %d API keys? This cannot be undone.", len(plan))
	}
	ok, err := p.Confirm(msg, false)
	if err != nil {
		return err
	}
	if !ok {
		return errCancelled
	}
	return nil
}

// printDeleteResult prints the plan of a dry run (the plan for a person, or one record per
// key) or the outcome of a real run.
func printDeleteResult(p *output.Printer, opts *deleteOptions, plan deleteplan.Plan, dryRun bool) error {
	streams, tr := opts.IO, opts.Printer
	r := output.Result{Data: plan, Rows: output.TableOf(outcomeColumns(), plan)}
	if dryRun {
		r.Rows = output.TableOf(dryRunColumns(), plan)
		r.Text = func(w io.Writer) error {
			plan.WriteText(tr, w, true)
			tr.Fprintf(streams.ErrOut, "Dry run: nothing was deleted.\n")
			return nil
		}
	} else if streams.IsStdoutTTY() {
		// A person reads one line per key: a short outcome in the table, then why a key
		// was not deleted below it, where a long or multi-line error reads whole.
		rows := output.TableOf(terminalOutcomeColumns(tr), plan)
		r.Text = func(w io.Writer) error {
			if err := output.PrintRows(w, rows, p.TableOptions()); err != nil {
				return err
			}
			writeFailureDetails(tr, streams.ErrOut, plan)
			return nil
		}
	}
	return p.Print(r)
}

// terminalOutcomeColumns are the outcome's table on a terminal: as outcomeColumns, with the
// outcome in a word (deleted, failed, interrupted) instead of the error, which follows the
// table: the row fits beside a whole ID at 60 columns. The words are tr's language: this
// table is for a person only.
func terminalOutcomeColumns(tr *l10n.Printer) []output.Column[*deleteplan.Entry] {
	cols := outcomeColumns()
	cols[1].Fit = output.ColumnFit{Shrink: true}
	cols[2].Fit = output.ColumnFit{Drop: 1} // the summary line says where resources went
	if tr.Lang() != l10n.English {
		// "ID" and "ACTION" are French too ("ID" has no message: go-i18n reserves the key).
		cols[0].Title, cols[1].Title, cols[2].Title, cols[3].Title = "ID", tr.Text("TITLE"), "ACTION", tr.Text("OUTCOME")
		cols[2].Value = func(e *deleteplan.Entry) string { return actionWord(tr, e.Action) }
	}
	cols[3].Value = func(e *deleteplan.Entry) string {
		switch {
		case e.Deleted:
			return tr.Text("deleted")
		case e.Interrupted():
			return tr.Text("interrupted")
		}
		return tr.Text("failed")
	}
	return cols
}

// actionWord is an action as a French terminal's table says it; a script reads the value
// itself (JSON, CSV, the plain table), in every language.
func actionWord(tr *l10n.Printer, a deleteplan.Action) string {
	switch a {
	case deleteplan.Transfer:
		return tr.Text("transfer")
	case deleteplan.DeleteResources:
		return tr.Text("delete the resources")
	case deleteplan.None:
		return tr.Text("no action")
	}
	return string(a)
}

// writeFailureDetails says, after the outcome's table, why each key not deleted was not:
// its error whole, each further line indented under the first.
func writeFailureDetails(tr *l10n.Printer, w io.Writer, plan deleteplan.Plan) {
	for _, e := range plan {
		if e.Deleted {
			continue
		}
		lines := strings.Split(strings.TrimRight(e.ErrorText(tr), "\n"), "\n")
		for i, line := range lines {
			lines[i] = sanitize.Text(line)
		}
		if e.Unknown() {
			tr.Fprintf(w, "API key %q (%s) may have been deleted: %s\n", e.Title, sanitize.Text(e.ID), strings.Join(lines, "\n  "))
		} else {
			tr.Fprintf(w, "API key %q (%s) not deleted: %s\n", e.Title, sanitize.Text(e.ID), strings.Join(lines, "\n  "))
		}
	}
}

// deleteSpec: delete prints records, one per key, in every format.
var deleteSpec = output.Spec{Command: "delete", Shape: output.Records}

// outcomeColumns are a real run's records: what happened to each key.
func outcomeColumns() []output.Column[*deleteplan.Entry] {
	return []output.Column[*deleteplan.Entry]{
		{Header: "id", Value: func(e *deleteplan.Entry) string { return e.ID }},
		{Header: "title", Value: func(e *deleteplan.Entry) string { return e.Title }},
		{Header: "action", Value: func(e *deleteplan.Entry) string { return string(e.Action) }},
		{Header: "outcome", Value: func(e *deleteplan.Entry) string {
			if e.Deleted {
				return "deleted"
			}
			return "FAILED: " + e.Error
		}},
	}
}

// dryRunColumns are a dry run's records, one per key: how many resources it owns, the action
// and the heir's email (empty unless transferred), so a script asking for -o csv gets
// records, not the plan written for a person.
func dryRunColumns() []output.Column[*deleteplan.Entry] {
	return []output.Column[*deleteplan.Entry]{
		{Header: "id", Value: func(e *deleteplan.Entry) string { return e.ID }},
		{Header: "title", Value: func(e *deleteplan.Entry) string { return e.Title }},
		{Header: "resources", Value: func(e *deleteplan.Entry) string { return strconv.Itoa(len(e.Resources)) }},
		{Header: "action", Value: func(e *deleteplan.Entry) string { return string(e.Action) }},
		{Header: "transferTo", Value: func(e *deleteplan.Entry) string {
			if e.TransferTo == nil {
				return ""
			}
			return e.TransferTo.Email
		}},
	}
}

// progressAPI is the API as Execute uses it, saying on the spinner which key of the plan is
// being deleted ("Deleting 2 of 5 API keys…"): each key's calls name it by ID.
type progressAPI struct {
	deleteplan.API
	io    *iostreams.IOStreams
	tr    *l10n.Printer
	index map[string]int
}

// deleteProgress starts the spinner of the deletions, its label in tr's language.
func deleteProgress(tr *l10n.Printer, streams *iostreams.IOStreams, api deleteplan.API, plan deleteplan.Plan) deleteplan.API {
	index := make(map[string]int, len(plan))
	for i, e := range plan {
		index[e.ID] = i
	}
	p := progressAPI{API: api, io: streams, tr: tr, index: index}
	streams.StartProgress(p.label(""))
	return p
}

// label is the spinner's text while key id is deleted, made when a frame is drawn.
func (p progressAPI) label(id string) func() string {
	return func() string {
		if len(p.index) == 1 {
			return p.tr.Text("Deleting the API key…")
		}
		return p.tr.Sprintf("Deleting %d of %d API keys…", p.index[id]+1, len(p.index))
	}
}

func (p progressAPI) KeyResources(ctx context.Context, id string) ([]jmapcloud.Resource, error) {
	p.io.SetProgressLabel(p.label(id))
	return p.API.KeyResources(ctx, id)
}

func (p progressAPI) DeleteKey(ctx context.Context, id, transferTo string) error {
	p.io.SetProgressLabel(p.label(id))
	return p.API.DeleteKey(ctx, id, transferTo)
}
