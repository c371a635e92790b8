package output

import (
	"slices"
	"strings"
	"time"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// Key is one API key as every output format sees it. JSON and YAML are built
// from these fields (never from table cells), under the same names as the
// columns, sort keys and filter fields.
//
// Key has no MarshalJSON method on purpose: a command that embeds Key in a
// bigger struct (create prints the row plus "secret") would otherwise lose its
// own fields. Use NormalizeKey before marshalling a Key yourself.
type Key struct {
	ID      string    `json:"id"`
	Title   string    `json:"title"`
	Role    string    `json:"role"` // "editor" | "viewer"
	Creator string    `json:"creator"`
	Email   string    `json:"email"`
	Created time.Time `json:"created"` // machine output: RFC 3339 UTC
	Expires time.Time `json:"expires"`
	Status  string    `json:"status"` // "active" | "expiring" | "expired"
}

// Status values, in their sort order (by urgency).
const (
	StatusActive   = "active"
	StatusExpiring = "expiring"
	StatusExpired  = "expired"
	// StatusUnknown is the status of a key whose expiry the server sent unreadable: its
	// empty Expires then does not mean "never expires".
	StatusUnknown = "unknown"
)

// Role names as users see them, and the API's role identifiers.
const (
	RoleEditor    = "editor"
	RoleViewer    = "viewer"
	APIRoleEditor = "ORG_EDITOR"
	APIRoleViewer = "ORG_VIEWER"
)

// ExpiringWindow is how close to its expiry a key counts as "expiring": the
// portal warns a month ahead, and so do we.
const ExpiringWindow = 30 * 24 * time.Hour

// KeyStatus says whether a key expiring at expires is active, expiring (it
// expires within ExpiringWindow of now) or expired (its expiry is not after
// now). A zero expires means the key never expires, so it is active.
func KeyStatus(expires, now time.Time) string {
	switch {
	case expires.IsZero():
		return StatusActive
	case !expires.After(now):
		return StatusExpired
	case expires.Sub(now) <= ExpiringWindow:
		return StatusExpiring
	default:
		return StatusActive
	}
}

// NormalizeKey returns k as machine output shows it: dates in UTC truncated
// to whole seconds, the role as its user-facing name (ORG_EDITOR → editor),
// and the status computed from now when it was left empty. PrintKeys applies
// it itself; call it before marshalling a Key another way.
func NormalizeKey(k Key, now time.Time) Key {
	k.Created = machineTime(k.Created)
	k.Expires = machineTime(k.Expires)
	k.Role = RoleName(k.Role)
	if k.Status == "" {
		k.Status = KeyStatus(k.Expires, now)
	}
	return k
}

// machineTime converts t to the instant machine output prints: UTC, whole
// seconds. The zero time stays zero so "not set" survives.
func machineTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}

// fieldID identifies one name of the key vocabulary; its order is the
// canonical order of KeyFieldNames and of JSON/YAML objects.
type fieldID uint8

const (
	fieldIDKey fieldID = iota
	fieldTitle
	fieldRole
	fieldCreator
	fieldEmail
	fieldCreated
	fieldExpires
	fieldStatus
	numFields
)

type fieldKind uint8

const (
	kindString fieldKind = iota
	kindDate
	kindRole
	kindStatus
)

func (id fieldID) name() string {
	switch id {
	case fieldIDKey:
		return "id"
	case fieldTitle:
		return "title"
	case fieldRole:
		return "role"
	case fieldCreator:
		return "creator"
	case fieldEmail:
		return "email"
	case fieldCreated:
		return "created"
	case fieldExpires:
		return "expires"
	case fieldStatus:
		return "status"
	}
	return ""
}

// fit is how a terminal table narrows the field's column: titles, creators and emails are
// shortened; when that is not enough, the email goes first, then the creation date, the
// creator, the role and the status. The ID, the title and the expiry date always stay.
func (id fieldID) fit() ColumnFit {
	switch id {
	case fieldTitle:
		return ColumnFit{Shrink: true}
	case fieldEmail:
		return ColumnFit{Shrink: true, Drop: 5}
	case fieldCreated:
		return ColumnFit{Drop: 4}
	case fieldCreator:
		return ColumnFit{Shrink: true, Drop: 3}
	case fieldRole:
		return ColumnFit{Drop: 2}
	case fieldStatus:
		return ColumnFit{Drop: 1}
	}
	return ColumnFit{}
}

