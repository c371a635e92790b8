package output

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseWhen(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2026-01-02", time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)},
		{" 2026-01-02 ", time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)},
		{"2026-01-02T15:04:05Z", time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)},
		{"2026-01-02T15:04:05.123456789Z", time.Date(2026, 1, 2, 15, 4, 5, 123456789, time.UTC)},
		{"2026-01-02T17:04:05+02:00", time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)},
		{"2026-01-02T10:04:05.5-05:00", time.Date(2026, 1, 2, 15, 4, 5, 5e8, time.UTC)},
		{"30d", testNow.Add(30 * day)},
		{"+30d", testNow.Add(30 * day)},
		{"-7d", testNow.Add(-7 * day)},
		{"12h", testNow.Add(12 * time.Hour)},
		{"2w", testNow.Add(14 * day)},
		{"1y", testNow.Add(365 * day)},
		{"-1y", testNow.Add(-365 * day)},
		{"1w3d", testNow.Add(10 * day)},
		{"0d", testNow},
		{"now", testNow},
		{"NOW", testNow},
		{"today", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, err := ParseWhen(tt.in, testNow)
		if err != nil {
			t.Errorf("ParseWhen(%q): %v", tt.in, err)
			continue
		}
		if !got.Equal(tt.want) {
			t.Errorf("ParseWhen(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}

	errTests := []struct{ in, want string }{
		{"", `missing date (use YYYY-MM-DD, RFC 3339, or a relative time like 30d, -7d)`},
		{"soon", `"soon" is not a date (use YYYY-MM-DD, RFC 3339, or a relative time like 30d, -7d)`},
		{"30", `"30" is not a date (use YYYY-MM-DD, RFC 3339, or a relative time like 30d, -7d)`},
		{"30x", `"30x" is not a date (use YYYY-MM-DD, RFC 3339, or a relative time like 30d, -7d)`},
		{"30D", `"30D" is not a date (use YYYY-MM-DD, RFC 3339, or a relative time like 30d, -7d)`},
		{"6m", `"6m" is not a date: relative times use h, d, w or y (m could mean minutes or months)`},
		{"2026-13-01", `"2026-13-01" is not a valid date: month out of range`},
		{"2026-02-29", `"2026-02-29" is not a valid date: day out of range`},
		{"2026-01-02T25:00:00Z", `"2026-01-02T25:00:00Z" is not a valid date: hour out of range`},
		{"2026-01-02T10:00:00", `"2026-01-02T10:00:00" has no time zone (add Z for UTC or an offset like +02:00)`},
		{"2026-1-2", `"2026-1-2" is not a date (use YYYY-MM-DD, RFC 3339, or a relative time like 30d, -7d)`},
		{"300y", `"300y" is too far from now`},
		{"99999999999999999999d", `"99999999999999999999d" is too far from now`},
		{"-", `"-" is not a date (use YYYY-MM-DD, RFC 3339, or a relative time like 30d, -7d)`},
	}
	for _, tt := range errTests {
		_, err := ParseWhen(tt.in, testNow)
		wantUsageError(t, err)
		if err != nil && err.Error() != tt.want {
			t.Errorf("ParseWhen(%q) error\n got: %s\nwant: %s", tt.in, err, tt.want)
		}
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"30d", 30 * day},
		{"12h", 12 * time.Hour},
		{"2w", 14 * day},
		{"1y", 365 * day},
		{"45s", 45 * time.Second},
		{"1h30m", 90 * time.Minute},
		{"1.5h", 90 * time.Minute},
		{"1.5d", 36 * time.Hour},
		{".5d", 12 * time.Hour},
		{"1w2d", 9 * day},
		{"1d12h", 36 * time.Hour},
		{"250ms", 250 * time.Millisecond},
		{"3us", 3 * time.Microsecond},
		{"3µs", 3 * time.Microsecond},
		{"7ns", 7},
		{"0", 0},
		{"0s", 0},
		{"-0", 0},
		{"+5m", 5 * time.Minute},
		{" 30d ", 30 * day},
		{"2562047h47m16.854775807s", 1<<63 - 1},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if err != nil {
			t.Errorf("ParseDuration(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}

	errTests := []struct{ in, want string }{
		{"", "missing duration (use a number and a unit: h, d (days), w (weeks), y (365 days), or Go units ns, us, ms, s, m; e.g. 30d, 12h, 2w, 1h30m, 45s)"},
		{"30", `duration "30" has no unit`},
		{"1h30", `duration "1h30" has no unit`},
		{"5x", `duration "5x" has an unknown unit "x"`},
		{"30D", `duration "30D" has an unknown unit "D"`},
		{"1h 30m", `duration "1h 30m" has an unknown unit "h "`},
		{"-5m", `duration "-5m" must not be negative`},
		{"300y", `duration "300y" is too long (at most about 292 years)`},
		{"2562047h47m16.854775808s", `is too long`},
		{"99999999999999999999ns", `is too long`},
		{".", `invalid duration "."`},
		{"d", `invalid duration "d"`},
		{"+", `invalid duration "+"`},
		{"1..5h", `invalid duration "1..5h"`},
	}
	for _, tt := range errTests {
		_, err := ParseDuration(tt.in)
		wantUsageError(t, err, tt.want)
	}
}

// FuzzParseWhen checks that any input yields a time or a *UsageError, never
// a panic, and that accepted values are consistent: a bare date is UTC
// midnight, and printing the result as RFC 3339 parses back to the same
// instant.
func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"2026-01-02", "2026-01-02T15:04:05Z", "2026-01-02T15:04:05.999+05:30",
		"30d", "-7d", "+1w2d", "1y", "now", "today", "soon", "2026-02-30", "6m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, kind, err := parseWhen(s, testNow)
		if err != nil {
			var ue *UsageError
			if !errors.As(err, &ue) {
				t.Fatalf("ParseWhen(%q) error %v is not a *UsageError", s, err)
			}
			return
		}
		switch kind {
		case whenDay:
			if got.Location() != time.UTC || got.Hour() != 0 || got.Minute() != 0 || got.Second() != 0 || got.Nanosecond() != 0 {
				t.Fatalf("ParseWhen(%q) = %v, want UTC midnight", s, got)
			}
		case whenRelative:
			d := got.Sub(testNow)
			if d%time.Hour != 0 && !strings.Contains(s, ".") {
				t.Fatalf("ParseWhen(%q) = now%+v, want whole hours", s, d)
			}
			if (d < 0) != strings.HasPrefix(strings.TrimSpace(s), "-") && d != 0 {
				t.Fatalf("ParseWhen(%q) = now%+v: wrong direction", s, d)
			}
		}
		text := got.Format(time.RFC3339Nano)
		back, err := ParseWhen(text, testNow)
		if err != nil {
			t.Fatalf("ParseWhen(%q) = %s, which does not parse back: %v", s, text, err)
		}
		if !back.Equal(got) {
			t.Fatalf("ParseWhen(%q) = %s, parses back as %s", s, text, back)
		}
	})
}

// FuzzParseDuration checks that any input yields a non-negative duration or
// a *UsageError, that the result survives a round trip through
// Duration.String, and that wherever Go's own parser accepts a non-negative
// duration, ours agrees with it exactly.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"30d", "12h", "2w", "1y", "45s", "1h30m", "1.5h", "0", "-5m", "1w2d",
		"3µs", "2562047h47m16.854775807s", ".5d", "5x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDuration(s)
		if goD, goErr := time.ParseDuration(strings.TrimSpace(s)); goErr == nil && goD >= 0 {
			if err != nil {
				t.Fatalf("ParseDuration(%q) failed (%v) where time.ParseDuration gives %v", s, err, goD)
			}
			if got != goD {
				t.Fatalf("ParseDuration(%q) = %v, time.ParseDuration = %v", s, got, goD)
			}
		}
		if err != nil {
			var ue *UsageError
			if !errors.As(err, &ue) {
				t.Fatalf("ParseDuration(%q) error %v is not a *UsageError", s, err)
			}
			return
		}
		if got < 0 {
			t.Fatalf("ParseDuration(%q) = %v, negative", s, got)
		}
		back, err := ParseDuration(got.String())
		if err != nil || back != got {
			t.Fatalf("ParseDuration(%q) = %v; its String() parses as %v, %v", s, got, back, err)
		}
	})
}
