package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	yamlv2 "go.yaml.in/yaml/v2"
)

// KeyPrintOptions says how PrintKeys renders a list of keys.
type KeyPrintOptions struct {
	Format Format // "" is Table
	// Columns to print, in order, as ParseColumns returns them; empty means
	// DefaultKeyColumns (table, CSV, TSV) or every field (JSON, YAML).
	Columns []string
	// ColumnsExplicit is set when the user gave --columns: JSON and YAML then
	// print only those keys, in that order, instead of every field.
	ColumnsExplicit bool
	NoHeaders       bool // table, plain text, CSV and TSV
	// TTY is set when stdout is a terminal: a tablewriter table with relative
	// dates ("in 12 days"); otherwise plain aligned text with RFC 3339 dates.
	// CSV and TSV cells are then shown as tables show them (TerminalRows).
	TTY bool
	// Color, only with TTY, paints expired rows red and expiring rows yellow.
	// The CLI decides it (NO_COLOR, --no-color).
	Color bool
	Now   time.Time // anchors relative dates and empty statuses; zero means time.Now()
}

const (
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiReset  = "\x1b[0m"
)

// PrintKeys prints keys, in the order given, in the chosen format. Every
// format sees the keys through NormalizeKey: UTC dates to the second, role
// names, statuses filled in. An unknown column or format is a *UsageError.
func PrintKeys(w io.Writer, keys []Key, opts KeyPrintOptions) error {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	format, err := ParseFormat(string(opts.Format))
	if err != nil {
		return err
	}

	columns := opts.Columns
	switch machine := format == JSON || format == YAML; {
	case machine && (!opts.ColumnsExplicit || len(columns) == 0):
		columns = KeyFieldNames()
	case len(columns) == 0:
		columns = DefaultKeyColumns()
	}
	ids, err := columnIDs(columns)
	if err != nil {
		return err
	}

	norm := make([]Key, len(keys))
	for i, k := range keys {
		norm[i] = NormalizeKey(k, now)
	}

	switch format {
	case Table:
		headers := make([]string, len(ids))
		for i, id := range ids {
			headers[i] = id.header()
		}
		rows := make([][]string, len(norm))
		for i := range norm {
			rows[i] = keyRow(&norm[i], ids, opts.TTY, now)
		}
		var rowColor func(int) string
		if opts.TTY && opts.Color {
			rowColor = func(i int) string {
				switch norm[i].Status {
				case StatusExpired:
					return ansiRed
				case StatusExpiring:
					return ansiYellow
				}
				return ""
			}
		}
		return printTable(w, headers, rows, TableOptions{TTY: opts.TTY, NoHeaders: opts.NoHeaders}, rowColor)

	case CSV, TSV:
		headers := make([]string, len(ids))
		for i, id := range ids {
			headers[i] = id.name()
		}
		rows := make([][]string, len(norm))
		for i := range norm {
			rows[i] = keyRow(&norm[i], ids, false, now)
		}
		if opts.TTY {
			rows = TerminalRows(rows)
		}
		sep := ','
		if format == TSV {
			sep = '\t'
		}
		return PrintDelimited(w, headers, rows, sep, opts.NoHeaders)

	case JSON:
		return printKeysJSON(w, norm, ids)

	case YAML:
		docs := make([]yamlv2.MapSlice, len(norm))
		for i := range norm {
			docs[i] = keyRecord{&norm[i], ids}.yaml()
		}
		b, err := yamlv2.Marshal(docs)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	return fmt.Errorf("output format %q is not implemented for keys", format)
}

// keyRow renders the cells of one key: on a terminal dates are relative to
// now; elsewhere they are RFC 3339 UTC, and unset dates are empty.
func keyRow(k *Key, ids []fieldID, relative bool, now time.Time) []string {
	row := make([]string, len(ids))
	for i, id := range ids {
		if id.kind() != kindDate {
			row[i] = id.str(k)
			continue
		}
		t := id.date(k)
		switch {
		case t.IsZero() && relative && id == fieldExpires && k.Status != StatusUnknown:
			row[i] = "never"
		case t.IsZero():
			row[i] = ""
		case relative:
			row[i] = RelativeTime(t, now)
		default:
			row[i] = t.Format(time.RFC3339)
		}
	}
	return row
}

// printKeysJSON writes the same bytes as PrintJSON of the records, one record at a time: the
// whole array in the encoder's buffer was 7.5 times the size of the server's answer at
// 100,000 keys.
func printKeysJSON(w io.Writer, keys []Key, ids []fieldID) error {
	if len(keys) == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("[\n")
	var indented bytes.Buffer
	for i := range keys {
		compact, err := keyRecord{&keys[i], ids}.MarshalJSON()
		if err != nil {
			return err
		}
		indented.Reset()
		if err := json.Indent(&indented, compact, "  ", "  "); err != nil {
			return err
		}
		bw.WriteString("  ")
		bw.Write(indented.Bytes())
		if i < len(keys)-1 {
			bw.WriteString(",\n")
		}
	}
	bw.WriteString("\n]\n")
	return bw.Flush()
}

// keyRecord is one key as a JSON/YAML object holding the chosen fields in
// the chosen order (a map would sort them). Dates are RFC 3339 strings, or
// null when unset.
type keyRecord struct {
	k   *Key
	ids []fieldID
}

func (r keyRecord) value(id fieldID) (string, bool) {
	if id.kind() != kindDate {
		return id.str(r.k), true
	}
	t := id.date(r.k)
	if t.IsZero() {
		return "", false
	}
	return t.Format(time.RFC3339), true
}

// MarshalJSON writes the record compactly; PrintJSON's encoder indents it.
func (r keyRecord) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 64*len(r.ids))
	b = append(b, '{')
	for i, id := range r.ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, id.name())
		b = append(b, ':')
		if v, ok := r.value(id); ok {
			b = appendJSONString(b, v)
		} else {
			b = append(b, "null"...)
		}
	}
	return append(b, '}'), nil
}

