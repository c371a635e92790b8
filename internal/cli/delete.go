package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/keyselect"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

type keyDeleter interface {
	keyGetter
	memberLister
	KeyResources(ctx context.Context, id string) ([]jmapcloud.Resource, error)
	DeleteKey(ctx context.Context, id, transferTo string) error
}

// deleteOptions are the inputs of `apikeys delete`.
type deleteOptions struct {
	IO       *iostreams.IOStreams
	API      func(context.Context) (keyDeleter, error)
	Prompter func() prompt.Prompter
	Now      func() time.Time
	Format   func() (output.Format, error)

	Refs       []string
	Filters    []string
	TransferTo string
	NoTransfer bool
	Yes        bool
	DryRun     bool
	All        bool
}

// Actions of a delete plan (the JSON contract).
const (
	actionTransfer        = "transfer"
	actionDeleteResources = "delete-resources"
	actionNone            = "none"
	// actionUndecided is a dry run's action for a key that owns resources when nobody was
	// chosen to inherit them (no terminal, neither --transfer-to nor --no-transfer).
	actionUndecided = "undecided"
)

// planMember is who inherits resources, as the JSON output names them.
type planMember struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// planEntry is one key of a delete plan, and after the run, its outcome.
type planEntry struct {
	ID         string               `json:"id"`
	Title      string               `json:"title"`
	Resources  []jmapcloud.Resource `json:"resources"`
	Action     string               `json:"action"`
	TransferTo *planMember          `json:"transferTo"`
	Deleted    bool                 `json:"deleted"`
	Error      string               `json:"error,omitempty"`
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
--no-transfer when a key owns resources.

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
	return cmd
}

// runDelete plans (the keys and what they own), decides who inherits their resources,
// confirms, deletes and reports. RunE has already refused what needs no server to refuse.
func runDelete(ctx context.Context, opts *deleteOptions) error {
	now := opts.Now()
	p, err := newPrinter(opts.IO, opts.Format, deleteSpec, false)
	if err != nil {
		return err
	}
	filters, err := parseFilters(opts.Filters, now)
	if err != nil {
		return err
	}
	api, err := opts.API(ctx)
	if err != nil {
		return err
	}
	plan, err := planDelete(ctx, api, opts, filters, now)
	if err != nil {
		return err
	}
	if len(plan) == 0 {
		return reportNothingMatched(p, opts.IO, opts.DryRun)
	}
	heir, err := decideHeir(ctx, api, opts, plan)
	if err != nil {
		return err
	}
	heir.assignActions(plan)
	if opts.DryRun {
		return printDeleteResult(p, opts.IO, plan, true)
	}
	if !opts.Yes {
		if err := confirmPlan(opts, plan, heir.planShown); err != nil {
			return err
		}
	}
	executePlan(ctx, api, plan)
	return reportOutcome(ctx, p, opts.IO, plan)
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
	if _, err := newPrinter(opts.IO, opts.Format, deleteSpec, false); err != nil {
		return err
	}
	// A wrong filter is reported before the missing --yes: told only to add --yes, a script
	// author would fix that first and meet the filter error on the next run.
	if _, err := parseFilters(opts.Filters, opts.Now()); err != nil {
		return err
	}
	if !opts.DryRun && !opts.Yes && !opts.IO.CanPrompt() {
		return errkind.Usagef("deleting API keys is irreversible and there is no terminal to confirm on: pass --yes (and --transfer-to MEMBER or --no-transfer for keys that own resources), or --dry-run to see the plan")
	}
	return nil
}

// planDelete selects the keys and reads what each owns: the plan, before anyone is chosen to
// inherit. The warnings about malformed keys are written whether or not the selection stands.
func planDelete(ctx context.Context, api keyDeleter, opts *deleteOptions, filters []output.Filter, now time.Time) ([]*planEntry, error) {
	keys, warn, err := keyselect.Select(ctx, api, keyselect.Selection{Refs: opts.Refs, Filters: filters, All: opts.All}, now)
	writeWarnings(opts.IO.ErrOut, &warn)
	if err != nil {
		return nil, err
	}
	plan := make([]*planEntry, len(keys))
	for i, k := range keys {
		res, err := api.KeyResources(ctx, k.ID)
		if err != nil {
			return nil, fmt.Errorf("reading what key %q owns: %w", k.Title, err)
		}
		if res == nil {
			res = []jmapcloud.Resource{}
		}
		plan[i] = &planEntry{ID: k.ID, Title: k.Title, Resources: res, Action: actionNone}
	}
	return plan, nil
}

// reportNothingMatched says that nothing was selected; machine formats still print an empty
// list (CSV and TSV their header row, as list does).
func reportNothingMatched(p *output.Printer, streams *iostreams.IOStreams, dryRun bool) error {
	fmt.Fprintln(streams.ErrOut, "No API key matched: nothing to delete.")
	if p.Format() == output.Table {
		return nil
	}
	return printDeleteResult(p, streams, []*planEntry{}, dryRun)
}

