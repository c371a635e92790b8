package sandbox

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCreateValidation(t *testing.T) {
	e := newEnv(t, Options{})
	admin := e.adminAuth()
	now := e.clock.Now()
	tests := []struct {
		name       string
		body       any
		wantStatus int
		wantMsg    string
	}{
		{"editor, RFC 3339", map[string]string{"title": "ok", "role": roleEditor, "expirationDate": "2026-01-01T00:00:00Z"}, 201, ""},
		{"viewer, fraction and offset", map[string]string{"title": "ok", "role": roleViewer, "expirationDate": "2026-01-01T10:00:00.123+02:00"}, 201, ""},
		{"bare date", map[string]string{"title": "ok", "role": roleViewer, "expirationDate": "2025-06-16"}, 201, ""},
		{"title of 100 characters", map[string]string{"title": strings.Repeat("é", 100), "role": roleViewer, "expirationDate": "2026-01-01"}, 201, ""},
		{"missing title", map[string]string{"role": roleViewer, "expirationDate": "2026-01-01"}, 400, "title is required"},
		{"blank title", map[string]string{"title": "   ", "role": roleViewer, "expirationDate": "2026-01-01"}, 400, "title is required"},
		{"title of 101 characters", map[string]string{"title": strings.Repeat("x", 101), "role": roleViewer, "expirationDate": "2026-01-01"}, 400, "title is too long"},
		{"admin role", map[string]string{"title": "x", "role": roleAdmin, "expirationDate": "2026-01-01"}, 400, "an API key cannot hold ORG_ADMIN"},
		{"unknown role", map[string]string{"title": "x", "role": "editor", "expirationDate": "2026-01-01"}, 400, `role "editor" is not valid`},
		{"missing role", map[string]string{"title": "x", "expirationDate": "2026-01-01"}, 400, "role is required"},
		{"missing expiration", map[string]string{"title": "x", "role": roleViewer}, 400, "expirationDate is required"},
		{"bad expiration", map[string]string{"title": "x", "role": roleViewer, "expirationDate": "next week"}, 400, "is not a date"},
		{"expiration today (midnight passed)", map[string]string{"title": "x", "role": roleViewer, "expirationDate": "2025-06-15"}, 400, "is not in the future"},
		{"expiration now", map[string]string{"title": "x", "role": roleViewer, "expirationDate": now.Format(time.RFC3339)}, 400, "is not in the future"},
		{"no body", nil, 400, "a JSON request body is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.keyCount()
			r := e.do("POST", keysPath(), admin, tt.body)
			if r.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tt.wantStatus, r.body)
			}
			if tt.wantStatus != 201 {
				if msg := r.message(t); !strings.Contains(msg, tt.wantMsg) {
					t.Errorf("message %q, want it to contain %q", msg, tt.wantMsg)
				}
				if e.keyCount() != before {
					t.Error("a refused create stored a key")
				}
			}
		})
	}
}

func TestCreateGetList(t *testing.T) {
	e := newEnv(t, Options{})
	admin := e.adminAuth()
	r := e.do("POST", keysPath(), admin, map[string]string{"title": "  Nightly export  ", "role": roleEditor, "expirationDate": "2025-09-01T08:30:00.5-04:00"})
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var k apiKeyJSON
	r.json(t, &k)
	want := apiKeyJSON{
		ID:             k.ID,
		Title:          "Nightly export",
		Role:           roleEditor,
		Email:          "apikey-" + k.ID[:8] + "@acme-geospatial.sandbox.jmapcloud.io",
		CreatedBy:      "Ada Admin",
		CreationDate:   "2025-06-15T12:00:00.000+00:00",
		ExpirationDate: "2025-09-01T12:30:00.500+00:00",
		APIKey:         k.APIKey,
	}
	if k != want {
		t.Fatalf("created\n%+v\nwant\n%+v", k, want)
	}
	if _, ok := parseUUID(k.ID); !ok || !strings.HasPrefix(k.APIKey, "jmc_") || len(k.APIKey) != 44 {
		t.Fatalf("id %q or secret shape wrong (len %d)", k.ID, len(k.APIKey))
	}
	if loc := r.header.Get("Location"); loc != keyPath(k.ID) {
		t.Errorf("Location %q", loc)
	}

	r = e.do("GET", keyPath(strings.ToUpper(k.ID)), admin, nil)
	var got apiKeyJSON
	r.json(t, &got)
	want.APIKey = ""
	if r.status != 200 || got != want || strings.Contains(string(r.body), "apiKey") {
		t.Fatalf("get: %d %s", r.status, r.body)
	}

	// The secret authenticates as the key.
	if r := e.do("GET", membersPath(), apiKeyAuth(k.APIKey), nil); r.status != 200 {
		t.Errorf("members with the new key: %d %s", r.status, r.body)
	}

	keys := e.listKeys(admin)
	if len(keys) != len(seedKeys)+1 {
		t.Fatalf("%d keys listed, want %d", len(keys), len(seedKeys)+1)
	}
	found := false
	for _, lk := range keys {
		if lk.APIKey != "" {
			t.Errorf("list leaks the secret of %s", lk.ID)
		}
		if !apiDate.MatchString(lk.CreationDate) || !apiDate.MatchString(lk.ExpirationDate) {
			t.Errorf("dates of %s: %s / %s", lk.Title, lk.CreationDate, lk.ExpirationDate)
		}
		found = found || lk == want
	}
	if !found {
		t.Error("the new key is not listed as created")
	}
	if st := e.sb.Stats(); st.KeysCreated != 1 {
		t.Errorf("KeysCreated = %d", st.KeysCreated)
	}
}

