package doctor

import (
	"strings"
	"sync"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// texts are the English texts of the checks made so far, each with the message it was made
// of, so that the checklist can print them in the reader's language while the report (-o
// json, --report) keeps them in English, the same in every language. Keyed by the English
// text: one text is one message.
var texts sync.Map // string → l10n.Msg

// say is the English text of format and its arguments, remembered for the checklist.
func say(format string, args ...any) string { return Say(l10n.M(format, args...)) }

// Say is m's English text, remembered for the checklist: for a text the command makes (where
// the session is stored, say) and the doctor shows.
func Say(m l10n.Msg) string {
	s := m.String()
	texts.LoadOrStore(s, m)
	return s
}

// known is the message of a text said before (an argument translated with its sentence),
// else the text itself.
func known(s string) any {
	if m, ok := texts.Load(s); ok {
		return m.(l10n.Msg)
	}
	return s
}

// sayError is err's text, remembered with err: the checklist shows it in the reader's
// language where the error has one.
func sayError(err error) string {
	if err == nil {
		return ""
	}
	return say("%v", err)
}

// localize is s in p's language: the message it was said from, else each of its lines
// (fixes are joined by line breaks), else s as it is.
func localize(p *l10n.Printer, s string) string {
	if p.Lang() == l10n.English || s == "" {
		return s
	}
	if m, ok := texts.Load(s); ok {
		return m.(l10n.Msg).Localize(p)
	}
	if strings.Contains(s, "\n") {
		lines := strings.Split(s, "\n")
		for i := range lines {
			lines[i] = localize(p, lines[i])
		}
		return strings.Join(lines, "\n")
	}
	return s
}
