package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
	"github.com/k2geospatial/apikeys/internal/sandbox"
	"github.com/k2geospatial/apikeys/internal/session"
	"github.com/k2geospatial/apikeys/internal/testenv"
)

// otherOrgID is a second organization that authEnv can add to users/self answers, so the
// organization choice is exercised (the seeded sandbox has one organization).
const otherOrgID = "0b8a3c1e-5d2f-4e6a-9b7c-1f2e3d4c5b6a"

type authEnvOptions struct {
	TokenTTL  time.Duration
	SecondOrg bool // users/self also lists otherOrgID, first
	// Store is the session-store of the commands (APIKEYS_SESSION_STORE unless the test set
	// it); "": file, the store every test but the keyring's uses.
	Store string
}

// authEnv is a real sandbox served on loopback, a private configuration directory, and a
// record of every credential the server handed out and every output the commands wrote:
// when the test ends, the outputs and the configuration directory are scanned for them.
type authEnv struct {
	t      *testing.T
	sb     *sandbox.Sandbox
	url    string
	orgID  string
	dir    string // configuration directory
	cfg    string // configuration file
	second bool
	store  string // session-store (authEnvOptions.Store)

	hookMu sync.Mutex
	hook   func(w http.ResponseWriter, r *http.Request) bool // see setHook

	mu      sync.Mutex
	tokens  []string          // access and refresh tokens issued
	secrets []string          // API key secrets issued
	outputs map[string]string // name → captured output (never expected to hold a credential)
	stdouts map[string]string // create's stdout, which carries the new key's secret by design
}

func newAuthEnv(t *testing.T, opts authEnvOptions) *authEnv {
	t.Helper()
	root := t.TempDir()
	e := &authEnv{
		t:       t,
		dir:     filepath.Join(root, "config", "apikeys"),
		second:  opts.SecondOrg,
		store:   cmp.Or(opts.Store, config.StoreFile),
		outputs: map[string]string{},
		stdouts: map[string]string{},
	}
	e.cfg = filepath.Join(e.dir, "config.yaml")
	// The session store, in the file: in-process commands read the process's environment,
	// which a parallel test must not change.
	if err := os.MkdirAll(e.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.cfg, []byte("session-store: "+e.store+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sbOpts := sandbox.Options{Path: filepath.Join(root, "sandbox.db"), TokenTTL: opts.TokenTTL}
	sb, err := sandbox.Open(sbOpts)
	if err != nil {
		t.Fatal(err)
	}
	e.sb = sb
	e.orgID = sb.Info().OrganizationID
	srv := httptest.NewServer(e.recorder(sb.Handler()))
	e.url = srv.URL
	t.Cleanup(func() {
		srv.Close()
		sb.Close()
	})
	// Registered after TempDir, so it runs before the directory is removed.
	t.Cleanup(e.scanSecrets)
	return e
}

// recorder wraps the sandbox: it notes every token and key secret in the answers, and adds
// a second organization to users/self when asked to.
func (e *authEnv) recorder(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hook := e.faultHook(); hook != nil && hook(w, r) {
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if e.second && r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/users/self") && rec.Code == http.StatusOK {
			body = addOrganization(e.t, body)
		}
		e.harvest(body)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

// setHook puts hook in front of the sandbox: when it returns true it has answered the
// request itself (a hostile server's fault).
func (e *authEnv) setHook(hook func(w http.ResponseWriter, r *http.Request) bool) {
	e.hookMu.Lock()
	defer e.hookMu.Unlock()
	e.hook = hook
}

func (e *authEnv) faultHook() func(w http.ResponseWriter, r *http.Request) bool {
	e.hookMu.Lock()
	defer e.hookMu.Unlock()
	return e.hook
}

func addOrganization(t *testing.T, body []byte) []byte {
	var u map[string]any
	if err := json.Unmarshal(body, &u); err != nil {
		t.Errorf("users/self answer: %v", err)
		return body
	}
	orgs, _ := u["organizations"].([]any)
	if len(orgs) == 0 {
		return body
	}
	u["organizations"] = append([]any{map[string]any{"id": otherOrgID, "name": "Beta Surveying"}}, orgs...)
	out, _ := json.Marshal(u)
	return out
}

func (e *authEnv) harvest(body []byte) {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return
	}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				s, _ := val.(string)
				e.mu.Lock()
				switch {
				case s == "":
				case k == "accessToken" || k == "refreshToken":
					e.tokens = append(e.tokens, s)
				case k == "apiKey":
					e.secrets = append(e.secrets, s)
				}
				e.mu.Unlock()
				walk(val)
			}
		case []any:
			for _, item := range x {
				walk(item)
			}
		}
	}
	walk(v)
}

