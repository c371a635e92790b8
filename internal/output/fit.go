package output

import (
	"slices"
	"strings"

	"github.com/clipperhouse/displaywidth"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// ColumnFit says how a terminal table may narrow a column to fit the terminal's width.
// The zero value is a column shown whole, always: an ID, a date, a role, a status.
type ColumnFit struct {
	// Shrink marks free text (a title, a name, an email): it is shortened with "…" to fit.
	Shrink bool
	// Drop, when not 0, lets the column be hidden when the table would not fit borderless
	// even with its free text shortened: the highest Drop is hidden first. A table says
	// below itself which columns it hid.
	Drop int
}

const (
	ellipsis = "…"
	// roomyMin is the width to which free text is shortened before the table gives up its
	// borders or hides a column: "Partner feed…" still says which key it is.
	roomyMin = 12
	// tightMin is the width to which free text is shortened when nothing else is left to
	// give: a terminal too narrow for the IDs and dates with roomy titles. Five ("Lega…")
	// lets list fit 60 columns in French too, whose relative dates are longer ("il y a 35
	// jours").
	tightMin = 5
)

// tableLayout is how a terminal table is drawn within its width.
type tableLayout struct {
	bordered bool
	widths   []int  // per column, the width its cells are cut to (their own width when not cut)
	hidden   []bool // per column, left out to fit
}

// fitLayout lays out columns whose widest cells (header included) are natural wide and
// whose headers are header wide within width columns (0: unlimited). In order, until one
// fits: the bordered table; the bordered table with free text shortened widest first down
// to roomyMin; the same borderless; borderless with columns hidden (highest Drop first;
// then each hidden column shown again if the table still fits with it); all that again
// with free text down to tightMin. A table that fits none of them is borderless with its
// free text at tightMin and every droppable column hidden: IDs and dates are never cut.
// A column's free text is never cut below its header's width.
func fitLayout(natural, header []int, fits []ColumnFit, width int) tableLayout {
	l := tableLayout{bordered: true, widths: slices.Clone(natural), hidden: make([]bool, len(natural))}
	if width <= 0 || tableWidth(natural, l.hidden, true) <= width {
		return l
	}
	try := func(bordered bool, floor int) bool {
		w, ok := shrinkColumns(natural, header, fits, l.hidden, floor, width-overhead(l.hidden, bordered))
		if ok {
			l.bordered, l.widths = bordered, w
		}
		return ok
	}
	if try(true, roomyMin) || try(false, roomyMin) {
		return l
	}
	drops := dropOrder(fits)
	for _, floor := range []int{roomyMin, tightMin} {
		clear(l.hidden)
		var hidden []int
		for _, i := range drops {
			l.hidden[i] = true
			hidden = append(hidden, i)
			if try(false, floor) {
				break
			}
		}
		if !try(false, floor) {
			continue
		}
		for j := len(hidden) - 1; j >= 0; j-- { // the last hidden is the most wanted back
			l.hidden[hidden[j]] = false
			if !try(false, floor) {
				l.hidden[hidden[j]] = true
			}
		}
		try(false, floor) // the widths of the columns finally shown
		return l
	}
	for _, i := range drops {
		l.hidden[i] = true
	}
	l.bordered = false
	l.widths, _ = shrinkColumns(natural, header, fits, l.hidden, tightMin, width-overhead(l.hidden, false))
	return l
}

// dropOrder is the columns that may be hidden, highest Drop first (the rightmost first
// among equals).
func dropOrder(fits []ColumnFit) []int {
	var order []int
	for i := len(fits) - 1; i >= 0; i-- {
		if fits[i].Drop > 0 {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return fits[b].Drop - fits[a].Drop })
	return order
}

// overhead is what a table draws besides its cells: "│ " before each column and " │"
// after the last, " │ " between, when bordered; two spaces between columns otherwise.
func overhead(hidden []bool, bordered bool) int {
	n := 0
	for _, h := range hidden {
		if !h {
			n++
		}
	}
	if n == 0 {
		return 0
	}
	if bordered {
		return 3*n + 1
	}
	return 2 * (n - 1)
}

// tableWidth is the width of a table whose shown columns are widths wide.
func tableWidth(widths []int, hidden []bool, bordered bool) int {
	sum := 0
	for i, w := range widths {
		if !hidden[i] {
			sum += w
		}
	}
	return sum + overhead(hidden, bordered)
}

// shrinkColumns shortens the shown free-text columns, the widest first, until their cells
// take at most budget columns, none below floor (nor its header's width, nor shorter than
// it is); ok is false when that is not enough.
func shrinkColumns(natural, header []int, fits []ColumnFit, hidden []bool, floor, budget int) (widths []int, ok bool) {
	widths = slices.Clone(natural)
	sum := 0
	for i, w := range widths {
		if !hidden[i] {
			sum += w
		}
	}
	minOf := func(i int) int { return min(natural[i], max(floor, header[i])) }
	for sum > budget {
		widest := -1
		for i, w := range widths {
			if !hidden[i] && fits[i].Shrink && w > minOf(i) && (widest < 0 || w > widths[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			return widths, false
		}
		widths[widest]--
		sum--
	}
	return widths, true
}

// truncateCell is raw as a table shows it (cleanCell), cut to at most width columns and
// ended with "…" when it is wider. It cuts between graphemes of raw, each shown escaped:
// never inside a character, a wide character's two columns, an accented letter or an
// escape such as \x1b. Colours are added to cells after, so they are never cut nor counted.
func truncateCell(raw string, width int) string {
	clean := cleanCell(raw)
	if shownWidth(clean) <= width {
		return clean
	}
	if width < 1 {
		return ""
	}
	var b strings.Builder
	used := 0
	g := displaywidth.StringGraphemes(raw)
	for g.Next() {
		piece := cleanCell(g.Value())
		w := shownWidth(piece)
		if used+w > width-1 {
			break
		}
		b.WriteString(piece)
		used += w
	}
	// Spaces before the ellipsis would read as the end of the text.
	return strings.TrimRight(b.String(), " ") + ellipsis
}

// shownWidth is the width of a terminal table's cell as tablewriter measures it: wide
// characters count two, and ambiguous ones ("—", "…") two in an East Asian locale, as
// tablewriter decides from the locale, so that the fitting and the framed rows agree with
// the borders it draws.
func shownWidth(s string) int {
	if isASCII(s) {
		return len(s)
	}
	return displaywidth.Options{EastAsianWidth: twwidth.IsEastAsian()}.String(s)
}
