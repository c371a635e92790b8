package l10n

import (
	"errors"
	"fmt"
	"testing"
)

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{"en": English, "FR": French, "fr\n": French, "fr_CA.UTF-8": French, "fr-CA": French, "en_US.UTF-8": English} {
		if got, ok := ParseLang(in); !ok || got != want {
			t.Errorf("ParseLang(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "de", "french", "fra", "f", "frx"} {
		if _, ok := ParseLang(in); ok {
			t.Errorf("ParseLang(%q) accepted", in)
		}
	}
}

func TestFromLocale(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want Lang
	}{
		{map[string]string{}, English},
		{map[string]string{"LANG": "fr_CA.UTF-8"}, French},
		{map[string]string{"LANG": "fr"}, French},
		{map[string]string{"LANG": "fr_FR@euro"}, French},
		{map[string]string{"LANG": "C"}, English},
		{map[string]string{"LANG": "fr_CA.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, English},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "fr_CA.UTF-8"}, French},
		{map[string]string{"LC_ALL": "C", "LC_MESSAGES": "fr_CA.UTF-8"}, English},
		{map[string]string{"LC_ALL": "", "LC_MESSAGES": "fr_CA.UTF-8"}, French}, // empty is unset
		{map[string]string{"LANG": "POSIX"}, English},
		{map[string]string{"LANG": "frisian"}, English},
	} {
		if got := FromLocale(func(k string) string { return c.env[k] }); got != c.want {
			t.Errorf("FromLocale(%v) = %v, want %v", c.env, got, c.want)
		}
	}
}

func TestEnglishPrinterIsFmt(t *testing.T) {
	for _, p := range []*Printer{nil, For(English)} {
		if got := p.Sprintf("%d of %s", 3, "x"); got != "3 of x" {
			t.Errorf("Sprintf: %q", got)
		}
		if got := p.Plural(1, "%d key", "%d keys", 1); got != "1 key" {
			t.Errorf("Plural 1: %q", got)
		}
		if got := p.Plural(0, "%d key", "%d keys", 0); got != "0 keys" {
			t.Errorf("Plural 0: %q", got)
		}
	}
}

func TestErrorfWrapsAsFmt(t *testing.T) {
	base := errors.New("base")
	err := Errorf("reading %s: %w", "x", base)
	if err.Error() != "reading x: base" || !errors.Is(err, base) {
		t.Errorf("Errorf: %q, Is %v", err, errors.Is(err, base))
	}
	two := Errorf("%w and %w", base, errors.ErrUnsupported)
	if !errors.Is(two, base) || !errors.Is(two, errors.ErrUnsupported) {
		t.Error("Errorf with two %w unwraps neither")
	}
	if got := For(French).Error(fmt.Errorf("plain: %w", err)); got != "plain: reading x: base" {
		t.Errorf("an error with words of its own stays English: %q", got)
	}
}

func TestWithoutWrapVerbs(t *testing.T) {
	for in, want := range map[string]string{"%w": "%v", "a %w b %[2]w": "a %v b %[2]v", "%%w": "%%w", "%-5w": "%-5v", "w %s": "w %s"} {
		if got := withoutWrapVerbs(in); got != want {
			t.Errorf("withoutWrapVerbs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVerbs(t *testing.T) {
	for in, want := range map[string]string{
		"%d keys":           "[0d]",
		"%[2]s avant %[1]q": "[0s 1s]",
		"100%% %s":          "[0s]",
	} {
		if got := fmt.Sprint(verbs(in)); got != want {
			t.Errorf("verbs(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestFrenchKeepsQuoting: a value the English quotes with %q keeps %q's escaping when the
// French prints it between « » with %s: a line break from the server stays "\n".
func TestFrenchKeepsQuoting(t *testing.T) {
	args := []any{"a\nHint: x", 3, "b"}
	keepQuoting("title %q, %d, %q", "titre « %s », %d, %q", args)
	if args[0] != `a\nHint: x` || args[1] != 3 || args[2] != "b" {
		t.Errorf("keepQuoting: %q", args)
	}
	args = []any{"x", "y"}
	keepQuoting("%[2]q then %[1]s", "%[1]s puis « %[2]s »", args)
	if args[0] != "x" || args[1] != "y" {
		t.Errorf("keepQuoting by index: %q", args)
	}
	args = []any{"x\ty", "z"}
	keepQuoting("%[2]s then %[1]q", "%[1]s puis %[2]s", args)
	if args[0] != `x\ty` || args[1] != "z" {
		t.Errorf("keepQuoting by index: %q", args)
	}
}
