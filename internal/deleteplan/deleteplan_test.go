package deleteplan

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
)

// fakeAPI is the organization in memory: what each key owns, its members, and every request
// recorded in order. onDelete, when set, runs inside DeleteKey (to cancel, say) and gives its
// error.
type fakeAPI struct {
	owned    map[string][]jmapcloud.Resource
	members  []jmapcloud.Member
	onDelete func(id string) error
	// onResources, when set, runs inside KeyResources and gives its error.
	onResources func(id string) error
	asked       []string
}

func (a *fakeAPI) KeyResources(_ context.Context, id string) ([]jmapcloud.Resource, error) {
	a.asked = append(a.asked, "resources "+id)
	if id == "unreadable" {
		return nil, errors.New("503 Service Unavailable")
	}
	if a.onResources != nil {
		if err := a.onResources(id); err != nil {
			return nil, err
		}
	}
	return a.owned[id], nil
}

func (a *fakeAPI) Members(context.Context) ([]jmapcloud.Member, error) {
	a.asked = append(a.asked, "members")
	return a.members, nil
}

func (a *fakeAPI) DeleteKey(_ context.Context, id, transferTo string) error {
	a.asked = append(a.asked, "delete "+id+" to="+transferTo)
	if a.onDelete != nil {
		return a.onDelete(id)
	}
	return nil
}

var (
	dataSource = jmapcloud.Resource{ID: "r-1", Type: "DATASOURCE", Name: "Hydrography"}
	project    = jmapcloud.Resource{ID: "r-2", Type: "PROJECT", Name: "Roads"}
	erin       = jmapcloud.Member{ID: "m-erin", Name: "Erin Editor", Email: "erin@acme.example", Roles: []string{"ORG_EDITOR"}}
	ada        = jmapcloud.Member{ID: "m-ada", Name: "ada Admin", Email: "admin@acme.example", Roles: []string{"ORG_ADMIN", "ORG_EDITOR"}}
	vera       = jmapcloud.Member{ID: "m-vera", Name: "Vera Viewer", Email: "vera@acme.example", Roles: []string{"ORG_VIEWER"}}
)

func asked(a *fakeAPI) string { return strings.Join(a.asked, "\n") }

