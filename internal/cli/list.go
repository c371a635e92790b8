package cli

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/keyselect"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
)

// listOptions are the inputs of `apikeys list`.
type listOptions struct {
	IO     *iostreams.IOStreams
	Keys   func(context.Context) (keyPageLister, error)
	Now    func() time.Time
	Format func() (output.Format, error)

	Columns        string
	Hide           string
	Sort           string
	Filters        []string
	Expired        bool
	ExpiringWithin time.Duration
	NoHeaders      bool
	columnsGiven   bool
	withinGiven    bool // --expiring-within was given (0 is a value)

	Script scriptFlags // --jq, --template

	// Printer is the language of what a person reads (nil: English); machine output has none.
	Printer *l10n.Printer
}

func newListCmd(f *Factory, runF func(context.Context, *listOptions) error) *cobra.Command {
	opts := &listOptions{
		IO:     f.IO,
		Now:    f.Now,
		Format: f.format,
		Keys: func(ctx context.Context) (keyPageLister, error) {
			return f.Session(ctx)
		},
	}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List the organization's API keys",
		Long: `List the organization's API keys: sort, filter and choose columns.

Columns, sort keys, filter fields and JSON keys share one vocabulary:
  id, title, role, creator, email, created, expires, status

Filters are FIELD OP VALUE with OP one of = != ~ !~ < <= > >= (~ is case-insensitive
contains). Dates are YYYY-MM-DD, RFC 3339, or relative to now: 30d, -7d, 12h, 2w, 1y.
Durations, here and in --expiring-within, use the units ms, s, min, h, d, w and y; m is
refused (minutes or months?).
An empty VALUE is refused (write "" to compare a text field with the empty text).`,
		Example: `  apikeys list --sort -expires,title
  apikeys list --filter 'role=editor' --filter 'expires<30d'
  apikeys list --expiring-within 30d -o csv
  apikeys list --columns title,role,status --no-headers`,
		Args: noArgs(func(args []string) string { return listArgsHint(f.Printer(), args) }),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Printer = f.Printer()
			opts.columnsGiven = cmd.Flags().Changed("columns")
			opts.withinGiven = cmd.Flags().Changed("expiring-within")
			for _, name := range []string{"columns", "hide", "sort"} {
				if err := checkNameList(cmd.Flags().Lookup(name)); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runList(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Columns, "columns", "", "columns to show, in order, comma-separated ('all' for every one)")
	fl.StringVar(&opts.Hide, "hide", "", "columns to hide, comma-separated")
	fl.StringVar(&opts.Sort, "sort", "", "sort keys, comma-separated; prefix '-' for descending (default expires,title)")
	fl.StringArrayVar(&opts.Filters, "filter", nil, "filter FIELD OP VALUE; repeatable, all must hold")
	fl.BoolVar(&opts.Expired, "expired", false, "only expired keys (status=expired)")
	durationVar(fl, &opts.ExpiringWithin, "expiring-within", "", "only keys not yet expired that expire within DURATION (e.g. 30d)")
	fl.BoolVar(&opts.NoHeaders, "no-headers", false, "omit the header row")
	cmd.ValidArgsFunction = noValues
	completeFlag(cmd, "columns", completeColumns)
	completeFlag(cmd, "hide", completeHide)
	completeFlag(cmd, "sort", completeSort)
	completeFlag(cmd, "filter", completeFilter)
	completeFlag(cmd, "expiring-within", noValues)
	addScriptFlags(cmd, &opts.Script)
	return cmd
}

// checkNameList refuses a given comma-separated list of names (--columns, --hide, --sort)
// with an empty item, as in title,,id or "$A,id" with A unset, or with names separated by
// spaces, as in --sort "title expires": either would quietly mean something else (--columns
// "," the default columns) or be called an unknown name. The names themselves are checked by
// the run, which knows the vocabulary.
func checkNameList(fl *pflag.Flag) error {
	if fl == nil || !fl.Changed {
		return nil
	}
	value := fl.Value.String()
	items := strings.Split(value, ",")
	var names []string
	for _, item := range items {
		names = append(names, strings.Fields(item)...)
	}
	written := "--" + fl.Name + " " + strings.Join(names, ",")
	for _, item := range items {
		switch {
		case len(names) == 0:
			return errkind.Usagef("invalid --%s %q: no name in it (an unset shell variable?): give names separated by commas", fl.Name, value)
		case strings.TrimSpace(item) == "":
			return errkind.Usagef("invalid --%s %q: an empty name in the list (an unset shell variable?): write %s", fl.Name, value, written)
		case len(strings.Fields(item)) > 1:
			return errkind.Usagef("invalid --%s %q: separate the names with commas, not spaces: write %s", fl.Name, value, written)
		}
	}
	return nil
}

// listArgsHint says, in lang's language, what words given to list were probably meant as:
// filters written without --filter (list role=editor), else a title to look for (list CI).
func listArgsHint(lang *l10n.Printer, args []string) string {
	filters := make([]string, len(args))
	for i, a := range args {
		if _, err := output.ParseFilter(a, time.Time{}); err != nil {
			filters = nil
			break
		}
		filters[i] = "--filter " + shellWord(a)
	}
	if filters != nil {
		return lang.Sprintf("to filter the keys, give each filter with --filter: %s", "apikeys list "+strings.Join(filters, " "))
	}
	title := strings.Join(args, " ")
	return lang.Sprintf("to list the keys whose title contains it: %s\nto see one key: %s",
		"apikeys list --filter "+shellWord("title~"+title), "apikeys show "+shellWord(title))
}

func runList(ctx context.Context, opts *listOptions) error {
	now := opts.Now()
	lang := opts.Printer
	// list prints every format, through output.PrintKeys: the key vocabulary's own printer,
	// which streams JSON and YAML, writes CSV and TSV a key at a time, and on a terminal is
	// given CSV and TSV a chunk at a time (printKeyRows).
	p, err := newPrinter(lang, opts.IO, opts.Format, output.Spec{Command: "list", Shape: output.Records}, opts.NoHeaders, opts.Script)
	if err != nil {
		return err
	}
	columns, err := output.ParseColumns(opts.Columns, opts.Hide)
	if err != nil {
		return err
	}
	sortKeys, err := output.ParseSort(opts.Sort)
	if err != nil {
		return err
	}
	filters, err := listFilters(opts, now)
	if err != nil {
		return err
	}
	opts.IO.StartProgress(func() string { return lang.Text("Fetching API keys…") })
	defer opts.IO.StopProgress()
	api, err := opts.Keys(ctx)
	if err != nil {
		return err
	}
	// While the pages are read, the heap is what stays: the pages' bodies and the arrays their
	// keys are decoded into are recycled, the keys' texts kept in a few blocks, and each page's
	// rows made as it arrives (keyselect.PageRows), so a collection then would only mark what
	// stays live. The collector is off, within listMemoryLimit; a large list is collected on
	// purpose before it is printed at printGCPercent (below); a shorter one is printed with
	// the collector still off, within printHeadroom more memory: a collection would mark the
	// whole list for a printer's garbage that is a few MB (on 10,000 keys, one collection was
	// 5 of the command's 18 ms; docs/performance.md).
	limit, release := holdCollector()
	defer release()
	pages := keyselect.NewPageRows(filters, now)
	read, err := api.ListKeyPages(ctx, pages.Read)
	opts.IO.StopProgress()
	if err != nil {
		return err
	}
	var warn keyselect.Warnings
	var shownUnknown, undecided []string // per malformed key: the fields it cannot tell
	rows, total := pages.Rows(read, func(k *jmapcloud.APIKey, field string) {
		if field != "" {
			warn.Add(k, l10n.M("left out: the filter on %s needs it", field))
			undecided = append(undecided, field)
			return
		}
		warn.Add(k, l10n.Msg{})
		shownUnknown = append(shownUnknown, keyselect.UnreadableFields(k)...)
	})
	large := total >= collectAfter
	if large {
		runtime.GC() // the walk's page arrays and table of IDs are garbage now
		// What is live now is what the printer reads; all it allocates is garbage at once.
		// The default headroom would let YAML's or the table's garbage take the heap past
		// the peak of the conversion (list -o yaml of 100,000 keys: 84 MB of RSS, 3.04 times
		// the server's answer, against 75 MB for CSV; docs/performance.md).
		debug.SetGCPercent(printGCPercent)
	}
	output.SortKeys(rows, sortKeys)
	if !large {
		debug.SetMemoryLimit(min(limit, goMemory()+printHeadroom))
	}
	empty := func() string {
		if len(filters) == 0 {
			return lang.Text("The organization has no API keys.")
		}
		return lang.Text("No API keys match.")
	}
	if saidEmpty(opts.IO, p.Format(), len(rows), empty) {
		writeWarningsIn(opts.IO.ErrOut, lang, &warn)
		return incompleteListError(undecided, shownUnknown, sortKeys)
	}
	out, flush := p.Output() // the filter's input, with --jq or --template
	err = paged(opts.IO, lang, func() error {
		if err := printKeyRows(out, rows, output.KeyPrintOptions{
			Format:          p.Format(),
			Columns:         columns,
			ColumnsExplicit: opts.columnsGiven,
			NoHeaders:       opts.NoHeaders,
			TTY:             opts.IO.IsStdoutTTY(),
			Color:           opts.IO.ColorEnabled(),
			Width:           opts.IO.TerminalWidth(),
			Now:             now,
			Printer:         lang,
		}); err != nil {
			return err
		}
		return flush()
	})
	if err == nil && p.Format() == output.Table && !opts.Script.given() && opts.IO.IsStdoutTTY() {
		// After the pager has ended (paged waits for it), so the count is the last line of
		// the screen, below the table the pager leaves.
		fmt.Fprintln(opts.IO.ErrOut, listCount(lang, len(rows), total, len(filters) > 0))
	}
	writeWarningsIn(opts.IO.ErrOut, lang, &warn)
	if err != nil {
		return err
	}
	return incompleteListError(undecided, shownUnknown, sortKeys)
}

// listCount is the table's footer, as the portal's: how many keys the organization has
// ("11 keys"), and with filters how many of them match ("3 of 11 keys match"). The count
// agrees with the keys shown in French (0 and 1 singular) and with the total in English.
func listCount(lang *l10n.Printer, shown, total int, filtered bool) string {
	switch {
	case !filtered:
		return lang.Plural(total, "%d key", "%d keys", total)
	case total == 1:
		return lang.Sprintf("%d of %d key matches", shown, total)
	}
	return lang.Plural(shown, "%d of %d keys matches", "%d of %d keys match", shown, total)
}

// incompleteListError is exit 1 when an unreadable field mattered: keys a filter could not
// decide were left out, or keys were sorted by a field they lack. Showing a key with an
// unreadable field is not an error: the warnings say what is missing.
func incompleteListError(undecided, shownUnknown []string, sortKeys []output.SortKey) error {
	var msgs errorLines
	if n := len(undecided); n > 0 {
		fields := strings.Join(slices.Compact(slices.Sorted(slices.Values(undecided))), ", ")
		msgs = append(msgs, l10n.P(n, "%d API key left out: a filter reads %s, which the server sent unreadable (see the warnings)",
			"%d API keys left out: a filter reads %s, which the server sent unreadable (see the warnings)", n, fields))
	}
	var unsorted []string
	for _, s := range sortKeys {
		if slices.Contains(shownUnknown, s.Field) {
			unsorted = append(unsorted, s.Field)
		}
	}
	if len(unsorted) > 0 {
		msgs = append(msgs, l10n.M("the order is uncertain: keys sorted by %s lack it and are placed as if it were unset (see the warnings)", strings.Join(unsorted, ", ")))
	}
	if len(msgs) == 0 {
		return nil
	}
	return msgs
}

// errorLines are an error's messages, one a line, each in the reader's language.
type errorLines []l10n.Msg

func (e errorLines) Error() string { return e.Localize(nil) }

// Localize is the lines in p's language.
func (e errorLines) Localize(p *l10n.Printer) string {
	lines := make([]string, len(e))
	for i, m := range e {
		lines[i] = m.Localize(p)
	}
	return strings.Join(lines, "\n")
}

// listFilters parses --filter and turns the shortcuts into the same filters.
func listFilters(opts *listOptions, now time.Time) ([]output.Filter, error) {
	exprs := append([]string(nil), opts.Filters...)
	if opts.Expired {
		exprs = append(exprs, "status=expired")
	}
	if opts.withinGiven {
		exprs = append(exprs, "status!=expired", "expires<="+now.Add(opts.ExpiringWithin).UTC().Format(time.RFC3339))
	}
	return parseFilters(exprs, now)
}

// parseFilters parses --filter expressions; the first bad one is the error (exit 2).
func parseFilters(exprs []string, now time.Time) ([]output.Filter, error) {
	filters := make([]output.Filter, 0, len(exprs))
	for _, e := range exprs {
		flt, err := output.ParseFilter(e, now)
		if err != nil {
			return nil, err
		}
		filters = append(filters, flt)
	}
	return filters, nil
}

// collector is the process's collector settings as they were before the lists that run hold
// them (holdCollector). They are the runtime's, for the whole process: a command runs alone in
// its process, but tests run lists side by side in one, where two saving and restoring at once
// could leave the collector off for the rest of the process.
var collector struct {
	sync.Mutex
	users     int
	gcPercent int
	limit     int64
}

// holdCollector turns the collector off within listMemoryLimit for a list, the first list of
// those running at once saving the settings and the last one restoring them (release). limit
// is the memory limit before any list.
func holdCollector() (limit int64, release func()) {
	collector.Lock()
	defer collector.Unlock()
	if collector.users == 0 {
		collector.gcPercent = debug.SetGCPercent(walkGCPercent)
		collector.limit = debug.SetMemoryLimit(-1)
		debug.SetMemoryLimit(min(collector.limit, listMemoryLimit))
	}
	collector.users++
	return collector.limit, func() {
		collector.Lock()
		defer collector.Unlock()
		if collector.users--; collector.users == 0 {
			debug.SetGCPercent(collector.gcPercent)
			debug.SetMemoryLimit(collector.limit)
		}
	}
}

// walkGCPercent is the garbage collector's growth target while list reads its pages and
// sorts their rows, and while it prints a list shorter than collectAfter: off, within
// listMemoryLimit, then printHeadroom past what the rows hold (runList).
const walkGCPercent = -1

// listMemoryLimit bounds the memory list lets the collector leave uncollected while it reads
// the pages: past it, the collector runs. The largest list a walk reads (a million keys) holds
// about 330 MB; 100,000 keys peak at 60 MB.
const listMemoryLimit = 512 << 20

// printHeadroom is the memory list lets the collector leave uncollected while it prints a
// list shorter than collectAfter, past what the list and its rows hold then (under 10 MB):
// CSV's garbage stays under it, YAML's reaches it (-o yaml of 10,000 keys peaks at 38 MB of
// RSS within it, 27 MB with collections at 75 %).
const printHeadroom = 16 << 20

// goMemory is the memory the Go runtime holds, as its memory limit counts it.
func goMemory() int64 {
	// MemStats rather than runtime/metrics, whose package init (0.08 ms, 15 KB) every start
	// of the program would pay, `apikeys version` included; read once, for a short list.
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.Sys - m.HeapReleased)
}

