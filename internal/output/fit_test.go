package output

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

func TestTruncateCellCutsWholeCharactersAndEscapes(t *testing.T) {
	for _, c := range []struct {
		raw   string
		width int
		want  string
	}{
		{"Partner feed — CityData", 30, "Partner feed — CityData"}, // fits: whole
		{"Partner feed — CityData", 12, "Partner fee…"},
		{"Partner feed — CityData", 14, "Partner feed…"}, // no space before the …
		{"東京都の地図サービス", 7, "東京都…"},                        // wide characters: 2 columns each, never half
		{"東京都の地図サービス", 8, "東京都…"},                        // the fourth would take columns 7 and 8, the … the 9th
		{"Montre\u0301al basemap", 8, "Montre\u0301a…"},  // the accent stays with its letter
		{"ab\x1bcdefgh", 6, "ab…"},                       // shown as ab\x1bcd…: the escape is not cut
		{"ab\x1bcdefgh", 7, "ab\\x1b…"},
		{"line one\nline two", 12, "line one\\nl…"},
		{"line one\nline two", 10, "line one…"}, // \\n is not cut to a lone backslash
	} {
		got := truncateCell(c.raw, c.width)
		if got != c.want {
			t.Errorf("truncateCell(%q, %d) = %q, want %q", c.raw, c.width, got, c.want)
		}
		if w := cellWidth(got); w > c.width {
			t.Errorf("truncateCell(%q, %d) is %d wide", c.raw, c.width, w)
		}
	}
}

func TestFitLayout(t *testing.T) {
	// list's default columns with the seeds: TITLE 25, ID 36, CREATOR 9, CREATED 12, EXPIRES 11.
	natural := []int{25, 36, 9, 12, 11}
	header := []int{5, 2, 7, 7, 7}
	fits := []ColumnFit{fieldTitle.fit(), fieldIDKey.fit(), fieldCreator.fit(), fieldCreated.fit(), fieldExpires.fit()}
	for _, c := range []struct {
		width    int
		bordered bool
		widths   []int
		hidden   []bool
	}{
		{0, true, []int{25, 36, 9, 12, 11}, []bool{false, false, false, false, false}},   // unknown width: whole
		{150, true, []int{25, 36, 9, 12, 11}, []bool{false, false, false, false, false}}, // fits
		{100, true, []int{16, 36, 9, 12, 11}, []bool{false, false, false, false, false}}, // titles shortened, borders kept
		{90, false, []int{14, 36, 9, 12, 11}, []bool{false, false, false, false, false}}, // borderless
		{80, false, []int{18, 36, 9, 12, 11}, []bool{false, false, false, true, false}},  // CREATED hidden
		{60, false, []int{9, 36, 9, 12, 11}, []bool{false, false, true, true, false}},    // and CREATOR
		{40, false, []int{5, 36, 9, 12, 11}, []bool{false, false, true, true, false}},    // too narrow: the ID stays whole
	} {
		l := fitLayout(natural, header, fits, c.width)
		if l.bordered != c.bordered || !slices.Equal(l.hidden, c.hidden) {
			t.Errorf("width %d: bordered %v hidden %v, want %v %v", c.width, l.bordered, l.hidden, c.bordered, c.hidden)
		}
		for i := range natural { // hidden columns keep any width
			if !c.hidden[i] && l.widths[i] != c.widths[i] {
				t.Errorf("width %d: widths %v, want %v", c.width, l.widths, c.widths)
				break
			}
		}
		if c.width >= 60 {
			if got := tableWidth(l.widths, l.hidden, l.bordered); got > c.width {
				t.Errorf("width %d: the table is %d wide", c.width, got)
			}
		}
	}
}

