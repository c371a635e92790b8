package keyselect

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
)

var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// org is an organization in memory that records what it was asked.
type org struct {
	keys  []jmapcloud.APIKey
	asked []string
}

func (o *org) ListKeys(context.Context) ([]jmapcloud.APIKey, error) {
	o.asked = append(o.asked, "list")
	return o.keys, nil
}

func (o *org) GetKey(_ context.Context, id string) (jmapcloud.APIKey, error) {
	o.asked = append(o.asked, "get "+id)
	for _, k := range o.keys {
		if strings.EqualFold(k.ID, id) {
			return k, nil
		}
	}
	return jmapcloud.APIKey{}, &jmapcloud.APIError{Method: "GET", Path: "/api-keys/" + id, StatusCode: 404, Message: "not found"}
}

func filter(t *testing.T, expr string) output.Filter {
	t.Helper()
	f, err := output.ParseFilter(expr, now)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func ids(keys []jmapcloud.APIKey) string {
	var s []string
	for _, k := range keys {
		s = append(s, k.ID)
	}
	return strings.Join(s, ",")
}

// otherKeyServer answers every GET of a key with another key.
type otherKeyServer struct{ org }

func (*otherKeyServer) GetKey(context.Context, string) (jmapcloud.APIKey, error) {
	return jmapcloud.APIKey{ID: "bbbe313b-41dd-463c-95f4-e437d004de68", Title: "someone else"}, nil
}

// emptyKeyServer answers GET …/api-keys/ID with no key (null, {} or a result of null).
type emptyKeyServer struct{ org }

func (*emptyKeyServer) GetKey(context.Context, string) (jmapcloud.APIKey, error) {
	return jmapcloud.APIKey{}, nil
}

// TestFetchedKeyMustBeAKey: an answer to GET …/api-keys/ID that holds no key is refused
// (exit 1) by show and delete alike, instead of showing an empty key; a key whose ID alone was
// unreadable is still the callers' to warn about.
func TestFetchedKeyMustBeAKey(t *testing.T) {
	const asked = "d8158cb8-613f-40cc-b0c4-e56a007ef53d"
	want := "asked for API key " + asked + ", the server answered with no key; nothing was done\nrun the command again, or check --api-url"
	if _, _, err := Find(context.Background(), &emptyKeyServer{}, asked); err == nil || err.Error() != want || errkind.Of(err) != errkind.Failed {
		t.Errorf("show: %v, want %q", err, want)
	}
	if keys, _, err := Select(context.Background(), &emptyKeyServer{}, Selection{Refs: []string{asked}}, time.Now()); err == nil || err.Error() != want || keys != nil {
		t.Errorf("delete selected %v, err %v; want none and %q", keys, err, want)
	}
	unreadableID := jmapcloud.APIKey{Title: "t", Unreadable: &jmapcloud.KeyProblems{ID: "id: not a string"}}
	if err := checkFetchedKey(unreadableID, asked); err != nil {
		t.Errorf("a key whose ID was unreadable: %v", err)
	}
}

// TestFetchedKeyMustBeTheOneAskedFor: an answer to GET …/api-keys/ID that is another key is
// refused, so delete never goes on to delete that other key.
func TestFetchedKeyMustBeTheOneAskedFor(t *testing.T) {
	const asked = "d8158cb8-613f-40cc-b0c4-e56a007ef53d"
	_, _, err := Find(context.Background(), &otherKeyServer{}, asked)
	want := "asked for API key " + asked + ", the server answered with API key bbbe313b-41dd-463c-95f4-e437d004de68; nothing was done\nrun the command again, or name the key by title"
	if err == nil || err.Error() != want {
		t.Errorf("show: %v, want %q", err, want)
	}
	keys, _, err := Select(context.Background(), &otherKeyServer{}, Selection{Refs: []string{asked}}, time.Now())
	if err == nil || err.Error() != want || keys != nil {
		t.Errorf("delete selected %v, err %v; want none and %q", keys, err, want)
	}
	// The ID as the server spells it is the same key.
	if _, _, err := Find(context.Background(), &otherKeyServer{}, "BBBE313B-41DD-463C-95F4-E437D004DE68"); err != nil {
		t.Errorf("the same ID in capitals: %v", err)
	}
}

// TestFindFetchesIDsAndListsTitles: an ID is one GET; a title, or an ID the server does not
// know by that spelling (it may be a title), is looked up in the list; an empty KEY asks
// nothing.
func TestFindFetchesIDsAndListsTitles(t *testing.T) {
	const id = "11111111-1111-4111-8111-111111111111"
	const titledLikeID = "22222222-2222-4222-8222-222222222222"
	keys := []jmapcloud.APIKey{
		{ID: id, Title: "CI"},
		{ID: "k-2", Title: titledLikeID},
	}
	for _, tc := range []struct {
		ref, found, asked, err string
		kind                   errkind.Kind
	}{
		{ref: id, found: id, asked: "get " + id},
		{ref: "ci", found: id, asked: "list"},
		{ref: titledLikeID, found: "k-2", asked: "get " + titledLikeID + ",list"},
		{ref: "nope", asked: "list", err: "no API key with ID or title \"nope\"\nrun `apikeys list` to see the keys", kind: errkind.NotFound},
		{ref: "", err: "an empty KEY: give an API key ID or exact title", kind: errkind.Usage},
	} {
		o := &org{keys: keys}
		k, warn, err := Find(context.Background(), o, tc.ref)
		if got := strings.Join(o.asked, ","); got != tc.asked {
			t.Errorf("%q asked %q, want %q", tc.ref, got, tc.asked)
		}
		if len(warn.Lines()) != 0 {
			t.Errorf("%q warned %q", tc.ref, warn.Lines())
		}
		if tc.err != "" {
			if err == nil || err.Error() != tc.err || errkind.Of(err) != tc.kind {
				t.Errorf("%q: err %v (kind %v), want %q (%v)", tc.ref, err, errkind.Of(err), tc.err, tc.kind)
			}
			continue
		}
		if err != nil || k.ID != tc.found {
			t.Errorf("%q found %q (err %v), want %q", tc.ref, k.ID, err, tc.found)
		}
	}
}

// TestFindWarns: the key found is warned about when malformed; a title not found warns about
// the keys whose title is unreadable, since ref may be one of them.
func TestFindWarns(t *testing.T) {
	keys := []jmapcloud.APIKey{
		{ID: "k-1", Title: "bad date", Unreadable: &jmapcloud.KeyProblems{ExpirationDate: `expirationDate: not a date: "x"`}},
		{ID: "k-2", Unreadable: &jmapcloud.KeyProblems{Title: "title: a number, not a string"}},
	}
	_, warn, err := Find(context.Background(), &org{keys: keys}, "bad date")
	want := []string{`Warning: API key k-1: unreadable from the server, left empty: expirationDate: not a date: "x"`}
	if err != nil || !slices.Equal(warn.Lines(), want) {
		t.Errorf("found: err %v, warnings %q, want %q", err, warn.Lines(), want)
	}
	_, warn, err = Find(context.Background(), &org{keys: keys}, "nosuch")
	want = []string{"Warning: API key k-2: unreadable from the server, left empty: title: a number, not a string; a title cannot find it"}
	if !errkind.Is(err, errkind.NotFound) || !slices.Equal(warn.Lines(), want) {
		t.Errorf("not found: err %v, warnings %q, want %q", err, warn.Lines(), want)
	}
}

// TestAmbiguousTitleListsExpiriesAsKnown: the list of keys sharing a title says "expiry
// unreadable" or "never expires" rather than printing the zero date 0001-01-01.
func TestAmbiguousTitleListsExpiriesAsKnown(t *testing.T) {
	keys := []jmapcloud.APIKey{
		{ID: "k-1", Title: "dup", Role: "ORG_EDITOR", ExpirationDate: time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)},
		{ID: "k-2", Title: "Dup", Role: "ORG_VIEWER", Unreadable: &jmapcloud.KeyProblems{ExpirationDate: `expirationDate: not a date: "x"`}},
		{ID: "k-3", Title: "DUP", Role: "ORG_VIEWER"},
	}
	_, err := resolve(keys, "dup")
	want := "3 API keys are titled \"dup\"; name one by ID:\n" +
		"  k-1  dup  (editor, expires 2027-06-01)\n" +
		"  k-2  Dup  (viewer, expiry unreadable)\n" +
		"  k-3  DUP  (viewer, never expires)"
	if err == nil || err.Error() != want || errkind.Of(err) != errkind.Usage {
		t.Fatalf("got %v (kind %v)\nwant:\n%s", err, errkind.Of(err), want)
	}
	if _, err := resolve([]jmapcloud.APIKey{{Title: "no id"}}, ""); err == nil || errkind.Of(err) != errkind.Usage {
		t.Fatalf("an empty KEY matched a key without an ID: %v", err)
	}
}

