package cli

import (
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/output"
)

// newPrinter reads -o, checks it against what the command prints (spec) and returns the
// command's printer. Commands call it first, before any request or prompt, so a format they
// cannot print is exit 2 that costs nothing.
func newPrinter(streams *iostreams.IOStreams, format func() (output.Format, error), spec output.Spec, noHeaders bool) (*output.Printer, error) {
	f, err := format()
	if err != nil {
		return nil, err
	}
	return output.NewPrinter(spec, f, output.PrinterOptions{Out: streams.Out, TTY: streams.IsStdoutTTY(), NoHeaders: noHeaders})
}

// printRecords prints rows of cells as CSV, TSV or a table (any other format). headers name
// the CSV and TSV columns; titles head the table. JSON and YAML are the caller's: they marshal
// typed rows, never cells. CSV and TSV on a terminal show their cells as tables do.
//
// It is what delete still prints its outcome with; new code uses newPrinter and
// output.Column tables.
func printRecords(streams *iostreams.IOStreams, format output.Format, headers, titles []string, rows [][]string, noHeaders bool) error {
	if (format == output.CSV || format == output.TSV) && streams.IsStdoutTTY() {
		rows = output.TerminalRows(rows)
	}
	switch format {
	case output.CSV:
		return output.PrintDelimited(streams.Out, headers, rows, ',', noHeaders)
	case output.TSV:
		return output.PrintDelimited(streams.Out, headers, rows, '\t', noHeaders)
	}
	return output.PrintTable(streams.Out, titles, rows, output.TableOptions{TTY: streams.IsStdoutTTY(), NoHeaders: noHeaders})
}