// record keeps a command's outputs for the final scan.
func (e *authEnv) record(args []string, stdout, stderr string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	name := fmt.Sprintf("#%d apikeys %s", len(e.outputs)/2+len(e.stdouts)+1, strings.Join(args, " "))
	if slices.Contains(args, "create") {
		e.stdouts[name+" (stdout)"] = stdout
	} else {
		e.outputs[name+" (stdout)"] = stdout
	}
	e.outputs[name+" (stderr)"] = stderr
}

// scanSecrets fails the test if the password, a token or a key secret appears in an output
// or in a file of the configuration directory — except tokens in the session files, which
// is where they belong. A new key's secret may appear only on create's stdout.
func (e *authEnv) scanSecrets() {
	e.mu.Lock()
	defer e.mu.Unlock()
	credentials := map[string]string{"the sandbox password": sandbox.Password}
	for i, tok := range e.tokens {
		credentials[fmt.Sprintf("token #%d", i+1)] = tok
	}
	keySecrets := map[string]string{}
	for i, s := range e.secrets {
		keySecrets[fmt.Sprintf("API key secret #%d", i+1)] = s
	}
	inSessions := func(path, name string) bool {
		return strings.HasPrefix(name, "token #") && filepath.Dir(path) == filepath.Join(e.dir, "sessions") && strings.HasSuffix(path, ".json")
	}
	testenv.SecretScan{Secrets: credentials, Texts: e.outputs, Dirs: []string{e.dir}, Allow: inSessions}.Check(e.t)
	createOut := map[string]string{}
	for k, v := range e.stdouts {
		createOut[k] = v
	}
	testenv.SecretScan{Secrets: credentials, Texts: createOut}.Check(e.t)
	testenv.SecretScan{Secrets: keySecrets, Texts: e.outputs, Dirs: []string{e.dir}}.Check(e.t)
}

// factory builds a real Factory, as Main does, with retry waits that return at once.
func (e *authEnv) factory(streams *iostreams.IOStreams) *Factory {
	f := newFactory(streams, "test", os.Getenv)
	f.retrySleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	return f
}

// getenv is the commands' environment: the process's, with APIKEYS_SESSION_STORE set to the
// env's store unless the test set it (for the separate processes: Settings read the
// process's own environment).
func (e *authEnv) getenv(key string) string {
	if v := os.Getenv(key); key != "APIKEYS_SESSION_STORE" || v != "" {
		return v
	}
	return e.store
}

// run executes one command line in process, without a terminal, with stdin as input.
func (e *authEnv) run(stdin string, args ...string) (int, string, string) {
	e.t.Helper()
	streams, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	code := run(context.Background(), e.factory(streams), append([]string{"--config", e.cfg}, args...))
	e.record(args, out.String(), errOut.String())
	return code, out.String(), errOut.String()
}

// login logs email in through --password-stdin and fails the test unless it succeeds.
func (e *authEnv) login(email string, extra ...string) string {
	e.t.Helper()
	args := append([]string{"auth", "login", "--api-url", e.url, "--username", email, "--password-stdin"}, extra...)
	code, _, stderr := e.run(sandbox.Password+"\n", args...)
	if code != exitOK {
		e.t.Fatalf("login as %s: exit %d\n%s", email, code, stderr)
	}
	return stderr
}

func (e *authEnv) sessionPath(profile string) string {
	return filepath.Join(e.dir, "sessions", profile+".json")
}

func (e *authEnv) session(profile string) *config.Session {
	e.t.Helper()
	s, err := config.NewSessionFile(e.cfg, profile).Load()
	if err != nil {
		e.t.Fatalf("session of %s: %v", profile, err)
	}
	return s
}

func (e *authEnv) status(args ...string) authStatus {
	e.t.Helper()
	code, out, stderr := e.run("", append([]string{"auth", "status", "-o", "json"}, args...)...)
	if code != exitOK {
		e.t.Fatalf("auth status: exit %d\n%s", code, stderr)
	}
	var st authStatus
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		e.t.Fatalf("auth status -o json: %v\n%s", err, out)
	}
	return st
}