// header is the column heading in tables, where upper-case words read
// better; CSV and TSV use name() so scripts see the vocabulary.
func (id fieldID) header() string { return strings.ToUpper(id.name()) }

// title is the column heading of a terminal table in p's language (header in English).
func (id fieldID) title(p *l10n.Printer) string {
	if p.Lang() == l10n.English {
		return id.header()
	}
	switch id { // "ID" is the same in French, and no message: go-i18n reserves the key
	case fieldTitle:
		return p.Text("TITLE")
	case fieldRole:
		return p.Text("ROLE")
	case fieldCreator:
		return p.Text("CREATOR")
	case fieldEmail:
		return p.Text("EMAIL")
	case fieldCreated:
		return p.Text("CREATED")
	case fieldExpires:
		return p.Text("EXPIRES")
	case fieldStatus:
		return p.Text("STATUS")
	}
	return id.header()
}

func (id fieldID) kind() fieldKind {
	switch id {
	case fieldCreated, fieldExpires:
		return kindDate
	case fieldRole:
		return kindRole
	case fieldStatus:
		return kindStatus
	}
	return kindString
}

// str returns the text of a non-date field.
func (id fieldID) str(k *Key) string {
	switch id {
	case fieldIDKey:
		return k.ID
	case fieldTitle:
		return k.Title
	case fieldRole:
		return k.Role
	case fieldCreator:
		return k.Creator
	case fieldEmail:
		return k.Email
	case fieldStatus:
		return k.Status
	}
	return ""
}

// date returns the value of a date field.
func (id fieldID) date(k *Key) time.Time {
	if id == fieldCreated {
		return k.Created
	}
	return k.Expires
}

// lookupField finds a vocabulary name, ignoring case and surrounding spaces.
func lookupField(name string) (fieldID, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	for id := range numFields {
		if id.name() == name {
			return id, true
		}
	}
	return 0, false
}

// KeyFieldNames returns the key vocabulary in its canonical order:
// id, title, role, creator, email, created, expires, status. The same names
// are the columns, sort keys, filter fields, JSON/YAML keys and CSV headers.
func KeyFieldNames() []string {
	names := make([]string, 0, numFields)
	for id := range numFields {
		names = append(names, id.name())
	}
	return names
}

// DefaultKeyColumns returns the columns `list` shows by default, in the
// portal's order: title, id, creator, created, expires.
func DefaultKeyColumns() []string {
	return []string{"title", "id", "creator", "created", "expires"}
}

func validFieldList() string { return strings.Join(KeyFieldNames(), ", ") }

