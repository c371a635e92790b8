package output

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

// compareFoldRuneByRune is compareFold without skipping the bytes both texts share: what it
// must agree with.
func compareFoldRuneByRune(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		a, b = a[na:], b[nb:]
		ra, rb = unicode.ToLower(ra), unicode.ToLower(rb)
		if ra != rb {
			if ra < rb {
				return -1
			}
			return 1
		}
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

var compareFoldSeeds = [][2]string{
	{"Webhook relay #12", "Webhook relay #15"}, {"Webhook", "webhook relay"}, {"\xc3", "\xc3\xa9"},
	{"\xe2\x82x", "\xe2\x82\xac"}, {"\xc3\xc3\xa9", "\xc3\xc3\xa8"}, {"é", "É"}, {"Ké", "K\u212a"},
	{"abc\xff", "abc\xfe"}, {"", "a"}, {"same", "same"}, {"東京a", "東京b"}, {"東", "本"},
}

func TestCompareFoldSkipsSharedBytesAlike(t *testing.T) {
	for _, p := range compareFoldSeeds {
		for _, q := range [][2]string{p, {p[1], p[0]}} {
			if got, want := compareFold(q[0], q[1]), compareFoldRuneByRune(q[0], q[1]); got != want {
				t.Errorf("compareFold(%q, %q) = %d, want %d", q[0], q[1], got, want)
			}
		}
	}
}

func FuzzCompareFold(f *testing.F) {
	for _, p := range compareFoldSeeds {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := compareFold(a, b), compareFoldRuneByRune(a, b); got != want {
			t.Fatalf("compareFold(%q, %q) = %d, want %d", a, b, got, want)
		}
	})
}
