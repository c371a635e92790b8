package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/k2geospatial/apikeys/internal/testenv"
)

// env is a sandbox on a temporary file, served over real HTTP on loopback.
type env struct {
	t      *testing.T
	sb     *Sandbox
	srv    *httptest.Server
	clock  *testenv.Clock
	path   string
	client *http.Client
}

// newEnv opens a sandbox with opts (Path and Now filled in when empty) and serves it.
func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	e := &env{t: t, clock: testenv.NewClock(time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC))}
	if opts.Path == "" {
		opts.Path = filepath.Join(t.TempDir(), "state", "sandbox.db")
	}
	if opts.Now == nil {
		opts.Now = e.clock.Now
	}
	e.path = opts.Path
	sb, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	e.sb = sb
	e.srv = httptest.NewServer(sb.Handler())
	e.client = &http.Client{Timeout: 10 * time.Second}
	t.Cleanup(func() {
		e.srv.Close()
		e.sb.Close()
	})
	return e
}

type result struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the answer's body into v, failing the test when it is not JSON.
func (r result) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("answer %d is not JSON (%v): %s", r.status, err, r.body)
	}
}

// message is the "message" of an error (or envelope) body.
func (r result) message(t *testing.T) string {
	t.Helper()
	var b struct {
		Message string `json:"message"`
		Status  int    `json:"status"`
	}
	r.json(t, &b)
	if r.status >= 400 && b.Status != r.status {
		t.Errorf("error body status %d, HTTP status %d", b.Status, r.status)
	}
	return b.Message
}

// auth is how a request authenticates: a header name and value, or nothing.
type auth struct{ name, value string }

func bearer(token string) auth   { return auth{"Authorization", "Bearer " + token} }
func apiKeyAuth(key string) auth { return auth{"Api-Key", key} }

var noAuth = auth{}

// do sends a request and reads the whole answer; transport errors fail the test.
func (e *env) do(method, path string, a auth, body any) result {
	e.t.Helper()
	r, err := e.try(method, path, a, body)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

// try sends a request and returns a transport or body-read error instead of failing.
func (e *env) try(method, path string, a auth, body any) (result, error) {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.name != "" {
		req.Header.Set(a.name, a.value)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return result{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return result{status: resp.StatusCode, header: resp.Header, body: data}, err
}

type tokens struct {
	AccessToken           string `json:"accessToken"`
	RefreshToken          string `json:"refreshToken"`
	AccessTokenExpireAt   string `json:"accessTokenExpireAt"`
	AccessTokenExpiration int64  `json:"accessTokenExpiration"`
}

// authenticate logs in and returns the unbound tokens.
func (e *env) authenticate(email string) tokens {
	e.t.Helper()
	r := e.do("POST", apiPrefix+"/authenticate", noAuth, map[string]string{"username": email, "password": Password})
	if r.status != http.StatusOK {
		e.t.Fatalf("authenticate %s: %d %s", email, r.status, r.body)
	}
	var env struct {
		Message string `json:"message"`
		Result  tokens `json:"result"`
	}
	r.json(e.t, &env)
	return env.Result
}

// refresh spends a refresh token for tokens bound to org.
func (e *env) refresh(refreshToken, org string) (tokens, result) {
	e.t.Helper()
	r := e.do("POST", apiPrefix+"/refresh-token", noAuth, map[string]string{"refreshToken": refreshToken, "organizationId": org})
	var env struct {
		Result tokens `json:"result"`
	}
	if r.status == http.StatusOK {
		r.json(e.t, &env)
	}
	return env.Result, r
}

// login returns tokens bound to the seeded organization.
func (e *env) login(email string) tokens {
	e.t.Helper()
	first := e.authenticate(email)
	bound, r := e.refresh(first.RefreshToken, seedOrg.ID)
	if r.status != http.StatusOK {
		e.t.Fatalf("refresh for %s: %d %s", email, r.status, r.body)
	}
	return bound
}

// adminAuth logs the seeded admin in and returns its bearer auth.
func (e *env) adminAuth() auth {
	e.t.Helper()
	return bearer(e.login(AdminEmail).AccessToken)
}

func keysPath() string               { return apiPrefix + "/organizations/" + seedOrg.ID + "/api-keys" }
func keyPath(id string) string       { return keysPath() + "/" + id }
func membersPath() string            { return apiPrefix + "/organizations/" + seedOrg.ID + "/members" }
func memberSelfPath() string         { return membersPath() + "/self" }
func resourcesPath(id string) string { return keyPath(id) + "/resources" }

// listKeys lists every key as the admin auth a.
func (e *env) listKeys(a auth) []apiKeyJSON {
	e.t.Helper()
	r := e.do("GET", keysPath(), a, nil)
	if r.status != http.StatusOK {
		e.t.Fatalf("list keys: %d %s", r.status, r.body)
	}
	var keys []apiKeyJSON
	r.json(e.t, &keys)
	return keys
}

// createKey creates a key and returns the answer with its secret.
func (e *env) createKey(a auth, title, role string, expires time.Time) apiKeyJSON {
	e.t.Helper()
	r := e.do("POST", keysPath(), a, map[string]string{"title": title, "role": role, "expirationDate": expires.Format(time.RFC3339)})
	if r.status != http.StatusCreated {
		e.t.Fatalf("create key %q: %d %s", title, r.status, r.body)
	}
	var k apiKeyJSON
	r.json(e.t, &k)
	return k
}

// resourcesByID reads the sandbox's resources keyed by id.
func (e *env) resourcesByID() map[string]Resource {
	e.t.Helper()
	all, err := e.sb.Resources()
	if err != nil {
		e.t.Fatal(err)
	}
	m := map[string]Resource{}
	for _, r := range all {
		m[r.ID] = r
	}
	return m
}

// keyCount counts the stored keys directly, bypassing HTTP (and faults).
func (e *env) keyCount() int {
	e.t.Helper()
	n := 0
	err := e.sb.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketKeys).Stats().KeyN
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

type boltTx = bolt.Tx

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