// heirDecision is what becomes of the resources of the keys that own some.
type heirDecision struct {
	target     *planMember // who inherits them; nil when nobody does
	noTransfer bool        // they are deleted with the keys
	planShown  bool        // the resources were listed before the picker: not listed again
}

// decideHeir settles who inherits the resources: --transfer-to (checked to be an Editor,
// even when no key owns anything), --no-transfer, or on a terminal the picker, shown after
// the plan. Without a terminal a dry run leaves it undecided and a real run is refused.
func decideHeir(ctx context.Context, api keyDeleter, opts *deleteOptions, plan []*planEntry) (heirDecision, error) {
	owning := countOwning(plan)
	target, editors, err := transferCandidates(ctx, api, opts, owning)
	if err != nil {
		return heirDecision{}, err
	}
	heir := heirDecision{target: target, noTransfer: opts.NoTransfer}
	if owning == 0 || heir.target != nil || heir.noTransfer {
		return heir, nil
	}
	canPrompt := opts.IO.CanPrompt()
	switch {
	case opts.DryRun && !canPrompt:
		return heir, nil // the plan still shows what each key owns; the action stays undecided
	case !canPrompt:
		return heir, errkind.Usagef("%s and there is no terminal to choose who inherits them: pass --transfer-to MEMBER (an Editor: %s) or --no-transfer", owningKeys(owning, len(plan)), editorEmails(editors))
	}
	return pickHeir(opts, plan, editors)
}

// transferCandidates reads the members when someone may inherit (--transfer-to, or keys that
// own resources without --no-transfer): the Editors, and the member --transfer-to names.
func transferCandidates(ctx context.Context, api keyDeleter, opts *deleteOptions, owning int) (*planMember, []jmapcloud.Member, error) {
	if opts.TransferTo == "" && (owning == 0 || opts.NoTransfer) {
		return nil, nil, nil
	}
	members, err := api.Members(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the organization's members: %w", err)
	}
	editors := editorsOf(members)
	if opts.TransferTo == "" {
		return nil, editors, nil
	}
	target, err := resolveTransferTarget(members, editors, opts.TransferTo)
	return target, editors, err
}

// pickHeir lists the resources, then asks who inherits them.
func pickHeir(opts *deleteOptions, plan []*planEntry, editors []jmapcloud.Member) (heirDecision, error) {
	printPlan(opts.IO.ErrOut, plan, false)
	heir := heirDecision{planShown: true}
	chosen, err := chooseHeir(opts.Prompter(), editors)
	if err != nil {
		return heir, err
	}
	if chosen == nil {
		heir.noTransfer = true
	} else {
		heir.target = chosen
	}
	return heir, nil
}

// countOwning counts the keys of the plan that own resources.
func countOwning(plan []*planEntry) int {
	owning := 0
	for _, e := range plan {
		if len(e.Resources) > 0 {
			owning++
		}
	}
	return owning
}

// assignActions writes the decision into each key of the plan.
func (h heirDecision) assignActions(plan []*planEntry) {
	for _, e := range plan {
		switch {
		case len(e.Resources) == 0:
			e.Action = actionNone
		case h.target != nil:
			e.Action, e.TransferTo = actionTransfer, h.target
		case h.noTransfer:
			e.Action = actionDeleteResources
		default:
			e.Action = actionUndecided
		}
	}
}

// confirmPlan states what will happen, then asks the final yes.
func confirmPlan(opts *deleteOptions, plan []*planEntry, planShown bool) error {
	if planShown {
		printActions(opts.IO.ErrOut, plan)
	} else {
		printPlan(opts.IO.ErrOut, plan, true)
	}
	return confirmDelete(opts.Prompter(), plan)
}

// executePlan deletes the keys in order, recording each outcome in the plan. A failure does
// not stop the others; once the context is cancelled, the keys left are not attempted.
func executePlan(ctx context.Context, api keyDeleter, plan []*planEntry) {
	for _, e := range plan {
		if ctx.Err() != nil {
			e.Error = "not attempted: interrupted"
			continue
		}
		if err := deleteOne(ctx, api, e); err != nil {
			e.Error = err.Error()
			continue
		}
		e.Deleted = true
	}
}

// reportOutcome prints each key's outcome; after failures, a table is followed by the count
// of what was and was not deleted, and the command fails (exit 3 when interrupted, else 1).
func reportOutcome(ctx context.Context, p *output.Printer, streams *iostreams.IOStreams, plan []*planEntry) error {
	if err := printDeleteResult(p, streams, plan, false); err != nil {
		return err
	}
	if !slices.ContainsFunc(plan, func(e *planEntry) bool { return !e.Deleted }) {
		return nil
	}
	if p.Format() == output.Table {
		fmt.Fprintln(streams.ErrOut, failureSummary(plan))
	}
	if ctx.Err() != nil {
		return &errkind.Reported{Kind: errkind.Cancelled}
	}
	return &errkind.Reported{Kind: errkind.Failed}
}