func TestFitLayoutShortensTheWidestFirst(t *testing.T) {
	l := fitLayout([]int{40, 20, 10}, []int{4, 4, 2}, []ColumnFit{{Shrink: true}, {Shrink: true}, {}}, 3*3+1+50)
	if want := []int{20, 20, 10}; !slices.Equal(l.widths, want) {
		t.Errorf("widths %v, want %v: the widest is shortened until it is no wider than the next", l.widths, want)
	}
}

var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestTerminalTableFitsWithColoursUncounted(t *testing.T) {
	keys := []Key{
		{ID: "f2d54b46-ab89-43ac-8859-79f2d1cb591d", Title: "東京都の地図サービス — a very long title indeed", Creator: "Oscar Ops", Created: testNow.AddDate(-1, 0, 0), Expires: testNow.AddDate(0, 0, -3)},
		{ID: "0e3b9bf1-5721-41d3-8628-9f2672235fef", Title: "Tableau\x1b[2J dashboard", Creator: "Ada Admin", Created: testNow.AddDate(-1, 0, 0), Expires: testNow.AddDate(0, 0, 10)},
	}
	for _, width := range []int{60, 80, 150} {
		var out bytes.Buffer
		if err := PrintKeys(&out, keys, KeyPrintOptions{TTY: true, Color: true, Width: width, Now: testNow}); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		for _, line := range lines {
			if w := cellWidth(sgr.ReplaceAllString(line, "")); w > width {
				t.Errorf("at %d columns a line is %d wide: %q", width, w, line)
			}
		}
		if !strings.Contains(out.String(), ansiRed) || !strings.Contains(out.String(), ansiYellow) {
			t.Errorf("at %d columns the rows lost their colours:\n%s", width, out.String())
		}
		if strings.Contains(out.String(), "\x1b[2J") {
			t.Errorf("at %d columns a title's escape reached the terminal", width)
		}
		for _, id := range []string{keys[0].ID, keys[1].ID} {
			if !strings.Contains(out.String(), id) {
				t.Errorf("at %d columns the ID %s was shortened:\n%s", width, id, out.String())
			}
		}
	}
}

