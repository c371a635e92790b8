package cli

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/sandbox"
	"github.com/k2geospatial/apikeys/internal/testenv"
)

// runOnBus runs one command line as a separate apikeys process whose session bus is addr
// (a Secret Service of the test's own, or a fake), with stdin as input.
func (e *authEnv) runOnBus(addr, stdin string, args ...string) (int, string, string) {
	e.t.Helper()
	cmd := e.command(args...)
	cmd.Env = append(cmd.Env, "DBUS_SESSION_BUS_ADDRESS="+addr)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		e.t.Fatalf("apikeys %v: %v", args, err)
	}
	e.record(args, out.String(), errOut.String())
	return code, out.String(), errOut.String()
}

// loginArgs logs the sandbox administrator in through --password-stdin.
func (e *authEnv) loginArgs() []string {
	return []string{"auth", "login", "--api-url", e.url, "--username", sandbox.AdminEmail, "--password-stdin"}
}

// sessionOnDisk is the profile's session file as JSON, read without the session code.
func (e *authEnv) sessionOnDisk(profile string) map[string]any {
	e.t.Helper()
	data, err := os.ReadFile(e.sessionPath(profile))
	if err != nil {
		e.t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		e.t.Fatal(err)
	}
	return m
}

// keyringTokens is the profile's keyring entry as secret-tool reads it.
func (e *authEnv) keyringTokens(k *testenv.SecretService, profile string) (access, refresh string) {
	e.t.Helper()
	secret, err := k.Lookup(config.KeyringService, config.KeyringAccount(e.cfg, profile))
	if err != nil {
		e.t.Fatal(err)
	}
	var entry struct{ AccessToken, RefreshToken string }
	if err := json.Unmarshal([]byte(secret), &entry); err != nil || entry.AccessToken == "" || entry.RefreshToken == "" {
		e.t.Fatalf("keyring entry is not a session's tokens (%v)", err)
	}
	return entry.AccessToken, entry.RefreshToken
}

// issued reports whether the server handed out tok.
func (e *authEnv) issued(tok string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, t := range e.tokens {
		if t == tok {
			return true
		}
	}
	return false
}

// waitExpiry waits until the session's access token, as its file says, has expired.
func (e *authEnv) waitExpiry(profile string) {
	e.t.Helper()
	at, err := time.Parse(time.RFC3339Nano, e.sessionOnDisk(profile)["accessTokenExpiresAt"].(string))
	if err != nil {
		e.t.Fatal(err)
	}
	time.Sleep(time.Until(at) + 100*time.Millisecond)
}

// Under the default store, with a real Secret Service: login puts the tokens in the keyring
// (secret-tool finds them) and none in any file (the scan when the test ends), status names
// the keyring, a refresh replaces the entry before use, logout removes it.
func TestAuthKeyringLoginRefreshStatusLogout(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: spawns processes")
	}
	k := testenv.SharedSecretService()
	k.RequireSecretService(t)
	e := newAuthEnv(t, authEnvOptions{Store: config.StoreAuto, TokenTTL: time.Second})
	code, _, stderr := e.runOnBus(k.Address, sandbox.Password, e.loginArgs()...)
	if code != exitOK || stderr != "" {
		t.Fatalf("login: exit %d, stderr %q", code, stderr)
	}
	access, refresh := e.keyringTokens(k, "default")
	if !e.issued(access) || !e.issued(refresh) {
		t.Errorf("the keyring holds tokens the server did not issue")
	}
	disk := e.sessionOnDisk("default")
	if disk["tokenStore"] != "keyring" || disk["accessToken"] != "" || disk["refreshToken"] != "" {
		t.Errorf("session file: tokenStore %v, tokens %q %q", disk["tokenStore"], disk["accessToken"], disk["refreshToken"])
	}

	code, out, stderr := e.runOnBus(k.Address, "", "auth", "status", "-o", "json")
	var st authStatus
	if code != exitOK || json.Unmarshal([]byte(out), &st) != nil {
		t.Fatalf("status: exit %d\n%s%s", code, out, stderr)
	}
	if st.SessionStore != "keyring" || st.Keyring != "Secret Service" || st.SessionStoreSetting != "auto" || st.SessionFile != e.sessionPath("default") {
		t.Errorf("status: store %q keyring %q setting %q file %q", st.SessionStore, st.Keyring, st.SessionStoreSetting, st.SessionFile)
	}
	if _, out, _ := e.runOnBus(k.Address, "", "auth", "status"); !strings.Contains(out, "\nSession store:  keyring (Secret Service)\n") {
		t.Errorf("status text:\n%s", out)
	}

	e.waitExpiry("default")
	before := e.sb.Stats().Refreshes
	if code, _, stderr := e.runOnBus(k.Address, "", "list", "-o", "json"); code != exitOK {
		t.Fatalf("list after expiry: exit %d\n%s", code, stderr)
	}
	if n := e.sb.Stats().Refreshes - before; n != 1 {
		t.Errorf("%d refreshes, want 1", n)
	}
	access2, refresh2 := e.keyringTokens(k, "default")
	if refresh2 == refresh || access2 == access || !e.issued(refresh2) {
		t.Errorf("the refresh did not replace the keyring's tokens")
	}
	if e.sb.Stats().RefreshTokenReuse != 0 {
		t.Errorf("a spent refresh token was presented again")
	}

	if code, _, stderr := e.runOnBus(k.Address, "", "auth", "logout"); code != exitOK {
		t.Fatalf("logout: exit %d\n%s", code, stderr)
	}
	if _, err := k.Lookup(config.KeyringService, config.KeyringAccount(e.cfg, "default")); err == nil {
		t.Errorf("logout left the keyring entry")
	}
	if _, err := os.Stat(e.sessionPath("default")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("logout left the session file: %v", err)
	}
}

