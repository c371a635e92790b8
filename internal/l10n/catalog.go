package l10n

import (
	_ "embed"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
)

// frJSON is the French catalog: one entry per English message, a string, or for a message
// that counts, {"one": …, "other": …} under the English "other" form.
//
//go:embed fr.json
var frJSON []byte

// frLocalizer parses the French catalog the first time a French text is asked for: an
// English run never reads it, and a French one once. A catalog that cannot be parsed (the
// tests make sure it can) leaves every message in English.
var frLocalizer = sync.OnceValue(func() *i18n.Localizer {
	catalogParsed.Store(true)
	bundle := i18n.NewBundle(language.English)
	if _, err := bundle.ParseMessageFileBytes(frJSON, "fr.json"); err != nil {
		return nil
	}
	return i18n.NewLocalizer(bundle, "fr")
})

// reservedID reports an ID go-i18n reads as a field of a message, never as a message ("ID",
// "Other"…): the catalog cannot hold it, so such a word is the same in every language (the
// column header ID is).
func reservedID(id string) bool {
	switch strings.ToLower(id) {
	case "id", "description", "hash", "leftdelim", "rightdelim", "zero", "one", "two", "few", "many", "other", "translation":
		return true
	}
	return false
}

// catalogParsed records that the French catalog was parsed (a test checks that English
// never parses it).
var catalogParsed atomic.Bool

// translate is the French of the message id (English other form), or of its plural form
// for count when one, the English singular, is given; the English text when there is none.
// Formats are returned as written: the verbs are filled by the caller with fmt, not by
// go-i18n's templates (template.IdentityParser).
func translate(id, one string, count any) string {
	english := id
	if one != "" && count == 1 {
		english = one
	}
	if reservedID(id) {
		return english
	}
	loc := frLocalizer()
	if loc == nil {
		return english
	}
	cfg := &i18n.LocalizeConfig{
		DefaultMessage: &i18n.Message{ID: id, Other: id, One: one},
		TemplateParser: template.IdentityParser{},
	}
	if one != "" {
		cfg.PluralCount = count
	}
	s, err := loc.Localize(cfg)
	if err != nil || s == "" {
		return english
	}
	return s
}
