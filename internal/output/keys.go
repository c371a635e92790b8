package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	yamlv2 "go.yaml.in/yaml/v2"

	"github.com/k2geospatial/apikeys/internal/l10n"
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
	// Width, only with TTY, is the terminal's width, which the table fits (0: unknown).
	Width int
	Now   time.Time // anchors relative dates and empty statuses; zero means time.Now()
	// Printer, only with TTY, is the language of the table a person reads: its headers,
	// relative dates, roles and statuses, and the note of hidden columns (nil: English).
	// The plain table of a pipe and every machine format are the same in every language.
	Printer *l10n.Printer
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

	switch {
	case format == JSON:
		return printKeysJSON(w, keys, ids, now)
	case format == YAML:
		return printKeysYAML(w, keys, ids, now)
	case format == CSV && !opts.TTY:
		return printKeysDelimited(w, keys, ids, ',', opts.NoHeaders, now)
	case format == TSV && !opts.TTY:
		return printKeysDelimited(w, keys, ids, '\t', opts.NoHeaders, now)
	}

	norm := make([]Key, len(keys))
	for i, k := range keys {
		norm[i] = NormalizeKey(k, now)
	}

	switch format {
	case Table:
		var lang *l10n.Printer // the plain table, which scripts read, stays English
		if opts.TTY {
			lang = opts.Printer
		}
		headers := make([]string, len(ids))
		fits := make([]ColumnFit, len(ids))
		for i, id := range ids {
			headers[i] = id.title(lang)
			fits[i] = id.fit()
		}
		rows := make([][]string, len(norm))
		cells := newLocalCells(lang)
		for i := range norm {
			rows[i] = keyRow(&norm[i], ids, opts.TTY, now, cells)
		}
		var rowColor func(int) string
		if opts.TTY && opts.Color {
			rowColor = func(i int) string { return StatusColor(norm[i].Status) }
		}
		return printTable(w, headers, rows, TableOptions{TTY: opts.TTY, NoHeaders: opts.NoHeaders, Width: opts.Width, Fit: fits, Printer: lang}, rowColor)

	case CSV, TSV:
		headers := make([]string, len(ids))
		for i, id := range ids {
			headers[i] = id.name()
		}
		rows := make([][]string, len(norm))
		for i := range norm {
			rows[i] = keyRow(&norm[i], ids, false, now, nil)
		}
		if opts.TTY {
			rows = TerminalRows(rows)
		}
		sep := ','
		if format == TSV {
			sep = '\t'
		}
		return PrintDelimited(w, headers, rows, sep, opts.NoHeaders)
	}
	return fmt.Errorf("output format %q is not implemented for keys", format)
}

// keyRow renders the cells of one key: on a terminal (relative) dates are relative to
// now, and roles and statuses in the language of cells; elsewhere they are RFC 3339 UTC,
// and unset dates are empty (cells may then be nil).
func keyRow(k *Key, ids []fieldID, relative bool, now time.Time, cells *localCells) []string {
	row := make([]string, len(ids))
	for i, id := range ids {
		if id.kind() != kindDate {
			row[i] = id.str(k)
			if relative {
				switch id.kind() {
				case kindRole:
					row[i] = cells.text(cells.roles, row[i], RoleText)
				case kindStatus:
					row[i] = cells.text(cells.statuses, row[i], StatusText)
				}
			}
			continue
		}
		t := id.date(k)
		switch {
		case t.IsZero() && relative && id == fieldExpires && k.Status != StatusUnknown:
			row[i] = cells.never()
		case t.IsZero():
			row[i] = ""
		case relative:
			row[i] = cells.relative(t, now)
		default:
			row[i] = t.Format(time.RFC3339)
		}
	}
	return row
}

// localCells are the cells of a terminal's table in its language, each text made once per
// table (in French, looked up in the catalog once): a table of 10,000 keys has a few dozen
// distinct relative dates, roles and statuses.
type localCells struct {
	p               *l10n.Printer
	rel             map[relativeDate]string
	roles, statuses map[string]string
}

// relativeDate is a relative date as RelativeTime counts it.
type relativeDate struct {
	n      int64
	unit   string
	future bool
}