func TestListPaging(t *testing.T) {
	e := newEnv(t, Options{})
	admin := e.adminAuth()
	all := e.listKeys(admin)
	total := len(all)
	huge := math.MaxInt/4 + 1 // huge*4 overflows int
	tests := []struct {
		query              string
		wantStatus         int
		wantPage, wantSize int
		wantFrom, wantTo   int // slice of the full list
	}{
		{"?page=0&size=4", 200, 0, 4, 0, 4},
		{"?page=1&size=4", 200, 1, 4, 4, 8},
		{"?page=2&size=4", 200, 2, 4, 8, total},
		{"?page=9&size=4", 200, 9, 4, total, total},
		{"?page=" + strconv.Itoa(huge) + "&size=4", 200, huge, 4, total, total},
		{"?size=5", 200, 0, 5, 0, 5},
		{"?page=0", 200, 0, defaultPage, 0, total},
		{"?page=0&size=99999", 200, 0, maxPageSize, 0, total},
		{"?page=-1&size=4", 400, 0, 0, 0, 0},
		{"?page=x", 400, 0, 0, 0, 0},
		{"?size=0", 400, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := e.do("GET", keysPath()+tt.query, admin, nil)
			if r.status != tt.wantStatus {
				t.Fatalf("%d %s", r.status, r.body)
			}
			if r.status != 200 {
				return
			}
			var p pageJSON
			r.json(t, &p)
			if p.TotalElements != total || p.Page != tt.wantPage || p.Size != tt.wantSize || p.TotalPages != (total+tt.wantSize-1)/tt.wantSize {
				t.Errorf("page %+v", p)
			}
			if fmt.Sprint(p.Content) != fmt.Sprint(all[tt.wantFrom:tt.wantTo]) {
				t.Errorf("content %v, want %v", p.Content, all[tt.wantFrom:tt.wantTo])
			}
			if p.Content == nil {
				t.Error("content is null")
			}
		})
	}
}