// TestUnreadableSecretFieldIsNoWarning: a listed key whose secret-named field is not a string
// (the list never shows a secret) is read whole for every command: no warning, and above
// all no empty one ("Warning: API key ID: " and nothing after it).
func TestUnreadableSecretFieldIsNoWarning(t *testing.T) {
	keys := []jmapcloud.APIKey{
		{ID: "11111111-1111-4111-8111-111111111111", Title: "odd", Role: "ORG_VIEWER", Unreadable: &jmapcloud.KeyProblems{Secret: "apiKey: a boolean, not a string"}},
	}
	if Malformed(&keys[0]) {
		t.Errorf("a key whose only unreadable field is its secret counts as malformed: %q", warning(&keys[0], l10n.Msg{}))
	}
	var warn Warnings
	rows := FilterRows(keys, nil, now, func(k *jmapcloud.APIKey, field string) { warn.Add(k, l10n.Msg{}) })
	if len(rows) != 1 || len(warn.Lines()) != 0 {
		t.Errorf("%d rows, warnings %q; want the key and no warning", len(rows), warn.Lines())
	}
}

// TestWarningsOncePerKeyAndBounded: a key is warned about once, with the first note given;
// past maxWarnings keys one line counts the rest.
func TestWarningsOncePerKeyAndBounded(t *testing.T) {
	var warn Warnings
	noID := jmapcloud.APIKey{Title: "t"}
	warn.Add(&noID, l10n.M("first"))
	warn.Add(&noID, l10n.M("second"))
	want := []string{`Warning: API key titled "t": it has no ID, so it cannot be named by ID or deleted; first`}
	if !slices.Equal(warn.Lines(), want) {
		t.Fatalf("warnings %q, want %q", warn.Lines(), want)
	}
	for i := range maxWarnings + 2 {
		k := jmapcloud.APIKey{ID: fmt.Sprintf("k-%d", i), Unreadable: &jmapcloud.KeyProblems{Role: "role: a number, not a string"}}
		warn.Add(&k, l10n.Msg{})
	}
	lines := warn.Lines()
	if len(lines) != maxWarnings+1 || lines[maxWarnings-1] != "Warning: API key k-18: unreadable from the server, left empty: role: a number, not a string" ||
		lines[maxWarnings] != "Warning: 3 more API keys are malformed (not named here)" {
		t.Errorf("%d lines, the last two %q", len(lines), lines[len(lines)-2:])
	}
	if again := warn.Lines(); !slices.Equal(again, lines) {
		t.Errorf("Lines changed on a second call: %q", again)
	}
}

