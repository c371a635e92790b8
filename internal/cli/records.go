package cli

import (
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/output"
)

// printRecords prints rows of cells as CSV, TSV or a table (any other format). headers name
// the CSV and TSV columns; titles head the table. JSON and YAML are the caller's: they marshal
// typed rows, never cells. CSV and TSV on a terminal show their cells as tables do.
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
