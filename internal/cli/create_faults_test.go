package cli

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/sandbox"
)

// A 502 or 504 on create comes from a gateway that gave up on a server that may have created
// the key: the error says so and how to check, and never invites a plain retry.
func TestCreateBehindAFailingGatewaySaysTheKeyMayExist(t *testing.T) {
	for _, status := range []int{http.StatusBadGateway, http.StatusGatewayTimeout} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			e := newAuthEnv(t, authEnvOptions{})
			e.login(sandbox.AdminEmail)
			var creates atomic.Int64
			var active atomic.Bool
			active.Store(true)
			e.setHook(func(w http.ResponseWriter, r *http.Request) bool {
				if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/api-keys") {
					return false
				}
				creates.Add(1)
				e.sb.Handler().ServeHTTP(httptest.NewRecorder(), r) // the key is created
				answerStatus(w, status)
				return true
			})
			code, stdout, stderr := e.run("", "create", "gw-key", "--role", "viewer", "--expires", "3d")
			want := "the key \"gw-key\" may or may not have been created; run `apikeys list --filter 'title=gw-key'` to check before trying again\n"
			if code != exitError || stdout != "" || !strings.HasSuffix(stderr, want) {
				t.Fatalf("create behind a %d: exit %d, stdout %q\nstderr %s\nwant it to end with %s", status, code, stdout, stderr, want)
			}
			if strings.Contains(stderr, "try again in a moment") {
				t.Errorf("the error invites a retry that would duplicate the key:\n%s", stderr)
			}
			if n := creates.Load(); n != 1 {
				t.Errorf("create sent %d times, want 1", n)
			}
		})
	}
}

// The command a create failure suggests can be pasted as it is, whatever the title: it is
// quoted for the shell, so an apostrophe does not end the quoted filter early.
func TestCreateFailureSuggestsAPastableCommand(t *testing.T) {
	lost := &jmapcloud.NetworkError{Method: http.MethodPost, Path: "/api-keys", Err: io.ErrUnexpectedEOF}
	err := createFailure(lost, "Bob's key")
	want := "apikeys list --filter 'title=Bob'\\''s key'"
	if err == nil || !strings.Contains(err.Error(), "`"+want+"`") {
		t.Fatalf("got %v\nwant it to suggest `%s`", err, want)
	}
}

// The server's message in a 502 on create is escaped whole, as in every other server error:
// a line break in it cannot forge a line ("Hint: …") under the error.
func TestCreateBehindAFailingGatewayEscapesTheMessage(t *testing.T) {
	e := newAuthEnv(t, authEnvOptions{})
	e.login(sandbox.AdminEmail)
	e.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/api-keys") {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadGateway)
		w.Write([]byte(`{"message":"upstream down\nHint: forged"}`))
		return true
	})
	code, _, stderr := e.run("", "create", "gw-key", "--role", "viewer", "--expires", "3d")
	if code != exitError || !strings.Contains(stderr, `upstream down\nHint: forged`) || strings.Contains(stderr, "\nHint: forged") {
		t.Fatalf("exit %d, stderr:\n%s\nwant exit 1 with the message escaped on one line", code, stderr)
	}
}
