package output

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// Column is one column of a table of T. Header names it in CSV and TSV, where scripts read
// it, and is the JSON key of the field it shows; Title heads it in a table (Header in upper
// case when empty). Value gives the cell of one item as machine output shows it.
type Column[T any] struct {
	Header string
	Title  string
	Value  func(T) string
	// Fit says how a terminal table narrows the column to fit (the zero value: never).
	Fit ColumnFit
}

// Rows are records as cells: what CSV and TSV print, and the table when a result has no
// text of its own. Build them with TableOf.
type Rows struct {
	headers []string
	titles  []string
	fits    []ColumnFit
	cells   [][]string
}

// TableOf renders items under columns, in order.
func TableOf[T any](columns []Column[T], items []T) Rows {
	r := Rows{headers: make([]string, len(columns)), titles: make([]string, len(columns)), fits: make([]ColumnFit, len(columns)), cells: make([][]string, len(items))}
	for i, c := range columns {
		r.headers[i] = c.Header
		r.fits[i] = c.Fit
		r.titles[i] = c.Title
		if c.Title == "" {
			r.titles[i] = strings.ToUpper(c.Header)
		}
	}
	for i, item := range items {
		row := make([]string, len(columns))
		for j, c := range columns {
			row[j] = c.Value(item)
		}
		r.cells[i] = row
	}
	return r
}

// Shape is what kind of result a command prints, which decides the formats it can print.
type Shape uint8

const (
	// Records are rows of one kind (a list, or show's one key, a row of list's table): every
	// format, CSV and TSV one line per record.
	Records Shape = iota
	// Object is one record that no CSV line would hold faithfully (nested lists, a secret, a
	// version): table, JSON and YAML. CSV and TSV are refused.
	Object
)

// Formats lists the formats a shape prints, in FormatNames order.
func (s Shape) Formats() []Format {
	if s == Object {
		return []Format{Table, JSON, YAML}
	}
	return []Format{Table, JSON, YAML, CSV, TSV}
}

func (s Shape) prints(f Format) bool {
	for _, g := range s.Formats() {
		if g == f {
			return true
		}
	}
	return false
}

// Spec says what one command prints: its name (for the refusal of a format), its shape and,
// optionally, advice appended to a refusal (what to use instead).
type Spec struct {
	Command string
	Shape   Shape
	// AdviceText is Advice in the reader's language (l10n.M), for a command whose advice
	// is translated.
	AdviceText l10n.Localizable
}

// Check refuses a format the command cannot print, with one wording for every command:
// "create prints table, json or yaml, not csv", then ": " and the advice if any. It is a
// *UsageError (exit 2). Commands call it before any I/O, so a refused format costs nothing.
func (s Spec) Check(f Format) error {
	if f == "" || s.Shape.prints(f) {
		return nil
	}
	names := s.Shape.Formats()
	list := make([]string, len(names))
	for i, n := range names {
		list[i] = string(n)
	}
	formats := strings.Join(list[:len(list)-1], ", ")
	if s.AdviceText != nil {
		return usageErrorf("%s prints %s or %s, not %s: %s", s.Command, formats, list[len(list)-1], f, s.AdviceText)
	}
	return usageErrorf("%s prints %s or %s, not %s", s.Command, formats, list[len(list)-1], f)
}

// Printer prints one command's result in the format -o chose. Build it with NewPrinter, which
// checks the format first.
type Printer struct {
	spec      Spec
	format    Format
	out       io.Writer
	tty       bool
	noHeaders bool
	width     int
	filter    DocumentFilter
	lang      *l10n.Printer
}

// DocumentFilter is --jq or --template (package jsonfilter): it reads the JSON document
// the command would print with -o json and writes what the expression makes of it.
type DocumentFilter interface {
	Apply(w io.Writer, doc []byte, tty bool) error
	Flag() string
}

// PrinterOptions are where and how a Printer writes.
type PrinterOptions struct {
	Out io.Writer
	// TTY is set when Out is a terminal: tables are drawn, and CSV and TSV cells are shown
	// escaped as table cells are (TerminalRows).
	TTY       bool
	NoHeaders bool // the table, CSV and TSV leave out their header line
	// Filter, when set, is applied to the JSON output, which the printer then prints
	// whatever the format (the caller refuses a typed -o other than json).
	Filter DocumentFilter
	// Width, with TTY, is the terminal's width, which tables fit (0: unknown, drawn whole).
	Width int
	// Language, with TTY, is the language of what a table says of itself (the columns it
	// hid to fit); nil is English. A result's own text and titles are given in theirs.
	Language *l10n.Printer
}

