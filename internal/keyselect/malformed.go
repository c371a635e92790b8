package keyselect

import (
	"slices"
	"strings"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// maxWarnings bounds the warnings about malformed keys; past it, one line counts the rest.
const maxWarnings = 20

// Malformed reports whether the server sent k without an ID or with unreadable fields of the
// key vocabulary. An unreadable secret does not count: no list, show or delete shows one, and
// its warning would have nothing to say.
func Malformed(k *jmapcloud.APIKey) bool { return k.ID == "" || len(UnreadableFields(k)) > 0 }

// UnreadableFields names the fields of the key vocabulary that k's unreadable values leave
// unknown (an unreadable expiry also leaves the status unknown).
func UnreadableFields(k *jmapcloud.APIKey) []string {
	p := k.Problems()
	var fields []string
	add := func(problem string, names ...string) {
		if problem != "" {
			fields = append(fields, names...)
		}
	}
	add(p.ID, "id")
	add(p.Title, "title")
	add(p.Role, "role")
	add(p.Email, "email")
	add(p.CreatedBy, "creator")
	add(p.CreationDate, "created")
	add(p.ExpirationDate, "expires", "status")
	return fields
}

// Warnings are the warnings about malformed keys a command writes on stderr: one line per
// key, naming it and what is wrong with it. The zero value is empty and ready to use.
type Warnings struct {
	lines []warnLine
	seen  map[string]bool // the keys warned about, by their warning without a note
	more  int
}

// Add warns about k once, with note saying what follows from it for this command (the zero
// Msg for none).
func (w *Warnings) Add(k *jmapcloud.APIKey, note l10n.Msg) {
	id := warning(k, l10n.Msg{}).String()
	if w.seen[id] {
		return
	}
	if w.seen == nil {
		w.seen = map[string]bool{}
	}
	w.seen[id] = true
	if len(w.lines) == maxWarnings {
		w.more++
		return
	}
	w.lines = append(w.lines, warning(k, note))
}

// Lines are the warnings to write, one per line, and past maxWarnings one counting the rest.
func (w *Warnings) Lines() []string { return w.LinesIn(nil) }

// LinesIn are Lines in p's language.
func (w *Warnings) LinesIn(p *l10n.Printer) []string {
	lines := make([]string, 0, len(w.lines)+1)
	for _, l := range w.lines {
		lines = append(lines, l.Localize(p))
	}
	if w.more > 0 {
		lines = append(lines, p.Sprintf("Warning: %d more API keys are malformed (not named here)", w.more))
	}
	return lines
}

// warnLine is the warning about one key: its name, what the server sent wrong (the
// server's own words, escaped), whether it lacks an ID, and the command's note.
type warnLine struct {
	name     l10n.Msg
	problems string
	noID     bool
	note     l10n.Msg
}

// Localize is the line in p's language.
func (l warnLine) Localize(p *l10n.Printer) string {
	var parts []string
	if l.problems != "" {
		parts = append(parts, p.Sprintf("unreadable from the server, left empty: %s", l.problems))
	}
	if l.noID {
		parts = append(parts, p.Sprintf("it has no ID, so it cannot be named by ID or deleted"))
	}
	if !l.note.IsZero() {
		parts = append(parts, l.note.Localize(p))
	}
	return p.Sprintf("Warning: %s: %s", l.name, strings.Join(parts, "; "))
}

// String is the English line.
func (l warnLine) String() string { return l.Localize(nil) }

// warning names k and says what the server sent wrong, then note.
func warning(k *jmapcloud.APIKey, note l10n.Msg) warnLine {
	p := k.Problems()
	var problems []string
	for _, s := range []string{p.ID, p.Title, p.Role, p.Email, p.CreatedBy, p.CreationDate, p.ExpirationDate} {
		if s != "" {
			problems = append(problems, sanitize.Text(s))
		}
	}
	return warnLine{name: keyName(k), problems: strings.Join(problems, "; "), noID: k.ID == "", note: note}
}

// keyName names a key in a message, by ID when it has one.
func keyName(k *jmapcloud.APIKey) l10n.Msg {
	switch {
	case k.ID != "":
		return l10n.M("API key %s", sanitize.Text(k.ID))
	case k.Title != "":
		return l10n.M("API key titled %q", sanitize.Text(k.Title))
	}
	return l10n.M("an API key with neither ID nor title")
}

// matchMalformed filters a malformed key. Filters on fields it has are applied first; when
// they keep it, a filter on a field it lacks leaves it out, undecided, naming that field.
func matchMalformed(k *jmapcloud.APIKey, row output.Key, filters []output.Filter) (keep bool, undecided string) {
	unknown := UnreadableFields(k)
	for _, f := range filters {
		if !slices.Contains(unknown, f.Field()) && !f.Match(row) {
			return false, ""
		}
	}
	for _, f := range filters {
		if field := f.Field(); slices.Contains(unknown, field) {
			return false, field
		}
	}
	return true, ""
}

// warnUnreadableTitles warns about the keys a title cannot find, after a title found none.
func warnUnreadableTitles(keys []jmapcloud.APIKey, w *Warnings) {
	for i := range keys {
		if keys[i].Problems().Title != "" {
			w.Add(&keys[i], l10n.M("a title cannot find it"))
		}
	}
}
