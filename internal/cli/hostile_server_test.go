package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/k2geospatial/apikeys/internal/iostreams"
)

// runWithEnvLogin runs args against apiURL with APIKEYS_USERNAME/PASSWORD set.
func runWithEnvLogin(t *testing.T, apiURL string, args ...string) (int, string, string) {
	t.Helper()
	return runWithEnvCredentials(t, apiURL, "ann@example.com", "hunter2-Pa55", args...)
}

// runWithEnvCredentials runs args against apiURL logged in, through the environment, as
// user, with fresh configuration, state and cache directories.
func runWithEnvCredentials(t *testing.T, apiURL, user, password string, args ...string) (int, string, string) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	t.Setenv("APIKEYS_API_URL", apiURL)
	t.Setenv("APIKEYS_USERNAME", user)
	t.Setenv("APIKEYS_PASSWORD", password)
	streams, _, out, errOut := iostreams.Test()
	code := run(context.Background(), newFactory(streams, "test", os.Getenv), args)
	return code, out.String(), errOut.String()
}

// A redirect fails the command with exit 1, naming the target and the --api-url to use; the
// target receives nothing, so the password stays with the server it was meant for.
func TestRedirectFailsNamingTheAddressToUse(t *testing.T) {
	var reached atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached.Add(1) }))
	defer target.Close()
	base := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer base.Close()
	code, out, errOut := runWithEnvLogin(t, base.URL, "list")
	want := "Error: POST /api/ss/rest/v1/authenticate: the server answered HTTP 307, a redirect to " + target.URL +
		"/api/ss/rest/v1/authenticate; apikeys follows no redirect, since it would send credentials to another address\n" +
		"Hint: if the API has moved there, pass --api-url " + target.URL + "\n"
	if code != exitError || out != "" || errOut != want {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 1 and:\n%s", code, out, errOut, want)
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("the redirect target received %d requests", n)
	}
}

// An answer over the cap fails with exit 1 and says so, instead of "unexpected end of JSON".
func TestTooLargeAnswerFailsSayingSo(t *testing.T) {
	base := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1099511627776")
		w.Write([]byte(`{"accessToken":"`))
	}))
	defer base.Close()
	code, out, errOut := runWithEnvLogin(t, base.URL, "list")
	want := "Error: POST /api/ss/rest/v1/authenticate: the server's answer is larger than 32 MiB, the most apikeys reads from one answer; it was not used\n" +
		"Hint: check that --api-url points at the JMap Cloud API\n"
	if code != exitError || out != "" || errOut != want {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 1 and:\n%s", code, out, errOut, want)
	}
}

// A 429 whose Retry-After is longer than apikeys waits fails at once (exit 1) with a hint
// that says why, instead of waiting a day or retrying against the server's wish.
func TestRateLimitBeyondTheWaitSaysTryLater(t *testing.T) {
	// The last three are too large for a time.Duration: they are the longest wait too (they
	// once wrapped to a negative wait, and the call was sent again at once, four times).
	for _, retryAfter := range []string{"100000", "18446744073", "9223372036854775807", strings.Repeat("9", 40)} {
		t.Run(retryAfter, func(t *testing.T) {
			var requests atomic.Int32
			base := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				w.Header().Set("Retry-After", retryAfter)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusTooManyRequests)
				w.Write([]byte(`{"message":"slow down"}`))
			}))
			defer base.Close()
			code, out, errOut := runWithEnvLogin(t, base.URL, "list")
			want := "Error: POST /api/ss/rest/v1/authenticate: HTTP 429: slow down\n" +
				"Hint: the server is limiting requests and asked for a longer wait than apikeys makes; try again later\n"
			if code != exitError || out != "" || errOut != want || requests.Load() != 1 {
				t.Errorf("exit %d after %d requests, stdout %q, stderr:\n%s\nwant exit 1 after 1 and:\n%s", code, requests.Load(), out, errOut, want)
			}
		})
	}
}
