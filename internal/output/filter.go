package output

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Filter is one parsed --filter expression.
type Filter interface {
	// Match reports whether the key satisfies the expression.
	Match(Key) bool
	// String gives the expression back in a canonical form, e.g.
	// "expires<30d", for messages such as "no keys match ...".
	String() string
	// Field is the name of the field the expression reads, e.g. "expires".
	Field() string
}

// FilterOperator is one --filter operator: its symbol, what it means (completion shows it)
// and whether it applies to dates. The parser and shell completion both read the table
// below, so completion offers exactly the operators the parser accepts for a field.
type FilterOperator struct {
	Symbol  string
	Meaning string
	onDates bool
}

// filterOperators in the order they are shown (help, errors, completion). ~ and !~ compare
// text, which a date is not.
var filterOperators = []FilterOperator{
	{"=", "equals", true},
	{"!=", "differs from", true},
	{"~", "contains, ignoring case", false},
	{"!~", "does not contain", false},
	{"<", "less than, before", true},
	{"<=", "at most", true},
	{">", "greater than, after", true},
	{">=", "at least", true},
}

// appliesTo reports whether the operator may be used on a field of kind k.
func (o FilterOperator) appliesTo(k fieldKind) bool { return o.onDates || k != kindDate }

// FilterOperators returns the operators that apply to the field named field (any case), in
// the order they are shown; ok is false for a name outside the key vocabulary.
func FilterOperators(field string) (ops []FilterOperator, ok bool) {
	id, ok := lookupField(field)
	if !ok {
		return nil, false
	}
	return operatorsFor(id.kind()), true
}

func operatorsFor(k fieldKind) []FilterOperator {
	var ops []FilterOperator
	for _, o := range filterOperators {
		if o.appliesTo(k) {
			ops = append(ops, o)
		}
	}
	return ops
}

// operatorSymbols lists the symbols of ops as the messages show them: "= != < <= > >=".
func operatorSymbols(ops []FilterOperator) string {
	symbols := make([]string, len(ops))
	for i, o := range ops {
		symbols[i] = o.Symbol
	}
	return strings.Join(symbols, " ")
}

// leadingOperator is the longest operator of the table that s starts with, so "<=" is never
// read as "<" followed by "="; nil when s starts with none.
func leadingOperator(s string) *FilterOperator {
	var best *FilterOperator
	for i, o := range filterOperators {
		if strings.HasPrefix(s, o.Symbol) && (best == nil || len(o.Symbol) > len(best.Symbol)) {
			best = &filterOperators[i]
		}
	}
	return best
}

// operatorChars start an operator. An unquoted value starting with one is
// refused: "title==x", "title=~x" or "expires<<30d" is a mistyped operator,
// and reading it as a value ("=x") would silently select other keys.
const operatorChars = "=!~<>"

// operatorHelp is every operator, for messages about a missing or unknown one.
var operatorHelp = operatorSymbols(filterOperators)

// ParseFilter reads one --filter expression, FIELD OP VALUE:
//   - FIELD is a name of the key vocabulary (any case);
//   - OP is = != ~ (contains, ignoring case) !~ < <= > >=, with optional
//     spaces around it ("role = editor", "expires<30d");
//   - VALUE is the rest, trimmed; one pair of surrounding quotes is removed.
//     It must not be empty (an unset shell variable would otherwise select
//     every key; a text field takes "" for the empty text), and unquoted it must not start with an operator character
//     ("title==x" is a typo, not title equals "=x").
//
// Text fields (id, title, creator, email) compare ignoring case, and < <= > >=
// compare them alphabetically. Dates take any form ParseWhen reads; a bare
// YYYY-MM-DD stands for that whole UTC day ("created=2026-01-02" is any time
// that day, "expires<=2026-01-31" includes the 31st, "created>2026-01-02"
// starts on the 3rd), other values are instants compared to the second, the
// precision machine output shows. ~ and !~ do not apply to dates. Role values
// accept the role aliases and compare editor < viewer; status values must be
// active, expiring or expired and compare in that order. ~ and !~ on role and
// status match text ("status~exp" is expiring or expired). now anchors
// relative dates and the status of keys whose Status is empty.
//
// Every error is a *UsageError that quotes the expression and points at the
// part that is wrong.
func ParseFilter(expr string, now time.Time) (Filter, error) {
	s := strings.TrimSpace(expr)
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if !(r < utf8.RuneSelf && isLetter(byte(r)) || r >= utf8.RuneSelf && unicode.IsLetter(r)) {
			break
		}
		n += size
	}
	name := s[:n] // a name with accents (rôle) is named whole in the error, not cut at the accent
	if name == "" {
		return nil, usageErrorf("invalid filter %q: it must start with a field name (fields: %s)", expr, validFieldList())
	}
	id, ok := lookupField(name)
	if !ok {
		return nil, usageErrorf("invalid filter %q: unknown field %q (fields: %s)", expr, name, validFieldList())
	}

	rest := strings.TrimLeft(s[n:], " \t")
	operator := leadingOperator(rest)
	if operator == nil {
		if rest == "" {
			return nil, usageErrorf("invalid filter %q: missing operator after %q (use one of %s)", expr, name, operatorHelp)
		}
		return nil, usageErrorf("invalid filter %q: expected an operator after %q, not %q (use one of %s)", expr, name, rest, operatorHelp)
	}
	op := operator.Symbol
	typed := strings.TrimSpace(rest[len(op):])
	value := unquote(typed)
	// An empty value is refused, so an unset shell variable cannot select every key; a
	// text field may still be compared with an empty text written as "".
	if typed == "" || (value == "" && id.kind() != kindString) {
		return nil, usageErrorf("invalid filter %q: the value after %q is empty (an unset shell variable?): give the value to compare with", expr, op)
	}
	if value == typed && strings.ContainsAny(value[:1], operatorChars) {
		return nil, usageErrorf("invalid filter %q: unknown operator %q (use one of %s); quote a value that starts with %q: %s%s%q", expr, op+leadingOperatorChars(value), operatorHelp, value[:1], name, op, value)
	}

	f := &keyFilter{field: id, op: op, raw: value, now: now}
	if id.kind() == kindString {
		f.lower = strings.ToLower(value)
		return f, nil
	}
	if !operator.appliesTo(id.kind()) {
		return nil, usageErrorf("invalid filter %q: operator %q does not apply to dates (use %s)", expr, op, operatorSymbols(operatorsFor(kindDate)))
	}
	if op == "~" || op == "!~" {
		f.lower = strings.ToLower(value)
		return f, nil
	}

	switch id.kind() {
	case kindRole:
		apiRole, err := ParseRole(value)
		if err != nil {
			return nil, usageErrorf("invalid filter %q: %s", expr, err)
		}
		f.rank = roleRank(apiRole)
	case kindStatus:
		status, ok := parseStatus(value)
		if !ok {
			return nil, usageErrorf("invalid filter %q: unknown status %q (use active, expiring or expired)", expr, value)
		}
		f.rank = statusRank(status)
	case kindDate:
		t, kind, err := parseWhen(value, now)
		if err != nil {
			return nil, usageErrorf("invalid filter %q: %s", expr, err)
		}
		if kind == whenDay {
			f.day = true
			f.from, f.to = t, t.Add(day)
		} else {
			f.at = t.Truncate(time.Second)
		}
	}
	return f, nil
}