func (e *authEnv) listCount(args ...string) int {
	e.t.Helper()
	code, out, stderr := e.run("", append([]string{"list", "-o", "json"}, args...)...)
	if code != exitOK {
		e.t.Fatalf("list: exit %d\n%s", code, stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		e.t.Fatalf("list -o json: %v\n%s", err, out)
	}
	return len(rows)
}

func fileMode(t *testing.T, path string) os.FileMode {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode().Perm()
}

func TestAuthLoginWithPasswordStdin(t *testing.T) {
	e := newAuthEnv(t, authEnvOptions{})
	if stderr := e.login(sandbox.AdminEmail); stderr != "" {
		t.Errorf("a successful login without a terminal should be silent, got:\n%s", stderr)
	}
	if runtime.GOOS != "windows" {
		if m := fileMode(t, e.sessionPath("default")); m != 0o600 {
			t.Errorf("session file mode %v, want 0600", m)
		}
		if m := fileMode(t, filepath.Dir(e.sessionPath("default"))); m != 0o700 {
			t.Errorf("sessions dir mode %v, want 0700", m)
		}
		if m := fileMode(t, e.cfg); m != 0o600 {
			t.Errorf("config file mode %v, want 0600", m)
		}
	}
	sess := e.session("default")
	if sess.User.Email != sandbox.AdminEmail || sess.Organization.ID != e.orgID || !strings.EqualFold(sess.APIURL, e.url) {
		t.Errorf("saved session: user %q org %q api %q", sess.User.Email, sess.Organization.ID, sess.APIURL)
	}
	if jmapcloud.HighestRole(sess.Roles) != jmapcloud.RoleAdmin {
		t.Errorf("saved roles %v", sess.Roles)
	}
	cfg, _ := os.ReadFile(e.cfg)
	for _, want := range []string{"default:", "api-url: " + e.url, "org: " + e.orgID} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("config file lacks %q:\n%s", want, cfg)
		}
	}

	st := e.status()
	if !st.LoggedIn || st.Profile != "default" || st.User.Email != sandbox.AdminEmail || st.Organization.ID != e.orgID ||
		st.Role != jmapcloud.RoleAdmin || st.SessionStore != config.StoreFile || st.SessionFile != e.sessionPath("default") ||
		st.AccessTokenExpiresAt == nil || st.AccessTokenExpired || st.APIURL != sess.APIURL {
		t.Errorf("auth status -o json: %+v", st)
	}
	code, out, _ := e.run("", "auth", "status")
	if code != exitOK {
		t.Fatalf("auth status: exit %d", code)
	}
	for _, want := range []string{"Profile:", "default", "Ada Admin <admin@acme.example>", "Acme Geospatial (" + e.orgID + ")",
		"Admin (ORG_ADMIN)", "Access token:", "renewed automatically", "Session store:", "file " + e.sessionPath("default") + " (mode 0600)", e.url} {
		if !strings.Contains(out, want) {
			t.Errorf("auth status lacks %q:\n%s", want, out)
		}
	}
	if n := e.listCount(); n == 0 {
		t.Error("list found no keys in the seeded organization")
	}
	code, out, _ = e.run("", "auth", "status", "-o", "yaml")
	if code != exitOK || !strings.Contains(out, "loggedIn: true") {
		t.Errorf("auth status -o yaml: exit %d\n%s", code, out)
	}
	if code, _, stderr := e.run("", "auth", "status", "-o", "csv"); code != exitUsage {
		t.Errorf("auth status -o csv: exit %d, want 2\n%s", code, stderr)
	}
}

func TestAuthLoginRefusals(t *testing.T) {
	e := newAuthEnv(t, authEnvOptions{})
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		want   []string
		absent []string
	}{
		{name: "nothing without a terminal", args: []string{"--api-url", e.url}, code: exitUsage, want: []string{"--username", "--password-stdin", "without a terminal"}},
		{name: "username but no password", args: []string{"--api-url", e.url, "--username", "a@b.example"}, code: exitUsage, want: []string{"--password-stdin"}, absent: []string{"--username and"}},
		{name: "password-stdin without username", stdin: "pw\n", args: []string{"--api-url", e.url, "--password-stdin"}, code: exitUsage, want: []string{"--username"}},
		{name: "empty stdin", args: []string{"--api-url", e.url, "--username", sandbox.AdminEmail, "--password-stdin"}, code: exitUsage, want: []string{"empty"}},
		{name: "wrong password", stdin: "not-the-password\n", args: []string{"--api-url", e.url, "--username", sandbox.AdminEmail, "--password-stdin"}, code: exitAuth, want: []string{"wrong username or password"}},
		{name: "no organization", stdin: sandbox.Password, args: []string{"--api-url", e.url, "--username", "nora@elsewhere.example", "--password-stdin"}, code: exitAuth, want: []string{"belongs to no organization"}},
		{name: "not a member of --org", stdin: sandbox.Password, args: []string{"--api-url", e.url, "--org", otherOrgID, "--username", sandbox.AdminEmail, "--password-stdin"}, code: exitUsage, want: []string{"not a member", e.orgID}},
		{name: "plain http to a remote host", stdin: sandbox.Password, args: []string{"--api-url", "http://api.jmapcloud.io", "--username", sandbox.AdminEmail, "--password-stdin"}, code: exitUsage, want: []string{"refusing", "https"}},
		{name: "the in-process sandbox", stdin: sandbox.Password, args: []string{"--sandbox", "--username", sandbox.AdminEmail, "--password-stdin"}, code: exitUsage, want: []string{"--sandbox needs no login"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := e.run(tt.stdin, append([]string{"auth", "login"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s", code, tt.code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(stderr, a) {
					t.Errorf("stderr has %q:\n%s", a, stderr)
				}
			}
			if stdout != "" {
				t.Errorf("stdout: %q", stdout)
			}
			if _, err := os.Stat(e.sessionPath("default")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a failed login left a session file (%v)", err)
			}
		})
	}
}

