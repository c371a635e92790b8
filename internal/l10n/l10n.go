// Package l10n puts what a person reads in their language: English, the language the code
// is written in, or French. Messages are Printf formats whose English text is their ID; the
// French catalog (fr.json, go-i18n's JSON format) maps each to its translation with the same
// verbs, and is parsed the first time a French text is asked for, never in an English run.
//
// Machine output (JSON, YAML, CSV, TSV, flag and column names, role values) never goes
// through a Printer: it is the same in every language.
package l10n

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Lang is a language of the human text.
type Lang uint8

const (
	// English is the language of the code and the fallback of every missing translation.
	English Lang = iota
	// French follows the portal's French edition.
	French
)

// String is the setting's value for the language: "en" or "fr".
func (l Lang) String() string {
	if l == French {
		return "fr"
	}
	return "en"
}

// ParseLang reads a language setting (APIKEYS_LANG, the language key of the configuration):
// en or fr, in any case, or a locale name of one of them (fr_CA.UTF-8, en-GB).
func ParseLang(s string) (Lang, bool) {
	v := strings.ToLower(strings.TrimSpace(s))
	switch {
	case v == "en" || localeOf(v, "en"):
		return English, true
	case v == "fr" || localeOf(v, "fr"):
		return French, true
	}
	return English, false
}

// localeOf reports a POSIX or BCP 47 locale name of the language code: "fr_ca.utf-8",
// "fr-ca", "fr.utf-8", "fr@euro".
func localeOf(v, code string) bool {
	rest, ok := strings.CutPrefix(v, code)
	return ok && rest != "" && strings.ContainsRune("_-.@", rune(rest[0]))
}

// FromLocale is the language of the locale, as POSIX decides the language of messages: the
// first of LC_ALL, LC_MESSAGES and LANG that is set and not empty. A French locale (fr,
// fr_CA.UTF-8, fr_FR@euro…) is French; anything else, C and POSIX included, is English.
func FromLocale(getenv func(string) string) Lang {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := strings.ToLower(strings.TrimSpace(getenv(name))); v != "" {
			if v == "fr" || localeOf(v, "fr") {
				return French
			}
			return English
		}
	}
	return English
}

// Localizable is text that can be put in a language: an error of Errorf, a message of M or P.
type Localizable interface {
	Localize(p *Printer) string
}

// Printer writes messages in one language. A nil *Printer is English, so code and tests
// that have none still print what they always printed.
type Printer struct {
	lang Lang
}

// For is the printer of lang.
func For(lang Lang) *Printer { return &Printer{lang: lang} }

// Lang is the printer's language (English for nil).
func (p *Printer) Lang() Lang {
	if p == nil {
		return English
	}
	return p.lang
}

func (p *Printer) french() bool { return p != nil && p.lang == French }

// Sprintf is fmt.Sprintf of format's translation. In French, arguments that are errors or
// Localizable are put in French too.
func (p *Printer) Sprintf(format string, args ...any) string {
	if !p.french() {
		return fmt.Sprintf(format, args...)
	}
	return p.format(format, translate(format, "", nil), args)
}

// Fprintf writes Sprintf's text to w.
func (p *Printer) Fprintf(w io.Writer, format string, args ...any) (int, error) {
	return io.WriteString(w, p.Sprintf(format, args...))
}

// Plural is Sprintf of the form of the message that counts n: one for a single thing,
// other for the rest in English ("1 key", "0 keys"); French follows its own rule (0 and 1
// take the singular: "0 clé"). n is not an argument of the format unless passed in args.
func (p *Printer) Plural(n int, one, other string, args ...any) string {
	if !p.french() {
		if n == 1 {
			return fmt.Sprintf(one, args...)
		}
		return fmt.Sprintf(other, args...)
	}
	english := other
	if n == 1 {
		english = one
	}
	return p.format(english, translate(other, one, n), args)
}

// Text is the translation of s, not a format: a '%' in it is text (help, flag usages).
func (p *Printer) Text(s string) string {
	if !p.french() || s == "" {
		return s
	}
	return translate(s, "", nil)
}

// TextFor is Text of a word whose French depends on what it speaks of (context): "unknown"
// of an expiry is "inconnue", of a status "inconnu". Its catalog entry is "context|s"; the
// English is s.
func (p *Printer) TextFor(context, s string) string {
	if !p.french() || s == "" {
		return s
	}
	if t := translate(context+"|"+s, "", nil); t != context+"|"+s {
		return t
	}
	return s
}

// Error is err's message in the printer's language. The error's own text is used through
// wrappers that add no words (errkind's, say); an error that is not Localizable, or that
// wraps its cause with words of its own, keeps its English text.
func (p *Printer) Error(err error) string {
	if err == nil {
		return ""
	}
	if !p.french() {
		return err.Error()
	}
	for e := err; e != nil; {
		if l, ok := e.(Localizable); ok {
			return l.Localize(p)
		}
		inner := errors.Unwrap(e)
		if inner == nil || inner.Error() != e.Error() {
			break
		}
		e = inner
	}
	return err.Error()
}

// format is fmt.Sprintf of french, the translation of the format english, whose %w (kept
// from an Errorf format) are %v, with errors and Localizable arguments in the printer's
// language, and the quoting of English's %q kept (keepQuoting).
func (p *Printer) format(english, french string, args []any) string {
	if len(args) == 0 {
		return french
	}
	localized := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case Localizable:
			localized[i] = v.Localize(p)
		case error:
			localized[i] = p.Error(v)
		default:
			localized[i] = a
		}
	}
	keepQuoting(english, french, localized)
	return fmt.Sprintf(withoutWrapVerbs(french), localized...)
}

// withoutWrapVerbs turns each %w of format into %v, for Sprintf: %w is Errorf's alone.
func withoutWrapVerbs(format string) string {
	if !strings.Contains(format, "w") {
		return format
	}
	b := []byte(format)
	for i := 0; i < len(b); i++ {
		if b[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(b) && strings.IndexByte("+-# 0123456789.[]*", b[j]) >= 0 {
			j++
		}
		if j < len(b) && b[j] == 'w' {
			b[j] = 'v'
		}
		i = j
	}
	return string(b)
}
