package session

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/sandbox"
)

// wantErr fails the test unless err is of kind and says each of says.
func wantErr(t *testing.T, what string, err error, kind errkind.Kind, says ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want a %s error saying %q", what, kind, says)
	}
	if got := errkind.Of(err); got != kind {
		t.Fatalf("%s: %s error %q, want %s", what, got, err, kind)
	}
	for _, s := range says {
		if !strings.Contains(err.Error(), s) {
			t.Fatalf("%s: %q does not say %q", what, err, s)
		}
	}
}

// Once a refresh token was refused, or the answer to spending it was lost, or the renewed
// session could not be saved, no later session presents it again: each says to log in
// again (an auth error) without calling refresh-token, and the server never sees it reused.
func TestStoredSessionEndsWhenItsRefreshTokenMayBeSpent(t *testing.T) {
	for _, tc := range []struct {
		name      string
		fault     func(e *env, w http.ResponseWriter, r *http.Request)
		firstSays string
		laterSays string
	}{
		{"refused", func(_ *env, w http.ResponseWriter, _ *http.Request) {
			answerStatus(w, http.StatusUnauthorized)
		}, "expired or was revoked", "refused its refresh token"},
		{"lost answer", func(e *env, w http.ResponseWriter, r *http.Request) {
			e.sb.Handler().ServeHTTP(httptest.NewRecorder(), r) // the server spends the token
			dropAnswer(w)
		}, "may have been spent", "answer to its last refresh was lost"},
		{"502 after processing", func(e *env, w http.ResponseWriter, r *http.Request) {
			e.sb.Handler().ServeHTTP(httptest.NewRecorder(), r)
			answerStatus(w, http.StatusBadGateway)
		}, "may have been spent", "answer to its last refresh was lost"},
		{"not saved", func(e *env, w http.ResponseWriter, r *http.Request) {
			// The renewed session cannot replace the file: a directory stands in its way.
			path := e.store().Path
			if err := os.Remove(path); err != nil {
				e.t.Error(err)
			}
			if err := os.Mkdir(path, 0o700); err != nil {
				e.t.Error(err)
			}
			e.sb.Handler().ServeHTTP(w, r)
		}, "previous refresh token is spent", "not logged in"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, 0)
			e.login(sandbox.AdminEmail)
			var refreshes atomic.Int64
			var active atomic.Bool
			active.Store(true)
			e.setHook(onPath("/refresh-token", &refreshes, &active, func(w http.ResponseWriter, r *http.Request) { tc.fault(e, w, r) }))
			e.advance(2 * time.Hour)

			_, err := e.list()
			e.wantErr(t, "first list", err, errkind.Auth, tc.firstSays, "auth login")
			active.Store(false) // the server heals: only the client's restraint keeps the token unused
			for range 3 {
				_, err := e.list()
				e.wantErr(t, "a later list", err, errkind.Auth, tc.laterSays, "auth login")
			}
			if n := refreshes.Load(); n != 1 {
				t.Errorf("refresh-token was called %d times, want only the first", n)
			}
			if st := e.sb.Stats(); st.RefreshTokenReuse != 0 {
				t.Errorf("the server saw a spent refresh token %d times", st.RefreshTokenReuse)
			}
			if st, err := e.manager().Status(e.settings()); st.LoggedIn || !errkind.Is(err, errkind.Auth) {
				t.Errorf("status of an ended session: logged in %v, error %v; want an auth error", st.LoggedIn, err)
			}
			if tc.name == "not saved" {
				return
			}
			// Logout still revokes the server's session with the kept token.
			before := e.sb.Stats().Revocations
			if res, err := e.manager().Logout(t.Context(), e.settings()); err != nil || res.Session == nil {
				t.Fatalf("logout of an ended session: %+v, %v", res, err)
			}
			if got := e.sb.Stats().Revocations - before; got != 1 {
				t.Errorf("revocations %d, want 1", got)
			}
			e.login(sandbox.AdminEmail)
			if keys, err := e.list(); err != nil || len(keys) == 0 {
				t.Errorf("list after logging in again: %d keys, %v", len(keys), err)
			}
			if st := e.sb.Stats(); st.RefreshTokenReuse != 0 {
				t.Errorf("the server saw a spent refresh token %d times", st.RefreshTokenReuse)
			}
		})
	}
}