func TestAuthLoginChoosesTheOrganization(t *testing.T) {
	e := newAuthEnv(t, authEnvOptions{SecondOrg: true})
	base := []string{"auth", "login", "--api-url", e.url, "--username", sandbox.AdminEmail, "--password-stdin"}

	// Several organizations, no terminal, no --org: exit 2 listing them.
	code, _, stderr := e.run(sandbox.Password, base...)
	if code != exitUsage || !strings.Contains(stderr, "--org") || !strings.Contains(stderr, otherOrgID) || !strings.Contains(stderr, e.orgID) {
		t.Fatalf("exit %d, want 2 listing both organizations:\n%s", code, stderr)
	}

	// --org by exact name, any case.
	if code, _, stderr := e.run(sandbox.Password, append(base, "--org", "acme geospatial")...); code != exitOK {
		t.Fatalf("--org by name: exit %d\n%s", code, stderr)
	}
	if got := e.session("default").Organization; got.ID != e.orgID || got.Name != "Acme Geospatial" {
		t.Errorf("session organization %+v", got)
	}

	// On a terminal: a choice (scripted here; the real prompt is driven in a pty below).
	// The organization recorded in the profile is a default, so use another profile.
	streams, in, _, errOut := iostreams.Test()
	in.WriteString(sandbox.Password)
	streams.SetTTY(true, false, true)
	p := prompt.NewScripted("Acme Geospatial (" + e.orgID + ")")
	f := e.factory(streams)
	f.Prompter = func() prompt.Prompter { return p }
	args := append([]string{"--config", e.cfg, "--profile", "chooser"}, base...)
	if code := run(context.Background(), f, args); code != exitOK {
		t.Fatalf("scripted choice: exit %d\n%s", code, errOut)
	}
	e.record(args, "", errOut.String())
	calls := p.Calls()
	if len(calls) != 1 || calls[0].Kind != "select" || calls[0].Message != "Organization:" ||
		strings.Join(calls[0].Options, "|") != "Beta Surveying ("+otherOrgID+")|Acme Geospatial ("+e.orgID+")" {
		t.Errorf("questions asked: %+v", calls)
	}
	if err := p.Done(); err != nil {
		t.Error(err)
	}
	if got := e.session("chooser").Organization.ID; got != e.orgID {
		t.Errorf("chosen organization %s", got)
	}
	if !strings.Contains(errOut.String(), "Logged in to Acme Geospatial") {
		t.Errorf("no success line on the terminal:\n%s", errOut)
	}
}

// TestAuthLoginPromptsInATerminal drives the real survey prompts in a pseudo-terminal:
// email, hidden password, organization.
func TestAuthLoginPromptsInATerminal(t *testing.T) {
	e := newAuthEnv(t, authEnvOptions{SecondOrg: true})
	c := ptytest.New(t)
	tty := c.Tty()
	streams := &iostreams.IOStreams{In: tty, Out: tty, ErrOut: tty}
	streams.SetTTY(true, true, true)
	streams.DisableColor()
	f := e.factory(streams) // its own prompter, on the streams' terminal
	var code int
	wait := c.Go(func() {
		code = run(context.Background(), f, []string{"--config", e.cfg, "auth", "login", "--api-url", e.url})
	})
	c.ExpectString("Email:")
	c.Send(sandbox.AdminEmail + ptytest.KeyEnter)
	c.ExpectString("Password for " + sandbox.AdminEmail)
	c.Send(sandbox.Password + ptytest.KeyEnter)
	c.ExpectString("Organization:")
	c.ExpectString("Acme Geospatial")
	c.Send(ptytest.KeyDown)
	c.Send(ptytest.KeyEnter)
	c.ExpectString("Logged in to Acme Geospatial")
	wait()
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, c.Screen())
	}
	if got := e.session("default").Organization.ID; got != e.orgID {
		t.Errorf("chosen organization %s, want %s", got, e.orgID)
	}
	e.record([]string{"auth", "login (terminal)"}, "", c.Output())
}

