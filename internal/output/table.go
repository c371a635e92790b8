package output

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// printTerminalTable draws the table a person reads: tablewriter's, fitted to opts.Width.
// raw are the cells as given, clean the same escaped (cleanRow): widths are measured on
// what is shown, and a cut is made in raw's graphemes (truncateCell). Colours are added
// after the cut. Every byte goes through one buffer, written once it is full and at the
// end: tablewriter writes each line on its own, which on a terminal was a write call per
// row.
func printTerminalTable(w io.Writer, headers []string, raw, clean [][]string, opts TableOptions, rowColor func(int) string) error {
	hdr := trimRow(cleanRow(headers))
	for i, r := range clean {
		clean[i] = trimRow(r) // in place: clean is printTable's own, made for this call
	}
	ncol := len(hdr)
	for _, r := range clean {
		ncol = max(ncol, len(r))
	}
	natural, headerWidth := make([]int, ncol), make([]int, ncol)
	if !opts.NoHeaders {
		for j, h := range hdr {
			headerWidth[j] = shownWidth(h)
			natural[j] = headerWidth[j]
		}
	}
	for _, r := range clean {
		for j, c := range r {
			natural[j] = max(natural[j], shownWidth(c))
		}
	}
	fits := make([]ColumnFit, ncol)
	copy(fits, opts.Fit)
	l := fitLayout(natural, headerWidth, fits, opts.Width)

	var shownHeader []string
	if !opts.NoHeaders {
		shownHeader = shownCells(hdr, hdr, l)
	}
	shown := shownRows(raw, clean, l)
	var colors []string
	if rowColor != nil {
		colors = make([]string, len(clean))
		for i := range clean {
			colors[i] = rowColor(i)
		}
	}

	bw := bufio.NewWriterSize(w, 64<<10)
	var tw io.Writer = bw
	if !l.bordered {
		// tablewriter pads the last column too: without a border to close the line, those
		// spaces are only noise in a copied line.
		tw = &lineEndTrimmer{w: bw}
	}
	var err error
	if len(shown) >= framedFrom {
		err = writeFramed(tw, shownHeader, shown, colors, l)
	} else {
		err = renderTable(tw, shownHeader, shown, colors, l)
	}
	if t, ok := tw.(*lineEndTrimmer); ok && err == nil {
		err = t.flush()
	}
	if err != nil {
		return err
	}
	if note := hiddenNote(opts.Printer, hdr, l.hidden); note != "" && !opts.NoHeaders {
		fmt.Fprintln(bw, note)
	}
	return bw.Flush()
}

// framedFrom is the number of rows from which a table's rows are written by writeFramed
// rather than by tablewriter: tablewriter spends about 40 µs on a row (it measures and
// formats every cell through its own pipeline), 400 ms for 10,000 keys where the plain table
// takes 15; below this, a table costs it under 10 ms.
var framedFrom = 200 // a variable for the test that compares the two

// renderTable has tablewriter draw the whole table: header, rows (each painted in its
// colour, "" for none) and borders.
func renderTable(w io.Writer, header []string, rows [][]string, colors []string, l tableLayout) error {
	table := tablewriter.NewTable(w, tableOptions(l)...)
	if header != nil {
		table.Header(header)
	}
	for i, cells := range rows {
		if err := table.Append(paint(cells, colorOf(colors, i))); err != nil {
			return err
		}
	}
	return table.Render()
}

