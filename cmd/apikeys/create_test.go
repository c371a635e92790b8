package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/testenv"
)

// sandboxEnv is a private home and sandbox data file for one test.
func sandboxEnv(t *testing.T) []string {
	dir := t.TempDir()
	return append(os.Environ(),
		"HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "c"), "XDG_STATE_HOME="+filepath.Join(dir, "s"),
		"XDG_CACHE_HOME="+filepath.Join(dir, "k"), "APIKEYS_SANDBOX_DATA="+filepath.Join(dir, "sandbox.db"))
}

// The one test here that touches X: the secret lands on the clipboard of the package's own X
// server, and the detached clearer (this test binary, see TestMain) clears it after
// --clear-after. The clearer waits at a gate until the test has seen the secret, so no delay
// has to outlast the test's checks on a loaded machine.
func TestCreateCopiesAndClearsTheClipboard(t *testing.T) {
	xserver.RequireX(t)
	gate := testenv.NewGate(t)
	env := append(sandboxEnv(t), testenv.GateEnv+"="+gate.Path)
	out, errOut, code := runEnv(t, env, "--sandbox", "create", "clip", "--role", "viewer", "--expires", "3d", "--copy", "--clear-after", "1s")
	secret := strings.TrimSpace(out)
	if code != 0 || secret == "" {
		t.Fatalf("create: exit %d: %s", code, errOut)
	}
	if want := "Copied the secret to the clipboard; it will be cleared in 1s if still there.\n"; !strings.HasSuffix(errOut, want) {
		t.Errorf("stderr does not end %q: %s", want, errOut)
	}
	testenv.WaitClipboard(t, secret)
	gate.Open(t)
	testenv.WaitClipboard(t, "")
}

// Without any clipboard the key is still created, the command succeeds, stderr says why.
func TestCreateWithoutClipboardStillSucceeds(t *testing.T) {
	env := append(sandboxEnv(t), "DISPLAY=", "WAYLAND_DISPLAY=", "PATH=/nonexistent")
	out, errOut, code := runEnv(t, env, "--sandbox", "create", "noclip", "--role", "viewer", "--expires", "3d", "--copy")
	if code != 0 || strings.TrimSpace(out) == "" {
		t.Fatalf("create: exit %d, stdout %q: %s", code, out, errOut)
	}
	if !strings.Contains(errOut, "not copied") {
		t.Fatalf("stderr does not say the copy failed: %s", errOut)
	}
	if strings.Contains(errOut, strings.TrimSpace(out)) {
		t.Fatal("the secret appeared on stderr")
	}
}

// Without a terminal and with flags missing, create exits 2 at once and prints no prompt.
func TestCreateWithoutTerminalFailsFast(t *testing.T) {
	env := sandboxEnv(t)
	// Stdin is the null device: a prompt would fail rather than wait, and a hang is bounded
	// by runEnv. No clock is read: on a loaded machine start-up alone can take seconds.
	out, errOut, code := runEnv(t, env, "--sandbox", "create", "--role", "viewer")
	if code != 2 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	if !strings.Contains(errOut, "--title") || !strings.Contains(errOut, "--expires") || strings.Contains(errOut, "--role") {
		t.Fatalf("stderr should name exactly the missing flags: %s", errOut)
	}
}

// K=$(apikeys create ...) is the secret alone, and the server authenticates it as that key.
func TestCreatedSecretAuthenticatesAsTheKey(t *testing.T) {
	url, env := startServe(t)
	out, errOut, code := runEnv(t, env, "create", "ci", "--role", "viewer", "--expires", "30d")
	if code != 0 {
		t.Fatalf("create: exit %d: %s", code, errOut)
	}
	if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") {
		t.Fatalf("stdout is not the secret alone: %q", out)
	}
	secret := strings.TrimSpace(out)
	org := orgID(t, url)
	get := func(key string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, url+"/api/ss/rest/v1/organizations/"+org+"/api-keys", nil)
		req.Header.Set("Api-Key", key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body struct {
			Message string `json:"message"`
		}
		if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
			t.Fatalf("reading the error body: %v", err)
		}
		return res.StatusCode, body.Message
	}
	if status, msg := get(secret); status != http.StatusForbidden || msg != "API keys cannot manage API keys" {
		t.Fatalf("with the new key: %d %q, want 403 \"API keys cannot manage API keys\"", status, msg)
	}
	if status, _ := get(secret + "x"); status != http.StatusUnauthorized {
		t.Fatalf("with a wrong key: %d, want 401", status)
	}
}

// orgID asks the served sandbox, as the admin, which organization it is.
func orgID(t *testing.T, url string) string {
	t.Helper()
	body := strings.NewReader(`{"username":"admin@acme.example","password":"sandbox-password"}`)
	res, err := http.Post(url+"/api/ss/rest/v1/authenticate", "application/json", body)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var auth struct {
		Result struct {
			AccessToken string `json:"accessToken"`
		} `json:"result"`
	}
	if err := json.NewDecoder(res.Body).Decode(&auth); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, url+"/api/ss/rest/v1/users/self", nil)
	req.Header.Set("Authorization", "Bearer "+auth.Result.AccessToken)
	res2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res2.Body.Close()
	var raw map[string]json.RawMessage
	if err := json.NewDecoder(res2.Body).Decode(&raw); err != nil {
		t.Fatalf("users/self: %v", err)
	}
	if r, ok := raw["result"]; ok {
		if err := json.Unmarshal(r, &raw); err != nil {
			t.Fatalf("users/self result: %v", err)
		}
	}
	var orgs []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw["organizations"], &orgs); err != nil || len(orgs) != 1 {
		t.Fatalf("users/self: %v", raw)
	}
	return orgs[0].ID
}
