package output

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

var french = l10n.For(l10n.French)

func TestRelativeTimeInFrench(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "à l'instant"},
		{30 * time.Second, "dans moins d'une minute"},
		{time.Minute, "dans 1 minute"},
		{-5 * time.Minute, "il y a 5 minutes"},
		{time.Hour, "dans 1 heure"},
		{-23 * time.Hour, "il y a 23 heures"},
		{day, "dans 1 jour"},
		{-day, "il y a 1 jour"},
		{7*day - time.Second, "dans 7 jours"},
		{-35 * day, "il y a 35 jours"},
		{90 * day, "dans 3 mois"},
		{-30 * day * 2, "il y a 2 mois"},
		{-31 * day, "il y a 31 jours"},
		{365 * day, "dans 1 an"},
		{-2 * 365 * day, "il y a 2 ans"},
		// The expiring window agrees with the status in French too.
		{ExpiringWindow + 2*time.Hour, "dans 31 jours"},
	} {
		if got := RelativeTimeIn(french, testNow.Add(tc.d), testNow); got != tc.want {
			t.Errorf("RelativeTimeIn(fr, now%+v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

// English through RelativeTimeIn is RelativeTime, whichever printer says English.
func TestRelativeTimeInEnglishIsRelativeTime(t *testing.T) {
	for d := -400 * day; d <= 400*day; d += 7*time.Hour + 13*time.Minute {
		want := RelativeTime(testNow.Add(d), testNow)
		for _, p := range []*l10n.Printer{nil, l10n.For(l10n.English)} {
			if got := RelativeTimeIn(p, testNow.Add(d), testNow); got != want {
				t.Fatalf("RelativeTimeIn(%v, now%+v) = %q, want %q", p.Lang(), d, got, want)
			}
		}
	}
}

// A terminal's table of keys is in the printer's language: headers, relative dates, roles,
// statuses, "never", and the note of the columns hidden to fit. Off a terminal, the plain
// table, CSV and TSV are English whatever the printer.
func TestPrintKeysInFrench(t *testing.T) {
	keys := []Key{
		{ID: "k1", Title: "Alpha", Role: APIRoleEditor, Creator: "Ada", Email: "a@x", Created: testNow.Add(-2 * day), Expires: testNow.Add(-day)},
		{ID: "k2", Title: "Beta", Role: APIRoleViewer, Creator: "Bob", Email: "b@x", Created: testNow.Add(-60 * day), Expires: testNow.Add(7 * day)},
		{ID: "k3", Title: "Gamma", Role: APIRoleViewer, Creator: "Cy", Email: "c@x", Created: testNow.Add(-time.Hour)},
	}
	all := KeyFieldNames()
	var b bytes.Buffer
	if err := PrintKeys(&b, keys, KeyPrintOptions{Columns: all, TTY: true, Now: testNow, Printer: french}); err != nil {
		t.Fatal(err)
	}
	want := `┌────┬───────┬─────────┬───────────┬──────────┬────────────────┬───────────────┬────────────────┐
│ ID │ TITRE │ RÔLE    │ CRÉÉE PAR │ COURRIEL │ CRÉÉE          │ EXPIRE        │ STATUT         │
├────┼───────┼─────────┼───────────┼──────────┼────────────────┼───────────────┼────────────────┤
│ k1 │ Alpha │ éditeur │ Ada       │ a@x      │ il y a 2 jours │ il y a 1 jour │ expirée        │
│ k2 │ Beta  │ lecteur │ Bob       │ b@x      │ il y a 2 mois  │ dans 7 jours  │ expire bientôt │
│ k3 │ Gamma │ lecteur │ Cy        │ c@x      │ il y a 1 heure │ jamais        │ active         │
└────┴───────┴─────────┴───────────┴──────────┴────────────────┴───────────────┴────────────────┘
`
	if b.String() != want {
		t.Errorf("French table:\n%s\nwant:\n%s", b.String(), want)
	}

	b.Reset()
	if err := PrintKeys(&b, keys[:1], KeyPrintOptions{Columns: all, TTY: true, Now: testNow, Printer: french, Width: 40}); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n"); lines[len(lines)-1] != "Masquées faute de place\u00a0: RÔLE, CRÉÉE PAR, COURRIEL, CRÉÉE" {
		t.Errorf("the note of hidden columns: %q", lines[len(lines)-1])
	}

	for _, format := range []Format{Table, CSV, TSV, JSON, YAML} {
		var en, fr bytes.Buffer
		if err := PrintKeys(&en, keys, KeyPrintOptions{Format: format, Columns: all, Now: testNow}); err != nil {
			t.Fatal(err)
		}
		if err := PrintKeys(&fr, keys, KeyPrintOptions{Format: format, Columns: all, Now: testNow, Printer: french}); err != nil {
			t.Fatal(err)
		}
		if en.String() != fr.String() || strings.Contains(fr.String(), "expirée") {
			t.Errorf("-o %s off a terminal depends on the language:\n%s\nEnglish:\n%s", format, fr.String(), en.String())
		}
	}
}

// A usage error of a filter, column, sort, date or duration reads in French through
// Printer.Error, the help it quotes included; its Error() stays English.
func TestUsageErrorsInFrench(t *testing.T) {
	now := testNow
	_, errFilter := ParseFilter("expires<6m", now)
	_, errColumn := ParseColumns("title,owner", "")
	_, errSort := ParseSort("-size")
	_, errDuration := ParseDuration("tomorrow")
	_, errRole := ParseRole("admin")
	errFormat := Spec{Command: "create", Shape: Object, AdviceText: l10n.M("missing date (%s)", "x")}.Check(CSV)
	for _, tc := range []struct {
		err    error
		en, fr string
	}{
		{errFilter, `invalid filter "expires<6m": "6m" is not a date: m could mean minutes or months: write min for minutes, or days such as 30d`,
			"filtre «\u00a0expires<6m\u00a0» invalide\u00a0: «\u00a06m\u00a0» n'est pas une date\u00a0: m pourrait signifier minutes ou mois\u00a0: écrivez min pour les minutes, ou des jours comme 30d"},
		{errColumn, `unknown column "owner" (valid: id, title, role, creator, email, created, expires, status, or all)`,
			"colonne «\u00a0owner\u00a0» inconnue (valides\u00a0: id, title, role, creator, email, created, expires, status, ou all)"},
		{errSort, `unknown sort key "size" (valid: id, title, role, creator, email, created, expires, status; prefix with - for descending)`,
			"clé de tri «\u00a0size\u00a0» inconnue (valides\u00a0: id, title, role, creator, email, created, expires, status\u00a0; préfixe - pour l'ordre décroissant)"},
		{errDuration, `invalid duration "tomorrow": not a duration (use a number and a unit: ms, s, min, h, d (days), w (weeks), y (365 days); e.g. 45s, 10min, 12h, 30d, 1h30min)`,
			"durée «\u00a0tomorrow\u00a0» invalide\u00a0: pas une durée (utilisez un nombre et une unité\u00a0: ms, s, min, h, d (jours), w (semaines), y (365 jours)\u00a0; p. ex. 45s, 10min, 12h, 30d, 1h30min)"},
		{errRole, `unknown role "admin" (use editor, éditeur, manager or ORG_EDITOR for editors; viewer, lecteur, user or ORG_VIEWER for viewers)`,
			"rôle «\u00a0admin\u00a0» inconnu (utilisez editor, éditeur, manager ou ORG_EDITOR pour les éditeurs\u00a0; viewer, lecteur, user ou ORG_VIEWER pour les lecteurs)"}, //nolint:misspell // French: lecteurs, viewers
		{errFormat, "create prints table, json or yaml, not csv: missing date (x)", "create affiche table, json ou yaml, pas csv\u00a0: date manquante (x)"},
		{fmt.Errorf("list: %w", errColumn), "list: " + errColumn.Error(), "list: " + errColumn.Error()},
	} {
		var ue *UsageError
		if !errors.As(tc.err, &ue) {
			t.Fatalf("%v: not a *UsageError", tc.err)
		}
		if tc.err.Error() != tc.en {
			t.Errorf("English %q\nwant    %q", tc.err.Error(), tc.en)
		}
		if got := french.Error(tc.err); got != tc.fr {
			t.Errorf("French %q\nwant   %q", got, tc.fr)
		}
	}
}

func TestRoleAndStatusText(t *testing.T) {
	for in, want := range map[string]string{RoleEditor: "éditeur", RoleViewer: "lecteur", "ORG_ADMIN": "ORG_ADMIN"} {
		if got := RoleText(french, in); got != want {
			t.Errorf("RoleText(fr, %q) = %q, want %q", in, got, want)
		}
		if got := RoleText(nil, in); got != in {
			t.Errorf("RoleText(nil, %q) = %q", in, got)
		}
	}
	for in, want := range map[string]string{StatusActive: "active", StatusExpiring: "expire bientôt", StatusExpired: "expirée", StatusUnknown: "inconnu", "odd": "odd"} {
		if got := StatusText(french, in); got != want {
			t.Errorf("StatusText(fr, %q) = %q, want %q", in, got, want)
		}
	}
}

func TestPrintDetailInFrench(t *testing.T) {
	var b bytes.Buffer
	PrintDetailIn(french, &b, [][2]string{{"Titre", "CI"}, {"Créée par", "Ada"}}, nil)
	if want := "Titre\u00a0:      CI\nCréée par\u00a0:  Ada\n"; b.String() != want {
		t.Errorf("%q, want %q", b.String(), want)
	}
	b.Reset()
	PrintDetailIn(nil, &b, [][2]string{{"Title", "CI"}, {"Creator", "Ada"}}, nil)
	if want := "Title:    CI\nCreator:  Ada\n"; b.String() != want {
		t.Errorf("%q, want %q", b.String(), want)
	}
}
