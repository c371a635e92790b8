package output

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

const (
	day  = 24 * time.Hour
	week = 7 * day
	year = 365 * day // a "year" in durations and relative dates is 365 days
)

// whenKind says how a date value was written, because a filter treats a bare
// calendar date as the whole UTC day and anything else as an instant.
type whenKind uint8

const (
	whenInstant  whenKind = iota // RFC 3339, "now"
	whenDay                      // YYYY-MM-DD, "today": UTC midnight, meaning that whole day
	whenRelative                 // [+-]DURATION from now
)

const whenHelp = "use YYYY-MM-DD, RFC 3339, or a relative time like 30d, -7d"

// aheadHelp is whenHelp for a date that must be ahead (an expiry): no example in the past.
const aheadHelp = "use YYYY-MM-DD, RFC 3339, or a duration from now like 30d, 12w, 1y"

// ParseWhen reads a date as users type it in filters and `create --expires`:
//   - YYYY-MM-DD: midnight UTC that day ("today" is today's date in UTC);
//   - RFC 3339, with or without fractional seconds, with Z or an offset;
//   - relative to now: an optional sign then a duration as ParseDuration
//     reads it, e.g. 30d, +2w, -7d, 1w3d, -36h, 1.5d, 90min; no sign means
//     the future; y is 365 days; "now" is now. "6m" is refused: it could
//     mean minutes or months.
//
// A value it cannot read is a *UsageError saying which forms are valid.
// Whether the date must be in the future is the caller's business.
func ParseWhen(s string, now time.Time) (time.Time, error) {
	t, _, err := parseWhen(s, now)
	return t, err
}

// ParseAhead is ParseWhen for a date that must be ahead (create --expires): an unreadable
// value's message gives examples in the future only. Whether it is ahead is still the
// caller's check.
func ParseAhead(s string, now time.Time) (time.Time, error) {
	t, _, err := parseWhenHelp(s, now, l10n.M(aheadHelp))
	return t, err
}

func parseWhen(s string, now time.Time) (time.Time, whenKind, error) {
	return parseWhenHelp(s, now, l10n.M(whenHelp))
}

// parseWhenHelp is parseWhen whose errors give help as the valid forms.
func parseWhenHelp(s string, now time.Time, help l10n.Msg) (time.Time, whenKind, error) {
	v := strings.TrimSpace(s)
	switch strings.ToLower(v) {
	case "":
		return time.Time{}, 0, usageErrorf("missing date (%s)", help)
	case "now":
		return now, whenInstant, nil
	case "today":
		y, m, d := now.UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), whenDay, nil
	}

	if isDateShape(v) {
		t, err := time.ParseInLocation(time.DateOnly, v, time.UTC)
		if err != nil {
			return time.Time{}, 0, usageErrorf("%q is not a valid date: %s", v, parseErrReason(err))
		}
		return t, whenDay, nil
	}

	if c := v[0]; c == '+' || c == '-' || (isDigit(c) && !strings.ContainsAny(v, ":Tt")) {
		sign, body := 1, v
		if c == '+' || c == '-' {
			if c == '-' {
				sign = -1
			}
			body = v[1:]
		}
		d, err := parseDurationParts(body)
		if err != nil {
			if err.outOfRange {
				return time.Time{}, 0, usageErrorf("%q is too far from now", v)
			}
			if err.badUnit == "m" || err.badUnit == "M" {
				return time.Time{}, 0, usageErrorf("%q is not a date: %s", v, err.reason(l10n.M(durationHelp)))
			}
			return time.Time{}, 0, usageErrorf("%q is not a date (%s)", v, help)
		}
		return now.Add(time.Duration(sign) * d), whenRelative, nil
	}

	t, err := time.Parse(time.RFC3339Nano, v)
	if err == nil {
		return t, whenInstant, nil
	}
	if _, errLocal := time.Parse("2006-01-02T15:04:05.999999999", v); errLocal == nil {
		return time.Time{}, 0, usageErrorf("%q has no time zone (add Z for UTC or an offset like +02:00)", v)
	}
	if looksLikeRFC3339(v) {
		return time.Time{}, 0, usageErrorf("%q is not a valid date: %s", v, parseErrReason(err))
	}
	return time.Time{}, 0, usageErrorf("%q is not a date (%s)", v, help)
}