// TestEntryJSONIsTheContract: the names and order of a plan's JSON are `delete -o json`'s
// contract (CLI.md); error appears only when set, and a key owning nothing has [] resources.
func TestEntryJSONIsTheContract(t *testing.T) {
	api := &fakeAPI{owned: map[string][]jmapcloud.Resource{"k-1": {dataSource}}}
	plan, err := Read(context.Background(), api, []jmapcloud.APIKey{{ID: "k-1", Title: "CI"}, {ID: "k-2", Title: "old"}})
	if err != nil {
		t.Fatal(err)
	}
	Heir{Target: MemberOf(erin)}.Assign(plan)
	plan[1].Error = "boom"
	got, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"id":"k-1","title":"CI","resources":[{"id":"r-1","type":"DATASOURCE","name":"Hydrography"}],"action":"transfer",` +
		`"transferTo":{"id":"m-erin","name":"Erin Editor","email":"erin@acme.example"},"deleted":false},` +
		`{"id":"k-2","title":"old","resources":[],"action":"none","transferTo":null,"deleted":false,"error":"boom"}]`
	if string(got) != want {
		t.Errorf("JSON\n%s\nwant\n%s", got, want)
	}
}

// TestReadSaysWhichKeyItCouldNotRead: a failure to read what a key owns names the key and
// keeps the cause.
func TestReadSaysWhichKeyItCouldNotRead(t *testing.T) {
	_, err := Read(context.Background(), &fakeAPI{}, []jmapcloud.APIKey{{ID: "k-1", Title: "a"}, {ID: "unreadable", Title: "b"}})
	if err == nil || err.Error() != `reading what key "b" owns: 503 Service Unavailable` {
		t.Errorf("err %v", err)
	}
}

// TestAssign: the decision becomes each key's action; keys owning nothing stay none.
func TestAssign(t *testing.T) {
	heir := MemberOf(erin)
	for _, tc := range []struct {
		heir Heir
		want string
	}{
		{Heir{Target: heir}, "transfer none"},
		{Heir{NoTransfer: true}, "delete-resources none"},
		{Heir{}, "undecided none"},
	} {
		plan := Plan{{ID: "k-1", Resources: []jmapcloud.Resource{project}, Action: None}, {ID: "k-2", Resources: []jmapcloud.Resource{}, Action: None}}
		tc.heir.Assign(plan)
		if got := string(plan[0].Action) + " " + string(plan[1].Action); got != tc.want {
			t.Errorf("%+v: actions %q, want %q", tc.heir, got, tc.want)
		}
		if (plan[0].TransferTo == heir) != (tc.heir.Target != nil) || plan[1].TransferTo != nil {
			t.Errorf("%+v: transferTo %v, %v", tc.heir, plan[0].TransferTo, plan[1].TransferTo)
		}
	}
}

// TestReadCandidates: the members are read only when someone may inherit; --transfer-to is
// found by ID or email in any case and must hold the Editor role; the Editors are by name.
func TestReadCandidates(t *testing.T) {
	members := []jmapcloud.Member{erin, vera, ada}
	const editors = "admin@acme.example, erin@acme.example"
	for _, tc := range []struct {
		name, transferTo string
		pick             bool
		target, editors  string
		err              string
		kind             errkind.Kind
		asked            string
	}{
		{name: "nobody may inherit", asked: ""},
		{name: "pick", pick: true, editors: "m-ada,m-erin", asked: "members"},
		{name: "by email", transferTo: "ERIN@acme.example", target: "m-erin", editors: "m-ada,m-erin", asked: "members"},
		{name: "by ID", transferTo: "M-ADA", target: "m-ada", editors: "m-ada,m-erin", asked: "members"},
		{name: "a viewer", transferTo: "vera@acme.example", asked: "members", kind: errkind.Usage,
			err: "Vera Viewer (vera@acme.example) does not hold the Editor role and cannot inherit resources; nothing was deleted\nchoose one of: " + editors},
		{name: "nobody by that name", transferTo: "x@y", asked: "members", kind: errkind.NotFound,
			err: "no member with ID or email \"x@y\"; nothing was deleted\nchoose one of the Editors: " + editors},
	} {
		api := &fakeAPI{members: members}
		c, err := ReadCandidates(context.Background(), api, tc.transferTo, tc.pick)
		if asked(api) != tc.asked {
			t.Errorf("%s: asked %q, want %q", tc.name, asked(api), tc.asked)
		}
		if tc.err != "" {
			if err == nil || err.Error() != tc.err || errkind.Of(err) != tc.kind {
				t.Errorf("%s: err %v (%v), want %q (%v)", tc.name, err, errkind.Of(err), tc.err, tc.kind)
			}
			continue
		}
		var target, eds string
		if c.Target != nil {
			target = c.Target.ID
		}
		for i, e := range c.Editors {
			if i > 0 {
				eds += ","
			}
			eds += e.ID
		}
		if err != nil || target != tc.target || eds != tc.editors {
			t.Errorf("%s: target %q, editors %q, err %v; want %q, %q", tc.name, target, eds, err, tc.target, tc.editors)
		}
	}
	if got := EditorEmails(nil).String(); got != "none in this organization" {
		t.Errorf("EditorEmails(nil) = %q", got)
	}
}

// TestExecute: each key as planned, in order; a failure does not stop the others; a key
// planned as owning nothing is checked again and not deleted if it gained resources; a key
// deleted meanwhile says so.
func TestExecute(t *testing.T) {
	api := &fakeAPI{owned: map[string][]jmapcloud.Resource{"grew": {project}}}
	api.onDelete = func(id string) error {
		switch id {
		case "fails":
			return errors.New("500 Internal Server Error")
		case "gone":
			return &jmapcloud.APIError{Method: "DELETE", Path: "/api-keys/gone", StatusCode: 404}
		}
		return nil
	}
	plan := Plan{
		{ID: "moves", Resources: []jmapcloud.Resource{dataSource}, Action: Transfer, TransferTo: MemberOf(erin)},
		{ID: "fails", Resources: []jmapcloud.Resource{project}, Action: DeleteResources},
		{ID: "grew", Resources: []jmapcloud.Resource{}, Action: None},
		{ID: "gone", Resources: []jmapcloud.Resource{}, Action: None},
		{ID: "empty", Resources: []jmapcloud.Resource{}, Action: None},
	}
	Execute(context.Background(), api, plan)
	wantAsked := "delete moves to=m-erin\ndelete fails to=\nresources grew\nresources gone\ndelete gone to=\nresources empty\ndelete empty to="
	if asked(api) != wantAsked {
		t.Errorf("asked:\n%s\nwant:\n%s", asked(api), wantAsked)
	}
	want := []string{
		"deleted",
		"500 Internal Server Error",
		"the key now owns 1 resource it did not own when planned; not deleted, run the command again",
		"the key no longer exists (deleted meanwhile?)",
		"deleted",
	}
	for i, e := range plan {
		got := e.Error
		if e.Deleted {
			got = "deleted"
			if e.Error != "" {
				t.Errorf("%s: deleted with error %q", e.ID, e.Error)
			}
		}
		if got != want[i] {
			t.Errorf("%s: %q, want %q", e.ID, got, want[i])
		}
	}
	if plan.AllDeleted() || plan.FailureSummary(nil) != "3 keys of 5 not deleted; 2 deleted." {
		t.Errorf("AllDeleted %v, summary %q", plan.AllDeleted(), plan.FailureSummary(nil))
	}
}

// TestExecuteStopsWhenInterrupted: once the context is cancelled (a signal during the second
// delete), the keys left are not attempted, not even read, and say so; the delete under way
// keeps its own outcome.
func TestExecuteStopsWhenInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	api := &fakeAPI{}
	api.onDelete = func(id string) error {
		if id == "k-2" {
			cancel()
			return context.Canceled
		}
		return nil
	}
	plan := Plan{
		{ID: "k-1", Action: DeleteResources, Resources: []jmapcloud.Resource{project}},
		{ID: "k-2", Action: DeleteResources, Resources: []jmapcloud.Resource{project}},
		{ID: "k-3", Action: None, Resources: []jmapcloud.Resource{}},
		{ID: "k-4", Action: DeleteResources, Resources: []jmapcloud.Resource{project}},
	}
	Execute(ctx, api, plan)
	if want := "delete k-1 to=\ndelete k-2 to="; asked(api) != want {
		t.Errorf("asked:\n%s\nwant:\n%s", asked(api), want)
	}
	// k-2's request was sent when the interruption came: the server may have deleted it,
	// which the entry says instead of "not deleted".
	inFlight := "interrupted during its delete request, which the server may have carried out: `apikeys show k-2` tells"
	for i, want := range []string{"", inFlight, "not attempted: interrupted", "not attempted: interrupted"} {
		if plan[i].Error != want || plan[i].Deleted != (i == 0) || plan[i].Unknown() != (i == 1) || plan[i].Interrupted() != (i > 0) {
			t.Errorf("%s: deleted %v, unknown %v, interrupted %v, error %q; want error %q", plan[i].ID, plan[i].Deleted, plan[i].Unknown(), plan[i].Interrupted(), plan[i].Error, want)
		}
	}
	if got, want := plan.FailureSummary(nil), "1 deleted, 2 not deleted, 1 may have been deleted (interrupted during its delete request)."; got != want {
		t.Errorf("FailureSummary = %q, want %q", got, want)
	}
	if got, want := (Plan{plan[1]}).FailureSummary(nil), "The key may have been deleted: the command was interrupted during its delete request."; got != want {
		t.Errorf("FailureSummary of one = %q, want %q", got, want)
	}
	// Interrupted while checking what a key owns, before its delete request: interrupted,
	// and surely not deleted.
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	api = &fakeAPI{onResources: func(string) error { cancel2(); return context.Canceled }}
	plan = Plan{{ID: "k-1", Action: None, Resources: []jmapcloud.Resource{}}}
	Execute(ctx2, api, plan)
	if e := plan[0]; e.Deleted || e.Unknown() || !e.Interrupted() || e.Error != "context canceled" || asked(api) != "resources k-1" {
		t.Errorf("interrupted before the request: asked %q, unknown %v, interrupted %v, error %q", asked(api), e.Unknown(), e.Interrupted(), e.Error)
	}
	// Cancelled before the first: nothing is asked at all.
	api = &fakeAPI{}
	plan = Plan{{ID: "k-1", Action: None, Resources: []jmapcloud.Resource{}}}
	Execute(ctx, api, plan)
	if asked(api) != "" || plan[0].Deleted || plan[0].Error != "not attempted: interrupted" {
		t.Errorf("after cancellation: asked %q, entry %+v", asked(api), *plan[0])
	}
}

// TestFailureSummaryCountsWhatHappened: after failures the summary says what was and was not
// deleted; "the others were" was false of a single key and of keys an interruption left untried.
func TestFailureSummaryCountsWhatHappened(t *testing.T) {
	entries := func(deleted ...bool) Plan {
		plan := make(Plan, len(deleted))
		for i, d := range deleted {
			plan[i] = &Entry{Deleted: d}
		}
		return plan
	}
	for _, tt := range []struct {
		plan Plan
		want string
	}{
		{entries(false), "The key was not deleted."},
		{entries(false, false), "None of the 2 keys was deleted."},
		{entries(true, false, true), "1 key of 3 not deleted; 2 deleted."},
		{entries(true, false, false), "2 keys of 3 not deleted; 1 deleted."},
	} {
		if got := tt.plan.FailureSummary(nil); got != tt.want {
			t.Errorf("FailureSummary = %q, want %q", got, tt.want)
		}
	}
	if !entries(true, true).AllDeleted() || !(Plan{}).AllDeleted() {
		t.Error("AllDeleted is false of a plan all deleted")
	}
}

// TestOwningKeys counts the keys that own resources in plain English.
func TestOwningKeys(t *testing.T) {
	owns := func(owning ...bool) Plan {
		plan := make(Plan, len(owning))
		for i, o := range owning {
			plan[i] = &Entry{}
			if o {
				plan[i].Resources = []jmapcloud.Resource{project}
			}
		}
		return plan
	}
	for _, tt := range []struct {
		plan Plan
		want string
	}{
		{owns(true), "the key owns resources"},
		{owns(true, false), "1 of the 2 keys owns resources"},
		{owns(true, true), "all 2 keys own resources"},
		{owns(true, false, true), "2 of the 3 keys own resources"},
	} {
		if got := tt.plan.OwningKeys(nil); got != tt.want {
			t.Errorf("OwningKeys = %q, want %q", got, tt.want)
		}
	}
}

// TestPlanText: the plan for a person, exactly: resources counted by type in a fixed order
// (unknown types after, by name), listed as the server sent them, every server string
// sanitised; then what will happen to each key.
func TestPlanText(t *testing.T) {
	plan := Plan{
		{ID: "k-1", Title: "CI \x1b[2J", Action: Transfer, TransferTo: &Member{ID: "m", Name: "Erin\x07", Email: "erin@acme.example"}, Resources: []jmapcloud.Resource{
			{Type: "LAYER", Name: "Points"}, {Type: "DATASOURCE", Name: "a\x1b]52;c;x\x07b"}, {Type: "DATASOURCE", Name: "Roads"}, {Type: "MAP_STYLE", Name: "Dark"},
		}},
		{ID: "k-2\x1b[31m", Title: "old", Action: None, Resources: []jmapcloud.Resource{}},
		{ID: "k-3", Title: "gone", Action: DeleteResources, Resources: []jmapcloud.Resource{project}},
		{ID: "k-4", Title: "open", Action: Undecided, Resources: []jmapcloud.Resource{project}},
	}
	var b strings.Builder
	plan.WriteText(nil, &b, true)
	want := `API key "CI \x1b[2J" (k-1): 2 data sources, 1 layer, 1 map_style` + "\n" +
		`  - data source a\x1b]52;c;x\x07b` + "\n" +
		"  - data source Roads\n" +
		"  - layer       Points\n" +
		"  - map_style   Dark\n" +
		`  → will be deleted; resources will move to Erin\x07 (erin@acme.example)` + "\n" +
		`API key "old" (k-2\x1b[31m): no resources` + "\n" +
		"  → will be deleted; it owns nothing\n" +
		`API key "gone" (k-3): 1 project` + "\n" +
		"  - project     Roads\n" +
		"  → will be deleted; its resources will be DELETED with the key\n" +
		`API key "open" (k-4): 1 project` + "\n" +
		"  - project     Roads\n" +
		"  → will be deleted; who inherits its resources is undecided (pass --transfer-to or --no-transfer)\n"
	if b.String() != want {
		t.Errorf("plan:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	plan[1:3].WriteActions(nil, &b)
	want = "API key \"old\" will be deleted; it owns nothing\nAPI key \"gone\" will be deleted; its resources will be DELETED with the key\n"
	if b.String() != want {
		t.Errorf("actions:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	plan[:0].WriteText(nil, &b, false)
	if b.Len() != 0 {
		t.Errorf("an empty plan wrote %q", b.String())
	}
}

// A delete in which no key was deleted, every key refused for one kind of reason, fails with
// that kind (all 403: auth, exit 4, as one key refused would); any key deleted, or reasons of
// different kinds, is a plain failure (exit 1).
func TestFailureKind(t *testing.T) {
	forbidden := &jmapcloud.APIError{Method: "DELETE", Path: "/api-keys/x", StatusCode: 403}
	for _, tc := range []struct {
		name   string
		refuse map[string]error
		want   errkind.Kind
	}{
		{"all forbidden", map[string]error{"a": forbidden, "b": forbidden}, errkind.Auth},
		{"one deleted", map[string]error{"a": forbidden}, errkind.Failed},
		{"different reasons", map[string]error{"a": forbidden, "b": errors.New("500")}, errkind.Failed},
		{"all failed plainly", map[string]error{"a": errors.New("500"), "b": errors.New("502")}, errkind.Failed},
	} {
		api := &fakeAPI{onDelete: func(id string) error { return tc.refuse[id] }}
		plan := Plan{
			{ID: "a", Resources: []jmapcloud.Resource{}, Action: DeleteResources},
			{ID: "b", Resources: []jmapcloud.Resource{}, Action: DeleteResources},
		}
		Execute(context.Background(), api, plan)
		if got := plan.FailureKind(); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestOutcomeSummary: one line saying what was deleted and who received how many resources,
// singular and plural right; with failures, the failure count followed by the same.
func TestOutcomeSummary(t *testing.T) {
	heir := &Member{ID: "m", Name: "Erin Editor\x1b[2J", Email: "erin@acme.example"}
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
		{Plan{key("CI", true, Transfer, 1)}, `Deleted API key "CI"; Erin Editor\x1b[2J received 1 resource.`},
		{Plan{key("a", true, Transfer, 2), key("b", true, None, 0), key("c", true, Transfer, 3)}, `Deleted 3 API keys; Erin Editor\x1b[2J received 5 resources.`},
		{Plan{key("CI", true, DeleteResources, 4)}, `Deleted API key "CI" and its 4 resources.`},
		{Plan{key("a", true, DeleteResources, 1), key("b", true, DeleteResources, 0)}, `Deleted 2 API keys and their 1 resource.`},
		{Plan{key("old", true, None, 0)}, `Deleted API key "old".`},
		{Plan{key("a", true, None, 0), key("b", true, None, 0)}, `Deleted 2 API keys.`},
		// Only the deleted keys' resources were received.
		{Plan{key("a", true, Transfer, 2), key("b", false, Transfer, 3), key("c", true, Transfer, 1)}, `1 key of 3 not deleted; 2 deleted; Erin Editor\x1b[2J received 3 resources.`},
		{Plan{key("a", false, Transfer, 2), key("b", true, None, 0)}, `1 key of 2 not deleted; 1 deleted.`},
		{Plan{key("a", false, DeleteResources, 2)}, `The key was not deleted.`},
	} {
		if got := tt.plan.OutcomeSummary(nil); got != tt.want {
			t.Errorf("OutcomeSummary = %q, want %q", got, tt.want)
		}
	}
}
