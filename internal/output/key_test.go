package output

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestKeyStatus(t *testing.T) {
	tests := []struct {
		name    string
		expires time.Time
		want    string
	}{
		{"far future", testNow.Add(31 * day), StatusActive},
		{"just outside the window", testNow.Add(ExpiringWindow + time.Second), StatusActive},
		{"exactly at the window", testNow.Add(ExpiringWindow), StatusExpiring},
		{"tomorrow", testNow.Add(day), StatusExpiring},
		{"in one second", testNow.Add(time.Second), StatusExpiring},
		{"right now", testNow, StatusExpired},
		{"yesterday", testNow.Add(-day), StatusExpired},
		{"never (zero time)", time.Time{}, StatusActive},
		{"other time zone, same instant", testNow.Add(10 * day).In(time.FixedZone("X", -5*3600)), StatusExpiring},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := KeyStatus(tt.expires, testNow); got != tt.want {
				t.Errorf("KeyStatus(%v) = %q, want %q", tt.expires, got, tt.want)
			}
		})
	}
}

func TestVocabulary(t *testing.T) {
	if got, want := strings.Join(KeyFieldNames(), ","), "id,title,role,creator,email,created,expires,status"; got != want {
		t.Errorf("KeyFieldNames() = %s, want %s", got, want)
	}
	if got, want := strings.Join(DefaultKeyColumns(), ","), "title,id,creator,created,expires"; got != want {
		t.Errorf("DefaultKeyColumns() = %s, want %s", got, want)
	}
	// Callers may modify what they get back without affecting later calls.
	KeyFieldNames()[0] = "changed"
	DefaultKeyColumns()[0] = "changed"
	if KeyFieldNames()[0] != "id" || DefaultKeyColumns()[0] != "title" {
		t.Error("KeyFieldNames/DefaultKeyColumns share their backing array between calls")
	}
	// The JSON tags of Key are the vocabulary, in the same order.
	var tags []string
	for _, f := range []string{"id", "title", "role", "creator", "email", "created", "expires", "status"} {
		if _, ok := lookupField(f); !ok {
			t.Errorf("lookupField(%q) failed", f)
		}
		tags = append(tags, f)
	}
	if !slices.Equal(tags, KeyFieldNames()) {
		t.Errorf("vocabulary %v differs from %v", KeyFieldNames(), tags)
	}
}

func TestParseColumns(t *testing.T) {
	tests := []struct {
		columns, hide string
		want          string
	}{
		{"", "", "title,id,creator,created,expires"},
		{"all", "", "id,title,role,creator,email,created,expires,status"},
		{"ALL", "", "id,title,role,creator,email,created,expires,status"},
		{"status,title", "", "status,title"},
		{" Title , EXPIRES ", "", "title,expires"},
		{"title,,id,", "", "title,id"},
		{"", "id", "title,creator,created,expires"},
		{"", "id,created", "title,creator,expires"},
		{"", "status", "title,id,creator,created,expires"}, // hiding a column not shown is fine
		{"all", "email,role", "id,title,creator,created,expires,status"},
		{"title,id", "ID", "title"},
	}
	for _, tt := range tests {
		t.Run(tt.columns+"/"+tt.hide, func(t *testing.T) {
			got, err := ParseColumns(tt.columns, tt.hide)
			if err != nil {
				t.Fatalf("ParseColumns(%q, %q): %v", tt.columns, tt.hide, err)
			}
			if strings.Join(got, ",") != tt.want {
				t.Errorf("ParseColumns(%q, %q) = %v, want %s", tt.columns, tt.hide, got, tt.want)
			}
		})
	}

	errTests := []struct {
		columns, hide string
		fragments     []string
	}{
		{"title,name", "", []string{`unknown column "name"`, "id, title, role, creator, email, created, expires, status", "or all"}},
		{"secret", "", []string{`unknown column "secret"`}},
		{"", "name", []string{`unknown column "name" to hide`, "valid: id, title"}},
		{"title,Title", "", []string{`column "title" is listed twice`}},
		{"all,title", "", []string{`"all" cannot be combined`}},
		{"title", "title", []string{"no columns left"}},
		{"", "title,id,creator,created,expires", []string{"no columns left"}},
	}
	for _, tt := range errTests {
		t.Run("error "+tt.columns+"/"+tt.hide, func(t *testing.T) {
			_, err := ParseColumns(tt.columns, tt.hide)
			wantUsageError(t, err, tt.fragments...)
		})
	}
}