// deleteOne deletes a key as planned. A key planned as owning nothing is checked again
// first: resources it gained since the plan must not be deleted unconfirmed.
func deleteOne(ctx context.Context, api keyDeleter, e *planEntry) error {
	transferTo := ""
	switch e.Action {
	case actionTransfer:
		transferTo = e.TransferTo.ID
	case actionNone:
		res, err := api.KeyResources(ctx, e.ID)
		if err != nil {
			return err
		}
		if len(res) > 0 {
			return fmt.Errorf("the key now owns %d resources it did not own when planned; not deleted, run the command again", len(res))
		}
	}
	err := api.DeleteKey(ctx, e.ID, transferTo)
	if jmapcloud.IsNotFound(err) {
		return fmt.Errorf("the key no longer exists (deleted meanwhile?)")
	}
	return err
}

// editorsOf returns members holding ORG_EDITOR (admins included), by name.
func editorsOf(members []jmapcloud.Member) []jmapcloud.Member {
	var eds []jmapcloud.Member
	for _, m := range members {
		if m.HasRole(jmapcloud.RoleEditor) {
			eds = append(eds, m)
		}
	}
	sort.SliceStable(eds, func(i, j int) bool { return strings.ToLower(eds[i].Name) < strings.ToLower(eds[j].Name) })
	return eds
}

func editorEmails(editors []jmapcloud.Member) string {
	if len(editors) == 0 {
		return "none in this organization"
	}
	var s []string
	for _, e := range editors {
		s = append(s, sanitize.Text(e.Email))
	}
	return strings.Join(s, ", ")
}

// resolveTransferTarget finds --transfer-to by ID or email and insists on the Editor role.
func resolveTransferTarget(members, editors []jmapcloud.Member, ref string) (*planMember, error) {
	for _, m := range members {
		if strings.EqualFold(m.ID, ref) || strings.EqualFold(m.Email, ref) {
			if !m.HasRole(jmapcloud.RoleEditor) {
				return nil, errkind.Usagef("%s (%s) does not hold the Editor role and cannot inherit resources; nothing was deleted\nchoose one of: %s", sanitize.Text(m.Name), sanitize.Text(m.Email), editorEmails(editors))
			}
			return &planMember{ID: m.ID, Name: m.Name, Email: m.Email}, nil
		}
	}
	return nil, errkind.NotFoundf("no member with ID or email %q; nothing was deleted\nchoose one of the Editors: %s", ref, editorEmails(editors))
}

// chooseHeir asks who inherits the resources; nil means nobody (after a second warning).
func chooseHeir(p prompt.Prompter, editors []jmapcloud.Member) (*planMember, error) {
	options := make([]string, 0, len(editors)+1)
	for _, e := range editors {
		options = append(options, fmt.Sprintf("%s <%s>", e.Name, e.Email))
	}
	options = append(options, "nobody — delete the resources")
	for {
		i, err := p.Select("Who inherits the resources? (type to filter)", options, 0)
		if err != nil {
			return nil, err
		}
		if i < len(editors) {
			e := editors[i]
			return &planMember{ID: e.ID, Name: e.Name, Email: e.Email}, nil
		}
		ok, err := p.Confirm("The resources will be PERMANENTLY DELETED with the keys. Delete them?", false)
		if err != nil {
			return nil, err
		}
		if ok {
			return nil, nil
		}
	}
}