func TestAuthViewerIsWarnedAndCannotManageKeys(t *testing.T) {
	e := newAuthEnv(t, authEnvOptions{})
	stderr := e.login("vera@acme.example")
	for _, want := range []string{"Warning:", "vera@acme.example is not an administrator (ORG_ADMIN)", "ORG_VIEWER"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("login warning lacks %q:\n%s", want, stderr)
		}
	}
	st := e.status()
	if st.Role != jmapcloud.RoleViewer {
		t.Errorf("status role %q", st.Role)
	}
	code, stdout, stderr := e.run("", "list")
	if code != exitAuth {
		t.Errorf("list as a viewer: exit %d, want 4", code)
	}
	if !strings.Contains(stderr, "ORG_ADMIN") || stdout != "" {
		t.Errorf("list as a viewer should say ORG_ADMIN is needed:\nstdout %q\nstderr %s", stdout, stderr)
	}
	// An editor is warned too.
	if stderr := e.login("eddie@acme.example", "--profile", "editor"); !strings.Contains(stderr, "not an administrator") {
		t.Errorf("editor login: %s", stderr)
	}
}

func TestAuthLogoutRevokes(t *testing.T) {
	e := newAuthEnv(t, authEnvOptions{})
	e.login(sandbox.AdminEmail)
	old := e.session("default")
	code, _, stderr := e.run("", "auth", "logout")
	if code != exitOK {
		t.Fatalf("logout: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(e.sessionPath("default")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("session file still there (%v)", err)
	}
	if got := e.sb.Stats().Revocations; got != 1 {
		t.Errorf("revocations %d, want 1", got)
	}
	// The server refuses the old refresh token and the old access token.
	client, err := jmapcloud.New(jmapcloud.Options{BaseURL: e.url})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.RefreshToken(context.Background(), old.RefreshToken, old.Organization.ID); jmapcloud.StatusCode(err) != http.StatusUnauthorized {
		t.Errorf("refresh with the logged-out token: %v, want 401", err)
	}
	if _, err := client.WithTokens(jmapcloud.StaticToken(old.AccessToken)).UserSelf(context.Background()); jmapcloud.StatusCode(err) != http.StatusUnauthorized {
		t.Errorf("the logged-out access token: %v, want 401", err)
	}
	if code, _, stderr := e.run("", "list"); code != exitAuth || !strings.Contains(stderr, "auth login") {
		t.Errorf("list after logout: exit %d\n%s", code, stderr)
	}
	code, out, stderr := e.run("", "auth", "status", "-o", "json")
	if code != exitAuth || !strings.Contains(out, `"loggedIn": false`) || !strings.Contains(stderr, "not logged in") {
		t.Errorf("status after logout: exit %d\n%s\n%s", code, out, stderr)
	}
	if code, _, stderr := e.run("", "auth", "logout"); code != exitOK || !strings.Contains(stderr, "nothing to do") {
		t.Errorf("second logout: exit %d\n%s", code, stderr)
	}
	// The profile keeps its API URL, so logging in again needs no flag.
	code, _, stderr = e.run(sandbox.Password, "auth", "login", "--username", sandbox.AdminEmail, "--password-stdin")
	if code != exitOK {
		t.Errorf("login again from the profile: exit %d\n%s", code, stderr)
	}
}

// authHelperEnv makes the test binary run apikeys (cli.Main) instead of tests: the
// arguments follow "--".
const authHelperEnv = "APIKEYS_AUTH_TEST_HELPER"

func TestAuthHelperProcess(t *testing.T) {
	if os.Getenv(authHelperEnv) != "1" {
		return // only a child process of the auth tests does anything here
	}
	for i, a := range os.Args {
		if a == "--" {
			os.Exit(Main(os.Args[i+1:], "test"))
		}
	}
	os.Exit(99)
}

// command returns apikeys as a separate process (this test binary in helper mode), with
// a clean environment but for HOME and XDG directories inside the test.
func (e *authEnv) command(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestAuthHelperProcess$", "--", "--config", e.cfg}, args...)...)
	home := filepath.Dir(filepath.Dir(e.dir))
	cmd.Env = []string{
		authHelperEnv + "=1",
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_RUNTIME_DIR=" + filepath.Join(home, "no-runtime-dir"),
		"APIKEYS_SESSION_STORE=" + e.getenv("APIKEYS_SESSION_STORE"),
		"NO_COLOR=1",
	}
	return cmd
}

// TestAuthParallelProcessesNeverReuseARefreshToken runs 10 `apikeys list` processes at
// once, several rounds, each round after the 1-second access token has expired: every one
// must succeed and the server must never see a spent refresh token again.
func TestAuthParallelProcessesNeverReuseARefreshToken(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: spawns processes")
	}
	e := newAuthEnv(t, authEnvOptions{TokenTTL: time.Second})
	e.login(sandbox.AdminEmail)
	e.parallelRefreshRounds(e.listCount(), 3, nil)
}

