package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/sandbox"
)

// dropAnswer closes the client's connection without an answer.
func dropAnswer(w http.ResponseWriter) {
	if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
		conn.Close()
	}
}

// answerStatus writes an error answer with status.
func answerStatus(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"message":"injected fault","status":%d}`, status)
}

// onPath returns a hook that applies fault to requests whose path ends with suffix while
// active is set, counting them in n.
func onPath(suffix string, n *atomic.Int64, active *atomic.Bool, fault func(w http.ResponseWriter, r *http.Request)) func(http.ResponseWriter, *http.Request) bool {
	return func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, suffix) {
			return false
		}
		n.Add(1)
		if !active.Load() {
			return false
		}
		fault(w, r)
		return true
	}
}

// Once a refresh token was refused, or the answer to spending it was lost, or the renewed
// session could not be saved, no later command presents it again: each says to log in
// again (exit 4) without calling refresh-token, and the server never sees it reused.
func TestSessionIsEndedWhenItsRefreshTokenMayBeSpent(t *testing.T) {
	for _, tc := range []struct {
		name      string
		fault     func(e *authEnv, w http.ResponseWriter, r *http.Request)
		firstSays string
		laterSays string
	}{
		{"refused", func(_ *authEnv, w http.ResponseWriter, _ *http.Request) {
			answerStatus(w, http.StatusUnauthorized)
		}, "expired or was revoked", "refused its refresh token"},
		{"lost answer", func(e *authEnv, w http.ResponseWriter, r *http.Request) {
			e.sb.Handler().ServeHTTP(httptest.NewRecorder(), r) // the server spends the token
			dropAnswer(w)
		}, "may have been spent", "answer to its last refresh was lost"},
		{"502 after processing", func(e *authEnv, w http.ResponseWriter, r *http.Request) {
			e.sb.Handler().ServeHTTP(httptest.NewRecorder(), r)
			answerStatus(w, http.StatusBadGateway)
		}, "may have been spent", "answer to its last refresh was lost"},
		{"not saved", func(e *authEnv, w http.ResponseWriter, r *http.Request) {
			// The renewed session cannot replace the file: a directory stands in its way.
			path := e.sessionPath("default")
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
			sbClock, cliClock := newAuthClock(), newAuthClock()
			e := newAuthEnv(t, authEnvOptions{SandboxAt: sbClock, CLIAt: cliClock})
			e.login(sandbox.AdminEmail)
			var refreshes atomic.Int64
			var active atomic.Bool
			active.Store(true)
			e.setHook(onPath("/refresh-token", &refreshes, &active, func(w http.ResponseWriter, r *http.Request) { tc.fault(e, w, r) }))
			sbClock.Advance(2 * time.Hour)
			cliClock.Advance(2 * time.Hour)

			code, _, stderr := e.run("", "list")
			if code != exitAuth || !strings.Contains(stderr, tc.firstSays) || !strings.Contains(stderr, "auth login") {
				t.Fatalf("first list: exit %d, want 4 saying %q\n%s", code, tc.firstSays, stderr)
			}
			active.Store(false) // the server heals: only the client's restraint keeps the token unused
			for i := range 3 {
				code, _, stderr = e.run("", "list")
				if code != exitAuth || !strings.Contains(stderr, tc.laterSays) || !strings.Contains(stderr, "auth login") {
					t.Fatalf("list %d after: exit %d, want 4 saying %q\n%s", i+2, code, tc.laterSays, stderr)
				}
			}
			if n := refreshes.Load(); n != 1 {
				t.Errorf("refresh-token was called %d times, want only the first", n)
			}
			if st := e.sb.Stats(); st.RefreshTokenReuse != 0 {
				t.Errorf("the server saw a spent refresh token %d times", st.RefreshTokenReuse)
			}
			if code, _, stderr := e.run("", "auth", "status"); code != exitAuth {
				t.Errorf("auth status of an ended session: exit %d\n%s", code, stderr)
			}
			if tc.name == "not saved" {
				return
			}
			// Logout still revokes the server's session with the kept token.
			before := e.sb.Stats().Revocations
			if code, _, stderr := e.run("", "auth", "logout"); code != exitOK {
				t.Fatalf("logout of an ended session: exit %d\n%s", code, stderr)
			}
			if got := e.sb.Stats().Revocations - before; got != 1 {
				t.Errorf("revocations %d, want 1", got)
			}
			e.login(sandbox.AdminEmail)
			if n := e.listCount(); n == 0 {
				t.Error("no keys after logging in again")
			}
			if st := e.sb.Stats(); st.RefreshTokenReuse != 0 {
				t.Errorf("the server saw a spent refresh token %d times", st.RefreshTokenReuse)
			}
		})
	}
}

// A refresh the server certainly did not process (503 through every retry) leaves the
// session as it was: the next command refreshes with the same, unspent token.
func TestSessionSurvivesARefreshThatWasNotProcessed(t *testing.T) {
	sbClock, cliClock := newAuthClock(), newAuthClock()
	e := newAuthEnv(t, authEnvOptions{SandboxAt: sbClock, CLIAt: cliClock})
	e.login(sandbox.AdminEmail)
	var refreshes atomic.Int64
	var active atomic.Bool
	active.Store(true)
	e.setHook(onPath("/refresh-token", &refreshes, &active, func(w http.ResponseWriter, _ *http.Request) {
		answerStatus(w, http.StatusServiceUnavailable)
	}))
	sbClock.Advance(2 * time.Hour)
	cliClock.Advance(2 * time.Hour)
	if code, _, stderr := e.run("", "list"); code != exitError || !strings.Contains(stderr, "503") {
		t.Fatalf("list through a 503 refresh: exit %d, want 1\n%s", code, stderr)
	}
	if n := refreshes.Load(); n != 4 {
		t.Errorf("refresh-token sent %d times, want 4 (a 503 is retried)", n)
	}
	active.Store(false)
	e.listCount()
	if st := e.sb.Stats(); st.RefreshTokenReuse != 0 || st.Refreshes < 2 {
		t.Errorf("stats %+v: want the unspent token refreshed once, no reuse", st)
	}
}

// A logout whose revoke failed keeps the session, marked as logged out, and says so with
// exit 1; running logout again revokes it.
func TestLogoutWhoseRevokeFailedCanBeRunAgain(t *testing.T) {
	for name, fault := range map[string]func(http.ResponseWriter){
		"503":         func(w http.ResponseWriter) { answerStatus(w, http.StatusServiceUnavailable) },
		"lost answer": dropAnswer,
	} {
		t.Run(name, func(t *testing.T) {
			e := newAuthEnv(t, authEnvOptions{})
			e.login(sandbox.AdminEmail)
			old := e.session("default")
			var revokes atomic.Int64
			var active atomic.Bool
			active.Store(true)
			e.setHook(onPath("/revoke-token", &revokes, &active, func(w http.ResponseWriter, _ *http.Request) { fault(w) }))

			code, _, stderr := e.run("", "auth", "logout")
			if code != exitError || !strings.Contains(stderr, "revoking the session") || !strings.Contains(stderr, "run `apikeys auth logout` again") {
				t.Fatalf("logout through a failing revoke: exit %d, want 1\n%s", code, stderr)
			}
			kept := e.sessionPath("default")
			if _, err := os.Stat(kept); err != nil {
				t.Fatalf("the session was not kept: %v", err)
			}
			if code, _, stderr := e.run("", "list"); code != exitAuth || !strings.Contains(stderr, "logged out") {
				t.Errorf("list after a half-done logout: exit %d, want 4\n%s", code, stderr)
			}
			active.Store(false)
			code, _, stderr = e.run("", "auth", "logout")
			if code != exitOK {
				t.Fatalf("second logout: exit %d\n%s", code, stderr)
			}
			if _, err := os.Stat(kept); !os.IsNotExist(err) {
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
		})
	}
}

// A configuration directory others can write is refused with exit 2 naming the chmod to run,
// before anything is read or sent; a session file others can read is narrowed, with a warning.
func TestConfigurationOthersCanWriteIsRefused(t *testing.T) {
	e := newAuthEnv(t, authEnvOptions{})
	e.login(sandbox.AdminEmail)
	if err := os.Chmod(e.dir, 0o777); err != nil {
		t.Fatal(err)
	}
	before := e.sb.Stats().Requests
	code, _, stderr := e.run("", "list")
	if code != exitUsage || !strings.Contains(stderr, "refusing to use "+e.dir) || !strings.Contains(stderr, "`chmod go-w "+e.dir+"`") {
		t.Fatalf("list with a 0777 configuration directory: exit %d, want 2\n%s", code, stderr)
	}
	if n := e.sb.Stats().Requests - before; n != 0 {
		t.Errorf("%d requests sent", n)
	}
	if err := os.Chmod(e.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(e.sessionPath("default"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = e.run("", "list")
	if code != exitOK || !strings.Contains(stderr, "Warning: the session file "+e.sessionPath("default")+" was readable by others (mode 0644): narrowed to 0600") {
		t.Fatalf("list with a 0644 session file: exit %d, want 0 and a warning\n%s", code, stderr)
	}
	if info, err := os.Stat(e.sessionPath("default")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("session file after: %v %v, want mode 0600", info.Mode(), err)
	}
}

// With APIKEYS_USERNAME/PASSWORD, a lost answer to the refresh that binds the new session to
// the organization abandons that refresh token and logs in again: the command succeeds and
// the abandoned token is never presented again.
func TestEnvCredentialsLoginStartsOverAfterALostBind(t *testing.T) {
	e := newAuthEnv(t, authEnvOptions{})
	t.Setenv("APIKEYS_USERNAME", sandbox.AdminEmail)
	t.Setenv("APIKEYS_PASSWORD", sandbox.Password)
	var refreshes atomic.Int64
	var active atomic.Bool
	active.Store(true)
	e.setHook(onPath("/refresh-token", &refreshes, &active, func(w http.ResponseWriter, r *http.Request) {
		active.Store(false) // only the first
		e.sb.Handler().ServeHTTP(httptest.NewRecorder(), r)
		dropAnswer(w)
	}))
	before := e.sb.Stats()
	code, out, stderr := e.run("", "--api-url", e.url, "list", "-o", "json")
	if code != exitOK || !strings.HasPrefix(out, "[") {
		t.Fatalf("list: exit %d\n%s", code, stderr)
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
}