func (r keyRecord) yaml() yamlv2.MapSlice {
	m := make(yamlv2.MapSlice, len(r.ids))
	for i, id := range r.ids {
		m[i].Key = id.name()
		if v, ok := r.value(id); ok {
			m[i].Value = v
		}
	}
	return m
}

// RelativeTime describes t from now's point of view, the way the terminal
// table shows dates: "in 12 days", "3 hours ago", "in 2 months", "1 year
// ago", "just now". Units are rounded down; a month is 30 days and a year
// 365. Days are used up to 60 days, so the 30-day expiry window reads
// exactly.
func RelativeTime(t, now time.Time) string {
	d := t.Sub(now)
	future := d > 0
	if d < 0 {
		d = -d
		if d < 0 { // the most negative Duration has no positive twin
			d = 1<<63 - 1
		}
	}
	var n int64
	var unit string
	switch {
	case d < time.Minute:
		if future {
			return "in under a minute"
		}
		return "just now"
	case d < time.Hour:
		n, unit = int64(d/time.Minute), "minute"
	case d < day:
		n, unit = int64(d/time.Hour), "hour"
	case d < 60*day:
		n, unit = int64(d/day), "day"
	case d < year:
		n, unit = int64(d/(30*day)), "month"
	default:
		n, unit = int64(d/year), "year"
	}
	if n != 1 {
		unit += "s"
	}
	if future {
		return fmt.Sprintf("in %d %s", n, unit)
	}
	return fmt.Sprintf("%d %s ago", n, unit)
}

// KeyColumns are the key vocabulary as typed columns, in canonical order (KeyFieldNames),
// with cells as machine output shows them: RFC 3339 UTC dates, empty when unset. They make
// the row `show -o csv` prints, the same `list --columns all -o csv` prints for that key.
// Give them keys as NormalizeKey returns them.
func KeyColumns() []Column[Key] {
	cols := make([]Column[Key], 0, numFields)
	for id := range numFields {
		cols = append(cols, Column[Key]{Header: id.name(), Title: id.header(), Value: func(k Key) string { return machineCell(&k, id) }})
	}
	return cols
}

// machineCell is one cell of k as CSV, TSV and plain text show it.
func machineCell(k *Key, id fieldID) string {
	if id.kind() != kindDate {
		return id.str(k)
	}
	if t := id.date(k); !t.IsZero() {
		return t.Format(time.RFC3339)
	}
	return ""
}