func TestSeed(t *testing.T) {
	e := newEnv(t, Options{})
	admin := e.adminAuth()
	keys := e.listKeys(admin)
	now := e.clock.Now()
	var expired, expiring, far int
	creators := map[string]bool{}
	roles := map[string]int{}
	titles := map[string]int{}
	for _, k := range keys {
		exp, _ := time.Parse(time.RFC3339, k.ExpirationDate)
		switch {
		case !exp.After(now):
			expired++
		case exp.Before(now.Add(30 * day)):
			expiring++
		case exp.After(now.Add(365 * day)):
			far++
		}
		creators[k.CreatedBy] = true
		roles[k.Role]++
		titles[k.Title]++
	}
	if len(keys) < 8 || expired < 1 || expiring < 1 || far < 1 || len(creators) < 2 || roles[roleEditor] == 0 || roles[roleViewer] == 0 || titles["Power BI connector"] != 2 {
		t.Fatalf("seed: %d keys, %d expired, %d expiring, %d far, creators %v, roles %v", len(keys), expired, expiring, far, creators, roles)
	}

	types := map[string]bool{}
	withResources := 0
	for _, k := range keys {
		var res []resourceJSON
		e.do("GET", resourcesPath(k.ID), admin, nil).json(t, &res)
		if len(res) > 0 {
			withResources++
		}
		for _, r := range res {
			types[r.Type] = true
		}
	}
	if len(types) != 4 || withResources == 0 || withResources == len(keys) {
		t.Errorf("resource types %v, %d of %d keys own resources", types, withResources, len(keys))
	}

	res := e.resourcesByID()
	memberOwned := 0
	for _, r := range res {
		if r.OwnerKind == ownerMember {
			memberOwned++
		}
	}
	if memberOwned == 0 {
		t.Error("no resource is owned by a member")
	}

	info := e.sb.Info()
	if info.OrganizationID != seedOrg.ID || info.Password != Password || info.DataPath != e.path || len(info.Logins) != len(seedUsers) || info.Logins[0].Email != AdminEmail {
		t.Errorf("info %+v", info)
	}
	// The seeded keys' ids and dates are fixed relative to the seeding time.
	var ci apiKeyJSON
	e.do("GET", keyPath("b5f154a9-6f63-40f3-8741-561272b26b95"), admin, nil).json(t, &ci)
	if ci.Title != "CI pipeline" || ci.CreationDate != "2025-06-05T12:00:00.000+00:00" || ci.ExpirationDate != "2035-06-13T12:00:00.000+00:00" {
		t.Errorf("CI pipeline key %+v", ci)
	}
}

func TestResourcesAndNotFound(t *testing.T) {
	e := newEnv(t, Options{})
	admin := e.adminAuth()
	var res []resourceJSON
	r := e.do("GET", resourcesPath(seedKeys[0].id), admin, nil)
	r.json(t, &res)
	got := []string{}
	for _, x := range res {
		got = append(got, x.Type+" "+x.Name)
	}
	want := "DATASOURCE Hydrography (PostGIS)|LAYER Rivers and lakes|LAYER Watersheds|TABLE Gauge stations"
	if strings.Join(got, "|") != want {
		t.Errorf("resources %v, want %s", got, want)
	}
	r = e.do("GET", resourcesPath(seedKeys[1].id), admin, nil)
	if string(r.body) != "[]\n" {
		t.Errorf("resources of a key owning nothing: %s, want []", r.body)
	}

	unknown := "00000000-0000-4000-8000-000000000000"
	for _, c := range []struct{ method, path string }{
		{"GET", keyPath(unknown)},
		{"GET", resourcesPath(unknown)},
		{"DELETE", keyPath(unknown)},
		{"DELETE", keyPath(unknown) + "?transferTo=" + userEddie.id},
		{"GET", keyPath("not-a-uuid")},
		{"GET", resourcesPath("not-a-uuid")},
		{"DELETE", keyPath("not-a-uuid")},
	} {
		r := e.do(c.method, c.path, admin, nil)
		if r.status != 404 || !strings.HasPrefix(r.message(t), "API key") {
			t.Errorf("%s %s: %d %s, want 404", c.method, c.path, r.status, r.body)
		}
	}
}