// parallelRefreshRounds starts 10 `apikeys list` processes at once (their environment
// extended by env), rounds times, each round after the access token has expired, and checks
// that every one lists want keys and that the server never saw a spent refresh token again.
func (e *authEnv) parallelRefreshRounds(want, rounds int, env []string) {
	t := e.t
	const procs = 10
	for round := 1; round <= rounds; round++ {
		// Let the access token expire.
		e.waitExpiry("default")
		before := e.sb.Stats()
		start := time.Now()
		type result struct {
			code           int
			stdout, stderr string
		}
		results := make([]result, procs)
		var wg sync.WaitGroup
		for i := range procs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := e.command("list", "-o", "json")
				cmd.Env = append(cmd.Env, env...)
				var out, errOut bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &errOut
				err := cmd.Run()
				code := 0
				var exitErr *exec.ExitError
				if errors.As(err, &exitErr) {
					code = exitErr.ExitCode()
				} else if err != nil {
					code = -1
					errOut.WriteString(err.Error())
				}
				results[i] = result{code, out.String(), errOut.String()}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		after := e.sb.Stats()
		for i, r := range results {
			e.record([]string{fmt.Sprintf("list (round %d, process %d)", round, i)}, r.stdout, r.stderr)
			var rows []map[string]any
			if r.code != 0 || json.Unmarshal([]byte(r.stdout), &rows) != nil || len(rows) != want {
				t.Errorf("round %d, process %d: exit %d, %d rows (want %d)\n%s", round, i, r.code, len(rows), want, r.stderr)
			}
		}
		if after.RefreshTokenReuse != 0 {
			t.Fatalf("round %d: the server saw %d spent refresh tokens again", round, after.RefreshTokenReuse)
		}
		t.Logf("round %d: %d processes in %v, %d refreshes, %d answers 401", round, procs, elapsed.Round(time.Millisecond),
			after.Refreshes-before.Refreshes, after.Responses["401"]-before.Responses["401"])
	}
}

