package sandbox

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

var apiDate = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$`)

func TestAuthenticate(t *testing.T) {
	e := newEnv(t, Options{})
	tests := []struct {
		name       string
		body       any
		wantStatus int
		wantMsg    string
	}{
		{"admin", map[string]string{"username": AdminEmail, "password": Password}, 200, "Authentication successful"},
		{"email is case-insensitive", map[string]string{"username": "  ADMIN@Acme.Example ", "password": Password}, 200, ""},
		{"user of no organization", map[string]string{"username": userNora.email, "password": Password}, 200, ""},
		{"wrong password", map[string]string{"username": AdminEmail, "password": "nope"}, 401, "invalid username or password"},
		{"unknown user", map[string]string{"username": "ghost@acme.example", "password": Password}, 401, "invalid username or password"},
		{"missing password", map[string]string{"username": AdminEmail}, 400, "username and password are required"},
		{"not an object", "just a string", 400, "the request body must be a JSON object"},
		{"wrong field type", map[string]any{"username": 42, "password": Password}, 400, "field username must be a string, not a JSON number"},
		{"no body", nil, 400, "a JSON request body is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do("POST", apiPrefix+"/authenticate", noAuth, tt.body)
			if r.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tt.wantStatus, r.body)
			}
			if tt.wantMsg != "" {
				if got := r.message(t); got != tt.wantMsg {
					t.Errorf("message %q, want %q", got, tt.wantMsg)
				}
			}
			if r.status == 401 && r.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if r.status != 200 {
				return
			}
			var env struct {
				Message string `json:"message"`
				Result  tokens `json:"result"`
			}
			r.json(t, &env)
			tk := env.Result
			if len(tk.AccessToken) < 40 || len(tk.RefreshToken) < 40 || tk.AccessToken == tk.RefreshToken {
				t.Errorf("weak or missing tokens: %+v", tk)
			}
			if !apiDate.MatchString(tk.AccessTokenExpireAt) || tk.AccessTokenExpireAt != "2025-06-15T13:00:00.000+00:00" {
				t.Errorf("accessTokenExpireAt %q, want 2025-06-15T13:00:00.000+00:00 (now + 1h)", tk.AccessTokenExpireAt)
			}
			if tk.AccessTokenExpiration != 3600 {
				t.Errorf("accessTokenExpiration %d, want 3600", tk.AccessTokenExpiration)
			}
		})
	}
	if st := e.sb.Stats(); st.Logins != 3 || st.LoginFailures != 2 {
		t.Errorf("stats logins %d failures %d, want 3 and 2", st.Logins, st.LoginFailures)
	}
}

func TestTokensAreStoredAsDigests(t *testing.T) {
	e := newEnv(t, Options{})
	tk := e.login(AdminEmail)
	k := e.createKey(bearer(tk.AccessToken), "digest check", roleViewer, e.clock.Now().Add(day))
	e.sb.Close()
	data := readFile(t, e.path)
	for name, secret := range map[string]string{"access token": tk.AccessToken, "refresh token": tk.RefreshToken, "API key": k.APIKey} {
		if strings.Contains(data, secret) {
			t.Errorf("the data file holds the %s in clear", name)
		}
		if !strings.Contains(data, digest(secret)) {
			t.Errorf("the data file lacks the %s digest", name)
		}
	}
	// Reopen for the cleanup's Close.
	sb, err := Open(Options{Path: e.path})
	if err != nil {
		t.Fatal(err)
	}
	e.sb = sb
}

func TestUsersSelf(t *testing.T) {
	e := newEnv(t, Options{})
	type org struct{ ID, Name string }
	type user struct {
		ID            string `json:"id"`
		Name          string `json:"name"`
		Email         string `json:"email"`
		Organizations []org  `json:"organizations"`
	}
	tests := []struct {
		login    seedUser
		wantOrgs int
	}{
		{userAda, 1},
		{userVera, 1},
		{userNora, 0},
	}
	for _, tt := range tests {
		t.Run(tt.login.name, func(t *testing.T) {
			tk := e.authenticate(tt.login.email) // an unbound token is enough
			r := e.do("GET", apiPrefix+"/users/self", bearer(tk.AccessToken), nil)
			if r.status != 200 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			var u user
			r.json(t, &u)
			if u.Email != tt.login.email || u.Name != tt.login.name || len(u.Organizations) != tt.wantOrgs {
				t.Fatalf("users/self = %+v", u)
			}
			if tt.wantOrgs == 1 && (u.Organizations[0].ID != seedOrg.ID || u.Organizations[0].Name != "Acme Geospatial") {
				t.Errorf("organization %+v", u.Organizations[0])
			}
		})
	}
	if r := e.do("GET", apiPrefix+"/users/self", noAuth, nil); r.status != 401 {
		t.Errorf("users/self without credentials: %d, want 401", r.status)
	}
}

func TestRefreshIsSingleUse(t *testing.T) {
	e := newEnv(t, Options{})
	first := e.authenticate(AdminEmail)

	// The first token is bound to no organization.
	r := e.do("GET", memberSelfPath(), bearer(first.AccessToken), nil)
	if r.status != 403 || !strings.Contains(r.message(t), "refresh it with an organizationId") {
		t.Fatalf("org call with an unbound token: %d %s, want 403 asking for a refresh", r.status, r.body)
	}

	bound, r := e.refresh(first.RefreshToken, seedOrg.ID)
	if r.status != 200 || bound.RefreshToken == first.RefreshToken || bound.AccessToken == first.AccessToken {
		t.Fatalf("refresh: %d %s", r.status, r.body)
	}
	if r := e.do("GET", memberSelfPath(), bearer(bound.AccessToken), nil); r.status != 200 {
		t.Fatalf("members/self with a bound token: %d %s", r.status, r.body)
	}

	tests := []struct {
		name       string
		token, org string
		wantStatus int
		wantMsg    string
		wantReuse  int64
	}{
		{"spent token", first.RefreshToken, seedOrg.ID, 401, "refresh token already used", 1},
		{"spent again", first.RefreshToken, "", 401, "refresh token already used", 2},
		{"unknown token", "not-a-token", seedOrg.ID, 401, "invalid refresh token", 2},
		{"access token as refresh token", bound.AccessToken, seedOrg.ID, 401, "invalid refresh token", 2},
		{"organization the user is not in", bound.RefreshToken, "00000000-0000-4000-8000-000000000000", 403, "not a member", 2},
		{"organization id not a UUID", bound.RefreshToken, "acme", 403, "not a member", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, r := e.refresh(tt.token, tt.org)
			if r.status != tt.wantStatus || !strings.Contains(r.message(t), tt.wantMsg) {
				t.Errorf("got %d %s, want %d %q", r.status, r.body, tt.wantStatus, tt.wantMsg)
			}
			if got := e.sb.Stats().RefreshTokenReuse; got != tt.wantReuse {
				t.Errorf("RefreshTokenReuse = %d, want %d", got, tt.wantReuse)
			}
		})
	}

	// A refused refresh (403) did not spend the token; omitting organizationId keeps the binding.
	again, r := e.refresh(bound.RefreshToken, "")
	if r.status != 200 {
		t.Fatalf("refresh after a 403: %d %s", r.status, r.body)
	}
	if r := e.do("GET", memberSelfPath(), bearer(again.AccessToken), nil); r.status != 200 {
		t.Fatalf("binding lost on a refresh without organizationId: %d %s", r.status, r.body)
	}

	// A user who belongs to no organization cannot bind to one.
	nora := e.authenticate(userNora.email)
	if _, r := e.refresh(nora.RefreshToken, seedOrg.ID); r.status != 403 {
		t.Errorf("outsider binding to the org: %d %s, want 403", r.status, r.body)
	}

	// Stats are served, unauthenticated, at /_sandbox/stats.
	var st Stats
	e.do("GET", "/_sandbox/stats", noAuth, nil).json(t, &st)
	if st.RefreshTokenReuse != 2 || st.Refreshes != 2 {
		t.Errorf("/_sandbox/stats = %+v, want 2 reuses and 2 refreshes", st)
	}
}

func TestConcurrentRefreshOnlyOneWins(t *testing.T) {
	e := newEnv(t, Options{})
	first := e.authenticate(AdminEmail)
	const n = 10
	statuses := make(chan int, n)
	for range n {
		go func() {
			r, err := e.try("POST", apiPrefix+"/refresh-token", noAuth, map[string]string{"refreshToken": first.RefreshToken, "organizationId": seedOrg.ID})
			if err != nil {
				statuses <- -1
				return
			}
			statuses <- r.status
		}()
	}
	ok := 0
	for range n {
		switch s := <-statuses; s {
		case 200:
			ok++
		case 401:
		default:
			t.Errorf("status %d", s)
		}
	}
	if ok != 1 || e.sb.Stats().RefreshTokenReuse != n-1 {
		t.Errorf("%d refreshes succeeded and %d reuses counted, want 1 and %d", ok, e.sb.Stats().RefreshTokenReuse, n-1)
	}
}

func TestRevokeEndsTheSession(t *testing.T) {
	e := newEnv(t, Options{})
	tk := e.login(AdminEmail)
	other := e.login(AdminEmail) // another session stays valid

	r := e.do("POST", apiPrefix+"/revoke-token", noAuth, map[string]string{"refreshToken": tk.RefreshToken})
	if r.status != 200 {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	if r := e.do("GET", memberSelfPath(), bearer(tk.AccessToken), nil); r.status != 401 || !strings.Contains(r.message(t), "revoked") {
		t.Errorf("access token after revoke: %d %s, want 401 revoked", r.status, r.body)
	}
	if _, r := e.refresh(tk.RefreshToken, seedOrg.ID); r.status != 401 {
		t.Errorf("refresh after revoke: %d %s, want 401", r.status, r.body)
	}
	if r := e.do("GET", memberSelfPath(), bearer(other.AccessToken), nil); r.status != 200 {
		t.Errorf("another session after revoke: %d %s, want 200", r.status, r.body)
	}
	if r := e.do("POST", apiPrefix+"/revoke-token", noAuth, map[string]string{"refreshToken": "unknown"}); r.status != 200 {
		t.Errorf("revoking an unknown token: %d, want 200", r.status)
	}
	if r := e.do("POST", apiPrefix+"/revoke-token", noAuth, map[string]string{}); r.status != 400 {
		t.Errorf("revoke without a token: %d, want 400", r.status)
	}
}

func TestAccessTokenExpires(t *testing.T) {
	e := newEnv(t, Options{TokenTTL: 5 * time.Minute})
	tk := e.login(AdminEmail)
	if tk.AccessTokenExpiration != 300 || tk.AccessTokenExpireAt != "2025-06-15T12:05:00.000+00:00" {
		t.Fatalf("expiry %d / %s, want 300 s / 12:05", tk.AccessTokenExpiration, tk.AccessTokenExpireAt)
	}
	e.clock.Advance(5*time.Minute - time.Millisecond)
	if r := e.do("GET", keysPath(), bearer(tk.AccessToken), nil); r.status != 200 {
		t.Fatalf("just before expiry: %d %s", r.status, r.body)
	}
	e.clock.Advance(time.Millisecond)
	r := e.do("GET", keysPath(), bearer(tk.AccessToken), nil)
	if r.status != 401 || r.message(t) != "access token expired" {
		t.Fatalf("at expiry: %d %s, want 401 access token expired", r.status, r.body)
	}
	next, r := e.refresh(tk.RefreshToken, seedOrg.ID)
	if r.status != 200 {
		t.Fatalf("refresh after expiry: %d %s", r.status, r.body)
	}
	if r := e.do("GET", keysPath(), bearer(next.AccessToken), nil); r.status != 200 {
		t.Fatalf("with the refreshed token: %d %s", r.status, r.body)
	}
	e.clock.Advance(refreshTokenTTL)
	if _, r := e.refresh(next.RefreshToken, seedOrg.ID); r.status != 401 || r.message(t) != "refresh token expired" {
		t.Errorf("refresh token after 30 days: %d %s", r.status, r.body)
	}
	// A login purges expired tokens and their sessions.
	e.authenticate(AdminEmail)
	n := 0
	if err := e.sb.db.View(func(tx *boltTx) error { n = tx.Bucket(bucketTokens).Stats().KeyN; return nil }); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("%d tokens stored after the purge, want the 2 of the new login", n)
	}
}

func TestRoles(t *testing.T) {
	e := newEnv(t, Options{})
	admin := e.adminAuth()
	created := e.createKey(admin, "role test key", roleEditor, e.clock.Now().Add(30*day))
	seeded := seedKeys[0].id
	principals := map[string]auth{
		"admin":        admin,
		"second admin": bearer(e.login(userOscar.email).AccessToken),
		"editor":       bearer(e.login(userEddie.email).AccessToken),
		"viewer":       bearer(e.login(userVera.email).AccessToken),
		"api key":      apiKeyAuth(created.APIKey),
		"wrong key":    apiKeyAuth("jmc_wrong"),
		"nobody":       noAuth,
		"bad scheme":   {"Authorization", "Basic YWRtaW46eA=="},
		"bad token":    bearer("forged"),
	}
	calls := []struct {
		name, method, path string
		body               any
	}{
		{"list", "GET", keysPath(), nil},
		{"create", "POST", keysPath(), map[string]string{"title": "x", "role": roleViewer, "expirationDate": "2030-01-01"}},
		{"get", "GET", keyPath(seeded), nil},
		{"resources", "GET", resourcesPath(seeded), nil},
		{"delete unknown", "DELETE", keyPath("00000000-0000-4000-8000-000000000000"), nil},
	}
	want := map[string]struct {
		status int
		msg    string
	}{
		"editor":     {403, "ORG_ADMIN role required"},
		"viewer":     {403, "ORG_ADMIN role required"},
		"api key":    {403, "API keys cannot manage API keys"},
		"wrong key":  {401, "invalid API key"},
		"nobody":     {401, "authentication required"},
		"bad scheme": {401, "unsupported Authorization header"},
		"bad token":  {401, "invalid access token"},
	}
	for pname, p := range principals {
		for _, c := range calls {
			t.Run(pname+"/"+c.name, func(t *testing.T) {
				r := e.do(c.method, c.path, p, c.body)
				w, refused := want[pname]
				if !refused {
					if r.status >= 400 && !(c.name == "delete unknown" && r.status == 404) {
						t.Fatalf("%d %s, want success", r.status, r.body)
					}
					return
				}
				if r.status != w.status || !strings.HasPrefix(r.message(t), w.msg) {
					t.Fatalf("%d %s, want %d %q", r.status, r.body, w.status, w.msg)
				}
			})
		}
	}

	// members and members/self are readable by any member, and by an API key.
	for _, pname := range []string{"admin", "editor", "viewer", "api key"} {
		for _, path := range []string{membersPath(), memberSelfPath()} {
			if r := e.do("GET", path, principals[pname], nil); r.status != 200 {
				t.Errorf("%s GET %s: %d %s", pname, path, r.status, r.body)
			}
		}
	}
	// ?apiKey= works like the header.
	if r := e.do("GET", membersPath()+"?apiKey="+created.APIKey, noAuth, nil); r.status != 200 {
		t.Errorf("members with ?apiKey=: %d %s", r.status, r.body)
	}
	if r := e.do("GET", keysPath()+"?apiKey="+created.APIKey, noAuth, nil); r.status != 403 || r.message(t) != "API keys cannot manage API keys" {
		t.Errorf("api-keys with ?apiKey=: %d %s", r.status, r.body)
	}
	// Another organization's path.
	other := apiPrefix + "/organizations/00000000-0000-4000-8000-000000000000/members"
	if r := e.do("GET", other, admin, nil); r.status != 403 {
		t.Errorf("admin on another organization: %d %s, want 403", r.status, r.body)
	}
}

func TestMembersAndSelf(t *testing.T) {
	e := newEnv(t, Options{})
	tests := []struct {
		login     seedUser
		wantRoles []string
	}{
		{userAda, []string{roleAdmin, roleEditor, roleViewer}},
		{userEddie, []string{roleEditor, roleViewer}},
		{userVera, []string{roleViewer}},
	}
	for _, tt := range tests {
		t.Run(tt.login.name, func(t *testing.T) {
			r := e.do("GET", memberSelfPath(), bearer(e.login(tt.login.email).AccessToken), nil)
			var env struct {
				Message string     `json:"message"`
				Result  memberJSON `json:"result"`
			}
			r.json(t, &env)
			m := env.Result
			if r.status != 200 || m.ID != tt.login.id || m.Email != tt.login.email || strings.Join(m.Roles, ",") != strings.Join(tt.wantRoles, ",") {
				t.Fatalf("members/self = %d %s", r.status, r.body)
			}
		})
	}

	admin := e.adminAuth()
	key := e.createKey(admin, "self check", roleEditor, e.clock.Now().Add(day))
	var env struct {
		Result memberJSON `json:"result"`
	}
	e.do("GET", memberSelfPath(), apiKeyAuth(key.APIKey), nil).json(t, &env)
	if env.Result.ID != key.ID || env.Result.Name != "self check" || !env.Result.APIKey || env.Result.Email != key.Email || len(env.Result.Roles) != 2 {
		t.Errorf("members/self for an API key = %+v", env.Result)
	}

	var members []memberJSON
	e.do("GET", membersPath(), admin, nil).json(t, &members)
	if len(members) != 5 {
		t.Fatalf("%d members, want 5 (Nora belongs to no organization)", len(members))
	}
	editors := 0
	for _, m := range members {
		if hasRole(m.Roles, roleEditor) {
			editors++
		}
		if m.Groups == nil {
			t.Errorf("member %s has null groups", m.Name)
		}
	}
	if editors != 4 {
		t.Errorf("%d members hold ORG_EDITOR, want 4 (two admins, two editors)", editors)
	}

	// An expired API key cannot authenticate.
	e.clock.Advance(2 * day)
	if r := e.do("GET", membersPath(), apiKeyAuth(key.APIKey), nil); r.status != 401 || r.message(t) != "API key expired" {
		t.Errorf("expired key: %d %s", r.status, r.body)
	}
}

func TestRoutes(t *testing.T) {
	e := newEnv(t, Options{})
	tests := []struct {
		method, path string
		wantStatus   int
		wantAllow    string
	}{
		{"GET", apiPrefix + "/authenticate", 405, "POST"},
		{"PUT", keysPath(), 405, "GET, POST"},
		{"PATCH", keyPath(seedKeys[0].id), 405, "DELETE, GET"},
		{"GET", apiPrefix + "/nowhere", 404, ""},
		{"GET", "/", 404, ""},
		{"GET", "/_sandbox/nowhere", 404, ""},
		{"POST", "/_sandbox/stats", 405, "GET"},
		{"GET", "/_sandbox/resources", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := e.do(tt.method, tt.path, noAuth, nil)
			if r.status != tt.wantStatus || r.header.Get("Allow") != tt.wantAllow {
				t.Fatalf("%d (Allow %q) %s, want %d (Allow %q)", r.status, r.header.Get("Allow"), r.body, tt.wantStatus, tt.wantAllow)
			}
			if r.status >= 400 && r.message(t) == "" {
				t.Error("error without a message")
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}