// confirmDelete is the final, explicit yes.
func confirmDelete(p prompt.Prompter, plan []*planEntry) error {
	var msg string
	if len(plan) == 1 {
		msg = fmt.Sprintf("Delete API key %q (%s)? This cannot be undone.", plan[0].Title, plan[0].ID)
	} else {
		msg = fmt.Sprintf("Delete these %d API keys? This cannot be undone.", len(plan))
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

// resourceSummary counts a key's resources by type: "2 data sources, 1 project".
func resourceSummary(res []jmapcloud.Resource) string {
	if len(res) == 0 {
		return "no resources"
	}
	counts := map[string]int{}
	for _, r := range res {
		counts[r.Type]++
	}
	var parts []string
	for _, t := range []string{"DATASOURCE", "PROJECT", "LAYER", "TABLE"} {
		if n := counts[t]; n > 0 {
			parts = append(parts, plural(n, resourceNoun(t)))
			delete(counts, t)
		}
	}
	var rest []string
	for t := range counts {
		rest = append(rest, t)
	}
	sort.Strings(rest)
	for _, t := range rest {
		parts = append(parts, plural(counts[t], resourceNoun(t)))
	}
	return strings.Join(parts, ", ")
}

func resourceNoun(t string) string {
	switch t {
	case "DATASOURCE":
		return "data source"
	case "PROJECT":
		return "project"
	case "LAYER":
		return "layer"
	case "TABLE":
		return "table"
	}
	return sanitize.Text(strings.ToLower(t)) // a type we do not know, as the server named it
}

// owningKeys says how many of the selected keys own resources, in English.
func owningKeys(owning, selected int) string {
	switch {
	case selected == 1:
		return "the key owns resources"
	case owning == 1:
		return fmt.Sprintf("1 of the %d keys owns resources", selected)
	case owning == selected:
		return fmt.Sprintf("all %d keys own resources", selected)
	}
	return fmt.Sprintf("%d of the %d keys own resources", owning, selected)
}

// failureSummary counts what a delete with failures did: "the others were" would be false of
// one key, or of keys an interruption left untried.
func failureSummary(plan []*planEntry) string {
	deleted := 0
	for _, e := range plan {
		if e.Deleted {
			deleted++
		}
	}
	notDeleted := len(plan) - deleted
	switch {
	case len(plan) == 1:
		return "The key was not deleted."
	case deleted == 0:
		return fmt.Sprintf("None of the %d keys was deleted.", len(plan))
	}
	return fmt.Sprintf("%s of %d not deleted; %d deleted.", plural(notDeleted, "key"), len(plan), deleted)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func actionText(e *planEntry) string {
	switch e.Action {
	case actionTransfer:
		return fmt.Sprintf("resources move to %s <%s>", sanitize.Text(e.TransferTo.Name), sanitize.Text(e.TransferTo.Email))
	case actionDeleteResources:
		return "resources are DELETED with the key"
	case actionNone:
		return "owns nothing"
	}
	return "who inherits the resources is not chosen (pass --transfer-to or --no-transfer)"
}

// printPlan writes the human plan: each key, what it owns, what will happen. Every string
// from the server is sanitised (titles are %q-quoted, which escapes them too): a resource
// name must not write the clipboard or redraw the screen right before an irreversible delete.
func printPlan(w io.Writer, plan []*planEntry, withActions bool) {
	for _, e := range plan {
		fmt.Fprintf(w, "API key %q (%s): %s\n", e.Title, sanitize.Text(e.ID), resourceSummary(e.Resources))
		for _, r := range e.Resources {
			fmt.Fprintf(w, "  - %-11s %s\n", resourceNoun(r.Type), sanitize.Text(r.Name))
		}
		if withActions {
			fmt.Fprintf(w, "  → key deleted; %s\n", actionText(e))
		}
	}
}

// printActions restates only what will happen, once the resources have been listed.
func printActions(w io.Writer, plan []*planEntry) {
	for _, e := range plan {
		fmt.Fprintf(w, "API key %q will be deleted; %s\n", e.Title, actionText(e))
	}
}

// printDeleteResult prints the plan of a dry run (the plan for a person, or one record per
// key) or the outcome of a real run.
func printDeleteResult(p *output.Printer, streams *iostreams.IOStreams, plan []*planEntry, dryRun bool) error {
	r := output.Result{Data: plan, Rows: output.TableOf(outcomeColumns(), plan)}
	if dryRun {
		r.Rows = output.TableOf(dryRunColumns(), plan)
		r.Text = func(w io.Writer) error {
			printPlan(w, plan, true)
			fmt.Fprintln(streams.ErrOut, "Dry run: nothing was deleted.")
			return nil
		}
	}
	return p.Print(r)
}

// deleteSpec: delete prints records, one per key, in every format.
var deleteSpec = output.Spec{Command: "delete", Shape: output.Records}

// outcomeColumns are a real run's records: what happened to each key.
func outcomeColumns() []output.Column[*planEntry] {
	return []output.Column[*planEntry]{
		{Header: "id", Value: func(e *planEntry) string { return e.ID }},
		{Header: "title", Value: func(e *planEntry) string { return e.Title }},
		{Header: "action", Value: func(e *planEntry) string { return e.Action }},
		{Header: "outcome", Value: func(e *planEntry) string {
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
func dryRunColumns() []output.Column[*planEntry] {
	return []output.Column[*planEntry]{
		{Header: "id", Value: func(e *planEntry) string { return e.ID }},
		{Header: "title", Value: func(e *planEntry) string { return e.Title }},
		{Header: "resources", Value: func(e *planEntry) string { return strconv.Itoa(len(e.Resources)) }},
		{Header: "action", Value: func(e *planEntry) string { return e.Action }},
		{Header: "transferTo", Value: func(e *planEntry) string {
			if e.TransferTo == nil {
				return ""
			}
			return e.TransferTo.Email
		}},
	}
}