// A refresh the server certainly did not process (503 through every retry) leaves the
// session as it was: the next session refreshes with the same, unspent token.
func TestStoredSessionSurvivesARefreshThatWasNotProcessed(t *testing.T) {
	e := newEnv(t, 0)
	e.login(sandbox.AdminEmail)
	var refreshes atomic.Int64
	var active atomic.Bool
	active.Store(true)
	e.setHook(onPath("/refresh-token", &refreshes, &active, func(w http.ResponseWriter, _ *http.Request) {
		answerStatus(w, http.StatusServiceUnavailable)
	}))
	e.advance(2 * time.Hour)
	_, err := e.list()
	e.wantErr(t, "list through a 503 refresh", err, errkind.Failed, "503", "the session is unchanged")
	if n := refreshes.Load(); n != 4 {
		t.Errorf("refresh-token sent %d times, want 4 (a 503 is retried)", n)
	}
	active.Store(false)
	if _, err := e.list(); err != nil {
		t.Fatal(err)
	}
	if st := e.sb.Stats(); st.RefreshTokenReuse != 0 || st.Refreshes < 2 {
		t.Errorf("stats %+v: want the unspent token refreshed once, no reuse", st)
	}
}

// The access token expires by the sessions' clock (a refresh before the request) or by the
// server's only (a 401, then a refresh); each time the new pair is saved. A session whose
// refresh token was spent elsewhere (an old copy of the file) is an auth error, and the
// failed attempt is the only reuse the server sees.
func TestStoredSessionRefreshesAndSavesBeforeUse(t *testing.T) {
	e := newEnv(t, 0)
	e.login(sandbox.AdminEmail)
	s0 := e.saved()

	e.advance(2 * time.Hour)
	before := e.sb.Stats()
	if _, err := e.list(); err != nil {
		t.Fatal(err)
	}
	s1 := e.saved()
	after := e.sb.Stats()
	if s1.RefreshToken == s0.RefreshToken || s1.AccessToken == s0.AccessToken || s1.RefreshedAt.IsZero() {
		t.Fatal("the refreshed pair was not saved")
	}
	if got := after.Refreshes - before.Refreshes; got != 1 {
		t.Errorf("refreshes %d, want 1", got)
	}
	if got := after.Responses["401"] - before.Responses["401"]; got != 0 {
		t.Errorf("%d requests refused: the token should be renewed before use", got)
	}

	e.sbClock.Advance(2 * time.Hour)
	before = e.sb.Stats()
	if _, err := e.list(); err != nil {
		t.Fatal(err)
	}
	after = e.sb.Stats()
	if s2 := e.saved(); s2.RefreshToken == s1.RefreshToken {
		t.Fatal("no refresh after the 401")
	}
	if got := after.Refreshes - before.Refreshes; got != 1 {
		t.Errorf("refreshes %d, want 1", got)
	}
	if got := after.Responses["401"] - before.Responses["401"]; got != 1 {
		t.Errorf("401 answers %d, want 1", got)
	}

	data, _ := json.Marshal(s1)
	var stale config.Session
	_ = json.Unmarshal(data, &stale)
	if err := e.store().Save(&stale); err != nil {
		t.Fatal(err)
	}
	e.sbClock.Advance(2 * time.Hour)
	e.clock.Advance(4 * time.Hour)
	_, err := e.list()
	e.wantErr(t, "a stale session", err, errkind.Auth, "expired or was revoked", "\nrun `apikeys auth login --api-url "+e.url+"`")
	if got := e.sb.Stats().RefreshTokenReuse; got != 1 {
		t.Errorf("RefreshTokenReuse = %d, want exactly the deliberate 1", got)
	}
}

