package deleteplan

import (
	"context"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
)

// The plan's text in French, exactly: the same plan as TestPlanText's, server strings
// escaped as in English (a title's controls inside « », written out), the French nouns and
// their column, and what will happen.
func TestPlanTextFrench(t *testing.T) {
	fr := l10n.For(l10n.French)
	plan := Plan{
		{ID: "k-1", Title: "CI \x1b[2J", Action: Transfer, TransferTo: &Member{ID: "m", Name: "Erin\x07", Email: "erin@acme.example"}, Resources: []jmapcloud.Resource{
			{Type: "LAYER", Name: "Points"}, {Type: "DATASOURCE", Name: "a\x1b]52;c;x\x07b"}, {Type: "DATASOURCE", Name: "Roads"}, {Type: "MAP_STYLE", Name: "Dark"},
		}},
		{ID: "k-2\x1b[31m", Title: "old", Action: None, Resources: []jmapcloud.Resource{}},
		{ID: "k-3", Title: "gone", Action: DeleteResources, Resources: []jmapcloud.Resource{project}},
		{ID: "k-4", Title: "open", Action: Undecided, Resources: []jmapcloud.Resource{project}},
	}
	var b strings.Builder
	plan.WriteText(fr, &b, true)
	want := "Clé API «\u00a0CI \\x1b[2J\u00a0» (k-1)\u00a0: 2 sources de données, 1 couche, 1 map_style\n" +
		"  - source de données a\\x1b]52;c;x\\x07b\n" +
		"  - source de données Roads\n" +
		"  - couche            Points\n" +
		"  - map_style         Dark\n" +
		"  → sera supprimée\u00a0; ses ressources iront à Erin\\x07 (erin@acme.example)\n" +
		"Clé API «\u00a0old\u00a0» (k-2\\x1b[31m)\u00a0: aucune ressource\n" +
		"  → sera supprimée\u00a0; elle ne possède rien\n" +
		"Clé API «\u00a0gone\u00a0» (k-3)\u00a0: 1 projet\n" +
		"  - projet            Roads\n" +
		"  → sera supprimée\u00a0; ses ressources seront SUPPRIMÉES avec la clé\n" +
		"Clé API «\u00a0open\u00a0» (k-4)\u00a0: 1 projet\n" +
		"  - projet            Roads\n" +
		"  → sera supprimée\u00a0; le membre qui reçoit ses ressources n'est pas choisi (passez --transfer-to ou --no-transfer)\n"
	if b.String() != want {
		t.Errorf("plan:\n%s\nwant:\n%s", b.String(), want)
	}
	if strings.ContainsAny(b.String(), "\x1b\x07") {
		t.Errorf("a control character reached the French plan: %q", b.String())
	}
	b.Reset()
	plan[1:3].WriteActions(fr, &b)
	want = "La clé API «\u00a0old\u00a0» sera supprimée\u00a0; elle ne possède rien\n" +
		"La clé API «\u00a0gone\u00a0» sera supprimée\u00a0; ses ressources seront SUPPRIMÉES avec la clé\n"
	if b.String() != want {
		t.Errorf("actions:\n%s\nwant:\n%s", b.String(), want)
	}
}

// The counts in French: 0 and 1 take the singular, more the plural.
func TestSummariesFrench(t *testing.T) {
	fr := l10n.For(l10n.French)
	heir := &Member{ID: "m", Name: "Erin Editor", Email: "erin@acme.example"}
	owns := func(n int) []jmapcloud.Resource { return make([]jmapcloud.Resource, n) }
	key := func(title string, deleted bool, action Action, n int) *Entry {
		e := &Entry{Title: title, Deleted: deleted, Action: action, Resources: owns(n)}
		if action == Transfer {
			e.TransferTo = heir
		}
		return e
	}
	for _, tt := range []struct {
		plan Plan
		want string
	}{
		{Plan{key("CI", true, Transfer, 1)}, "Clé API «\u00a0CI\u00a0» supprimée\u00a0; Erin Editor a reçu 1 ressource."},
		{Plan{key("a", true, Transfer, 2), key("b", true, None, 0), key("c", true, Transfer, 3)}, "3 clés API supprimées\u00a0; Erin Editor a reçu 5 ressources."},
		{Plan{key("CI", true, DeleteResources, 4)}, "Clé API «\u00a0CI\u00a0» supprimée avec ses 4 ressources."},
		{Plan{key("a", true, DeleteResources, 1), key("b", true, DeleteResources, 0)}, "2 clés API supprimées avec 1 ressource."},
		{Plan{key("a", true, DeleteResources, 2), key("b", true, DeleteResources, 1)}, "2 clés API supprimées avec leurs 3 ressources."},
		{Plan{key("old", true, None, 0)}, "Clé API «\u00a0old\u00a0» supprimée."},
		{Plan{key("a", true, Transfer, 2), key("b", false, Transfer, 3), key("c", true, Transfer, 1)}, "1 clé sur 3 n'a pas été supprimée\u00a0; clés supprimées\u00a0: 2\u00a0; Erin Editor a reçu 3 ressources."},
		{Plan{key("a", true, None, 0), key("b", false, None, 0), key("c", false, None, 0)}, "2 clés sur 3 n'ont pas été supprimées\u00a0; clés supprimées\u00a0: 1."},
		{Plan{key("a", false, None, 0), key("b", false, None, 0)}, "Aucune des 2 clés n'a été supprimée."},
		{Plan{key("a", false, DeleteResources, 2)}, "La clé n'a pas été supprimée."},
	} {
		if got := tt.plan.OutcomeSummary(fr); got != tt.want {
			t.Errorf("OutcomeSummary = %q, want %q", got, tt.want)
		}
	}
	owning := Plan{key("a", false, None, 1), key("b", false, None, 0), key("c", false, None, 2)}
	if got, want := owning.OwningKeys(fr), "2 clés sur 3 possèdent des ressources"; got != want {
		t.Errorf("OwningKeys = %q, want %q", got, want)
	}
	if got, want := EditorEmails(nil).Localize(fr), "aucun dans cette organisation"; got != want {
		t.Errorf("EditorEmails(nil) = %q, want %q", got, want)
	}
}

// Why a key was not deleted: French on a terminal, while Error, which the records carry,
// stays English.
func TestErrorTextFrench(t *testing.T) {
	fr := l10n.For(l10n.French)
	api := &fakeAPI{owned: map[string][]jmapcloud.Resource{"grew": {project}}}
	plan := Plan{
		{ID: "grew", Action: None, Resources: []jmapcloud.Resource{}},
	}
	Execute(context.Background(), api, plan)
	e := plan[0]
	if got, want := e.Error, "the key now owns 1 resource it did not own when planned; not deleted, run the command again"; got != want {
		t.Errorf("Error = %q, want %q", got, want)
	}
	if got, want := e.ErrorText(fr), "la clé possède maintenant 1 ressource qu'elle ne possédait pas au moment du plan\u00a0; non supprimée, relancez la commande"; got != want {
		t.Errorf("ErrorText = %q, want %q", got, want)
	}
	if got := e.ErrorText(nil); got != e.Error {
		t.Errorf("ErrorText(English) = %q, want Error %q", got, e.Error)
	}
	untried := &Entry{Error: notAttempted}
	if got, want := untried.ErrorText(fr), "non tentée (commande interrompue)"; got != want {
		t.Errorf("ErrorText of an untried key = %q, want %q", got, want)
	}
}