// ParseColumns turns --columns and --hide into the ordered list of columns
// to print. An empty columns means DefaultKeyColumns, "all" means every field
// in canonical order; names are case-insensitive and empty items are ignored.
// hide removes names from the result (hiding a column that is not shown is
// fine). Unknown or repeated names, or hiding every column, are a *UsageError.
func ParseColumns(columns, hide string) ([]string, error) {
	var cols []string
	switch items := splitList(columns); {
	case len(items) == 0:
		cols = DefaultKeyColumns()
	case len(items) == 1 && strings.EqualFold(items[0], "all"):
		cols = KeyFieldNames()
	default:
		seen := make(map[fieldID]bool, len(items))
		for _, item := range items {
			if strings.EqualFold(item, "all") {
				return nil, usageErrorf(`column "all" cannot be combined with other columns`)
			}
			id, ok := lookupField(item)
			if !ok {
				return nil, usageErrorf("unknown column %q (valid: %s, or all)", item, validFieldList())
			}
			if seen[id] {
				return nil, usageErrorf("column %q is listed twice", id.name())
			}
			seen[id] = true
			cols = append(cols, id.name())
		}
	}

	hidden := splitList(hide)
	if len(hidden) == 0 {
		return cols, nil
	}
	drop := make(map[string]bool, len(hidden))
	for _, item := range hidden {
		id, ok := lookupField(item)
		if !ok {
			return nil, usageErrorf("unknown column %q to hide (valid: %s)", item, validFieldList())
		}
		drop[id.name()] = true
	}
	kept := cols[:0]
	for _, c := range cols {
		if !drop[c] {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		return nil, usageErrorf("no columns left to show after hiding %s", strings.Join(hidden, ", "))
	}
	return kept, nil
}

// splitList splits a comma list, trimming spaces and dropping empty items,
// so "title, id," and "title,id" mean the same.
func splitList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// columnIDs resolves column names that ParseColumns produced; it is lenient
// about case but still rejects unknown names, since callers may build the
// list themselves.
func columnIDs(columns []string) ([]fieldID, error) {
	ids := make([]fieldID, 0, len(columns))
	for _, c := range columns {
		id, ok := lookupField(c)
		if !ok {
			return nil, usageErrorf("unknown column %q (valid: %s)", c, validFieldList())
		}
		if slices.Contains(ids, id) {
			return nil, usageErrorf("column %q is listed twice", id.name())
		}
		ids = append(ids, id)
	}
	return ids, nil
}

const roleHelp = "use editor, éditeur, manager or ORG_EDITOR for editors; viewer, lecteur, user or ORG_VIEWER for viewers"

// ParseRole maps a role as a user may type it to the API's identifier:
// editor, manager or ORG_EDITOR → "ORG_EDITOR"; viewer, user or ORG_VIEWER →
// "ORG_VIEWER"; in any case. The French words are accepted too, in every language:
// éditeur (editeur) and gestionnaire for editors, lecteur and utilisateur for viewers, with
// the accent composed or not (macOS types a decomposed é). Anything else is a *UsageError
// listing them.
func ParseRole(s string) (string, error) {
	switch foldRole(s) {
	case "editor", "manager", "org_editor", "editeur", "gestionnaire":
		return APIRoleEditor, nil
	case "viewer", "user", "org_viewer", "lecteur", "utilisateur":
		return APIRoleViewer, nil
	}
	return "", usageErrorf("unknown role %q (%s)", s, l10n.M(roleHelp))
}

// foldRole is a typed role (or status) trimmed, in lower case, with é and ô (composed, or
// e and o followed by a combining accent, as macOS types them) read as e and o: the accents
// of the French role and status words.
func foldRole(s string) string {
	v := strings.ToLower(strings.TrimSpace(s))
	if isASCII(v) {
		return v
	}
	return strings.NewReplacer("\u00e9", "e", "\u00f4", "o", "\u0301", "", "\u0302", "").Replace(v)
}

// RoleName gives the user-facing name of an API role: ORG_EDITOR → "editor",
// ORG_VIEWER → "viewer". It accepts every alias ParseRole does; a role it
// does not know is returned unchanged, so nothing the server says is hidden.
func RoleName(apiRole string) string {
	switch apiRole { // what the API and the rows hold, without ParseRole's lower-cased copy
	case APIRoleEditor, RoleEditor:
		return RoleEditor
	case APIRoleViewer, RoleViewer:
		return RoleViewer
	case "ORG_ADMIN": // a role ParseRole refuses, shown as the server says it, without making its error
		return apiRole
	}
	switch r, err := ParseRole(apiRole); {
	case err != nil:
		return apiRole
	case r == APIRoleEditor:
		return RoleEditor
	default:
		return RoleViewer
	}
}

// roleRank orders roles editor < viewer < anything else.
func roleRank(role string) int {
	switch role { // fast path: the normalized names
	case RoleEditor:
		return 0
	case RoleViewer:
		return 1
	}
	switch RoleName(role) {
	case RoleEditor:
		return 0
	case RoleViewer:
		return 1
	}
	return 2
}

// statusRank orders statuses by urgency: active < expiring < expired <
// anything else.
func statusRank(status string) int {
	if !isKnownStatus(status) {
		status = strings.ToLower(status)
	}
	switch status {
	case StatusActive:
		return 0
	case StatusExpiring:
		return 1
	case StatusExpired:
		return 2
	}
	return 3
}

func isKnownStatus(s string) bool {
	return s == StatusActive || s == StatusExpiring || s == StatusExpired
}

// comparableTime maps an unset date to where it belongs in comparisons: an
// unset expiry means "never expires", later than any date; an unset creation
// date stays the earliest time.
func comparableTime(id fieldID, t time.Time) time.Time {
	if t.IsZero() && id == fieldExpires {
		return time.Date(9999, time.December, 31, 23, 59, 59, 0, time.UTC)
	}
	return t
}
