package jsonfilter

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/template"
	"time"

	"github.com/clipperhouse/displaywidth"

	"github.com/k2geospatial/apikeys/internal/output"
)

// funcs are the template helpers, gh's names and argument orders where gh has the helper:
//
//	timeago TIME        "in 7 days", "3 hours ago" (as list's table says it)
//	timefmt LAYOUT TIME TIME in a Go layout ("2006-01-02")
//	truncate N TEXT     TEXT cut to N columns, "…" ending a cut text
//	tablerow FIELD...   a row of an aligned table, printed at tablerender or the end
//	tablerender         prints the pending table rows
//	json VALUE          VALUE as compact JSON
//	join SEP LIST       the items of LIST joined with SEP
//	pluck FIELD LIST    the FIELD of each object of LIST
//
// TIME is a date as the JSON output writes it (RFC 3339).
func funcs(now func() time.Time, rows *tableRows) template.FuncMap {
	return template.FuncMap{
		"timeago": func(v any) (string, error) {
			t, err := parseTime(v)
			if err != nil {
				return "", err
			}
			return output.RelativeTime(t, now()), nil
		},
		"timefmt": func(layout string, v any) (string, error) {
			t, err := parseTime(v)
			if err != nil {
				return "", err
			}
			return t.Format(layout), nil
		},
		"truncate": func(width int, v any) string { return truncate(toText(v), width) },
		"tablerow": func(fields ...any) (string, error) { return "", rows.add(fields) },
		"tablerender": func() string {
			var b strings.Builder
			rows.render(&b)
			return b.String()
		},
		"json": func(v any) (string, error) {
			b, err := json.Marshal(v)
			return string(b), err
		},
		"join": func(sep string, v any) (string, error) {
			list, ok := v.([]any)
			if !ok && v != nil {
				return "", fmt.Errorf("%s is not a list", describe(v))
			}
			parts := make([]string, len(list))
			for i, e := range list {
				parts[i] = toText(e)
			}
			return strings.Join(parts, sep), nil
		},
		"pluck": func(field string, v any) ([]any, error) {
			list, ok := v.([]any)
			if !ok && v != nil {
				return nil, fmt.Errorf("%s is not a list", describe(v))
			}
			out := make([]any, 0, len(list))
			for _, e := range list {
				if m, isObject := e.(map[string]any); isObject {
					out = append(out, m[field])
				}
			}
			return out, nil
		},
	}
}

// parseTime reads a JSON date (text/template names the helper that failed).
func parseTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("%s is not a date", describe(v))
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 date", s)
	}
	return t, nil
}

// describe names a value in an error: its JSON, or "nothing" for a missing field.
func describe(v any) string {
	if v == nil {
		return "nothing (a missing field?)"
	}
	b, _ := json.Marshal(v)
	if len(b) > 40 {
		b = append(b[:39], "…"...)
	}
	return string(b)
}

// toText is a value as a template prints it: a string as is, nothing as "", others as JSON.
func toText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// truncate cuts s to width terminal columns, "…" taking the last one.
func truncate(s string, width int) string {
	if displaywidth.String(s) <= width {
		return s
	}
	if width <= 0 {
		return ""
	}
	var b strings.Builder
	used := 0
	for _, r := range s {
		w := displaywidth.Rune(r)
		if used+w > width-1 {
			break
		}
		b.WriteRune(r)
		used += w
	}
	return b.String() + "…"
}

// tableRows are the rows tablerow collected, printed aligned: each column as wide as its
// widest cell, two spaces between columns, no trailing spaces.
type tableRows struct {
	rows [][]string
	size int // the bytes of the pending cells, bounded as the output is (maxOutput)
}

func (t *tableRows) reset() { t.rows, t.size = nil, 0 }

func (t *tableRows) add(fields []any) error {
	row := make([]string, len(fields))
	for i, f := range fields {
		row[i] = toText(f)
		t.size += len(row[i]) + 2
	}
	if t.size > maxOutput {
		return fmt.Errorf("the table passed %d MiB; is the expression endless?", maxOutput>>20)
	}
	t.rows = append(t.rows, row)
	return nil
}

func (t *tableRows) render(w io.Writer) {
	var widths []int
	for _, row := range t.rows {
		for i, cell := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displaywidth.String(cell))
		}
	}
	for _, row := range t.rows {
		var line strings.Builder
		for i, cell := range row {
			line.WriteString(cell)
			if i < len(row)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-displaywidth.String(cell)+2))
			}
		}
		fmt.Fprintln(w, line.String())
	}
	t.reset()
}