// keyFilter is the one implementation of Filter; its fields are set by
// ParseFilter according to the field's kind.
type keyFilter struct {
	field fieldID
	op    string
	raw   string // the value as typed (unquoted), kept for String

	lower string // text comparisons: the value lower-cased
	rank  int    // role and status comparisons

	day      bool      // date given as a calendar day: [from, to)
	from, to time.Time // the day's bounds
	at       time.Time // date given as an instant, whole seconds

	now time.Time // for keys with an empty Status
}

func (f *keyFilter) String() string {
	v := f.raw
	// Quote whenever reading the text back would not give the same value:
	// an empty value, spaces at the ends (trimmed), a value that looks
	// quoted (unquoted once), or one starting with an operator character
	// ("title< =x" must not come back as "title<=x").
	if v == "" || strings.ContainsAny(v, " \t") || strings.TrimSpace(v) != v ||
		unquote(v) != v || strings.ContainsAny(v[:1], "=!~<>") {
		v = `"` + v + `"`
	}
	return f.field.name() + f.op + v
}

func (f *keyFilter) Field() string { return f.field.name() }

func (f *keyFilter) Match(k Key) bool {
	if f.op == "~" || f.op == "!~" {
		s := f.field.str(&k)
		if f.field == fieldRole {
			s = RoleName(s)
		} else if f.field == fieldStatus && s == "" {
			s = KeyStatus(k.Expires, f.now)
		}
		return containsFold(s, f.lower) == (f.op == "~")
	}

	var c int // the key's value compared with the filter's
	switch f.field.kind() {
	case kindString:
		c = compareFold(f.field.str(&k), f.lower)
	case kindRole:
		c = roleRank(k.Role) - f.rank
	case kindStatus:
		st := k.Status
		if st == "" {
			st = KeyStatus(k.Expires, f.now)
		}
		c = statusRank(st) - f.rank
	case kindDate:
		t := comparableTime(f.field, f.field.date(&k))
		if f.day {
			return f.matchDay(t)
		}
		c = t.Truncate(time.Second).Compare(f.at)
	}
	return holds(f.op, c)
}

// matchDay applies the operator to a calendar day [from, to): equal means
// within the day, less means before it starts, greater means after it ends.
func (f *keyFilter) matchDay(t time.Time) bool {
	switch {
	case t.Before(f.from):
		return holds(f.op, -1)
	case t.Before(f.to):
		return holds(f.op, 0)
	default:
		return holds(f.op, 1)
	}
}

// holds says whether a comparison result c (key vs value) satisfies op.
func holds(op string, c int) bool {
	switch op {
	case "=":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return false
}

// FilterKeys returns the keys that match every filter (AND), in their
// original order, as a new slice: keys is not modified. The result is never
// nil, so an empty match still prints as [] in JSON.
func FilterKeys(keys []Key, filters []Filter) []Key {
	out := make([]Key, 0, len(keys))
next:
	for _, k := range keys {
		for _, f := range filters {
			if !f.Match(k) {
				continue next
			}
		}
		out = append(out, k)
	}
	return out
}

// leadingOperatorChars is the run of operator characters s starts with.
func leadingOperatorChars(s string) string {
	n := 0
	for n < len(s) && strings.IndexByte(operatorChars, s[n]) >= 0 {
		n++
	}
	return s[:n]
}

// parseStatus reads a status value of a filter: active, expiring or expired in any case, or
// the words a French terminal shows for them (expirée, expire bientôt; accents optional).
func parseStatus(value string) (string, bool) {
	v := foldRole(value)
	switch v {
	case StatusActive, StatusExpiring, StatusExpired:
		return v, true
	case "expiree":
		return StatusExpired, true
	case "expire bientot":
		return StatusExpiring, true
	}
	return "", false
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// unquote removes one pair of matching quotes around a value, for users who
// quote inside the shell quotes: --filter 'title = "prod key"'.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}