func TestDelete(t *testing.T) {
	geo := seedKeys[0] // owns four resources
	tests := []struct {
		name          string
		query         string
		wantStatus    int
		wantMsg       string
		wantOwnerKind string // of the key's former resources; "" = deleted
		wantOwnerID   string
	}{
		{"transfer to an editor", "?transferTo=" + userEddie.id, 204, "", ownerMember, userEddie.id},
		{"transfer to an admin (uppercase id)", "?transferTo=" + strings.ToUpper(userOscar.id), 204, "", ownerMember, userOscar.id},
		{"no transfer", "", 204, "", "", ""},
		{"transfer to a viewer", "?transferTo=" + userVera.id, 400, "does not hold ORG_EDITOR", ownerAPIKey, geo.id},
		{"transfer to a non-member", "?transferTo=" + userNora.id, 400, "is not a member", ownerAPIKey, geo.id},
		{"transfer to an unknown id", "?transferTo=00000000-0000-4000-8000-000000000000", 400, "is not a member", ownerAPIKey, geo.id},
		{"transfer to an API key", "?transferTo=" + seedKeys[1].id, 400, "is not a member", ownerAPIKey, geo.id},
		{"transfer to a non-UUID", "?transferTo=eddie@acme.example", 400, "is not a member", ownerAPIKey, geo.id},
		{"empty transferTo", "?transferTo=", 400, "transferTo is empty", ownerAPIKey, geo.id},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, Options{})
			admin := e.adminAuth()
			before := e.resourcesByID()
			keysBefore := e.keyCount()
			r := e.do("DELETE", keyPath(geo.id)+tt.query, admin, nil)
			if r.status != tt.wantStatus {
				t.Fatalf("%d %s, want %d", r.status, r.body, tt.wantStatus)
			}
			after := e.resourcesByID()
			if tt.wantStatus != 204 {
				if msg := r.message(t); !strings.Contains(msg, tt.wantMsg) {
					t.Errorf("message %q, want %q", msg, tt.wantMsg)
				}
				if fmt.Sprint(after) != fmt.Sprint(before) || e.keyCount() != keysBefore {
					t.Fatal("a refused delete changed something")
				}
				if r := e.do("GET", keyPath(geo.id), admin, nil); r.status != 200 {
					t.Fatalf("key gone after a refused delete: %d", r.status)
				}
				return
			}
			if len(r.body) != 0 {
				t.Errorf("204 with a body: %q", r.body)
			}
			if r := e.do("GET", keyPath(geo.id), admin, nil); r.status != 404 {
				t.Errorf("get after delete: %d, want 404", r.status)
			}
			if e.keyCount() != keysBefore-1 {
				t.Errorf("%d keys after delete, want %d", e.keyCount(), keysBefore-1)
			}
			for _, sr := range geo.resources {
				got, ok := after[sr.id]
				switch {
				case tt.wantOwnerKind == "" && ok:
					t.Errorf("resource %q survived a delete without transfer", sr.name)
				case tt.wantOwnerKind != "" && (got.OwnerKind != tt.wantOwnerKind || got.OwnerID != tt.wantOwnerID):
					t.Errorf("resource %q owned by %s %s, want %s %s", sr.name, got.OwnerKind, got.OwnerID, tt.wantOwnerKind, tt.wantOwnerID)
				}
			}
			// Other resources are untouched.
			for id, b := range before {
				if b.OwnerID != geo.id && after[id] != b {
					t.Errorf("unrelated resource %q changed: %+v → %+v", b.Name, b, after[id])
				}
			}
			st := e.sb.Stats()
			if tt.wantOwnerKind == "" && st.ResourcesDeleted != 4 || tt.wantOwnerKind != "" && st.ResourcesTransferred != 4 || st.KeysDeleted != 1 {
				t.Errorf("stats %+v", st)
			}
			// /_sandbox/resources agrees with Resources().
			var served []Resource
			e.do("GET", "/_sandbox/resources", noAuth, nil).json(t, &served)
			if len(served) != len(after) {
				t.Errorf("/_sandbox/resources lists %d, Resources() %d", len(served), len(after))
			}
		})
	}
}

func TestDeletedKeySecretStopsWorking(t *testing.T) {
	e := newEnv(t, Options{})
	admin := e.adminAuth()
	k := e.createKey(admin, "short-lived", roleViewer, e.clock.Now().Add(day))
	if r := e.do("DELETE", keyPath(k.ID), admin, nil); r.status != 204 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if r := e.do("GET", membersPath(), apiKeyAuth(k.APIKey), nil); r.status != 401 {
		t.Errorf("deleted key authenticates: %d", r.status)
	}
}

func TestPersistenceAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "deep", "dir", "sandbox.db")
	e := newEnv(t, Options{Path: path})
	tk := e.login(AdminEmail)
	k := e.createKey(bearer(tk.AccessToken), "survives restarts", roleViewer, e.clock.Now().Add(10*day))
	if r := e.do("DELETE", keyPath(seedKeys[0].id)+"?transferTo="+userErin.id, bearer(tk.AccessToken), nil); r.status != 204 {
		t.Fatalf("delete: %d", r.status)
	}
	e.srv.Close()
	if err := e.sb.Close(); err != nil {
		t.Fatal(err)
	}

	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s mode %v, want %v", p, fi.Mode().Perm(), want)
		}
	}

	e2 := newEnv(t, Options{Path: path})
	a := bearer(tk.AccessToken) // the session survives too
	r := e2.do("GET", keyPath(k.ID), a, nil)
	if r.status != 200 {
		t.Fatalf("key after reopen: %d %s", r.status, r.body)
	}
	if r := e2.do("GET", keyPath(seedKeys[0].id), a, nil); r.status != 404 {
		t.Errorf("deleted key back after reopen: %d", r.status)
	}
	if got := e2.resourcesByID()[seedKeys[0].resources[0].id]; got.OwnerID != userErin.id {
		t.Errorf("transferred resource after reopen: %+v", got)
	}
	if n := len(e2.listKeys(a)); n != len(seedKeys) {
		t.Errorf("%d keys after reopen, want %d (not reseeded)", n, len(seedKeys))
	}
}

