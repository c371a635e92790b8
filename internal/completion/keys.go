package completion

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// Key is what completion keeps of an API key: no secret, no email.
type Key struct {
	ID      string    `json:"id"`
	Title   string    `json:"title"`
	Role    string    `json:"role"`
	Expires time.Time `json:"expires"`
}

// Editor is what completion keeps of a member holding the Editor role.
type Editor struct {
	Email string `json:"email"`
	Name  string `json:"name"`
}

// Keys builds the KEY candidates matching typed: every ID, described as
// "title · role · expiry", and every title that names one key only (an ambiguous title would
// be refused by the command), described as "role · expiry · ID". Keys already in taken are
// left out. Titles a shell cannot take as one word safely (control or bidi characters, a
// leading '-') are offered by ID only, and an ID that is not safe text is not offered. The
// expiry is said in p's language; the role is its value, as --role and --filter take it.
func Keys(p *l10n.Printer, keys []Key, taken []string, typed string, now time.Time) []Candidate {
	var given map[string]bool
	if len(taken) > 0 {
		given = make(map[string]bool, len(taken))
		for _, t := range taken {
			given[strings.ToLower(t)] = true
		}
	}
	// Lower-case each title once: sorting with ToLower in the comparison was most of the time
	// a completion of 1,000 keys took. The lower-case titles are parts of one string, as the
	// candidates below are: a completion's memory is fresh pages, each a page fault.
	type entry struct {
		lower string
		key   *Key
	}
	size := 0
	for _, k := range keys {
		size += len(k.Title)
	}
	var lb strings.Builder
	lb.Grow(size)
	ends := make([]int, len(keys))
	for i, k := range keys {
		writeLower(&lb, k.Title)
		ends[i] = lb.Len()
	}
	lowers, from := lb.String(), 0
	sorted := make([]entry, len(keys))
	for i := range keys {
		sorted[i] = entry{lower: lowers[from:ends[i]], key: &keys[i]}
		from = ends[i]
	}
	// (title, ID) is a total order, IDs being unique, so an unstable sort is deterministic.
	// The cache keeps keys in this order, which the sort finds in one pass.
	slices.SortFunc(sorted, func(a, b entry) int {
		if c := strings.Compare(a.lower, b.lower); c != 0 {
			return c
		}
		return strings.Compare(a.key.ID, b.key.ID)
	})
	// hasPrefixFold(s, typed) is strings.HasPrefix(strings.ToLower(s), lower): typed is
	// lower-cased once, and a title's lower case is the entry's.
	lowTyped, lowUnquoted := strings.ToLower(typed), strings.ToLower(unquoteShellWord(typed))
	// Which keys are offered by title, which by ID; then their candidates are written, with
	// room for what each holds: its title and ID, and about 80 bytes of words and a date.
	byTitle, byID := make([]*Key, 0, len(sorted)), make([]*Key, 0, len(sorted))
	room := 0
	for i, e := range sorted {
		k := e.key
		lowID := ""
		if given != nil || lowTyped != "" {
			lowID = strings.ToLower(k.ID)
		}
		if given != nil && (given[lowID] || given[e.lower]) {
			continue
		}
		// Titles equal but for case are next to each other in this order: a title that names
		// one key has no such neighbour.
		unique := (i == 0 || sorted[i-1].lower != e.lower) && (i+1 == len(sorted) || sorted[i+1].lower != e.lower)
		if unique && usableTitle(k.Title) && (strings.HasPrefix(e.lower, lowTyped) || strings.HasPrefix(e.lower, lowUnquoted)) {
			byTitle = append(byTitle, k)
			room += len(k.Title) + len(k.ID) + 80
		}
		if k.ID != "" && strings.HasPrefix(lowID, lowTyped) && sanitize.Safe(k.ID) {
			byID = append(byID, k)
			room += len(k.Title) + len(k.ID) + 80
		}
	}
	if len(byTitle) == 0 && len(byID) == 0 {
		return nil
	}
	d := newDescriber(p, now, room)
	spans := make([]span, 0, len(byTitle)+len(byID))
	for _, k := range byTitle {
		spans = append(spans, d.byTitle(k))
	}
	for _, k := range byID {
		spans = append(spans, d.byID(k))
	}
	text := d.b.String()
	out := make([]Candidate, len(spans))
	for i, sp := range spans {
		line := text[sp.start:sp.end]
		out[i] = Candidate{Value: line[:sp.valueLen], Desc: line[sp.valueLen+1:], line: line}
	}
	return out
}

// writeLower writes strings.ToLower(s) to b; an ASCII text, the usual title, without a string
// of its own.
func writeLower(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			b.WriteString(strings.ToLower(s))
			return
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
}

// span is where one candidate is in the describer's text: "value\tdescription" from start
// to end, the value's length first.
type span struct{ start, valueLen, end int }

// describer writes key candidates one after the other in one text: a title described as
// "role · expiry · ID", an ID as "title · role · expiry". The role and expiry words are
// translated once, not for each key (in French, a translation is a catalog lookup).
type describer struct {
	p   *l10n.Printer
	now time.Time
	b   strings.Builder
	// The words of the descriptions in p's language, already through sanitize.Text (which
	// escapes rune by rune, so that the text of a whole description is the texts of its
	// parts put together).
	editor, viewer, noExpiry string
	// The texts around the date of "expired %s" and "expires %s"; ok is false when a
	// translation does not hold the date once, and then each expiry is formatted whole.
	expiredBefore, expiredAfter, expiresBefore, expiresAfter string
	ok                                                       bool
}

