package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestServeOverHTTP runs `sandbox serve` as a real process and drives a create → list →
// show → delete cycle through --api-url, logged in with APIKEYS_USERNAME/PASSWORD.
func TestServeOverHTTP(t *testing.T) {
	url, client := startServe(t)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("first line %q is not a loopback URL", url)
	}
	run := func(args ...string) (string, int) {
		t.Helper()
		out, errOut, code := runEnv(t, client, args...)
		if strings.Contains(errOut, "sandbox-password") {
			t.Fatalf("stderr leaked the password: %s", errOut)
		}
		return out, code
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

// startServe runs `apikeys sandbox serve` with extra flags on a fresh data file and returns
// its base URL and the environment of a client logged in as the administrator per invocation.
func startServe(t *testing.T, flags ...string) (string, []string) {
	t.Helper()
	url, env := startServeEnv(t, sandboxEnv(t), flags...)
	return url, append(env, "APIKEYS_USERNAME=admin@acme.example", "APIKEYS_PASSWORD=sandbox-password")
}

// startServeEnv serves the data file named in env; stopServe (or the test's end) stops it.
func startServeEnv(t *testing.T, env []string, flags ...string) (string, []string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	serve := exec.CommandContext(ctx, "apikeys", append([]string{"sandbox", "serve"}, flags...)...)
	serve.Env = env
	stdout, err := serve.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	stop := func() { cancel(); _ = serve.Wait() } // killed by cancel: its exit status says nothing
	servers.Store(t.Name(), stop)
	t.Cleanup(stop)
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case url := <-lines:
		return url, append(env, "APIKEYS_API_URL="+url)
	case <-time.After(20 * time.Second):
		t.Fatal("sandbox serve printed no URL within 20s")
	}
	return "", nil
}

// servers holds each test's serve process so stopServe can end it before the test does.
var servers sync.Map

func stopServe(t *testing.T) {
	if stop, ok := servers.LoadAndDelete(t.Name()); ok {
		stop.(func())()
	}
}

// runEnv runs apikeys with env and returns stdout, stderr and the exit code.
func runEnv(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	return runBounded(t, env, args...)
}

// 50 concurrent processes create keys and half delete theirs: no lost or doubled write.
func TestConcurrentClientsCreateAndDelete(t *testing.T) {
	_, env := startServe(t)
	count := func() int {
		out, errOut, code := runEnv(t, env, "list", "-o", "csv", "--columns", "id", "--no-headers")
		if code != 0 {
			t.Fatalf("list: exit %d: %s", code, errOut)
		}
		return strings.Count(out, "\n")
	}
	before := count()
	const clients = 50
	var wg sync.WaitGroup
	errs := make(chan string, clients)
	var deletes atomic.Int64
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			title := fmt.Sprintf("concurrent-%02d", i)
			if _, errOut, code := runEnv(t, env, "create", title, "--role", "viewer", "--expires", "5d"); code != 0 {
				errs <- fmt.Sprintf("create %s: exit %d: %s", title, code, errOut)
				return
			}
			if i%2 == 0 {
				if _, errOut, code := runEnv(t, env, "delete", title, "--yes"); code != 0 {
					errs <- fmt.Sprintf("delete %s: exit %d: %s", title, code, errOut)
					return
				}
				deletes.Add(1)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if got, want := count(), before+clients-int(deletes.Load()); got != want {
		t.Fatalf("final key count %d, want %d (before %d + %d creates - %d deletes)", got, want, before, clients, deletes.Load())
	}
}