func TestPipedTableIgnoresTheWidth(t *testing.T) {
	keys := benchKeys(20)
	keys[3].Title = strings.Repeat("long title ", 9)
	var whole, narrow bytes.Buffer
	if err := PrintKeys(&whole, keys, KeyPrintOptions{Now: testNow}); err != nil {
		t.Fatal(err)
	}
	if err := PrintKeys(&narrow, keys, KeyPrintOptions{Width: 40, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	if whole.String() != narrow.String() || !strings.Contains(whole.String(), keys[3].Title) {
		t.Errorf("a table written to a pipe depends on the width, or lost a value:\n%s", narrow.String())
	}
}

// TestFramedTableIsTablewritersTable holds writeFramed to the bytes tablewriter draws itself:
// bordered and borderless, with and without a header, colours, wide and accented
// characters, shortened cells, empty cells, leading and trailing spaces.
func TestFramedTableIsTablewritersTable(t *testing.T) {
	header := []string{"TITLE", "ID", "CREATOR", "EXPIRES"}
	rows := [][]string{
		{"東京都の地図サービス", "f2d54b46", "Oscar Ops", "in 7 days"},
		{"Montre\u0301al basemap", "0e3b9bf1", "", "1 day ago"},
		{"Partner fee…", "586b309e", "Ada Admin", "never"},
		{"CI", "3fa6fcec", "Vera Viewer — long", "in 10 years"},
	}
	colors := []string{ansiRed, "", ansiYellow, ""}
	for _, bordered := range []bool{true, false} {
		for _, withHeader := range []bool{true, false} {
			for _, painted := range []bool{false, true} {
				l := tableLayout{bordered: bordered, widths: []int{30, 8, 20, 11}, hidden: make([]bool, 4)}
				var h []string
				if withHeader {
					h = header
				}
				var c []string
				if painted {
					c = colors
				}
				var want, got bytes.Buffer
				if err := renderTable(&want, h, rows, c, l); err != nil {
					t.Fatal(err)
				}
				if err := writeFramed(&got, h, rows, c, l); err != nil {
					t.Fatal(err)
				}
				if got.String() != want.String() {
					t.Errorf("bordered %v, header %v, colour %v: writeFramed differs from tablewriter:\n%s\nwant:\n%s", bordered, withHeader, painted, got.String(), want.String())
				}
			}
		}
	}
}

// TestFramedKeysTableIsTablewritersTable renders a list long enough for writeFramed, fitted
// to 60, 80 and 150 columns, in colour, with titles that have spaces around them, wide
// characters and escapes, and compares it with tablewriter drawing every row.
func TestFramedKeysTableIsTablewritersTable(t *testing.T) {
	keys := benchKeys(framedFrom + 50)
	keys[3].Title = "  spaced title  "
	keys[5].Title = "東京都の地図サービス — une très longue description\x1b[2J"
	keys[7].Creator = " "
	wasEastAsian := twwidth.IsEastAsian()
	defer twwidth.SetEastAsian(wasEastAsian)
	for _, c := range []struct {
		width     int
		eastAsian bool // "—" and "…" two columns wide, as tablewriter has them in a CJK locale
	}{{60, false}, {80, false}, {150, false}, {80, true}, {150, true}} {
		twwidth.SetEastAsian(c.eastAsian)
		width := c.width
		opts := KeyPrintOptions{TTY: true, Color: true, Width: width, Now: testNow}
		var framed, whole bytes.Buffer
		if err := PrintKeys(&framed, keys, opts); err != nil {
			t.Fatal(err)
		}
		saved := framedFrom
		framedFrom = len(keys) + 1
		err := PrintKeys(&whole, keys, opts)
		framedFrom = saved
		if err != nil {
			t.Fatal(err)
		}
		if framed.String() != whole.String() {
			t.Errorf("at %d columns (East Asian %v) the framed table differs from tablewriter's:\n%s\nwant:\n%s", width, c.eastAsian, framed.String(), whole.String())
		}
	}
}

// TestTerminalTableWritesInFewCalls counts the write calls of a terminal table of 1,000
// keys: tablewriter wrote each line on its own (a system call per row on a terminal); the
// table is now written a 64 KiB buffer at a time, and a small table in one call.
func TestTerminalTableWritesInFewCalls(t *testing.T) {
	for _, n := range []int{5, 1000} {
		var out bytes.Buffer
		counted := &countingWriter{w: &out}
		if err := PrintKeys(counted, benchKeys(n), KeyPrintOptions{TTY: true, Color: true, Width: 150, Now: testNow}); err != nil {
			t.Fatal(err)
		}
		if want := out.Len()/(64<<10) + 1; counted.writes > want {
			t.Errorf("%d keys: %d write calls for %d bytes, want at most %d", n, counted.writes, out.Len(), want)
		}
	}
}

// A borderless terminal table's lines end at their last character: tablewriter's padding of
// the last column is dropped, also before the colour reset that closes a painted row.
func TestTrimLineEnd(t *testing.T) {
	for in, want := range map[string]string{
		"":                           "",
		"   ":                        "",
		"ID  TITLE  ":                "ID  TITLE",
		"a b":                        "a b",
		"\x1b[31mx  y   \x1b[0m":     "\x1b[31mx  y\x1b[0m",
		"x   \x1b[0m  \x1b[1;31m ":   "x\x1b[0m\x1b[1;31m",
		"keep \x1b[31mcolour\x1b[0m": "keep \x1b[31mcolour\x1b[0m",
		"not an sgr \x1b[2K  ":       "not an sgr \x1b[2K",
		"odd \x1b[x;m ":              "odd \x1b[x;m",
	} {
		if got := string(trimLineEnd([]byte(in))); got != want {
			t.Errorf("trimLineEnd(%q) = %q, want %q", in, got, want)
		}
	}
}
