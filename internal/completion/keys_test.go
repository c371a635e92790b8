package completion

import (
	"slices"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

func TestKeyCandidates(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	keys := []Key{
		{ID: "bbbb-2", Title: "Power BI", Role: "ORG_VIEWER", Expires: now.AddDate(0, 1, 0)},
		{ID: "aaaa-1", Title: "power bi", Role: "ORG_EDITOR", Expires: now.AddDate(0, 2, 0)},
		{ID: "cccc-3", Title: "CI deploy", Role: "ORG_EDITOR", Expires: now.AddDate(0, 0, -3)},
		{ID: "dddd-4", Title: "-dash", Role: "ORG_EDITOR"},
		{ID: "eeee-5", Title: "two\nlines", Role: "ORG_VIEWER", Expires: now.AddDate(1, 0, 0)},
		{ID: "", Title: "no ID sent", Role: "ORG_VIEWER", Expires: now.AddDate(0, 1, 0)}, // by title only
	}
	got := texts(Keys(nil, keys, nil, "", now))
	want := []string{
		"CI deploy\teditor · expired 2026-05-29 · cccc-3",
		"no ID sent\tviewer · expires 2026-07-01",
		"dddd-4\t-dash · editor · no expiry",
		"cccc-3\tCI deploy · editor · expired 2026-05-29",
		"aaaa-1\tpower bi · editor · expires 2026-08-01",
		"bbbb-2\tPower BI · viewer · expires 2026-07-01",
		"eeee-5\ttwo\\nlines · viewer · expires 2027-06-01",
	}
	if !slices.Equal(got, want) {
		t.Errorf("all keys:\n got %q\nwant %q", got, want)
	}
	// Already named (by ID or by title, any case) → left out; prefixes match ignoring case
	// and shell quoting as fish passes it.
	for _, tt := range []struct {
		taken      []string
		toComplete string
		want       []string
	}{
		{[]string{"ci DEPLOY"}, "c", nil},
		{[]string{"cccc-3", "aaaa-1"}, "", []string{"no ID sent\tviewer · expires 2026-07-01", "dddd-4\t-dash · editor · no expiry", "bbbb-2\tPower BI · viewer · expires 2026-07-01", "eeee-5\ttwo\\nlines · viewer · expires 2027-06-01"}},
		{nil, "ci\\ d", []string{"CI deploy\teditor · expired 2026-05-29 · cccc-3"}},
		{nil, "'CI de", []string{"CI deploy\teditor · expired 2026-05-29 · cccc-3"}},
		{nil, "\"ci", []string{"CI deploy\teditor · expired 2026-05-29 · cccc-3"}},
		{nil, "CCC", []string{"cccc-3\tCI deploy · editor · expired 2026-05-29"}},
	} {
		if got := texts(Keys(nil, keys, tt.taken, tt.toComplete, now)); !slices.Equal(got, tt.want) {
			t.Errorf("taken %q, typed %q:\n got %q\nwant %q", tt.taken, tt.toComplete, got, tt.want)
		}
	}
}

// In French the description names the role in French, as a terminal's table does; the
// completed value, a title or an ID, is the same in every language.
func TestKeyCandidatesInFrench(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	keys := []Key{
		{ID: "aaaa-1", Title: "Power BI", Role: "ORG_EDITOR", Expires: now.AddDate(0, 2, 0)},
		{ID: "bbbb-2", Title: "QGIS", Role: "ORG_VIEWER"},
	}
	fr := l10n.For(l10n.French)
	got := texts(Keys(fr, keys, nil, "", now))
	want := []string{
		"Power BI\téditeur · expire le 2026-08-01 · aaaa-1",
		"QGIS\tlecteur · sans expiration · bbbb-2",
		"aaaa-1\tPower BI · éditeur · expire le 2026-08-01",
		"bbbb-2\tQGIS · lecteur · sans expiration",
	}
	if !slices.Equal(got, want) {
		t.Errorf("in French:\n got %q\nwant %q", got, want)
	}
}

func TestEditors(t *testing.T) {
	editors := []Editor{
		{Email: "erin@acme.example", Name: "Erin Editor"},
		{Email: "", Name: "No Email"},
		{Email: "evil\x1b]52;c;@acme.example", Name: "Evil"}, // would act on the terminal
		{Email: "Eddie@acme.example", Name: "Eddie\tTab\nNewline"},
		{Email: "ops@acme.example"},
	}
	got := texts(Editors(editors, "e"))
	want := []string{"erin@acme.example\tErin Editor", "Eddie@acme.example\tEddie\\tTab\\nNewline"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := texts(Editors(editors, "OPS")); !slices.Equal(got, []string{"ops@acme.example"}) {
		t.Errorf("a member without a name: got %q, want the bare email", got)
	}
	if got := Editors(editors, "nobody"); got != nil {
		t.Errorf("no match: got %q, want nil", got)
	}
}

func TestProfiles(t *testing.T) {
	profiles := map[string]string{
		"staging":        "https://staging.example\n",
		"prod":           "https://api.example",
		"Personal":       "",
		"bad\x1b[2Jname": "https://x.example",
	}
	got := texts(Profiles(profiles, ""))
	want := []string{"Personal", "prod\thttps://api.example", "staging\thttps://staging.example\\n"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := texts(Profiles(profiles, "p")); !slices.Equal(got, want[:2]) {
		t.Errorf("prefix p, any case: got %q, want %q", got, want[:2])
	}
}

func TestFixed(t *testing.T) {
	if got := texts(Fixed([]string{"admin", "editor", "viewer"}, "E")); !slices.Equal(got, []string{"editor"}) {
		t.Errorf("got %q", got)
	}
	if got := Fixed([]string{"json", "yaml"}, "x"); got != nil {
		t.Errorf("no match: got %q, want nil", got)
	}
}

func TestCompareKeys(t *testing.T) {
	keys := []Key{{ID: "2", Title: "b"}, {ID: "3", Title: "A"}, {ID: "1", Title: "B"}}
	slices.SortFunc(keys, CompareKeys)
	var ids []string
	for _, k := range keys {
		ids = append(ids, k.ID)
	}
	if !slices.Equal(ids, []string{"3", "1", "2"}) {
		t.Errorf("order %q, want title ignoring case, then ID", ids)
	}
}