func TestAuthProfiles(t *testing.T) {
	e := newAuthEnv(t, authEnvOptions{})
	// A profile named sandbox, pointing at a served sandbox, like any other; names fold case.
	e.login(sandbox.AdminEmail, "--profile", "Sandbox")
	cfg, _ := os.ReadFile(e.cfg)
	if !strings.Contains(string(cfg), "sandbox:\n    api-url: "+e.url+"\n    org: "+e.orgID) {
		t.Errorf("profile not recorded:\n%s", cfg)
	}
	if _, err := os.Stat(e.sessionPath("sandbox")); err != nil {
		t.Fatal(err)
	}
	// Later commands need neither --api-url nor --org.
	e.listCount("--profile", "sandbox")
	t.Setenv("APIKEYS_PROFILE", "sandbox")
	e.listCount()
	if st := e.status(); st.Profile != "sandbox" || !st.LoggedIn {
		t.Errorf("status with APIKEYS_PROFILE: %+v", st)
	}
	t.Setenv("APIKEYS_PROFILE", "")

	// The default profile is not logged in.
	code, _, stderr := e.run("", "list")
	if code != exitAuth || !strings.Contains(stderr, `profile "default"`) || !strings.Contains(stderr, "auth login") {
		t.Errorf("default profile: exit %d\n%s", code, stderr)
	}
	// The session's tokens go only to the API that issued them, for its organization.
	code, _, stderr = e.run("", "--profile", "sandbox", "--api-url", "http://127.0.0.1:1", "list")
	if code != exitAuth || !strings.Contains(stderr, `the session of profile "sandbox" is for `+e.session("sandbox").APIURL) {
		t.Errorf("another API URL: exit %d\n%s", code, stderr)
	}
	code, _, stderr = e.run("", "--profile", "sandbox", "--org", otherOrgID, "list")
	if code != exitUsage || !strings.Contains(stderr, "bound to "+e.orgID) {
		t.Errorf("another organization: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := e.run("", "--profile", "../x", "list"); code != exitUsage || !strings.Contains(stderr, "invalid profile name") {
		t.Errorf("bad profile name: exit %d\n%s", code, stderr)
	}
}

func TestAuthEnvironmentCredentialsStillWork(t *testing.T) {
	e := newAuthEnv(t, authEnvOptions{})
	t.Setenv("APIKEYS_USERNAME", sandbox.AdminEmail)
	t.Setenv("APIKEYS_PASSWORD", sandbox.Password)
	if n := e.listCount("--api-url", e.url); n == 0 {
		t.Error("no keys")
	}
	if _, err := os.Stat(filepath.Join(e.dir, "sessions")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("APIKEYS_USERNAME/PASSWORD saved something (%v)", err)
	}
	// They take precedence over a saved session, and status says so.
	t.Setenv("APIKEYS_USERNAME", "")
	t.Setenv("APIKEYS_PASSWORD", "")
	e.login("vera@acme.example")
	t.Setenv("APIKEYS_USERNAME", sandbox.AdminEmail)
	t.Setenv("APIKEYS_PASSWORD", sandbox.Password)
	e.listCount()
	if st := e.status(); st.OverriddenBy != "APIKEYS_USERNAME and APIKEYS_PASSWORD" {
		t.Errorf("status overriddenBy %q", st.OverriddenBy)
	}
}

func TestAuthCorruptFiles(t *testing.T) {
	t.Run("config", func(t *testing.T) {
		e := newAuthEnv(t, authEnvOptions{})
		const bad = "profiles: [this is not\n"
		if err := os.MkdirAll(e.dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(e.cfg, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"list"},
			{"auth", "status"},
			{"auth", "login", "--api-url", e.url, "--username", sandbox.AdminEmail, "--password-stdin"},
		} {
			code, _, stderr := e.run(sandbox.Password, args...)
			if code != exitUsage || !strings.Contains(stderr, e.cfg) {
				t.Errorf("%v: exit %d, want 2 naming %s\n%s", args, code, e.cfg, stderr)
			}
		}
		if got, _ := os.ReadFile(e.cfg); string(got) != bad {
			t.Errorf("the bad configuration file was rewritten:\n%s", got)
		}
		if _, err := os.Stat(e.sessionPath("default")); !errors.Is(err, os.ErrNotExist) {
			t.Error("a session was saved despite the bad configuration")
		}
	})
	t.Run("session", func(t *testing.T) {
		e := newAuthEnv(t, authEnvOptions{})
		e.login(sandbox.AdminEmail)
		for _, garbage := range []string{"{\"format\": 1, \"accessTo", "", "[1,2,3]"} {
			if err := os.WriteFile(e.sessionPath("default"), []byte(garbage), 0o600); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{{"list"}, {"auth", "status"}} {
				code, _, stderr := e.run("", args...)
				if code != exitAuth || !strings.Contains(stderr, e.sessionPath("default")) || !strings.Contains(stderr, "auth login") {
					t.Errorf("%v with session %q: exit %d, want 4 naming the file and auth login\n%s", args, garbage, code, stderr)
				}
			}
		}
		// Logging in again replaces it.
		e.login(sandbox.AdminEmail)
		e.listCount()
	})
}

// TestAuthDebugTraceRedactsCredentials runs a real login, list and create with --debug and
// checks the trace: every request is there, and no password, token or key secret.
func TestAuthDebugTraceRedactsCredentials(t *testing.T) {
	e := newAuthEnv(t, authEnvOptions{})
	code, _, loginTrace := e.run(sandbox.Password+"\n", "--debug", "auth", "login", "--api-url", e.url, "--username", sandbox.AdminEmail, "--password-stdin")
	if code != exitOK {
		t.Fatalf("login: exit %d\n%s", code, loginTrace)
	}
	code, _, listTrace := e.run("", "--debug", "list")
	if code != exitOK {
		t.Fatalf("list: exit %d\n%s", code, listTrace)
	}
	code, secret, createTrace := e.run("", "--debug", "create", "debug trace key", "--role", "viewer", "--expires", "30d")
	if code != exitOK {
		t.Fatalf("create: exit %d\n%s", code, createTrace)
	}
	e.mu.Lock()
	issued := append([]string(nil), e.secrets...)
	e.mu.Unlock()
	if len(issued) != 1 || strings.TrimSpace(secret) != issued[0] {
		t.Fatalf("create's stdout should be the new secret alone (got %d bytes; %d secrets issued)", len(secret), len(issued))
	}
	for name, want := range map[string][]string{
		"login":  {"> POST " + e.url + "/api/ss/rest/v1/authenticate", `"password":"` + jmapcloud.Redacted + `"`, `"accessToken":"` + jmapcloud.Redacted + `"`, `"refreshToken":"` + jmapcloud.Redacted + `"`, "/refresh-token", "Authorization: " + jmapcloud.Redacted},
		"list":   {"> GET " + e.url + "/api/ss/rest/v1/organizations/" + e.orgID + "/api-keys", "Authorization: " + jmapcloud.Redacted},
		"create": {"> POST " + e.url + "/api/ss/rest/v1/organizations/" + e.orgID + "/api-keys", `"apiKey":"` + jmapcloud.Redacted + `"`, "Authorization: " + jmapcloud.Redacted},
	} {
		trace := map[string]string{"login": loginTrace, "list": listTrace, "create": createTrace}[name]
		for _, w := range want {
			if !strings.Contains(trace, w) {
				t.Errorf("%s trace lacks %q:\n%s", name, w, trace)
			}
		}
	}

	// The Api-Key header and apiKey parameter, which apikeys itself never sends, through the
	// same trace transport against the same server with the new key.
	var trace bytes.Buffer
	hc := &http.Client{Transport: &jmapcloud.TraceTransport{W: &trace}}
	req, _ := http.NewRequest(http.MethodGet, e.url+"/api/ss/rest/v1/users/self?apiKey="+issued[0], nil)
	req.Header.Set("Api-Key", issued[0])
	res, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("users/self with the new key: %s %s", res.Status, body)
	}
	if !strings.Contains(trace.String(), "Api-Key: "+jmapcloud.Redacted) || !strings.Contains(trace.String(), "apiKey=%5BREDACTED%5D") {
		t.Errorf("Api-Key not redacted as expected:\n%s", trace.String())
	}
	e.record([]string{"(trace of an Api-Key request)"}, "", trace.String())
	// The final scan (authEnv) checks the traces for the password, every token and the secret.
}

