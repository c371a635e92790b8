package jmapcloud

import (
	"strings"
	"time"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// Role strings as the API spells them. The CLI shows Editor/Viewer.
const (
	RoleAdmin  = "ORG_ADMIN"
	RoleEditor = "ORG_EDITOR"
	RoleViewer = "ORG_VIEWER"
)

// APIKey is an organization's API key. Secret is set only in the answer to Create: it is the
// only time the service reveals it.
type APIKey struct {
	ID             string
	Title          string
	Role           string
	Email          string
	CreatedBy      string
	CreationDate   time.Time
	ExpirationDate time.Time
	Secret         string
	// Unreadable says which fields the server sent in a form that could not be read: those
	// are left empty, and the rest of the key is kept, so that one malformed key does not make
	// the whole list unreadable. nil when the key was read whole (a pointer: a list of 100,000
	// keys would otherwise carry 12 MB of empty problems).
	Unreadable *KeyProblems
}

// Problems is what Unreadable says, the zero KeyProblems for a key read whole.
func (k *APIKey) Problems() KeyProblems {
	if k.Unreadable == nil {
		return KeyProblems{}
	}
	return *k.Unreadable
}

// KeyProblems holds, for each field of an APIKey, why the server's value for it could not
// be read, naming the member the server used (`expirationDate: not a date: "tomorrow"`);
// "" for a field that was read or absent. The zero value is a key read whole.
type KeyProblems struct {
	ID, Title, Role, Email, CreatedBy, CreationDate, ExpirationDate, Secret string
}

// Any reports whether some field could not be read.
func (p KeyProblems) Any() bool { return p != KeyProblems{} }

// UnmarshalJSON reads one key as the client does (wire.go): a field whose value is not a
// string, or not a date, is left empty and named in Unreadable; only a key that is not an
// object at all is an error.
func (k *APIKey) UnmarshalJSON(data []byte) error {
	var w wireKey
	if err := unmarshal(data, &w); err != nil {
		return err
	}
	*k = w.apiKey()
	return nil
}

// Member is a member of an organization.
type Member struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Email  string   `json:"email"`
	Roles  []string `json:"roles"`
	Groups []string `json:"groups,omitempty"`
}

// HasRole reports whether the member holds role; roles are additive, so admins are editors.
func (m Member) HasRole(role string) bool {
	for _, r := range m.Roles {
		if strings.EqualFold(r, role) {
			return true
		}
	}
	return false
}

// Resource is something an API key or member owns: a data source, project, layer or table.
type Resource struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Name string `json:"name"`
}

// Organization is one organization a user belongs to.
type Organization struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// User is the logged-in person, as users/self describes them.
type User struct {
	Name          string         `json:"name"`
	Email         string         `json:"email"`
	Organizations []Organization `json:"organizations"`
}

// Tokens is what authenticate and refresh-token return. RefreshToken is single-use.
type Tokens struct {
	AccessToken  string
	RefreshToken string
	ExpiresAt    time.Time
}

// UnmarshalJSON reads accessTokenExpireAt, falling back to the deprecated seconds field.
func (t *Tokens) UnmarshalJSON(data []byte) error {
	var w wireTokens
	if err := unmarshal(data, &w); err != nil {
		return err
	}
	var err error
	*t, err = w.tokens(nil)
	return err
}

// HighestRole picks the strongest of a role list: ORG_ADMIN > ORG_EDITOR > ORG_VIEWER.
func HighestRole(roles []string) string {
	best, rank := "", 0
	for _, r := range roles {
		n := map[string]int{RoleViewer: 1, RoleEditor: 2, RoleAdmin: 3}[strings.ToUpper(r)]
		if n > rank {
			best, rank = strings.ToUpper(r), n
		}
	}
	return best
}

// timeLayouts are the date forms the service is known or assumed to send.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02",
}

// ParseTime reads ISO 8601 dates with or without fraction, with Z, ±hh:mm or ±hhmm, or a bare date.
func ParseTime(s string) (time.Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, l10n.Errorf("unrecognised date %q", s)
}

// FormatTime writes dates the way the client sends them: RFC 3339 UTC.
func FormatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
