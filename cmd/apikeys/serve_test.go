package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeOverHTTP runs `sandbox serve` as a real process and drives a create → list →
// show → delete cycle through --api-url, logged in with APIKEYS_USERNAME/PASSWORD.
func TestServeOverHTTP(t *testing.T) {
	dir := t.TempDir()
	env := append(os.Environ(),
		"HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "c"), "XDG_STATE_HOME="+filepath.Join(dir, "s"),
		"XDG_CACHE_HOME="+filepath.Join(dir, "k"), "APIKEYS_SANDBOX_DATA="+filepath.Join(dir, "served.db"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	serve := exec.CommandContext(ctx, "apikeys", "sandbox", "serve")
	serve.Env = env
	stdout, err := serve.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); serve.Wait() }()
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var url string
	select {
	case url = <-lines:
	case <-time.After(20 * time.Second):
		t.Fatal("sandbox serve printed no URL within 20s")
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("first line %q is not a loopback URL", url)
	}
	client := append(env, "APIKEYS_API_URL="+url, "APIKEYS_USERNAME=admin@acme.example", "APIKEYS_PASSWORD=sandbox-password")
	run := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command("apikeys", args...)
		cmd.Env = client
		var out, errOut strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(errOut.String(), "sandbox-password") {
			t.Fatalf("stderr leaked the password: %s", errOut.String())
		}
		return out.String(), code
	}

	secret, code := run("create", "over-http", "--role", "editor", "--expires", "10d")
	if code != 0 || strings.Count(secret, "\n") != 1 || len(strings.TrimSpace(secret)) < 20 {
		t.Fatalf("create: exit %d, stdout %q", code, secret)
	}
	out, code := run("list", "-o", "json")
	var keys []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &keys) != nil {
		t.Fatalf("list: exit %d, %s", code, out)
	}
	found := false
	for _, k := range keys {
		if k["title"] == "over-http" && k["role"] == "editor" && k["status"] == "expiring" {
			found = true
		}
	}
	if !found || strings.Contains(out, strings.TrimSpace(secret)) {
		t.Fatalf("list does not show the new key, or shows its secret: %s", out)
	}
	if out, code = run("show", "over-http"); code != 0 || !strings.Contains(out, "over-http") {
		t.Fatalf("show: exit %d, %s", code, out)
	}
	if out, code = run("delete", "GeoServer sync", "--transfer-to", "erin@acme.example", "--yes", "-o", "json"); code != 0 || !strings.Contains(out, `"deleted": true`) {
		t.Fatalf("delete with transfer: exit %d, %s", code, out)
	}
	if _, code = run("show", "GeoServer sync"); code != 5 {
		t.Fatalf("show after delete: exit %d, want 5", code)
	}
	if _, code = run("delete", "over-http", "--yes"); code != 0 {
		t.Fatalf("delete: exit %d", code)
	}
}