// A refresh another process made while this one waited for the lock is adopted, not
// repeated: the session re-reads the file under the lock before it spends anything.
func TestStoredSessionAdoptsARefreshMadeMeanwhile(t *testing.T) {
	e := newEnv(t, 0)
	e.login(sandbox.AdminEmail)
	e.advance(2 * time.Hour)
	// Both sessions read the file before either refreshes.
	first, err := e.manager().Open(t.Context(), e.settings())
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.manager().Open(t.Context(), e.settings())
	if err != nil {
		t.Fatal(err)
	}
	before := e.sb.Stats().Refreshes
	if _, err := first.ListKeys(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := second.ListKeys(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := e.sb.Stats().Refreshes - before; got != 1 {
		t.Errorf("refreshes %d, want 1: the second session should adopt the first's", got)
	}
	if st := e.sb.Stats(); st.RefreshTokenReuse != 0 {
		t.Errorf("the server saw a spent refresh token %d times", st.RefreshTokenReuse)
	}
}

// With APIKEYS_USERNAME/PASSWORD, a lost answer to the refresh that binds the new session to
// the organization abandons that refresh token and logs in again: the session works and the
// abandoned token is never presented again. Nothing is saved.
func TestPasswordLoginStartsOverAfterALostBind(t *testing.T) {
	e := newEnv(t, 0)
	var refreshes atomic.Int64
	var active atomic.Bool
	active.Store(true)
	e.setHook(onPath("/refresh-token", &refreshes, &active, func(w http.ResponseWriter, r *http.Request) {
		active.Store(false) // only the first
		e.sb.Handler().ServeHTTP(httptest.NewRecorder(), r)
		dropAnswer(w)
	}))
	s := e.settings()
	s.Username, s.Password = sandbox.AdminEmail, sandbox.Password
	before := e.sb.Stats()
	sess, err := e.manager().Open(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	if keys, err := sess.ListKeys(t.Context()); err != nil || len(keys) == 0 {
		t.Fatalf("list: %d keys, %v", len(keys), err)
	}
	after := e.sb.Stats()
	if n := refreshes.Load(); n != 2 {
		t.Errorf("refresh-token called %d times, want 2 (the lost one, then a new session's)", n)
	}
	if n := after.Logins - before.Logins; n != 2 {
		t.Errorf("%d logins, want 2", n)
	}
	if after.RefreshTokenReuse != 0 {
		t.Errorf("the server saw a spent refresh token %d times", after.RefreshTokenReuse)
	}
	if _, err := e.store().Load(); err != config.ErrNoSession {
		t.Errorf("a password session saved something: %v", err)
	}
}

// The saved session's tokens go only to the API URL that issued them, for its organization.
func TestStoredSessionStaysWithItsAPIAndOrganization(t *testing.T) {
	e := newEnv(t, 0)
	res := e.login(sandbox.AdminEmail)
	s := e.settings()
	s.APIURL = "http://127.0.0.1:1"
	_, err := e.manager().Open(t.Context(), s)
	e.wantErr(t, "another API URL", err, errkind.Auth, `the session of profile "default" is for `+res.Session.APIURL)
	s = e.settings()
	s.Org = "0b8a3c1e-5d2f-4e6a-9b7c-1f2e3d4c5b6a"
	_, err = e.manager().Open(t.Context(), s)
	e.wantErr(t, "another organization", err, errkind.Usage, "bound to "+res.Org.ID)
	s = e.settings()
	s.Profile = "other"
	_, err = e.manager().Open(t.Context(), s)
	e.wantErr(t, "a profile not logged in", err, errkind.Auth, `not logged in to `+e.url+` (profile "other")`, "auth login")
}

// Credentials are resolved in order: --sandbox, APIKEYS_TOKEN, APIKEYS_USERNAME with
// APIKEYS_PASSWORD, the saved session; and the API URL is https, or http to loopback.
func TestOpenResolvesCredentialsAndRefusesUnsafeURLs(t *testing.T) {
	e := newEnv(t, 0)
	m := e.manager()
	for _, tc := range []struct {
		name   string
		change func(*config.Settings)
		kind   errkind.Kind
		says   string
	}{
		{"half the password pair", func(s *config.Settings) { s.Username = "a@b.example" }, errkind.Usage, "must be set together"},
		{"a token with an impossible org", func(s *config.Settings) { s.Token, s.Org = "tok", "../x" }, errkind.Usage, ""},
		{"plain http to a remote host", func(s *config.Settings) { s.APIURL = "http://api.jmapcloud.io" }, errkind.Usage, "refusing API URL"},
		{"no host", func(s *config.Settings) { s.APIURL = "api.jmapcloud.io" }, errkind.Usage, "invalid API URL"},
		{"nothing saved", func(*config.Settings) {}, errkind.Auth, "run `apikeys auth login --api-url " + e.url + "`, set APIKEYS_TOKEN with --org"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := e.settings()
			tc.change(s)
			_, err := m.Open(t.Context(), s)
			e.wantErr(t, tc.name, err, tc.kind, tc.says)
		})
	}
	// The in-process sandbox is served until the command ends.
	var closers []func()
	m.OnClose = func(fn func()) { closers = append(closers, fn) }
	s := e.settings()
	s.Sandbox, s.SandboxData = true, filepath.Join(t.TempDir(), "sandbox.db")
	sess, err := m.Open(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	if keys, err := sess.ListKeys(t.Context()); err != nil || len(keys) == 0 {
		t.Errorf("sandbox list: %d keys, %v", len(keys), err)
	}
	if len(closers) != 1 {
		t.Fatalf("%d clean-ups registered, want 1", len(closers))
	}
	closers[0]()
	if _, err := sess.ListKeys(t.Context()); err == nil {
		t.Error("the in-process sandbox still answers after its clean-up")
	}
	// A token is used as it is, for the only organization of its user.
	token := e.login(sandbox.AdminEmail).Session.AccessToken
	s = e.settings()
	s.Token, s.Profile = token, "unused"
	sess, err = m.Open(t.Context(), s)
	if err != nil || sess.Org != e.sb.Info().OrganizationID {
		t.Fatalf("token session: %+v, %v", sess, err)
	}
	if _, err := sess.Client.UserSelf(t.Context()); err != nil {
		t.Error(err)
	}
}