// The refresh protocol holds with the tokens in the keyring: 10 processes at once, after the
// access token expired, all succeed and none presents a spent refresh token.
func TestAuthKeyringParallelProcessesNeverReuseARefreshToken(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: spawns processes")
	}
	k := testenv.SharedSecretService()
	k.RequireSecretService(t)
	e := newAuthEnv(t, authEnvOptions{Store: config.StoreAuto, TokenTTL: time.Second})
	if code, _, stderr := e.runOnBus(k.Address, sandbox.Password, e.loginArgs()...); code != exitOK {
		t.Fatalf("login: exit %d\n%s", code, stderr)
	}
	code, out, stderr := e.runOnBus(k.Address, "", "list", "-o", "json")
	var rows []map[string]any
	if code != exitOK || json.Unmarshal([]byte(out), &rows) != nil {
		t.Fatalf("list: exit %d\n%s", code, stderr)
	}
	before := e.sb.Stats().Refreshes
	e.parallelRefreshRounds(len(rows), 2, []string{"DBUS_SESSION_BUS_ADDRESS=" + k.Address})
	// At least one a round (more on a machine so loaded that a round outlives its token).
	if n := e.sb.Stats().Refreshes - before; n < 2 {
		t.Errorf("%d refreshes in 2 rounds, want one a round at least", n)
	}
	if _, refresh := e.keyringTokens(k, "default"); !e.issued(refresh) {
		t.Errorf("the keyring holds a refresh token the server did not issue")
	}
}

// A session saved by the file store keeps working under auto and moves to the keyring at
// its next save: the file then holds no token (the scan when the test ends).
func TestAuthKeyringMigratesAFileSession(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: spawns processes")
	}
	k := testenv.SharedSecretService()
	k.RequireSecretService(t)
	e := newAuthEnv(t, authEnvOptions{TokenTTL: time.Second})
	e.login(sandbox.AdminEmail) // the file store, as every session saved before the keyring
	if disk := e.sessionOnDisk("default"); disk["refreshToken"] == "" || disk["tokenStore"] != nil {
		t.Fatalf("not a file session: %v", disk["tokenStore"])
	}
	e.store = config.StoreAuto
	e.waitExpiry("default")
	if code, _, stderr := e.runOnBus(k.Address, "", "list", "-o", "json"); code != exitOK || stderr != "" {
		t.Fatalf("list: exit %d\n%s", code, stderr)
	}
	if _, refresh := e.keyringTokens(k, "default"); !e.issued(refresh) {
		t.Errorf("the keyring holds a refresh token the server did not issue")
	}
	if disk := e.sessionOnDisk("default"); disk["tokenStore"] != "keyring" || disk["refreshToken"] != "" {
		t.Errorf("session file after the save: tokenStore %v", disk["tokenStore"])
	}
	if code, _, stderr := e.runOnBus(k.Address, "", "list", "-o", "json"); code != exitOK {
		t.Errorf("list from the keyring: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := e.runOnBus(k.Address, "", "auth", "logout"); code != exitOK {
		t.Errorf("logout: exit %d\n%s", code, stderr)
	}
}

