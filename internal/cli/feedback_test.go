package cli

import (
	"testing"

	"github.com/k2geospatial/apikeys/internal/sandbox"
)

// On a terminal, login and logout say what they did, in the words a person reads; in a pipe
// they stay silent (the golden environment's own login checks that).
func TestLoginAndLogoutSayWhatTheyDidOnATerminal(t *testing.T) {
	e := newGoldenEnv(t)
	r := e.run(tty, nil, sandbox.Password+"\n", "auth", "login", "--api-url", e.url, "--username", sandbox.AdminEmail, "--password-stdin")
	got := e.placeholders(r.stderr)
	want := "Logged in to Acme Geospatial as " + sandbox.AdminEmail + " (Admin).\n" +
		`Profile "default" at $API_URL; session saved in $TMP/config/apikeys/sessions/default.json.` + "\n"
	if r.code != exitOK || r.stdout != "" || got != want {
		t.Errorf("login: exit %d, stdout %q\nstderr:\n got %s\nwant %s", r.code, r.stdout, got, want)
	}

	r = e.run(tty, nil, "", "auth", "logout")
	got = e.placeholders(r.stderr)
	want = "Logged out " + sandbox.AdminEmail + ` from $API_URL (profile "default").` + "\n"
	if r.code != exitOK || r.stdout != "" || got != want {
		t.Errorf("logout: exit %d, stdout %q\nstderr:\n got %s\nwant %s", r.code, r.stdout, got, want)
	}
}