// TestEveryKeySelectedCountsKeysNotListEntries: a list that names a key twice (a bare array
// is not checked for repeats) still has every key selected by a filter that matches them
// all: All is required, as for a list without repeats.
func TestEveryKeySelectedCountsKeysNotListEntries(t *testing.T) {
	all := []jmapcloud.APIKey{
		{ID: "k-1", Title: "a", Role: "ORG_VIEWER"},
		{ID: "k-2", Title: "b", Role: "ORG_VIEWER"},
		{ID: "k-1", Title: "a", Role: "ORG_VIEWER"},
	}
	viewers := []output.Filter{filter(t, "role=viewer")}
	chosen, _, err := Select(context.Background(), &org{keys: all}, Selection{Filters: viewers}, now)
	want := "the selection matches every key of the organization (2); nothing was deleted\npass --all to delete every key, or narrow the --filter"
	if errkind.Of(err) != errkind.Usage || fmt.Sprint(err) != want {
		t.Fatalf("selected %d keys, err %v; want a usage error asking for --all", len(chosen), err)
	}
	// KEYs named beside a filter are not counted by the every-key rule (All cannot be given
	// with KEYs): the filter matching one key of two, the KEY the other, is no mistake.
	withEditor := []jmapcloud.APIKey{all[0], all[1], {ID: "k-3", Title: "c", Role: "ORG_EDITOR"}}
	chosen, _, err = Select(context.Background(), &org{keys: withEditor}, Selection{Refs: []string{"c"}, Filters: viewers}, now)
	if err != nil || ids(chosen) != "k-3,k-1,k-2" {
		t.Fatalf("KEY c and role=viewer selected %q (err %v), want k-3,k-1,k-2", ids(chosen), err)
	}
	// All with the filters allows it; All alone selects each key once.
	for _, sel := range []Selection{{Filters: viewers, All: true}, {All: true}} {
		chosen, _, err = Select(context.Background(), &org{keys: all}, sel, now)
		if err != nil || ids(chosen) != "k-1,k-2" {
			t.Fatalf("%+v selected %q (err %v), want k-1,k-2", sel, ids(chosen), err)
		}
	}
}