func TestOpenErrors(t *testing.T) {
	e := newEnv(t, Options{})
	_, err := Open(Options{Path: e.path})
	if err == nil || !strings.Contains(err.Error(), "in use by another process") || !strings.Contains(err.Error(), e.path) {
		t.Errorf("second Open: %v, want an in-use error naming %s", err, e.path)
	}

	junk := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(junk, []byte(strings.Repeat("not a database ", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Options{Path: junk}); err == nil || !strings.Contains(err.Error(), "not a sandbox data file") {
		t.Errorf("Open of a junk file: %v", err)
	}

	dir := t.TempDir()
	for _, opts := range []Options{
		{Path: filepath.Join(dir, "a.db"), Faults: Faults{Rate: 1.5}},
		{Path: filepath.Join(dir, "b.db"), Faults: Faults{Rate: 0.5, Kinds: []string{"boom"}}},
		{Path: filepath.Join(dir, "c.db"), TokenTTL: -time.Second},
	} {
		if sb, err := Open(opts); err == nil {
			sb.Close()
			t.Errorf("Open(%+v) accepted invalid options", opts)
		}
	}
}

func TestDefaultDataPath(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/var/state")
	t.Setenv("APIKEYS_SANDBOX_DATA", "/ignored.db")
	if p, err := DefaultDataPath(); err != nil || p != "/var/state/apikeys/sandbox.db" {
		t.Errorf("with XDG_STATE_HOME: %q, %v", p, err)
	}
	home := t.TempDir()
	t.Setenv("XDG_STATE_HOME", "")
	t.Setenv("HOME", home)
	if p, err := DefaultDataPath(); err != nil || p != filepath.Join(home, ".local", "state", "apikeys", "sandbox.db") {
		t.Errorf("without XDG_STATE_HOME: %q, %v", p, err)
	}
}

func TestReset(t *testing.T) {
	e := newEnv(t, Options{})
	tk := e.login(AdminEmail)
	admin := bearer(tk.AccessToken)
	e.createKey(admin, "gone after reset", roleViewer, e.clock.Now().Add(day))
	e.do("DELETE", keyPath(seedKeys[0].id), admin, nil)

	if err := e.sb.Reset(-1); err == nil {
		t.Error("Reset(-1) accepted")
	}
	const extra = 250
	if err := e.sb.Reset(extra); err != nil {
		t.Fatal(err)
	}
	keys := e.listKeys(admin) // sessions survive a reset
	if len(keys) != len(seedKeys)+extra {
		t.Fatalf("%d keys, want %d", len(keys), len(seedKeys)+extra)
	}
	ids := map[string]apiKeyJSON{}
	expired := 0
	roles := map[string]int{}
	creators := map[string]int{}
	for _, k := range keys {
		ids[k.ID] = k
		if exp, _ := time.Parse(time.RFC3339, k.ExpirationDate); !exp.After(e.clock.Now()) {
			expired++
		}
		roles[k.Role]++
		creators[k.CreatedBy]++
	}
	if _, ok := ids[seedKeys[0].id]; !ok {
		t.Error("the deleted seeded key is not back")
	}
	if len(ids) != len(keys) || expired < 10 || roles[roleEditor] < 50 || roles[roleViewer] < 50 || creators["Oscar Ops"] < 50 {
		t.Errorf("%d distinct ids, %d expired, roles %v, creators %v", len(ids), expired, roles, creators)
	}
	first := ids[derivedUUID("key", 0)]
	if first.Title != "Batch loader #1" || first.Role != roleEditor || first.CreatedBy != "Ada Admin" {
		t.Errorf("generated key 0 = %+v", first)
	}
	res := e.resourcesByID()
	if len(res) != 20+extra/10 {
		t.Errorf("%d resources, want %d", len(res), 20+extra/10)
	}
	var owned []resourceJSON
	e.do("GET", resourcesPath(first.ID), admin, nil).json(t, &owned)
	if len(owned) != 1 || owned[0].Name != "Generated data source 1" {
		t.Errorf("generated key 0 owns %v", owned)
	}

	// Deterministic: a second reset gives the same ids and titles.
	if err := e.sb.Reset(extra); err != nil {
		t.Fatal(err)
	}
	again := e.listKeys(admin)
	sort.Slice(again, func(i, j int) bool { return again[i].ID < again[j].ID })
	sort.Slice(keys, func(i, j int) bool { return keys[i].ID < keys[j].ID })
	for i := range keys {
		if again[i].ID != keys[i].ID || again[i].Title != keys[i].Title {
			t.Fatalf("reset is not deterministic at %d: %+v vs %+v", i, again[i], keys[i])
		}
	}

	if err := e.sb.Reset(0); err != nil {
		t.Fatal(err)
	}
	if n := e.keyCount(); n != len(seedKeys) {
		t.Errorf("%d keys after Reset(0), want %d", n, len(seedKeys))
	}
}

func TestResetLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("100 000 keys")
	}
	e := newEnv(t, Options{})
	start := time.Now()
	if err := e.sb.Reset(100000); err != nil {
		t.Fatal(err)
	}
	t.Logf("Reset(100000) took %v", time.Since(start))
	if n := e.keyCount(); n != len(seedKeys)+100000 {
		t.Fatalf("%d keys", n)
	}
	r := e.do("GET", keysPath()+"?page=49&size=2000", e.adminAuth(), nil)
	var p pageJSON
	r.json(t, &p)
	if p.TotalElements != len(seedKeys)+100000 || len(p.Content) != 2000 {
		t.Errorf("last full page: total %d, %d keys", p.TotalElements, len(p.Content))
	}
}