// NewPrinter checks format against spec (see Spec.Check) and returns the printer of the
// command's result; "" is Table.
func NewPrinter(spec Spec, format Format, opts PrinterOptions) (*Printer, error) {
	if format == "" {
		format = Table
	}
	if opts.Filter != nil {
		format = JSON // its input, whatever -o said
	}
	if err := spec.Check(format); err != nil {
		return nil, err
	}
	return &Printer{spec: spec, format: format, out: opts.Out, tty: opts.TTY, noHeaders: opts.NoHeaders, filter: opts.Filter, width: opts.Width, lang: opts.Language}, nil
}

// Format is the format the printer prints.
func (p *Printer) Format() Format { return p.format }

// Result is what one command prints, whatever the format.
type Result struct {
	// Data is what JSON and YAML print: a typed value marshalled by its json tags (PrintJSON,
	// PrintYAML; YAML keeps the JSON key order).
	Data any
	// Text, when set, is -o table: the view written for a person (a detail view, a panel, a
	// plan), which prints its own lines. When nil, -o table is Rows as a table.
	Text func(w io.Writer) error
	// Rows are the records CSV and TSV print, and the table when Text is nil. A result of
	// Shape Object needs none.
	Rows Rows
	// Keep, when set, is what a filter's output must carry (create's secret, shown once):
	// output that lacks it is still printed, and Print returns a *DroppedError.
	Keep string
}

// DroppedError is a --jq or --template whose output left out the result's Keep.
type DroppedError struct{ Flag string }

func (e *DroppedError) Error() string { return e.Localize(nil) }

// Localize is the message in p's language.
func (e *DroppedError) Localize(p *l10n.Printer) string {
	return p.Sprintf("the %s output left it out", e.Flag)
}

// Print writes r in the printer's format.
func (p *Printer) Print(r Result) error {
	if p.filter != nil {
		return p.printFiltered(r)
	}
	switch p.format {
	case JSON:
		return PrintJSON(p.out, r.Data)
	case YAML:
		return PrintYAML(p.out, r.Data)
	case CSV, TSV:
		if p.spec.Shape != Records {
			return errors.New("internal error: " + p.spec.Command + " has no records to print as " + string(p.format))
		}
		cells := r.Rows.cells
		if p.tty {
			cells = TerminalRows(cells)
		}
		sep := ','
		if p.format == TSV {
			sep = '\t'
		}
		return PrintDelimited(p.out, r.Rows.headers, cells, sep, p.noHeaders)
	}
	if r.Text != nil {
		return r.Text(p.out)
	}
	return PrintRows(p.out, r.Rows, p.TableOptions())
}

// TableOptions are how the printer draws a table: for a view that holds one (PrintRows).
func (p *Printer) TableOptions() TableOptions {
	o := TableOptions{TTY: p.tty, NoHeaders: p.noHeaders, Width: p.width}
	if p.tty {
		o.Printer = p.lang
	}
	return o
}

// PrintRows prints rows as a table under their titles, for a view that holds a table among
// other lines (PrintTable otherwise). The columns' Fit is used unless opts has its own.
func PrintRows(w io.Writer, r Rows, opts TableOptions) error {
	if opts.Fit == nil {
		opts.Fit = r.fits
	}
	return PrintTable(w, r.titles, r.cells, opts)
}

// Output is where a command that writes its own JSON (list streams its keys) writes it,
// and flush, called once it has written without error, finishes the output: with a filter,
// the writer is a buffer whose document flush hands to the filter.
func (p *Printer) Output() (w io.Writer, flush func() error) {
	if p.filter == nil {
		return p.out, func() error { return nil }
	}
	var doc bytes.Buffer
	return &doc, func() error { return p.filter.Apply(p.out, doc.Bytes(), p.tty) }
}

// Probe runs the filter on r as Print would, printing nothing: with a filter whose output
// would leave out r.Keep it returns a *DroppedError, with one that fails its error; without
// a filter, nil. create asks it of a stand-in key before it creates one.
func (p *Printer) Probe(r Result) error {
	if p.filter == nil {
		return nil
	}
	probe := *p
	probe.out = io.Discard
	return probe.printFiltered(r)
}

// printFiltered applies the filter to r's JSON document, and checks that r.Keep survived.
func (p *Printer) printFiltered(r Result) error {
	var doc bytes.Buffer
	if err := PrintJSON(&doc, r.Data); err != nil {
		return err
	}
	if r.Keep == "" {
		return p.filter.Apply(p.out, doc.Bytes(), p.tty)
	}
	var out bytes.Buffer
	err := p.filter.Apply(&out, doc.Bytes(), p.tty)
	if _, werr := p.out.Write(out.Bytes()); err == nil {
		err = werr
	}
	keep := r.Keep
	if p.tty {
		keep = sanitize.Text(keep)
	}
	if err == nil && !bytes.Contains(out.Bytes(), []byte(keep)) {
		err = &DroppedError{Flag: p.filter.Flag()}
	}
	return err
}