// dateMark stands for the date while the expiry phrases are translated: a NUL is in no
// translation.
const dateMark = "\x00"

// newDescriber is the describer of candidates in p's language, with room for size bytes.
func newDescriber(p *l10n.Printer, now time.Time, size int) *describer {
	d := &describer{
		p:        p,
		now:      now,
		editor:   sanitize.Text(output.RoleText(p, output.RoleEditor)),
		viewer:   sanitize.Text(output.RoleText(p, output.RoleViewer)),
		noExpiry: sanitize.Text(p.Text("no expiry")),
	}
	d.b.Grow(size)
	var ok1, ok2 bool
	d.expiredBefore, d.expiredAfter, ok1 = strings.Cut(p.Sprintf("expired %s", dateMark), dateMark)
	d.expiresBefore, d.expiresAfter, ok2 = strings.Cut(p.Sprintf("expires %s", dateMark), dateMark)
	d.ok = ok1 && ok2 && !strings.Contains(d.expiredAfter, dateMark) && !strings.Contains(d.expiresAfter, dateMark)
	if d.ok {
		d.expiredBefore, d.expiredAfter = sanitize.Text(d.expiredBefore), sanitize.Text(d.expiredAfter)
		d.expiresBefore, d.expiresAfter = sanitize.Text(d.expiresBefore), sanitize.Text(d.expiresAfter)
	}
	return d
}

// role is the key's role in words, as output.RoleText says it.
func (d *describer) role(k *Key) string {
	switch name := output.RoleName(k.Role); name {
	case output.RoleEditor:
		return d.editor
	case output.RoleViewer:
		return d.viewer
	default:
		return sanitize.Text(output.RoleText(d.p, name))
	}
}

// writeExpiry writes expiryText's words for t.
func (d *describer) writeExpiry(t time.Time) {
	if t.IsZero() {
		d.b.WriteString(d.noExpiry)
		return
	}
	if !d.ok {
		d.b.WriteString(sanitize.Text(expiryText(d.p, t, d.now)))
		return
	}
	before, after := d.expiresBefore, d.expiresAfter
	if !t.After(d.now) {
		before, after = d.expiredBefore, d.expiredAfter
	}
	var date [16]byte
	d.b.WriteString(before)
	d.b.Write(t.UTC().AppendFormat(date[:0], "2006-01-02"))
	d.b.WriteString(after)
}

// byTitle writes a title's candidate. The title is safe text (usableTitle).
func (d *describer) byTitle(k *Key) span {
	sp := span{start: d.b.Len(), valueLen: len(k.Title)}
	d.b.WriteString(k.Title)
	d.b.WriteByte('\t')
	d.b.WriteString(d.role(k))
	d.b.WriteString(" · ")
	d.writeExpiry(k.Expires)
	if k.ID != "" {
		d.b.WriteString(" · ")
		d.b.WriteString(sanitize.Text(k.ID))
	}
	sp.end = d.b.Len()
	return sp
}

// byID writes an ID's candidate. The ID is safe text.
func (d *describer) byID(k *Key) span {
	sp := span{start: d.b.Len(), valueLen: len(k.ID)}
	d.b.WriteString(k.ID)
	d.b.WriteByte('\t')
	d.b.WriteString(sanitize.Text(k.Title))
	d.b.WriteString(" · ")
	d.b.WriteString(d.role(k))
	d.b.WriteString(" · ")
	d.writeExpiry(k.Expires)
	sp.end = d.b.Len()
	return sp
}

// CompareKeys is the candidates' order: title case-insensitively, then ID. A list kept in
// this order is sorted once, when it is fetched, rather than at each completion.
func CompareKeys(a, b Key) int {
	if c := strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// Editors completes an Editor's email (delete --transfer-to), described by the member's
// name. An email the terminal would act on is not offered: escaped it would name nobody,
// raw it would reach the shell and the screen.
func Editors(editors []Editor, typed string) []Candidate {
	var out []Candidate
	for _, m := range editors {
		if m.Email != "" && sanitize.Safe(m.Email) && hasPrefixFold(m.Email, typed) {
			out = append(out, describe(m.Email, m.Name))
		}
	}
	return out
}

// Profiles completes a profile name (--profile) from the profiles of the configuration file,
// each mapped to its API URL, which describes it. Names are offered in alphabetical order;
// a name that is not safe text is not offered.
func Profiles(apiURLs map[string]string, typed string) []Candidate {
	names := make([]string, 0, len(apiURLs))
	for name := range apiURLs {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []Candidate
	for _, name := range names {
		if sanitize.Safe(name) && hasPrefixFold(name, typed) {
			out = append(out, describe(name, apiURLs[name]))
		}
	}
	return out
}

func usableTitle(t string) bool {
	return t != "" && !strings.HasPrefix(t, "-") && sanitize.Safe(t)
}

// expiryText says when a key expires, as a date (descriptions stay short and stable).
func expiryText(p *l10n.Printer, t, now time.Time) string {
	switch {
	case t.IsZero():
		return p.Text("no expiry")
	case !t.After(now):
		return p.Sprintf("expired %s", t.UTC().Format("2006-01-02"))
	}
	return p.Sprintf("expires %s", t.UTC().Format("2006-01-02"))
}
