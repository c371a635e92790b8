package output

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/clipperhouse/displaywidth"
	yamlv2 "go.yaml.in/yaml/v2"

	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// PrintJSON writes v as JSON indented by two spaces, with a trailing
// newline. A nil slice prints as [] (a list that happens to be empty, not a
// missing one), and <, >, & are not escaped, since nobody embeds this output
// in HTML. Every character a terminal would act on is written as a \u
// escape: encoding/json's C0 controls, and also DEL, the C1 controls and the
// bidirectional controls it leaves raw (see escapeTerminalRunes).
func PrintJSON(w io.Writer, v any) error {
	if isNilSlice(v) {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(escapeTerminalRunes(buf.Bytes()))
	return err
}

// PrintYAML writes v as YAML through its JSON form, so YAML keys are exactly
// the JSON keys, in the JSON order (the order of the struct's fields, as a
// reader of the JSON sees them: a map would sort them). A nil slice prints as
// []. The JSON form is escaped as PrintJSON's before it is read as YAML: the
// YAML parser refuses raw C1 controls and DEL (the whole output failed on one
// such title), and given them escaped the YAML writer writes them escaped in
// turn ("\x9B").
func PrintYAML(w io.Writer, v any) error {
	if isNilSlice(v) {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	j, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("error marshaling into JSON: %w", err)
	}
	b, err := jsonToOrderedYAML(escapeTerminalRunes(j))
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// jsonToOrderedYAML converts a JSON document to YAML keeping every object's
// key order. JSON is YAML, so the YAML decoder reads it, as sigs.k8s.io/yaml's
// JSONToYAML does (same scalars, same number types); but into a MapSlice,
// which makes the decoder build every nested object as a MapSlice too, in
// document order. The document is wrapped as the value of a one-key object
// because its top level may be an array.
func jsonToOrderedYAML(j []byte) ([]byte, error) {
	wrapped := make([]byte, 0, len(j)+6)
	wrapped = append(wrapped, `{"v":`...)
	wrapped = append(wrapped, j...)
	wrapped = append(wrapped, '}')
	var doc yamlv2.MapSlice
	if err := yamlv2.Unmarshal(wrapped, &doc); err != nil {
		return nil, fmt.Errorf("error converting JSON to YAML: %w", err)
	}
	if len(doc) != 1 {
		return nil, errors.New("error converting JSON to YAML: not one document")
	}
	return yamlv2.Marshal(doc[0].Value)
}

// escapeTerminalRunes rewrites, in encoded JSON, each character that
// encoding/json leaves raw but sanitize.Text would escape (DEL, the C1
// controls among them U+009B, the bidirectional controls such as U+202E) as
// a \u escape, so that JSON shown on a terminal cannot act on it. In encoded
// JSON such characters occur only inside strings, where the escape stands for
// the same character: the data is unchanged. b is returned as is when it
// holds none.
func escapeTerminalRunes(b []byte) []byte {
	var out []byte
	start := 0 // b[start:i] is still to be copied to out
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf && c != 0x7f {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if (r == utf8.RuneError && n == 1) || sanitize.Safe(string(b[i:i+n])) {
			i += n
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(b)+16)
		}
		out = append(out, b[start:i]...)
		out = appendRuneEscape(out, r)
		i += n
		start = i
	}
	if out == nil {
		return b
	}
	return append(out, b[start:]...)
}

// appendRuneEscape appends r as a JSON \uXXXX escape, lower-case like
// encoding/json's (r is below U+10000: every rune escaped here is).
func appendRuneEscape(b []byte, r rune) []byte {
	const hex = "0123456789abcdef"
	return append(b, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
}

func isNilSlice(v any) bool {
	if v == nil {
		return false
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Slice && rv.IsNil()
}

// TableOptions says how PrintTable renders.
type TableOptions struct {
	TTY       bool // a terminal: a tablewriter table; otherwise plain aligned text
	NoHeaders bool
	// Width, on a terminal, is the width in columns the table must fit (0: unknown, drawn
	// whole); Fit says per column how it may be narrowed (none when shorter than the row).
	Width int
	Fit   []ColumnFit
	// Printer is the language of what the table says of itself on a terminal (the columns
	// it hid to fit); nil is English. Headers and cells are given in their language.
	Printer *l10n.Printer
}

// PrintTable prints rows under headers (printed as given). On a terminal it
// draws a tablewriter table fitted to opts.Width (see fitLayout); otherwise it
// writes plain text: columns separated by two spaces, padded to the widest
// cell, no trailing spaces, no box drawing, so `awk` and `cut` work, and every
// value whole. In both, control characters in cells are shown escaped (\n,
// \t, \x1b) so that every row stays one line and no cell can inject terminal
// escapes.
func PrintTable(w io.Writer, headers []string, rows [][]string, opts TableOptions) error {
	return printTable(w, headers, rows, opts, nil)
}

// printTable is PrintTable plus, on a terminal, an optional ANSI colour per
// row (rowColor returns "" for none).
func printTable(w io.Writer, headers []string, rows [][]string, opts TableOptions, rowColor func(int) string) error {
	clean := make([][]string, len(rows))
	for i, r := range rows {
		clean[i] = cleanRow(r)
	}
	if !opts.TTY {
		var hdr []string
		if !opts.NoHeaders {
			hdr = cleanRow(headers)
		}
		return writePlain(w, hdr, clean)
	}
	return printTerminalTable(w, headers, rows, clean, opts, rowColor)
}

// writePlain aligns cells by display width (so accented and East Asian
// titles line up) and writes one line per row.
func writePlain(w io.Writer, headers []string, rows [][]string) error {
	ncol := len(headers)
	for _, r := range rows {
		ncol = max(ncol, len(r))
	}
	widths := make([]int, ncol)
	measure := func(r []string) {
		for i, c := range r {
			widths[i] = max(widths[i], cellWidth(c))
		}
	}
	measure(headers)
	for _, r := range rows {
		measure(r)
	}

	bw := bufio.NewWriter(w)
	var line []byte
	writeRow := func(r []string) {
		line = line[:0]
		for i, c := range r {
			line = append(line, c...)
			if i < len(r)-1 {
				for range widths[i] - cellWidth(c) + 2 {
					line = append(line, ' ')
				}
			}
		}
		line = bytes.TrimRight(line, " ")
		line = append(line, '\n')
		bw.Write(line) //nolint:errcheck // bufio keeps the first error for Flush
	}
	if headers != nil {
		writeRow(headers)
	}
	for _, r := range rows {
		writeRow(r)
	}
	return bw.Flush()
}

func cellWidth(s string) int {
	if isASCII(s) {
		return len(s)
	}
	return displaywidth.String(s)
}

// cleanRow returns r with control characters escaped in every cell; it
// returns r itself when nothing needed escaping.
func cleanRow(r []string) []string {
	var out []string
	for i, c := range r {
		if cc := cleanCell(c); cc != c || out != nil {
			if out == nil {
				out = make([]string, len(r))
				copy(out, r[:i])
			}
			out[i] = cc
		}
	}
	if out == nil {
		return r
	}
	return out
}

// cleanCell escapes what a terminal would act on (see sanitize.Text).
func cleanCell(s string) string { return sanitize.Text(s) }

// TerminalRows returns rows with control and bidi characters escaped in every
// cell, as tables show them, for CSV or TSV written to a terminal: there a
// person reads the cells, and a server's title must not act on the screen.
// Written elsewhere, CSV and TSV carry the cells as they are.
func TerminalRows(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = cleanRow(r)
	}
	return out
}

// PrintDelimited writes headers and rows as CSV when sep is ',' (or any
// other separator encoding/csv accepts: RFC 4180 quoting), or as TSV when sep
// is '\t'. TSV has no quoting, so in TSV cells a backslash, tab, newline and
// carriage return are written \\, \t, \n and \r: every row is one line and
// every line has the same number of fields. noHeaders leaves out the
// header line.
func PrintDelimited(w io.Writer, headers []string, rows [][]string, sep rune, noHeaders bool) error {
	if sep == '\t' {
		return writeTSV(w, headers, rows, noHeaders)
	}
	cw := csv.NewWriter(w)
	cw.Comma = sep
	if !noHeaders {
		if err := cw.Write(headers); err != nil {
			return err
		}
	}
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeTSV(w io.Writer, headers []string, rows [][]string, noHeaders bool) error {
	bw := bufio.NewWriter(w)
	writeRow := func(r []string) {
		for i, c := range r {
			if i > 0 {
				bw.WriteByte('\t') //nolint:errcheck // bufio keeps the first error for Flush
			}
			bw.WriteString(escapeTSV(c)) //nolint:errcheck // as above
		}
		bw.WriteByte('\n') //nolint:errcheck // as above
	}
	if !noHeaders {
		writeRow(headers)
	}
	for _, r := range rows {
		writeRow(r)
	}
	return bw.Flush()
}

func escapeTSV(s string) string {
	if !strings.ContainsAny(s, "\\\t\n\r") {
		return s
	}
	return string(appendTSVField(make([]byte, 0, len(s)+8), s))
}

// PrintDetailIn writes one "Label:  value" line per pair, the values aligned two spaces
// after the longest label — the layout of `show` — with the typography of lang's language:
// in French a non-breaking space before each label's colon ("Titre :"). The labels are
// given translated. The value of each label in colors is drawn in that ANSI colour ("" for
// none); every value is escaped as in tables, the colour is not. Like fmt.Fprint into a
// terminal, it has no error to report that a caller could act on, so write errors are
// ignored.
func PrintDetailIn(lang *l10n.Printer, w io.Writer, pairs [][2]string, colors map[string]string) {
	colon := ":"
	if lang.Lang() == l10n.French {
		colon = "\u00a0:"
	}
	labels := make([]string, len(pairs))
	width := 0
	for i, p := range pairs {
		labels[i] = cleanCell(p[0]) + colon
		width = max(width, cellWidth(labels[i]))
	}
	var b strings.Builder
	for i, p := range pairs {
		label := labels[i]
		b.WriteString(label)
		b.WriteString(strings.Repeat(" ", width-cellWidth(label)+2))
		if c := colors[p[0]]; c != "" {
			b.WriteString(c + cleanCell(p[1]) + ansiReset)
		} else {
			b.WriteString(cleanCell(p[1]))
		}
		b.WriteByte('\n')
	}
	io.WriteString(w, b.String()) //nolint:errcheck // documented: nothing to report
}

// appendJSONString appends s as a JSON string literal without HTML escaping,
// escaping what PrintJSON escapes (so the streamed list writes its bytes).
// Invalid UTF-8 becomes U+FFFD, as encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == 0x7f:
				b = appendRuneEscape(b, rune(c))
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029': // valid JSON, but not in JavaScript strings
			b = appendRuneEscape(b, r)
		case !sanitize.Safe(s[i : i+n]): // C1 and bidirectional controls
			b = appendRuneEscape(b, r)
		default:
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, '"')
}