func TestConcurrentCreatesAndDeletes(t *testing.T) {
	e := newEnv(t, Options{})
	admin := e.adminAuth()
	const n = 50
	var wg sync.WaitGroup
	created := make(chan string, n)
	errs := make(chan string, 2*n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := e.try("POST", keysPath(), admin, map[string]string{"title": fmt.Sprintf("concurrent %d", i), "role": roleViewer, "expirationDate": "2026-01-01"})
			if err != nil || r.status != 201 {
				errs <- fmt.Sprintf("create %d: %v %d %s", i, err, r.status, r.body)
				return
			}
			var k apiKeyJSON
			r.json(t, &k)
			created <- k.ID
		}()
	}
	// Meanwhile, delete the seeded keys, half of them with a transfer.
	for i, k := range seedKeys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := ""
			if i%2 == 0 {
				q = "?transferTo=" + userErin.id
			}
			r, err := e.try("DELETE", keyPath(k.id)+q, admin, nil)
			if err != nil || r.status != 204 {
				errs <- fmt.Sprintf("delete %s: %v %d %s", k.title, err, r.status, r.body)
			}
		}()
	}
	wg.Wait()
	close(created)
	close(errs)
	for msg := range errs {
		t.Error(msg)
	}
	ids := map[string]bool{}
	for id := range created {
		ids[id] = true
	}
	keys := e.listKeys(admin)
	if len(ids) != n || len(keys) != n {
		t.Fatalf("%d distinct created ids, %d keys listed, want %d and %d", len(ids), len(keys), n, n)
	}
	for _, k := range keys {
		if !ids[k.ID] {
			t.Errorf("unexpected key %s %q", k.ID, k.Title)
		}
	}
	for _, r := range e.resourcesByID() {
		if r.OwnerKind == ownerAPIKey {
			t.Errorf("resource %q still owned by deleted key %s", r.Name, r.OwnerID)
		}
	}
}

func BenchmarkReset10000(b *testing.B) {
	sb, err := Open(Options{Path: filepath.Join(b.TempDir(), "bench.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer sb.Close()
	b.ResetTimer()
	for b.Loop() {
		if err := sb.Reset(10000); err != nil {
			b.Fatal(err)
		}
	}
}
