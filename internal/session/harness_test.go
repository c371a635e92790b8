package session

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/sandbox"
	"github.com/k2geospatial/apikeys/internal/testenv"
)

// newClock is a settable clock at the current second.
func newClock() *testenv.Clock { return testenv.NewClock(time.Now().UTC().Truncate(time.Second)) }

// hookFunc answers a request itself when it returns true (a hostile server's fault).
type hookFunc func(w http.ResponseWriter, r *http.Request) bool

// env is a real sandbox served on loopback with a fault hook in front of it, a private
// configuration directory, and the two clocks of the server and of the sessions.
type env struct {
	t        *testing.T
	sb       *sandbox.Sandbox
	url      string
	cfg      string // configuration file
	sbClock  *testenv.Clock
	clock    *testenv.Clock
	hook     atomic.Pointer[hookFunc]
	mu       sync.Mutex
	warnings []string
	tokens   []string // every access and refresh token the server handed out
}

func newEnv(t *testing.T, tokenTTL time.Duration) *env {
	t.Helper()
	root := t.TempDir()
	e := &env{t: t, cfg: filepath.Join(root, "config", "apikeys", "config.yaml"), sbClock: newClock(), clock: newClock()}
	sb, err := sandbox.Open(sandbox.Options{Path: filepath.Join(root, "sandbox.db"), TokenTTL: tokenTTL, Now: e.sbClock.Now})
	if err != nil {
		t.Fatal(err)
	}
	e.sb = sb
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := e.hook.Load(); h != nil && (*h)(w, r) {
			return
		}
		rec := httptest.NewRecorder()
		sb.Handler().ServeHTTP(rec, r)
		e.harvest(rec.Body.Bytes())
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	e.url = srv.URL
	t.Cleanup(func() {
		srv.Close()
		sb.Close()
	})
	return e
}

// harvest notes the tokens of an answer (authenticate and refresh-token answer with a pair).
func (e *env) harvest(body []byte) {
	var pair struct{ AccessToken, RefreshToken string }
	if json.Unmarshal(body, &pair) != nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, tok := range []string{pair.AccessToken, pair.RefreshToken} {
		if tok != "" {
			e.tokens = append(e.tokens, tok)
		}
	}
}

// wantErr fails the test unless err is of kind and says each of says; no error or warning
// may hold a token.
func (e *env) wantErr(t *testing.T, what string, err error, kind errkind.Kind, says ...string) {
	t.Helper()
	wantErr(t, what, err, kind, says...)
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, text := range append([]string{err.Error()}, e.warnings...) {
		for _, tok := range e.tokens {
			if strings.Contains(text, tok) {
				t.Fatalf("%s: a token is in %q", what, text)
			}
		}
	}
}

func (e *env) setHook(h hookFunc) { e.hook.Store(&h) }

// advance moves both clocks, so that the access token has expired for both.
func (e *env) advance(d time.Duration) {
	e.sbClock.Advance(d)
	e.clock.Advance(d)
}

// settings are the default profile's, on the test's API URL.
func (e *env) settings() *config.Settings {
	return &config.Settings{Profile: "default", ConfigFile: e.cfg, APIURL: e.url, SessionStore: config.StoreFile}
}

func (e *env) manager() *Manager {
	return &Manager{
		Version:    "test",
		Now:        e.clock.Now,
		Warn:       func(msg l10n.Msg) { e.mu.Lock(); e.warnings = append(e.warnings, msg.String()); e.mu.Unlock() },
		RetrySleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
	}
}

// login logs email in with the sandbox password and saves the session.
func (e *env) login(email string) *LoginResult {
	e.t.Helper()
	res, err := e.manager().Login(e.t.Context(), e.settings(), LoginRequest{
		Credentials: func() (string, string, error) { return email, sandbox.Password, nil },
	})
	if err != nil {
		e.t.Fatalf("login as %s: %v", email, err)
	}
	return res
}

// list opens the profile's session and lists its keys.
func (e *env) list() ([]jmapcloud.APIKey, error) {
	sess, err := e.manager().Open(e.t.Context(), e.settings())
	if err != nil {
		return nil, err
	}
	return sess.ListKeys(e.t.Context())
}

func (e *env) store() *config.SessionFile { return config.NewSessionFile(e.cfg, "default") }

// saved is the session file's content.
func (e *env) saved() *config.Session {
	e.t.Helper()
	s, err := e.store().Load()
	if err != nil {
		e.t.Fatalf("saved session: %v", err)
	}
	return s
}

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
func onPath(suffix string, n *atomic.Int64, active *atomic.Bool, fault func(w http.ResponseWriter, r *http.Request)) hookFunc {
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