// writeFramed writes the same bytes as renderTable, faster: tablewriter draws the header and
// the borders of a table holding two rows of placeholders as wide as each column, the second
// painted, and the rows are written in the layout of those rows (a painted row in the
// painted one's, which has tablewriter's resets), the placeholders replaced by the cells
// padded to the column's width (TestFramedTableIsTablewritersTable holds the two equal). A
// layout it cannot read falls back to renderTable.
func writeFramed(w io.Writer, header []string, rows [][]string, colors []string, l tableLayout) error {
	widths := make([]int, 0, len(l.widths))
	for _, h := range header {
		widths = append(widths, shownWidth(h))
	}
	// Each cell is measured for its column here, and again for its padding below: kept, the
	// widths of 100,000 rows were 7 MB of the table's peak memory, and a text of ASCII
	// (shownWidth's own fast path) is measured by its length (docs/performance.md).
	for _, r := range rows {
		for j, c := range r {
			if j == len(widths) {
				widths = append(widths, 0)
			}
			widths[j] = max(widths[j], shownWidth(c))
		}
	}
	placeholders := make([]string, len(widths))
	for j, wd := range widths {
		if wd == 0 {
			return renderTable(w, header, rows, colors, l)
		}
		placeholders[j] = strings.Repeat("x", wd)
	}
	var frame strings.Builder
	if err := renderTable(&frame, header, [][]string{placeholders, placeholders}, []string{"", ansiRed}, l); err != nil {
		return err
	}
	lines := strings.SplitAfter(frame.String(), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	at := len(lines) - 2 // the placeholder rows: the last two lines, or above the bottom border
	if l.bordered {
		at--
	}
	if at < 0 {
		return renderTable(w, header, rows, colors, l)
	}
	plainSeps, ok := rowSeparators(lines[at], placeholders, "")
	paintedSeps, okPainted := rowSeparators(lines[at+1], placeholders, ansiRed)
	if !ok || !okPainted || len(rows) > 0 && len(rows[0]) != len(widths) {
		return renderTable(w, header, rows, colors, l)
	}
	for _, line := range lines[:at] {
		io.WriteString(w, line) //nolint:errcheck // the caller's bufio.Writer keeps the first error
	}
	var line []byte
	for i, r := range rows {
		color := colorOf(colors, i)
		seps := plainSeps
		if color != "" {
			seps = paintedSeps
		}
		line = line[:0]
		for j, c := range r {
			line = append(line, seps[j]...)
			if color != "" {
				line = append(line, color...)
				line = append(line, c...)
				line = append(line, ansiReset...)
			} else {
				line = append(line, c...)
			}
			for range widths[j] - shownWidth(c) {
				line = append(line, ' ')
			}
		}
		line = append(line, seps[len(r)]...)
		w.Write(line) //nolint:errcheck // as above
	}
	for _, line := range lines[at+2:] {
		io.WriteString(w, line) //nolint:errcheck // as above
	}
	return nil
}

// rowSeparators reads a row of placeholders (each painted in color when it is not "") as
// what comes before each cell and, last, what comes after the last cell and its newline; ok
// is false when the line is not such a row.
func rowSeparators(line string, placeholders []string, color string) (seps []string, ok bool) {
	rest := line
	for _, p := range placeholders {
		if color != "" {
			p = color + p + ansiReset
		}
		i := strings.Index(rest, p)
		if i < 0 || strings.IndexByte(rest[:i], 'x') >= 0 {
			return nil, false
		}
		seps = append(seps, rest[:i])
		rest = rest[i+len(p):]
	}
	if strings.IndexByte(rest, 'x') >= 0 {
		return nil, false
	}
	return append(seps, rest), true
}

func colorOf(colors []string, i int) string {
	if colors == nil {
		return ""
	}
	return colors[i]
}

// paint returns cells each drawn in color, or cells themselves when color is "".
func paint(cells []string, color string) []string {
	if color == "" {
		return cells
	}
	out := make([]string, len(cells))
	for j, c := range cells {
		out[j] = color + c + ansiReset
	}
	return out
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

// trimRow returns r with leading and trailing spaces trimmed from every cell, as tablewriter
// trims them (strings.TrimSpace), so that widths are measured on what is shown, and a painted
// cell, which tablewriter would not trim, is trimmed too; r itself when nothing changes.
func trimRow(r []string) []string {
	var out []string
	for i, c := range r {
		if t := strings.TrimSpace(c); t != c || out != nil {
			if out == nil {
				out = make([]string, len(r))
				copy(out, r[:i])
			}
			out[i] = t
		}
	}
	if out == nil {
		return r
	}
	return out
}

// shownRows are the rows of clean as the layout shows them (shownCells). A row that shows
// every cell whole is clean's row itself; when columns are hidden, the rows' cells are laid
// one after the other in a single array: on 100,000 rows, a slice of its own per row and the
// copy of every row that needed none were 10 MB of the table's peak memory
// (docs/performance.md).
func shownRows(raw, clean [][]string, l tableLayout) [][]string {
	shown := make([][]string, len(clean))
	hides := false
	for _, h := range l.hidden {
		hides = hides || h
	}
	if !hides {
		for i, r := range clean {
			shown[i] = r
			for j, c := range r {
				if shownWidth(c) > l.widths[j] {
					shown[i] = shownCells(raw[i], r, l)
					break
				}
			}
		}
		return shown
	}
	n := 0
	for _, r := range clean {
		for j := range r {
			if !l.hidden[j] {
				n++
			}
		}
	}
	cells := make([]string, 0, n)
	for i, r := range clean {
		start := len(cells)
		cells = appendShownCells(cells, raw[i], r, l)
		shown[i] = cells[start:len(cells):len(cells)]
	}
	return shown
}

// shownCells are the cells of one row as the layout shows them: hidden columns left out,
// the others cut to their width (raw, the row as given; clean, the same escaped).
func shownCells(raw, clean []string, l tableLayout) []string {
	return appendShownCells(make([]string, 0, len(clean)), raw, clean, l)
}

// appendShownCells appends to out the cells of one row as the layout shows them.
func appendShownCells(out, raw, clean []string, l tableLayout) []string {
	for j, c := range clean {
		if l.hidden[j] {
			continue
		}
		if shownWidth(c) > l.widths[j] {
			c = truncateCell(strings.TrimSpace(raw[j]), l.widths[j])
		}
		out = append(out, c)
	}
	return out
}

// hiddenNote says, below a table, which columns were left out to fit, in p's language: ""
// when none.
func hiddenNote(p *l10n.Printer, headers []string, hidden []bool) string {
	var names []string
	for j, h := range hidden {
		if h && j < len(headers) {
			names = append(names, headers[j])
		}
	}
	if len(names) == 0 {
		return ""
	}
	return p.Sprintf("Hidden to fit: %s", strings.Join(names, ", "))
}

// lineEndTrimmer writes lines without the spaces that end them, also when a colour reset
// (an SGR sequence) follows those spaces; a line is held until its newline (or flush).
type lineEndTrimmer struct {
	w    *bufio.Writer
	line []byte
}

func (t *lineEndTrimmer) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			t.line = append(t.line, p...)
			break
		}
		t.line = append(t.line, p[:i]...)
		p = p[i+1:]
		t.w.Write(trimLineEnd(t.line))
		if err := t.w.WriteByte('\n'); err != nil {
			return 0, err
		}
		t.line = t.line[:0]
	}
	return n, nil
}

// flush writes a last line that had no newline.
func (t *lineEndTrimmer) flush() error {
	if len(t.line) == 0 {
		return nil
	}
	_, err := t.w.Write(trimLineEnd(t.line))
	t.line = t.line[:0]
	return err
}

// trimLineEnd removes the spaces that end line, before or among the SGR sequences
// (ESC [ … m) that may close it.
func trimLineEnd(line []byte) []byte {
	end := len(line)
	var tail []byte // the closing SGR sequences, kept in order
	for {
		trimmed := bytes.TrimRight(line[:end], " ")
		end = len(trimmed)
		if end == 0 || line[end-1] != 'm' {
			break
		}
		start := bytes.LastIndex(line[:end], []byte("\x1b["))
		if start < 0 || !isSGRParams(line[start+2:end-1]) {
			break
		}
		tail = append(append([]byte{}, line[start:end]...), tail...)
		end = start
	}
	if tail == nil {
		return line[:end]
	}
	return append(line[:end:end], tail...)
}

func isSGRParams(b []byte) bool {
	for _, c := range b {
		if (c < '0' || c > '9') && c != ';' {
			return false
		}
	}
	return true
}