// isDateShape reports whether s is written NNNN-NN-NN, so a bad month or day
// gets a precise message instead of the generic one.
func isDateShape(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i := range 10 {
		if i != 4 && i != 7 && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

func looksLikeRFC3339(s string) bool {
	return len(s) > 10 && isDateShape(s[:10]) && (s[10] == 'T' || s[10] == 't')
}

// parseErrReason keeps the useful tail of a time.Parse error ("month out of
// range") and drops the layout noise. The reasons a date of the right shape can have are
// messages; another (none is known) stays time's English.
func parseErrReason(err error) any {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	switch msg {
	case "month out of range":
		return l10n.M("month out of range")
	case "day out of range":
		return l10n.M("day out of range")
	case "hour out of range":
		return l10n.M("hour out of range")
	case "minute out of range":
		return l10n.M("minute out of range")
	case "second out of range":
		return l10n.M("second out of range")
	}
	return msg
}

const durationHelp = "use a number and a unit: ms, s, min, h, d (days), w (weeks), y (365 days); e.g. 45s, 10min, 12h, 30d, 1h30min"

// ParseDuration reads a duration in the one grammar of every duration apikeys takes
// (--expiring-within, --clear-after, --timeout, sandbox --token-ttl and --slow-delay, and
// the relative dates of --expires and filters): one or more number+unit parts, freely
// combined ("1w2d", "1h30min", "1.5h"), with units ms, s, min, h, d (24h), w (7d) and y
// (365d). "m" is refused everywhere, as it could mean minutes or months. "0" is zero. A
// negative duration is refused, as no flag has a meaning for one; so is one beyond about
// 292 years. Errors are *UsageError values, `invalid duration "x": why`.
func ParseDuration(s string) (time.Duration, error) {
	d, reason := parseDuration(s)
	if !reason.IsZero() {
		return 0, usageErrorf("invalid duration %q: %s", strings.TrimSpace(s), reason)
	}
	return d, nil
}

// ParseFlagDuration is ParseDuration for the value of a flag or setting, whose name the
// error gives: `invalid --clear-after "banana": why`.
func ParseFlagDuration(name, s string) (time.Duration, error) {
	d, reason := parseDuration(s)
	if !reason.IsZero() {
		return 0, usageErrorf("invalid %s %q: %s", name, strings.TrimSpace(s), reason)
	}
	return d, nil
}

// parseDuration returns the duration, or why s is not one.
func parseDuration(s string) (time.Duration, l10n.Msg) {
	v := strings.TrimSpace(s)
	body := v
	negative := false
	if body != "" && (body[0] == '+' || body[0] == '-') {
		negative = body[0] == '-'
		body = body[1:]
	}
	if body == "0" {
		return 0, l10n.Msg{}
	}
	if v == "" {
		return 0, l10n.M("the value is empty (an unset shell variable?)")
	}
	d, err := parseDurationParts(body)
	switch {
	case err != nil:
		return 0, err.reason(l10n.M(durationHelp))
	case negative && d != 0:
		return 0, l10n.M("a duration must not be negative")
	}
	return d, l10n.Msg{}
}

// durationErr says what went wrong in parseDurationParts so each caller can
// word its own message.
type durationErr struct {
	outOfRange  bool
	missingUnit bool
	badUnit     string
}

// reason words the error for a message; help says which forms are valid.
func (e *durationErr) reason(help l10n.Msg) l10n.Msg {
	switch {
	case e.outOfRange:
		return l10n.M("too long (at most about 292 years)")
	case e.missingUnit:
		return l10n.M("no unit (%s)", help)
	case e.badUnit == "m" || e.badUnit == "M":
		return l10n.M("m could mean minutes or months: write min for minutes, or days such as 30d")
	case e.badUnit != "":
		return l10n.M("unknown unit %q (%s)", e.badUnit, help)
	}
	return l10n.M("not a duration (%s)", help)
}

// unitLength is the length of a duration unit, or 0 when the unit is not one.
func unitLength(unit string) time.Duration {
	switch unit {
	case "ms":
		return time.Millisecond
	case "s":
		return time.Second
	case "min":
		return time.Minute
	case "h":
		return time.Hour
	case "d":
		return day
	case "w":
		return week
	case "y":
		return year
	}
	return 0
}

// FormatDuration writes d in the grammar ParseDuration reads, largest units first: 1d2h,
// 1h30min, 45s, 1.5s. It parses back to d exactly.
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		d = -d // a Duration's minimum has no positive counterpart; none is formatted here
	}
	for _, u := range []struct {
		name string
		len  time.Duration
	}{{"d", day}, {"h", time.Hour}, {"min", time.Minute}} {
		if n := d / u.len; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.name)
			d -= n * u.len
		}
	}
	if d > 0 {
		sec, nano := d/time.Second, d%time.Second
		fmt.Fprintf(&b, "%d", sec)
		if nano > 0 {
			b.WriteString(strings.TrimRight(fmt.Sprintf(".%09d", nano), "0"))
		}
		b.WriteByte('s')
	}
	return b.String()
}

