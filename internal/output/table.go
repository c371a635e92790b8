package output

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// printTerminalTable draws the table a person reads: tablewriter's, fitted to opts.Width.
// raw are the cells as given, clean the same escaped (cleanRow): widths are measured on
// what is shown, and a cut is made in raw's graphemes (truncateCell). Colours are added
// after the cut. Every byte goes through one buffer, written once it is full and at the
// end: tablewriter writes each line on its own, which on a terminal was a write call per
// row.
func printTerminalTable(w io.Writer, headers []string, raw, clean [][]string, opts TableOptions, rowColor func(int) string) error {
	hdr := cleanRow(headers)
	ncol := len(hdr)
	for _, r := range clean {
		ncol = max(ncol, len(r))
	}
	natural, headerWidth := make([]int, ncol), make([]int, ncol)
	if !opts.NoHeaders {
		for j, h := range hdr {
			headerWidth[j] = cellWidth(h)
			natural[j] = headerWidth[j]
		}
	}
	for _, r := range clean {
		for j, c := range r {
			natural[j] = max(natural[j], cellWidth(c))
		}
	}
	fits := make([]ColumnFit, ncol)
	copy(fits, opts.Fit)
	l := fitLayout(natural, headerWidth, fits, opts.Width)

	bw := bufio.NewWriterSize(w, 64<<10)
	table := tablewriter.NewTable(bw, tableOptions(l)...)
	if !opts.NoHeaders {
		table.Header(shownCells(hdr, hdr, l))
	}
	for i, r := range clean {
		cells := shownCells(raw[i], r, l)
		if rowColor != nil {
			if c := rowColor(i); c != "" {
				for j, cell := range cells {
					cells[j] = c + cell + ansiReset
				}
			}
		}
		if err := table.Append(cells); err != nil {
			return err
		}
	}
	if err := table.Render(); err != nil {
		return err
	}
	if note := hiddenNote(hdr, l.hidden); note != "" && !opts.NoHeaders {
		fmt.Fprintln(bw, note)
	}
	return bw.Flush()
}

// tableOptions are tablewriter's settings: headers as given, left-aligned; without borders,
// the columns are two spaces apart, the first at the margin and nothing after the last, as
// gh draws a narrow table.
func tableOptions(l tableLayout) []tablewriter.Option {
	opts := []tablewriter.Option{
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
	}
	if l.bordered {
		return opts
	}
	var padding []tw.Padding
	for _, h := range l.hidden {
		if !h {
			padding = append(padding, tw.Padding{Left: "", Right: "  ", Overwrite: true})
		}
	}
	if len(padding) > 0 {
		padding[len(padding)-1] = tw.Padding{Left: "", Right: "", Overwrite: true}
	}
	off := tw.Separators{BetweenColumns: tw.Off, BetweenRows: tw.Off}
	return append(opts,
		tablewriter.WithRendition(tw.Rendition{
			Borders:  tw.BorderNone,
			Settings: tw.Settings{Separators: off, Lines: tw.Lines{ShowHeaderLine: tw.Off}},
		}),
		tablewriter.WithHeaderPaddingPerColumn(padding),
		tablewriter.WithRowPaddingPerColumn(padding),
	)
}

// shownCells are the cells of one row as the layout shows them: hidden columns left out,
// the others cut to their width (raw, the row as given; clean, the same escaped).
func shownCells(raw, clean []string, l tableLayout) []string {
	out := make([]string, 0, len(clean))
	for j, c := range clean {
		if l.hidden[j] {
			continue
		}
		if cellWidth(c) > l.widths[j] {
			c = truncateCell(raw[j], l.widths[j])
		}
		out = append(out, c)
	}
	return out
}

// hiddenNote says, below a table, which columns were left out to fit: "" when none.
func hiddenNote(headers []string, hidden []bool) string {
	var names []string
	for j, h := range hidden {
		if h && j < len(headers) {
			names = append(names, headers[j])
		}
	}
	if len(names) == 0 {
		return ""
	}
	return "Hidden to fit: " + strings.Join(names, ", ")
}