// TestSelectRefusesWithNothingSelected: unknown KEYs (all named), a filter that cannot decide
// a malformed key, and a chosen key without an ID stop the selection, with the warnings.
func TestSelectRefusesWithNothingSelected(t *testing.T) {
	keys := []jmapcloud.APIKey{
		{ID: "k-1", Title: "good", Role: "ORG_VIEWER", ExpirationDate: now.AddDate(1, 0, 0)},
		{ID: "k-2", Title: "bad date", Role: "ORG_VIEWER", Unreadable: &jmapcloud.KeyProblems{ExpirationDate: `expirationDate: not a date: "x"`}},
		{Title: "no id", Role: "ORG_EDITOR"},
		{ID: "k-4", Unreadable: &jmapcloud.KeyProblems{Title: "title: a number, not a string"}},
	}
	for _, tc := range []struct {
		name     string
		sel      Selection
		err      string
		kind     errkind.Kind
		warnings []string
	}{
		{"unknown KEYs", Selection{Refs: []string{"good", "x", `"y"`}},
			"no API key with ID or title \"x\", \"\\\"y\\\"\"; nothing was deleted\nrun `apikeys list` to see the keys", errkind.NotFound,
			[]string{"Warning: API key k-4: unreadable from the server, left empty: title: a number, not a string; a title cannot find it"}},
		{"a filter on the unreadable field", Selection{Filters: []output.Filter{filter(t, "expires<2y")}},
			"1 API key cannot be tested against the filters: a field they read is unreadable from the server; nothing was deleted\nname the keys by ID, or filter on other fields (see the warnings)", errkind.Failed,
			// The other malformed keys never expire: the filter decides them, and leaves them out.
			[]string{`Warning: API key k-2: unreadable from the server, left empty: expirationDate: not a date: "x"; a filter on expires cannot tell whether it matches`}},
		{"a key without an ID", Selection{Refs: []string{"no id"}},
			"API key titled \"no id\" has no ID, so it cannot be deleted; nothing was deleted\nselect only keys that have an ID (see the warning)", errkind.Failed,
			[]string{`Warning: API key titled "no id": it has no ID, so it cannot be named by ID or deleted`}},
	} {
		chosen, warn, err := Select(context.Background(), &org{keys: keys}, tc.sel, now)
		if chosen != nil || err == nil || err.Error() != tc.err || errkind.Of(err) != tc.kind {
			t.Errorf("%s: selected %q, err %v (kind %v)\nwant %q (%v)", tc.name, ids(chosen), err, errkind.Of(err), tc.err, tc.kind)
		}
		if !slices.Equal(warn.Lines(), tc.warnings) {
			t.Errorf("%s: warnings\n%q\nwant\n%q", tc.name, warn.Lines(), tc.warnings)
		}
	}
}

// TestSelectOrderAndRequests: KEYs alone are fetched by ID, in the order given, each once;
// with a filter the organization is listed once and the KEYs are found in it, then the
// filter's matches follow in list's order.
func TestSelectOrderAndRequests(t *testing.T) {
	const a, b = "aaaaaaaa-1111-4111-8111-111111111111", "bbbbbbbb-2222-4222-8222-222222222222"
	keys := []jmapcloud.APIKey{
		{ID: a, Title: "zeta", Role: "ORG_VIEWER"},
		{ID: b, Title: "alpha", Role: "ORG_VIEWER"},
		{ID: "k-3", Title: "editor", Role: "ORG_EDITOR"},
	}
	o := &org{keys: keys}
	chosen, _, err := Select(context.Background(), o, Selection{Refs: []string{b, strings.ToUpper(a), b}}, now)
	if err != nil || ids(chosen) != b+","+a || strings.Join(o.asked, ",") != "get "+b+",get "+strings.ToUpper(a)+",get "+b {
		t.Errorf("by ID: selected %q (err %v), asked %q", ids(chosen), err, o.asked)
	}
	o = &org{keys: keys}
	chosen, _, err = Select(context.Background(), o, Selection{Refs: []string{"editor", a}, Filters: []output.Filter{filter(t, "role=viewer")}}, now)
	if err != nil || ids(chosen) != "k-3,"+a+","+b || strings.Join(o.asked, ",") != "list" {
		t.Errorf("with a filter: selected %q (err %v), asked %q", ids(chosen), err, o.asked)
	}
}