// printGCPercent is the garbage collector's growth target while list prints a large list.
const printGCPercent = 25

// collectAfter is the list length from which runList collects garbage once the walk has
// made the rows.
const collectAfter = 20_000

// printChunk is how many rows one PrintKeys call renders in CSV and TSV on a terminal. Their
// rows are independent lines, so printing them a chunk at a time gives the same bytes, while
// the printer's copies of the rows (normalized keys, then cells) stay the size of a chunk: on
// 100,000 keys that is about 30 MB less at the command's peak (docs/performance.md). Off a
// terminal CSV and TSV are written a key at a time, with no copy, in one call (which formats a
// long list on several cores). A table needs every row for its column widths, and JSON and
// YAML one document: those are printed in one call.
const printChunk = 4096

func printKeyRows(w io.Writer, rows []output.Key, opts output.KeyPrintOptions) error {
	if (opts.Format != output.CSV && opts.Format != output.TSV) || !opts.TTY || len(rows) <= printChunk {
		return output.PrintKeys(w, rows, opts)
	}
	for start := 0; start < len(rows); start += printChunk {
		if err := output.PrintKeys(w, rows[start:min(start+printChunk, len(rows))], opts); err != nil {
			return err
		}
		opts.NoHeaders = true
	}
	return nil
}

// saidEmpty says msg's text on stderr, and reports true, when a table of no rows would be
// drawn on a terminal: a person reads a sentence better than a box of headers. A pipe, and
// every other format, still gets the empty table, document or header line a script expects.
// msg is asked for only then: a script's run puts nothing in the reader's language.
func saidEmpty(streams *iostreams.IOStreams, format output.Format, rows int, msg func() string) bool {
	if rows > 0 || format != output.Table || !streams.IsStdoutTTY() {
		return false
	}
	fmt.Fprintln(streams.ErrOut, msg())
	return true
}
