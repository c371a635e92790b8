package sanitize

import "testing"

func TestText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"plain title", "plain title"},
		{"Érable · Québec ✓", "Érable · Québec ✓"},
		{"a\nb\rc\td", `a\nb\rc\td`},
		{"\x1b]52;c;aGVsbG8=\x07", `\x1b]52;c;aGVsbG8=\x07`},
		{"\x1b[2J\x1b[H", `\x1b[2J\x1b[H`},
		{"del\x7f", `del\x7f`},
		{"csi\u009b31m", `csi\u009b31m`},
		{"c1\u0085\u009f", `c1\u0085\u009f`},
		{"abc\u202egnp.exe", `abc\u202egnp.exe`},
		{"\u2066iso\u2069 \u200e\u200f\u061c", `\u2066iso\u2069 \u200e\u200f\u061c`},
		{"bad\xffutf8\xc2", `bad\xffutf8\xc2`},
		{"nul\x00", `nul\x00`},
		{"\u00a0nbsp kept", "\u00a0nbsp kept"},
	}
	for _, c := range cases {
		if got := Text(c.in); got != c.want {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := Safe(c.in); got != (c.in == c.want) {
			t.Errorf("Safe(%q) = %v, want %v", c.in, got, c.in == c.want)
		}
	}
}

// FuzzText: the result never holds a byte or rune a terminal acts on, and
// safe text is returned unchanged.
func FuzzText(f *testing.F) {
	for _, s := range []string{"", "x", "\x1b[31m", "\u009b", "\u202e", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if !Safe(out) {
			t.Fatalf("Text(%q) = %q still unsafe", s, out)
		}
		if Safe(s) && out != s {
			t.Fatalf("safe %q changed to %q", s, out)
		}
	})
}

// Lines keeps a message's newlines and tabs and escapes everything else Text escapes.
func TestLines(t *testing.T) {
	for in, want := range map[string]string{
		"":                            "",
		"plain\ttext\nnext":           "plain\ttext\nnext",
		"evil\x1b[2J\tok\r\n\x07bell": "evil\\x1b[2J\tok\\r\n\\x07bell",
		"\u202eabc":                   "\\u202eabc",
	} {
		if got := Lines(in); got != want {
			t.Errorf("Lines(%q) = %q, want %q", in, got, want)
		}
	}
}
