package compcache

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/completion"
)

func testStore(t *testing.T, now *time.Time) Store {
	return Store{Dir: filepath.Join(t.TempDir(), "completion"), TTL: 30 * time.Second, Now: func() time.Time { return *now }}
}

// The key cache's line format keeps every title, whatever characters it holds.
func TestKeyLinesRoundTrip(t *testing.T) {
	keys := []completion.Key{
		{ID: "a", Title: "tab\there, newline\nthere, quote \" and \\ backslash", Role: "ORG_EDITOR", Expires: time.Unix(1893456000, 0).UTC()},
		{ID: "b", Title: "", Role: "ORG_VIEWER"},
		{ID: "c", Title: "Montréal — 東京", Role: "ORG_VIEWER", Expires: time.Unix(1, 0).UTC()},
	}
	got, err := parseKeyLines(appendKeyLines(nil, keys))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, keys) {
		t.Fatalf("round trip:\n got %#v\nwant %#v", got, keys)
	}
	for _, bad := range []string{"a\tb\n", "a\tORG_EDITOR\tsoon\t\"t\"\n", "a\tORG_EDITOR\t1\tunquoted\n"} {
		if _, err := parseKeyLines([]byte(bad)); err == nil {
			t.Errorf("parsed a malformed line %q", bad)
		}
	}
}

// Each scope has its own entries, fresh for the TTL; forgetting one scope's keys leaves the
// other scopes' keys and its own Editors.
func TestStoreScopesAndForget(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := testStore(t, &now)
	prod := Scope{Profile: "prod", API: "https://api.example", Org: "o1"}
	staging := Scope{Profile: "staging", API: "https://api.example", Org: "o1"}
	prodKeys := []completion.Key{{ID: "p1", Title: "prod key", Role: "ORG_EDITOR"}}
	stagingKeys := []completion.Key{{ID: "s1", Title: "staging key", Role: "ORG_VIEWER", Expires: time.Unix(2000000000, 0).UTC()}}
	editors := []completion.Editor{{Email: "erin@acme.example", Name: "Erin Editor"}}
	for _, err := range []error{s.SaveKeys(prod, prodKeys), s.SaveKeys(staging, stagingKeys), s.SaveEditors(prod, editors)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got, ok := s.LoadKeys(prod); !ok || !reflect.DeepEqual(got, prodKeys) {
		t.Errorf("prod keys: %v %v", got, ok)
	}
	if got, ok := s.LoadKeys(staging); !ok || !reflect.DeepEqual(got, stagingKeys) {
		t.Errorf("staging keys: %v %v", got, ok)
	}
	if got, ok := s.LoadKeys(Scope{Profile: "prod", API: "https://api.example", Org: "o2"}); ok {
		t.Errorf("another organization was answered from prod's entry: %v", got)
	}

	if err := s.ForgetKeys(prod); err != nil {
		t.Fatal(err)
	}
	if got, ok := s.LoadKeys(prod); ok {
		t.Errorf("prod keys after ForgetKeys: %v", got)
	}
	if got, ok := s.LoadKeys(staging); !ok || !reflect.DeepEqual(got, stagingKeys) {
		t.Errorf("staging keys after prod's were forgotten: %v %v", got, ok)
	}
	if got, ok := s.LoadEditors(prod); !ok || !reflect.DeepEqual(got, editors) {
		t.Errorf("prod Editors after its keys were forgotten: %v %v", got, ok)
	}
	if err := s.ForgetKeys(prod); err != nil {
		t.Errorf("forgetting a missing entry: %v", err)
	}

	now = now.Add(s.TTL + time.Second)
	if _, ok := s.LoadKeys(staging); ok {
		t.Error("an entry older than the TTL answered")
	}
	now = now.Add(-time.Hour)
	if _, ok := s.LoadKeys(staging); ok {
		t.Error("an entry saved in the future (a clock set back) answered")
	}
}

// An entry copied over another scope's file (or a hash collision) does not answer for it,
// and entries are 0600 files in a 0700 directory with no temporary file left.
func TestStoreFiles(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := testStore(t, &now)
	a, b := Scope{Profile: "a"}, Scope{Profile: "b"}
	if err := s.SaveKeys(a, []completion.Key{{ID: "1"}}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(s.path(kindKeys, a))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.path(kindKeys, b), data, 0o600); err != nil {
		t.Fatal(err)
	}
	if got, ok := s.LoadKeys(b); ok {
		t.Errorf("a's entry answered for b: %v", got)
	}
	entries, err := os.ReadDir(s.Dir)
	if err != nil || len(entries) != 2 {
		t.Fatalf("cache directory: %v, %d entries", err, len(entries))
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", e.Name(), info.Mode().Perm())
		}
	}
	if info, err := os.Stat(s.Dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("cache directory: %v %v", info, err)
	}
	off := Store{Dir: filepath.Join(t.TempDir(), "off"), Now: s.Now}
	if err := off.SaveKeys(a, []completion.Key{{ID: "1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(off.Dir); !os.IsNotExist(err) {
		t.Errorf("a store with no TTL wrote its directory: %v", err)
	}
}
