package session

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/sandbox"
)

// A login saves the session bound to the organization, records the profile's api-url and
// org, and checks and keeps the user's role; Status then reads it back without a request.
func TestLoginSavesTheSessionAndStatusReadsIt(t *testing.T) {
	e := newEnv(t, 0)
	res := e.login(sandbox.AdminEmail)
	orgID := e.sb.Info().OrganizationID
	if res.Org.ID != orgID || res.User.Email != sandbox.AdminEmail || res.SessionFile != e.store().Path {
		t.Errorf("result: org %q user %q file %q", res.Org.ID, res.User.Email, res.SessionFile)
	}
	if res.ProfileErr != nil || res.RoleErr != nil || res.RecordRoleErr != nil || res.Member == nil || !res.Member.HasRole(jmapcloud.RoleAdmin) {
		t.Errorf("result: profile %v, role %v, record %v, member %+v", res.ProfileErr, res.RoleErr, res.RecordRoleErr, res.Member)
	}
	saved := e.saved()
	if saved.Organization.ID != orgID || jmapcloud.HighestRole(saved.Roles) != jmapcloud.RoleAdmin || saved.RefreshToken != res.Session.RefreshToken {
		t.Errorf("saved session: org %q roles %v", saved.Organization.ID, saved.Roles)
	}
	cfg, _ := os.ReadFile(e.cfg)
	for _, want := range []string{"default:", "api-url: " + e.url, "org: " + orgID} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("config file lacks %q:\n%s", want, cfg)
		}
	}
	before := e.sb.Stats().Requests
	st, err := e.manager().Status(e.settings())
	if err != nil {
		t.Fatal(err)
	}
	if !st.LoggedIn || st.Role != jmapcloud.RoleAdmin || st.Organization.ID != orgID || st.User.Email != sandbox.AdminEmail ||
		st.AccessTokenExpiresAt == nil || st.AccessTokenExpired || st.SessionFile != e.store().Path || st.OverriddenBy != "" {
		t.Errorf("status %+v", st)
	}
	if n := e.sb.Stats().Requests - before; n != 0 {
		t.Errorf("status sent %d requests", n)
	}
	s := e.settings()
	s.Token, s.SessionStore = "tok", config.StoreKeyring
	if st, _ := e.manager().Status(s); st.OverriddenBy != "APIKEYS_TOKEN" || st.SessionStoreSetting != config.StoreKeyring || st.SessionStore != config.StoreFile {
		t.Errorf("status with a token and the keyring asked for: %+v", st)
	}
}