// session-store keyring with no session bus: login fails before asking anything, saying
// what to do, and nothing is saved.
func TestAuthKeyringRequiredButMissing(t *testing.T) {
	e := newAuthEnv(t, authEnvOptions{Store: config.StoreKeyring})
	code, _, stderr := e.run(sandbox.Password, e.loginArgs()...)
	want := "Error: the system keyring (Secret Service) is not available: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)\n" +
		"session-store is \"keyring\": run apikeys where the keyring answers (a desktop session, with its D-Bus session bus), or set session-store to \"auto\" or \"file\" (APIKEYS_SESSION_STORE) to keep the session in a file readable only by you\n"
	if code != exitError || stderr != want {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
	if n := e.sb.Stats().Requests; n != 0 {
		t.Errorf("%d requests sent", n)
	}
	if _, err := os.Stat(e.sessionPath("default")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a session was saved: %v", err)
	}
}

// Under auto with no session bus, the session goes to the file with one notice, at the
// first save only: later saves (the role recorded, a login again) say nothing.
func TestAuthAutoWithoutKeyringSavesToTheFileWithOneNotice(t *testing.T) {
	e := newAuthEnv(t, authEnvOptions{Store: config.StoreAuto})
	stderr := e.login(sandbox.AdminEmail)
	want := "Warning: the system keyring (Secret Service) is not available: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set); the session is saved in " +
		e.sessionPath("default") + " (mode 0600) (session-store \"file\" says so and silences this)\n"
	if stderr != want {
		t.Errorf("first login, stderr:\n%s\nwant:\n%s", stderr, want)
	}
	if stderr := e.login(sandbox.AdminEmail); stderr != "" {
		t.Errorf("second login, stderr:\n%s", stderr)
	}
	if st := e.status(); st.SessionStore != config.StoreFile || st.SessionStoreSetting != config.StoreAuto {
		t.Errorf("status: store %q setting %q", st.SessionStore, st.SessionStoreSetting)
	}
	if _, out, _ := e.run("", "auth", "status"); !strings.Contains(out, "\nSession store:  file "+e.sessionPath("default")+" (mode 0600)\n") {
		t.Errorf("status text:\n%s", out)
	}
}

// silentBus is a unix socket that accepts D-Bus connections and never answers, counting them.
type silentBus struct {
	ln       net.Listener
	accepted chan net.Conn
	mu       sync.Mutex
	conns    []net.Conn
}

func newSilentBus(t *testing.T) *silentBus {
	t.Helper()
	dir, err := os.MkdirTemp("", "apikeys-bus-") // short: a socket path has a length limit
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("unix", filepath.Join(dir, "bus"))
	if err != nil {
		t.Fatal(err)
	}
	b := &silentBus{ln: ln, accepted: make(chan net.Conn, 64)}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			b.accepted <- c
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		b.mu.Lock()
		for _, c := range b.conns {
			c.Close()
		}
		b.mu.Unlock()
		os.RemoveAll(dir)
	})
	return b
}

func (b *silentBus) address() string { return "unix:path=" + b.ln.Addr().String() }

// connections is how many connections clients made since the last call, all of them from
// processes that have exited. Connections are accepted in the order they were made, so once
// a connection of its own, made now, is accepted, every earlier one was: the count is exact,
// with no wait for a moment when nothing more comes. Each accepted connection is told apart
// from its own by what it holds: its own sent a marker, a client's holds what it wrote
// (D-Bus clients begin with a NUL byte) or nothing.
func (b *silentBus) connections(t *testing.T) int {
	t.Helper()
	const marker = "test-marker"
	mine, err := net.Dial("unix", b.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer mine.Close()
	if _, err := mine.Write([]byte(marker)); err != nil {
		t.Fatal(err)
	}
	n := 0
	for c := range b.accepted {
		b.mu.Lock()
		b.conns = append(b.conns, c)
		b.mu.Unlock()
		buf := make([]byte, len(marker))
		k, _ := io.ReadFull(c, buf)
		if string(buf[:k]) == marker {
			return n
		}
		n++
	}
	return n
}

// A keyring that accepts and never answers costs one timeout per process, not one per call:
// the login (which saves twice) ends, its session in the file with the notice, and the
// keyring was asked once.
func TestAuthHangingKeyringDoesNotHangTheCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: spawns processes and waits out a keyring timeout")
	}
	bus := newSilentBus(t)
	e := newAuthEnv(t, authEnvOptions{Store: config.StoreAuto})
	code, _, stderr := e.runOnBus(bus.address(), sandbox.Password, e.loginArgs()...)
	want := "Warning: the system keyring (Secret Service) is not available: no answer within 3s; the session is saved in " +
		e.sessionPath("default") + " (mode 0600) (session-store \"file\" says so and silences this)\n"
	if code != exitOK || stderr != want {
		t.Errorf("login: exit %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
	if n := bus.connections(t); n != 1 {
		t.Errorf("the keyring was asked over %d connections, want 1", n)
	}
	if disk := e.sessionOnDisk("default"); disk["tokenStore"] != nil || disk["refreshToken"] == "" {
		t.Errorf("session not in the file: tokenStore %v", disk["tokenStore"])
	}
	// A command that reads a file session asks no keyring.
	if code, _, stderr := e.runOnBus(bus.address(), "", "list", "-o", "json"); code != exitOK {
		t.Errorf("list: exit %d\n%s", code, stderr)
	}
	if n := bus.connections(t); n != 0 {
		t.Errorf("list asked the keyring (%d connections)", n)
	}
}

// `apikeys version` does not touch D-Bus: the keyring library's work waits for a session.
func TestVersionTouchesNoKeyring(t *testing.T) {
	bus := newSilentBus(t)
	e := newAuthEnv(t, authEnvOptions{Store: config.StoreAuto})
	if code, _, stderr := e.runOnBus(bus.address(), "", "version"); code != exitOK {
		t.Fatalf("version: exit %d\n%s", code, stderr)
	}
	if n := bus.connections(t); n != 0 {
		t.Errorf("version connected to the session bus %d times", n)
	}
}