// show takes a unique prefix of an ID (MinIDPrefix characters at least) and a ref pasted with
// spaces around it; a full ID is still one GET, and the list is read only when that fails.
func TestFindTakesIDPrefixesAndTrims(t *testing.T) {
	keys := []jmapcloud.APIKey{
		{ID: "5f0c7a9e-2b1d-4c3e-9f8a-0123456789e1", Title: "CI deploy"},
		{ID: "5f0c1111-2b1d-4c3e-9f8a-0123456789e2", Title: "evil\x1b[2J title"},
		{ID: "a71470f8-190d-4957-85a4-080bf5b9acdb", Title: "Drone"},
		{ID: "k-4", Title: "beef"},
		{ID: "k-5", Title: " spaced "},
	}
	for _, tc := range []struct {
		ref, found, asked, err string
		kind                   errkind.Kind
	}{
		{ref: "a71470f8-190d-4957-85a4-080bf5b9acdb", found: "a71470f8-190d-4957-85a4-080bf5b9acdb", asked: "get a71470f8-190d-4957-85a4-080bf5b9acdb"},
		{ref: " a71470f8-190d-4957-85a4-080bf5b9acdb\n", found: "a71470f8-190d-4957-85a4-080bf5b9acdb", asked: "get a71470f8-190d-4957-85a4-080bf5b9acdb"},
		{ref: "a714", found: "a71470f8-190d-4957-85a4-080bf5b9acdb", asked: "list"},
		{ref: "A71470F8-190", found: "a71470f8-190d-4957-85a4-080bf5b9acdb", asked: "list"},
		{ref: "  a71470f8\t", found: "a71470f8-190d-4957-85a4-080bf5b9acdb", asked: "list"},
		{ref: "5f0c7", found: "5f0c7a9e-2b1d-4c3e-9f8a-0123456789e1", asked: "list"},
		{ref: "beef", found: "k-4", asked: "list"},             // a title is exact before it is a prefix
		{ref: " spaced ", found: "k-5", asked: "list"},         // a title with spaces, as given
		{ref: "CI deploy\n", found: keys[0].ID, asked: "list"}, // a pasted title, trimmed
		{ref: "5f0c", asked: "list", kind: errkind.Usage,
			err: "2 API keys have an ID starting with \"5f0c\"; give more of the ID:\n  5f0c1111-2b1d-4c3e-9f8a-0123456789e2  evil\\x1b[2J title\n  5f0c7a9e-2b1d-4c3e-9f8a-0123456789e1  CI deploy"},
		{ref: "a71", asked: "list", kind: errkind.NotFound, err: "no API key with ID or title \"a71\" (a start of an ID needs 4 characters or more)\nrun `apikeys list` to see the keys"},
		{ref: "a7z", asked: "list", kind: errkind.NotFound, err: "no API key with ID or title \"a7z\"\nrun `apikeys list` to see the keys"},
		{ref: "dead", asked: "list", kind: errkind.NotFound, err: "no API key with ID or title \"dead\"\nrun `apikeys list` to see the keys"},
	} {
		o := &org{keys: keys}
		k, _, err := Find(context.Background(), o, tc.ref)
		if got := strings.Join(o.asked, ","); got != tc.asked {
			t.Errorf("%q asked %q, want %q", tc.ref, got, tc.asked)
		}
		if tc.err != "" {
			if err == nil || err.Error() != tc.err || errkind.Of(err) != tc.kind {
				t.Errorf("%q: err %v (kind %v), want %q (%v)", tc.ref, err, errkind.Of(err), tc.err, tc.kind)
			}
			continue
		}
		if err != nil || k.ID != tc.found {
			t.Errorf("%q found %q (err %v), want %q", tc.ref, k.ID, err, tc.found)
		}
	}
}

// delete names keys exactly: a prefix that matches one key today may match another tomorrow,
// and a deletion cannot be undone.
func TestSelectTakesNoIDPrefix(t *testing.T) {
	o := &org{keys: []jmapcloud.APIKey{{ID: "a71470f8-190d-4957-85a4-080bf5b9acdb", Title: "Drone"}}}
	_, _, err := Select(context.Background(), o, Selection{Refs: []string{"a714"}}, now)
	if !errkind.Is(err, errkind.NotFound) {
		t.Errorf("delete a714: %v (%v); want not found", err, errkind.Of(err))
	}
	want := "no API key with ID or title \"a714\"; nothing was deleted\n" +
		"\"a714\" is the start of an ID: delete takes a whole ID or an exact title, so that it deletes exactly the key you name\n" +
		"run `apikeys show a714` to find the whole ID"
	if err == nil || err.Error() != want {
		t.Errorf("delete a714: %v\nwant %s", err, want)
	}
	// Not the start of any key's ID: the usual advice.
	_, _, err = Select(context.Background(), o, Selection{Refs: []string{"dead"}}, now)
	if want := "no API key with ID or title \"dead\"; nothing was deleted\nrun `apikeys list` to see the keys"; err == nil || err.Error() != want {
		t.Errorf("delete dead: %v\nwant %s", err, want)
	}
}