// Status gives its dates as every machine date: UTC, whole seconds, whatever precision and
// zone the session file holds.
func TestStatusDatesAreWholeSecondsUTC(t *testing.T) {
	e := newEnv(t, 0)
	e.login(sandbox.AdminEmail)
	sess := e.saved()
	east := time.FixedZone("east", 2*3600)
	sess.ExpiresAt = time.Date(2026, 3, 1, 14, 30, 0, 999_999_999, east)
	sess.LoggedInAt = time.Date(2026, 3, 1, 12, 0, 5, 123_000_000, time.UTC)
	sess.RefreshedAt = time.Date(2026, 3, 1, 12, 10, 7, 456_789_012, time.UTC)
	if err := e.store().Save(sess); err != nil {
		t.Fatal(err)
	}
	st, err := e.manager().Status(e.settings())
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"accessTokenExpiresAt":"2026-03-01T12:30:00Z"`,
		`"loggedInAt":"2026-03-01T12:00:05Z"`,
		`"refreshedAt":"2026-03-01T12:10:07Z"`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("status JSON lacks %s:\n%s", want, b)
		}
	}
}

// Logging in again revokes the session it replaces; a failed login saves nothing.
func TestLoginAgainRevokesTheSessionItReplaces(t *testing.T) {
	e := newEnv(t, 0)
	first := e.login(sandbox.AdminEmail).Session
	e.login("ops@acme.example")
	if got := e.saved().User.Email; got != "ops@acme.example" {
		t.Errorf("session user %s", got)
	}
	client, _ := jmapcloud.New(jmapcloud.Options{BaseURL: e.url})
	if _, err := client.RefreshToken(t.Context(), first.RefreshToken, first.Organization.ID); jmapcloud.StatusCode(err) != http.StatusUnauthorized {
		t.Errorf("the replaced session still works: %v", err)
	}

	other := newEnv(t, 0)
	_, err := other.manager().Login(t.Context(), other.settings(), LoginRequest{
		Credentials: func() (string, string, error) { return sandbox.AdminEmail, "not-the-password", nil },
	})
	other.wantErr(t, "wrong password", err, errkind.Auth, "login as "+sandbox.AdminEmail+" to "+other.url+" failed: wrong username or password")
	if _, err := other.store().Load(); !errors.Is(err, config.ErrNoSession) {
		t.Errorf("a failed login left a session (%v)", err)
	}
}

// The checks come before anything is asked or sent: --sandbox needs no login, and an API URL
// that is not https (or http to loopback) is refused.
func TestLoginRefusesBeforeAskingForCredentials(t *testing.T) {
	e := newEnv(t, 0)
	asked := false
	req := LoginRequest{Credentials: func() (string, string, error) { asked = true; return "", "", errors.New("asked") }}
	s := e.settings()
	s.Sandbox = true
	_, err := e.manager().Login(t.Context(), s, req)
	e.wantErr(t, "--sandbox", err, errkind.Usage, "--sandbox needs no login")
	s = e.settings()
	s.APIURL = "http://api.jmapcloud.io"
	_, err = e.manager().Login(t.Context(), s, req)
	e.wantErr(t, "plain http", err, errkind.Usage, "refusing API URL")
	if asked {
		t.Error("credentials were asked for before the checks")
	}
}

func TestMatchOrg(t *testing.T) {
	acme := jmapcloud.Organization{ID: "11111111-1111-4111-8111-111111111111", Name: "Acme"}
	beta := jmapcloud.Organization{ID: "22222222-2222-4222-8222-222222222222", Name: "Beta"}
	twin := jmapcloud.Organization{ID: "33333333-3333-4333-8333-333333333333", Name: "beta"}
	user := func(orgs ...jmapcloud.Organization) jmapcloud.User {
		return jmapcloud.User{Email: "a@b.example", Organizations: orgs}
	}
	for _, tc := range []struct {
		name      string
		user      jmapcloud.User
		want      string
		isDefault bool
		org       string
		ok        bool
		kind      errkind.Kind
		says      string
	}{
		{name: "none", user: user(), kind: errkind.Auth, says: "a@b.example belongs to no organization"},
		{name: "the only one", user: user(acme), org: acme.ID, ok: true},
		{name: "several, none asked", user: user(acme, beta)},
		{name: "by ID, any case", user: user(acme, beta), want: strings.ToUpper(beta.ID), org: beta.ID, ok: true},
		{name: "by name, any case", user: user(acme, beta), want: "ACME", org: acme.ID, ok: true},
		{name: "a name two share", user: user(acme, beta, twin), want: "Beta", kind: errkind.Usage, says: `several organizations are named "Beta"; pass --org with an ID:`},
		{name: "not a member", user: user(acme), want: beta.ID, kind: errkind.Usage, says: "a@b.example is not a member of organization"},
		{name: "a profile's default no longer held", user: user(acme), want: beta.ID, isDefault: true, org: acme.ID, ok: true},
		{name: "a profile's default among several", user: user(acme, beta), want: "gone", isDefault: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			org, ok, err := MatchOrg(tc.user, tc.want, tc.isDefault)
			if tc.says != "" {
				wantErr(t, tc.name, err, tc.kind, tc.says)
				return
			}
			if err != nil || ok != tc.ok || org.ID != tc.org {
				t.Errorf("MatchOrg = %q, %v, %v; want %q, %v", org.ID, ok, err, tc.org, tc.ok)
			}
		})
	}
	// Nobody to choose: the login is refused with the list for --org.
	s := &config.Settings{}
	_, err := pickLoginOrg(s, user(acme, beta), nil)
	wantErr(t, "no chooser", err, errkind.Usage, "a@b.example belongs to several organizations; pass --org with one of:\n  "+acme.ID+"  Acme\n  "+beta.ID+"  Beta")
	got, err := pickLoginOrg(s, user(acme, beta), func(orgs []jmapcloud.Organization) (jmapcloud.Organization, error) { return orgs[1], nil })
	if err != nil || got != beta {
		t.Errorf("chosen %+v, %v", got, err)
	}
}

// A logout whose revoke failed keeps the session, marked as logged out so sessions no
// longer use it, and says to run logout again; running it again revokes it.
func TestLogoutWhoseRevokeFailedCanBeRunAgain(t *testing.T) {
	for name, fault := range map[string]func(http.ResponseWriter){
		"503":         func(w http.ResponseWriter) { answerStatus(w, http.StatusServiceUnavailable) },
		"lost answer": dropAnswer,
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, 0)
			old := e.login(sandbox.AdminEmail).Session
			var revokes atomic.Int64
			var active atomic.Bool
			active.Store(true)
			e.setHook(onPath("/revoke-token", &revokes, &active, func(w http.ResponseWriter, _ *http.Request) { fault(w) }))

			_, err := e.manager().Logout(t.Context(), e.settings())
			e.wantErr(t, "logout through a failing revoke", err, errkind.Failed, "revoking the session", "run `apikeys auth logout` again")
			if _, err := os.Stat(e.store().Path); err != nil {
				t.Fatalf("the session was not kept: %v", err)
			}
			_, err = e.list()
			e.wantErr(t, "list after a half-done logout", err, errkind.Auth, "logged out")
			active.Store(false)
			res, err := e.manager().Logout(t.Context(), e.settings())
			if err != nil || res.Session == nil || res.Session.User.Email != sandbox.AdminEmail {
				t.Fatalf("second logout: %+v, %v", res, err)
			}
			if _, err := os.Stat(e.store().Path); !os.IsNotExist(err) {
				t.Errorf("session file still there after the revoke (%v)", err)
			}
			if got := e.sb.Stats().Revocations; got != 1 {
				t.Errorf("revocations %d, want 1", got)
			}
			client, err := jmapcloud.New(jmapcloud.Options{BaseURL: e.url})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := client.RefreshToken(t.Context(), old.RefreshToken, old.Organization.ID); err == nil {
				t.Error("the logged-out refresh token still works on the server")
			}
			if res, err := e.manager().Logout(t.Context(), e.settings()); err != nil || res.Session != nil || res.Unreadable != nil {
				t.Errorf("a logout with nothing saved: %+v, %v; want nothing to do", res, err)
			}
		})
	}
}

// An unreadable session file is removed by logout, unrevoked, and said so; a session file
// others could read is narrowed, and that goes to Warn (the package prints nothing).
func TestUnreadableAndExposedSessionFiles(t *testing.T) {
	e := newEnv(t, 0)
	e.login(sandbox.AdminEmail)
	if err := os.Chmod(e.store().Path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := e.list(); err != nil {
		t.Fatal(err)
	}
	want := "the session file " + e.store().Path + " was readable by others (mode 0644): narrowed to 0600; run `apikeys auth login` to replace its tokens if others could read them"
	if len(e.warnings) != 1 || e.warnings[0] != want {
		t.Errorf("warnings %q, want [%q]", e.warnings, want)
	}
	if err := os.WriteFile(e.store().Path, []byte("[1,2,3]"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := e.list()
	e.wantErr(t, "list with garbage saved", err, errkind.Auth, e.store().Path, "auth login")
	res, err := e.manager().Logout(t.Context(), e.settings())
	var se *config.SessionError
	if err != nil || !errors.As(res.Unreadable, &se) {
		t.Fatalf("logout of garbage: %+v, %v", res, err)
	}
	if _, err := os.Stat(e.store().Path); !os.IsNotExist(err) {
		t.Errorf("the unreadable file is still there (%v)", err)
	}
}