func TestParseRole(t *testing.T) {
	tests := []struct{ in, want string }{
		{"editor", APIRoleEditor},
		{"EDITOR", APIRoleEditor},
		{"Manager", APIRoleEditor},
		{"ORG_EDITOR", APIRoleEditor},
		{"org_editor", APIRoleEditor},
		{" editor ", APIRoleEditor},
		{"viewer", APIRoleViewer},
		{"User", APIRoleViewer},
		{"USER", APIRoleViewer},
		{"ORG_VIEWER", APIRoleViewer},
		{"Org_Viewer", APIRoleViewer},
		// French, composed (U+00E9), decomposed (e U+0301, as macOS types it), unaccented.
		{"\u00e9diteur", APIRoleEditor},
		{"e\u0301diteur", APIRoleEditor},
		{"\u00c9DITEUR", APIRoleEditor},
		{"E\u0301diteur", APIRoleEditor},
		{"editeur", APIRoleEditor},
		{"Gestionnaire", APIRoleEditor},
		{" lecteur ", APIRoleViewer},
		{"LECTEUR", APIRoleViewer},
		{"utilisateur", APIRoleViewer},
	}
	for _, tt := range tests {
		got, err := ParseRole(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseRole(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "admin", "ORG_ADMIN", "edit", "viewers", "\u00e9diteurs", "lecteurs"} { //nolint:misspell // French: lecteurs, viewers
		_, err := ParseRole(bad)
		wantUsageError(t, err, "unknown role", "editor, éditeur, manager or ORG_EDITOR", "viewer, lecteur, user or ORG_VIEWER")
	}
}

func TestRoleName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ORG_EDITOR", "editor"},
		{"ORG_VIEWER", "viewer"},
		{"editor", "editor"},
		{"viewer", "viewer"},
		{"manager", "editor"},
		{"ORG_ADMIN", "ORG_ADMIN"}, // unknown roles are shown as the server says them
		{"", ""},
	}
	for _, tt := range tests {
		if got := RoleName(tt.in); got != tt.want {
			t.Errorf("RoleName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeKey(t *testing.T) {
	zone := time.FixedZone("EST", -5*3600)
	in := Key{
		ID: "k", Role: "ORG_VIEWER",
		Created: time.Date(2026, 1, 2, 10, 4, 5, 987654321, zone),
		Expires: time.Date(2026, 3, 5, 19, 0, 0, 999, zone),
	}
	got := NormalizeKey(in, testNow)
	if want := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC); got.Created != want {
		t.Errorf("Created = %v, want %v (UTC, whole seconds)", got.Created, want)
	}
	if got.Created.Location() != time.UTC || got.Expires.Location() != time.UTC {
		t.Error("dates not in UTC")
	}
	if got.Role != "viewer" {
		t.Errorf("Role = %q, want viewer", got.Role)
	}
	if got.Status != StatusExpiring {
		t.Errorf("Status = %q, want %q (filled from Expires)", got.Status, StatusExpiring)
	}
	// A status set by the caller is kept; zero dates stay zero.
	got = NormalizeKey(Key{Status: StatusExpired}, testNow)
	if got.Status != StatusExpired || !got.Created.IsZero() || !got.Expires.IsZero() {
		t.Errorf("NormalizeKey(zero key with status) = %+v", got)
	}
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 keys", 1: "1 key", 2: "2 keys", 11: "11 keys"} {
		if got := Plural(n, "key"); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
}