// parseDurationParts reads an unsigned sequence of number+unit parts, e.g.
// "1w2d" or "1.5h". Numbers may have a fraction. The total must fit in a
// time.Duration.
func parseDurationParts(s string) (time.Duration, *durationErr) {
	if s == "" {
		return 0, &durationErr{}
	}
	var total time.Duration
	for s != "" {
		// The number: digits, optionally a dot and more digits; at least one digit.
		i := 0
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		intPart := s[:i]
		fracPart := ""
		if i < len(s) && s[i] == '.' {
			j := i + 1
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			fracPart = s[i+1 : j]
			i = j
		}
		if intPart == "" && fracPart == "" {
			return 0, &durationErr{}
		}
		// The unit: everything up to the next number.
		j := i
		for j < len(s) && !isDigit(s[j]) && s[j] != '.' {
			j++
		}
		unitName := s[i:j]
		s = s[j:]
		if unitName == "" {
			// "30" lacks a unit; "1..5h" is a malformed number.
			return 0, &durationErr{missingUnit: s == ""}
		}
		unit := unitLength(unitName)
		if unit == 0 {
			return 0, &durationErr{badUnit: unitName}
		}
		part, ok := scaleNumber(intPart, fracPart, unit)
		if !ok || total > math.MaxInt64-part {
			return 0, &durationErr{outOfRange: true}
		}
		total += part
	}
	return total, nil
}

// scaleNumber returns intPart.fracPart × unit, rounding the fraction down to
// the nanosecond; ok is false when it does not fit in a Duration.
func scaleNumber(intPart, fracPart string, unit time.Duration) (time.Duration, bool) {
	var n int64
	for i := 0; i < len(intPart); i++ {
		d := int64(intPart[i] - '0')
		if n > (math.MaxInt64-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	if n > math.MaxInt64/int64(unit) {
		return 0, false
	}
	v := n * int64(unit)
	// The fraction: at most 18 digits matter below one unit of at most a year.
	var f, scale int64 = 0, 1
	for i := 0; i < len(fracPart) && scale < 1e18; i++ {
		f = f*10 + int64(fracPart[i]-'0')
		scale *= 10
	}
	if f > 0 {
		extra := int64(float64(f) * (float64(unit) / float64(scale)))
		if v > math.MaxInt64-extra {
			return 0, false
		}
		v += extra
	}
	return time.Duration(v), true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
