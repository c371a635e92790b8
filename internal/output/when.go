package output

import (
	"math"
	"strings"
	"time"
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
	whenRelative                 // [+-]N(h|d|w|y) from now
)

const whenHelp = "use YYYY-MM-DD, RFC 3339, or a relative time like 30d, -7d"

// ParseWhen reads a date as users type it in filters and `create --expires`:
//   - YYYY-MM-DD: midnight UTC that day ("today" is today's date in UTC);
//   - RFC 3339, with or without fractional seconds, with Z or an offset;
//   - relative to now: an optional sign then one or more N(h|d|w|y) parts,
//     e.g. 30d, +2w, -7d, 1w3d, -36h, 1.5d; no sign means the future; y is
//     365 days; "now" is now. Minutes are refused: "6m" could mean months.
//
// A value it cannot read is a *UsageError saying which forms are valid.
// Whether the date must be in the future is the caller's business.
func ParseWhen(s string, now time.Time) (time.Time, error) {
	t, _, err := parseWhen(s, now)
	return t, err
}

func parseWhen(s string, now time.Time) (time.Time, whenKind, error) {
	v := strings.TrimSpace(s)
	switch strings.ToLower(v) {
	case "":
		return time.Time{}, 0, usageErrorf("missing date (%s)", whenHelp)
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
		d, err := parseDurationParts(body, relativeUnit)
		if err != nil {
			if err.outOfRange {
				return time.Time{}, 0, usageErrorf("%q is too far from now", v)
			}
			if err.badUnit == "m" || err.badUnit == "M" {
				return time.Time{}, 0, usageErrorf("%q is not a date: relative times use h, d, w or y (m could mean minutes or months)", v)
			}
			return time.Time{}, 0, usageErrorf("%q is not a date (%s)", v, whenHelp)
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
	return time.Time{}, 0, usageErrorf("%q is not a date (%s)", v, whenHelp)
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
// range") and drops the layout noise.
func parseErrReason(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}

const durationHelp = "use a number and a unit: h, d (days), w (weeks), y (365 days), or Go units ns, us, ms, s, m; e.g. 30d, 12h, 2w, 1h30m, 45s"

// ParseDuration reads the durations of --expiring-within and --clear-after:
// Go durations ("45s", "1h30m", "1.5h") plus d (24h), w (7d) and y (365d),
// freely combined ("1w2d"). "0" is zero. A negative duration is refused, as
// neither use has a meaning for one; so is one beyond about 292 years.
// Errors are *UsageError values naming the valid units.
func ParseDuration(s string) (time.Duration, error) {
	v := strings.TrimSpace(s)
	body := v
	negative := false
	if body != "" && (body[0] == '+' || body[0] == '-') {
		negative = body[0] == '-'
		body = body[1:]
	}
	if body == "0" {
		return 0, nil
	}
	if body == "" {
		if v == "" {
			return 0, usageErrorf("missing duration (%s)", durationHelp)
		}
		return 0, usageErrorf("invalid duration %q (%s)", v, durationHelp)
	}
	d, err := parseDurationParts(body, anyUnit)
	switch {
	case err != nil && err.outOfRange:
		return 0, usageErrorf("duration %q is too long (at most about 292 years)", v)
	case err != nil && err.missingUnit:
		return 0, usageErrorf("duration %q has no unit (%s)", v, durationHelp)
	case err != nil && err.badUnit != "":
		return 0, usageErrorf("duration %q has an unknown unit %q (%s)", v, err.badUnit, durationHelp)
	case err != nil:
		return 0, usageErrorf("invalid duration %q (%s)", v, durationHelp)
	case negative && d != 0:
		return 0, usageErrorf("duration %q must not be negative", v)
	}
	return d, nil
}

// durationErr says what went wrong in parseDurationParts so each caller can
// word its own message.
type durationErr struct {
	outOfRange  bool
	missingUnit bool
	badUnit     string
}

// unitSet maps a unit to its length, or 0 when the unit is not accepted.
type unitSet func(unit string) time.Duration

func anyUnit(unit string) time.Duration {
	switch unit {
	case "ns":
		return time.Nanosecond
	case "us", "µs", "μs": // micro sign and Greek mu, as Go accepts
		return time.Microsecond
	case "ms":
		return time.Millisecond
	case "s":
		return time.Second
	case "m":
		return time.Minute
	}
	return relativeUnit(unit)
}

func relativeUnit(unit string) time.Duration {
	switch unit {
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

// parseDurationParts reads an unsigned sequence of number+unit parts, e.g.
// "1w2d" or "1.5h". Numbers may have a fraction. The total must fit in a
// time.Duration.
func parseDurationParts(s string, units unitSet) (time.Duration, *durationErr) {
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
		unit := units(unitName)
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