// With credentials given for the invocation and no saved session, auth status still exits 4
// (the profile has no session) but does not advise setting what is already set.
func TestAuthStatusWithoutSessionNamesTheCredentialsInUse(t *testing.T) {
	const url = "https://api.jmapcloud.io"
	noneFor := func(by string) string {
		return "Error: no session is saved for profile \"default\" (" + url + ")\n" + by + " is set, so commands need none; `apikeys auth login` saves one for when it is not\n"
	}
	runTypoCases(t, []typoCase{
		{name: "sandbox", args: []string{"--sandbox", "auth", "status"}, code: 4, stderr: noneFor("--sandbox")},
		{name: "sandbox variable", env: map[string]string{"APIKEYS_SANDBOX": "on"}, args: []string{"auth", "status"}, code: 4, stderr: noneFor("--sandbox")},
		{name: "token", env: map[string]string{"APIKEYS_TOKEN": "token-for-status"}, args: []string{"auth", "status"}, code: 4, stderr: noneFor("APIKEYS_TOKEN")},
		{name: "password", env: map[string]string{"APIKEYS_USERNAME": "a@b.example", "APIKEYS_PASSWORD": "pw-for-status"}, args: []string{"auth", "status"}, code: 4,
			stderr: noneFor("APIKEYS_USERNAME and APIKEYS_PASSWORD")},
		{name: "nothing", args: []string{"auth", "status"}, code: 4,
			stderr: "Error: not logged in to " + url + " (profile \"default\")\nrun `apikeys auth login`, set APIKEYS_TOKEN with --org, or try the local sandbox with --sandbox\n"},
	})
}

// What a login that succeeded did not manage is said in warnings, in order, before the
// success line on a terminal; without a terminal only the warnings.
func TestReportLoginWarnsInOrder(t *testing.T) {
	org := jmapcloud.Organization{ID: "org-1", Name: "Acme\x1b[31m"}
	base := session.LoginResult{
		Session:     config.Session{APIURL: "https://api.example.com"},
		SessionFile: "/cfg/sessions/default.json",
		User:        jmapcloud.User{Email: "vera@acme.example"},
		Org:         org,
	}
	s := &config.Settings{Profile: "default", SessionStore: config.StoreKeyring}
	failed := base
	failed.ProfileErr = errors.New("disk full")
	failed.RoleErr = errors.New("member/self: 503")
	failed.Store = session.StoreInfo{Store: config.StoreKeyring, Keyring: "Secret Service", File: base.SessionFile}
	viewer := base
	viewer.Member = &jmapcloud.Member{Roles: []string{jmapcloud.RoleViewer}}
	viewer.RecordRoleErr = errors.New("the session was replaced by another login meanwhile")
	for _, tc := range []struct {
		name string
		res  session.LoginResult
		tty  bool
		want string
	}{
		{"nothing checked", failed, true, `Warning: the session is saved, but the profile "default" could not be recorded: disk full
later commands will need --api-url and --org
Warning: could not check your role in Acme\x1b[31m: member/self: 503
Logged in to Acme\x1b[31m as vera@acme.example.
Profile "default" at https://api.example.com; session saved in the keyring (Secret Service).
`},
		{"a viewer, no terminal", viewer, false, `Warning: could not record your role in the session: the session was replaced by another login meanwhile
Warning: vera@acme.example is not an administrator (ORG_ADMIN) of Acme\x1b[31m (org-1); roles: ORG_VIEWER.
Only an ORG_ADMIN can list, create and delete API keys: those commands will be refused (exit 4).
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			reportLogin(&b, nil, s, &tc.res, tc.tty)
			if got := b.String(); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}
