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
		{"90min", testNow.Add(90 * time.Minute)},
		{"-1h30min", testNow.Add(-90 * time.Minute)},
		{"45s", testNow.Add(45 * time.Second)},
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
		{"6m", `"6m" is not a date: m could mean minutes or months: write min for minutes, or days such as 30d`},
		{"1h30m", `"1h30m" is not a date: m could mean minutes or months: write min for minutes, or days such as 30d`},
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
		{"1h30min", 90 * time.Minute},
		{"90min", 90 * time.Minute},
		{"1.5h", 90 * time.Minute},
		{"1.5d", 36 * time.Hour},
		{".5d", 12 * time.Hour},
		{"1w2d", 9 * day},
		{"1d12h", 36 * time.Hour},
		{"250ms", 250 * time.Millisecond},
		{"1.000000007s", time.Second + 7},
		{"0", 0},
		{"0s", 0},
		{"-0", 0},
		{"+5min", 5 * time.Minute},
		{" 30d ", 30 * day},
		{"2562047h47min16.854775807s", 1<<63 - 1},
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

	const help = "(use a number and a unit: ms, s, min, h, d (days), w (weeks), y (365 days); e.g. 45s, 10min, 12h, 30d, 1h30min)"
	errTests := []struct{ in, want string }{
		{"", `invalid duration "": the value is empty (an unset shell variable?)`},
		{"30", `invalid duration "30": no unit ` + help},
		{"1h30", `invalid duration "1h30": no unit ` + help},
		{"5x", `invalid duration "5x": unknown unit "x" ` + help},
		{"30D", `invalid duration "30D": unknown unit "D" ` + help},
		{"7ns", `invalid duration "7ns": unknown unit "ns" ` + help},
		{"1h 30min", `invalid duration "1h 30min": unknown unit "h " ` + help},
		{"30m", `invalid duration "30m": m could mean minutes or months: write min for minutes, or days such as 30d`},
		{"1h30m", `invalid duration "1h30m": m could mean minutes or months: write min for minutes, or days such as 30d`},
		{"-5min", `invalid duration "-5min": a duration must not be negative`},
		{"300y", `invalid duration "300y": too long (at most about 292 years)`},
		{"2562047h47min16.854775808s", `invalid duration "2562047h47min16.854775808s": too long (at most about 292 years)`},
		{"99999999999999999999ms", `invalid duration "99999999999999999999ms": too long (at most about 292 years)`},
		{".", `invalid duration ".": not a duration ` + help},
		{"d", `invalid duration "d": not a duration ` + help},
		{"+", `invalid duration "+": not a duration ` + help},
		{"1..5h", `invalid duration "1..5h": not a duration ` + help},
	}
	for _, tt := range errTests {
		_, err := ParseDuration(tt.in)
		wantUsageError(t, err)
		if err != nil && err.Error() != tt.want {
			t.Errorf("ParseDuration(%q) error\n got: %s\nwant: %s", tt.in, err, tt.want)
		}
	}
	_, err := ParseFlagDuration("--clear-after", "banana")
	if want := `invalid --clear-after "banana": not a duration ` + help; err == nil || err.Error() != want {
		t.Errorf("ParseFlagDuration error\n got: %v\nwant: %s", err, want)
	}
}

func TestFormatDurationParsesBack(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 45 * time.Second: "45s", 90 * time.Minute: "1h30min", 36 * time.Hour: "1d12h",
		1500 * time.Millisecond: "1.5s", time.Millisecond: "0.001s", 1<<63 - 1: "106751d23h47min16.854775807s",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
		if back, err := ParseDuration(FormatDuration(d)); err != nil || back != d {
			t.Errorf("FormatDuration(%v) parses back as %v, %v", d, back, err)
		}
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
// FormatDuration, and that wherever both Go's parser and ours accept a
// duration, they agree exactly (ours refuses Go's m, ns and us).
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"30d", "12h", "2w", "1y", "45s", "1h30min", "1h30m", "1.5h", "0", "-5min", "1w2d",
		"3µs", "2562047h47min16.854775807s", ".5d", "5x", "250ms", "1.000000001s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDuration(s)
		if goD, goErr := time.ParseDuration(strings.TrimSpace(s)); goErr == nil && err == nil && got != goD {
			t.Fatalf("ParseDuration(%q) = %v, time.ParseDuration = %v", s, got, goD)
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
		back, err := ParseDuration(FormatDuration(got))
		if err != nil || back != got {
			t.Fatalf("ParseDuration(%q) = %v; FormatDuration gives %q, which parses as %v, %v", s, got, FormatDuration(got), back, err)
		}
	})
}