func newLocalCells(p *l10n.Printer) *localCells {
	return &localCells{p: p, rel: map[relativeDate]string{}, roles: map[string]string{}, statuses: map[string]string{}}
}

// relative is RelativeTimeIn of the cells' language.
func (c *localCells) relative(t, now time.Time) string {
	n, unit, future := relative(t, now)
	k := relativeDate{n, unit, future}
	s, ok := c.rel[k]
	if !ok {
		s = RelativeTimeIn(c.p, t, now)
		c.rel[k] = s
	}
	return s
}

// text is in(c.p, v), made once per value of seen.
func (c *localCells) text(seen map[string]string, v string, in func(*l10n.Printer, string) string) string {
	if c.p.Lang() == l10n.English {
		return v // English cells are the values
	}
	s, ok := seen[v]
	if !ok {
		s = in(c.p, v)
		seen[v] = s
	}
	return s
}

// never is an unset expiry on a terminal: "never" in English.
func (c *localCells) never() string { return c.p.Text("never") }

// printKeysJSON writes the same bytes as PrintJSON of the records, one record at a time: the
// whole array in the encoder's buffer was 7.5 times the size of the server's answer at
// 100,000 keys. Each key is normalized as it is written: no copy of the list.
func printKeysJSON(w io.Writer, keys []Key, ids []fieldID, now time.Time) error {
	if len(keys) == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("[\n")
	var indented bytes.Buffer
	for i := range keys {
		k := NormalizeKey(keys[i], now)
		compact, err := keyRecord{&k, ids}.MarshalJSON()
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

// printKeysYAML writes the same bytes as yamlv2.Marshal of the list of records, one record at
// a time: a block sequence's items are written independently, each as the one item of a
// sequence. Marshalling the whole list built the YAML of every key in memory at once: 1.1 GB
// for 100,000 keys, 41 times the server's answer (docs/performance.md).
func printKeysYAML(w io.Writer, keys []Key, ids []fieldID, now time.Time) error {
	if len(keys) == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	item := make([]yamlv2.MapSlice, 1)
	for i := range keys {
		k := NormalizeKey(keys[i], now)
		item[0] = keyRecord{&k, ids}.yaml()
		b, err := yamlv2.Marshal(item)
		if err != nil {
			return err
		}
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return bw.Flush()
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

// StatusColor is the ANSI colour a key of this status is painted in on a colour terminal,
// in list's rows and show's status: expired red, expiring yellow, others none ("").
func StatusColor(status string) string {
	switch status {
	case StatusExpired:
		return ansiRed
	case StatusExpiring:
		return ansiYellow
	}
	return ""
}

// DetailDateIn is a date of a detail view: RFC 3339 UTC, and on a terminal (relative) the
// relative date beside it in p's language, as list shows it: "2026-03-08T12:00:00Z (in 7
// days)", "2026-03-08T12:00:00Z (dans 7 jours)". The date itself is the machine's, in every
// language.
func DetailDateIn(p *l10n.Printer, t, now time.Time, relative bool) string {
	abs := t.UTC().Format(time.RFC3339)
	if !relative {
		return abs
	}
	return abs + " (" + RelativeTimeIn(p, t, now) + ")"
}

// RelativeTime describes t from now's point of view, the way the terminal
// table shows dates: "in 12 days", "3 hours ago", "in 2 months", "1 year
// ago", "just now". Each unit is rounded to the nearest (a half rounds up),
// and a count that rounds up to the next unit is said in that unit: a key
// made with --expires 7d a moment ago reads "in 7 days", not "in 6 days", and
// 1y reads "in 1 year". A month is 30 days and a year 365. Days are used up
// to 60 days so the 30-day expiry window reads exactly, and "in 30 days" is
// never said of a key the window leaves active: one a few hours beyond it
// reads "in 31 days".
func RelativeTime(t, now time.Time) string {
	n, unit, future := relative(t, now)
	switch {
	case n == 0 && future:
		return "in under a minute"
	case n == 0:
		return "just now"
	}
	if n != 1 {
		unit += "s"
	}
	// Concatenated, not fmt.Sprintf: a terminal list computes two per key, and Sprintf was a
	// third of the time of the table of 10,000 keys.
	if future {
		return "in " + strconv.FormatInt(n, 10) + " " + unit
	}
	return strconv.FormatInt(n, 10) + " " + unit + " ago"
}

// RelativeTimeIn is RelativeTime in p's language: "dans 7 jours", "il y a 2 mois", "à
// l'instant". English (p nil) is RelativeTime's fast path.
func RelativeTimeIn(p *l10n.Printer, t, now time.Time) string {
	if p.Lang() == l10n.English {
		return RelativeTime(t, now)
	}
	n, unit, future := relative(t, now)
	c := int(min(n, int64(math.MaxInt32)))
	switch {
	case n == 0 && future:
		return p.Text("in under a minute")
	case n == 0:
		return p.Text("just now")
	case future && unit == "minute":
		return p.Plural(c, "in %d minute", "in %d minutes", n)
	case future && unit == "hour":
		return p.Plural(c, "in %d hour", "in %d hours", n)
	case future && unit == "day":
		return p.Plural(c, "in %d day", "in %d days", n)
	case future && unit == "month":
		return p.Plural(c, "in %d month", "in %d months", n)
	case future:
		return p.Plural(c, "in %d year", "in %d years", n)
	case unit == "minute":
		return p.Plural(c, "%d minute ago", "%d minutes ago", n)
	case unit == "hour":
		return p.Plural(c, "%d hour ago", "%d hours ago", n)
	case unit == "day":
		return p.Plural(c, "%d day ago", "%d days ago", n)
	case unit == "month":
		return p.Plural(c, "%d month ago", "%d months ago", n)
	}
	return p.Plural(c, "%d year ago", "%d years ago", n)
}

// relative is t from now's point of view as a rounded count of a unit (minute, hour, day,
// month, year; see RelativeTime), and whether t is ahead; a count of 0 is under a minute.
func relative(t, now time.Time) (n int64, unit string, future bool) {
	d := t.Sub(now)
	future = d > 0
	if d < 0 {
		d = -d
		if d < 0 { // the most negative Duration has no positive twin
			d = 1<<63 - 1
		}
	}
	if d < time.Minute {
		return 0, "", future
	}
	n, unit = relativeCount(d)
	if windowDays := int64(ExpiringWindow / day); future && unit == "day" && n <= windowDays && d > ExpiringWindow {
		n = windowDays + 1 // rounding down to the window would call an active key expiring
	}
	return n, unit, future
}

// relativeCount is d, at least a minute, as a rounded count of the largest unit in which
// it is under that unit's limit once rounded: 59.5 minutes is 1 hour, 23.5 hours 1 day,
// 59.5 days 2 months, 11.5 months (345 days) 1 year.
func relativeCount(d time.Duration) (int64, string) {
	for _, u := range []struct {
		name  string
		len   time.Duration
		limit int64 // the rounded count from which the next unit is used
	}{
		{"minute", time.Minute, 60},
		{"hour", time.Hour, 24},
		{"day", day, 60},
		{"month", 30 * day, 12},
	} {
		if n := roundDiv(d, u.len); n < u.limit {
			return n, u.name
		}
	}
	return roundDiv(d, year), "year"
}

// roundDiv is d/unit rounded to the nearest, a half up, without overflowing near the
// largest Duration.
func roundDiv(d, unit time.Duration) int64 {
	n := int64(d / unit)
	if d%unit >= unit-unit/2 {
		n++
	}
	return n
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

// RoleText is a role as a person reads it in p's language: "éditeur", "lecteur" in French;
// a role the server named otherwise is shown as it came. Machine output keeps RoleName's.
func RoleText(p *l10n.Printer, role string) string {
	switch role {
	case RoleEditor:
		return p.Text("editor")
	case RoleViewer:
		return p.Text("viewer")
	}
	return role
}

// StatusText is a key's status as a person reads it in p's language: "expirée", "expire
// bientôt" in French. Machine output and filters keep the status values.
func StatusText(p *l10n.Printer, status string) string {
	switch status {
	case StatusActive:
		return p.Text("active")
	case StatusExpiring:
		return p.Text("expiring")
	case StatusExpired:
		return p.Text("expired")
	case StatusUnknown:
		return p.Text("unknown")
	}
	return status
}
