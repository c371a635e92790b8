package cli

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
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

// An empty result on a terminal is a sentence on stderr, not a box of headers; a pipe keeps
// the header line a script reads, and the other formats their empty document.
func TestEmptyListSaysSoOnATerminal(t *testing.T) {
	e := newGoldenEnv(t)
	for _, tc := range []struct {
		term           terminal
		args           []string
		stdout, stderr string
	}{
		{tty, []string{"list", "--filter", "title~no such key"}, "", "No API keys match.\n"},
		{colourTTY, []string{"list", "--expiring-within", "0s", "--no-headers"}, "", "No API keys match.\n"},
		{piped, []string{"list", "--filter", "title~no such key"}, "TITLE  ID  CREATOR  CREATED  EXPIRES\n", ""},
		{tty, []string{"list", "--filter", "title~no such key", "-o", "json"}, "[]\n", ""},
		{tty, []string{"list", "--filter", "title~no such key", "-o", "csv"}, "title,id,creator,created,expires\n", ""},
	} {
		r := e.run(tc.term, nil, "", tc.args...)
		if r.code != exitOK || r.stdout != tc.stdout || r.stderr != tc.stderr {
			t.Errorf("%s (%s): exit %d\nstdout %q, want %q\nstderr %q, want %q", shellLine(tc.args), tc.term, r.code, r.stdout, tc.stdout, r.stderr, tc.stderr)
		}
	}
}

func TestEmptyMembersAndResourcesSaySoOnATerminal(t *testing.T) {
	api := &fakeAPI{members: []jmapcloud.Member{{ID: "m1", Name: "Ada", Email: "ada@acme.example", Roles: []string{jmapcloud.RoleViewer}}}}
	for _, tc := range []struct {
		role           string
		tty            bool
		stdout, stderr string
	}{
		{"editor", true, "", "No members match.\n"},
		{"editor", false, "ID  NAME  EMAIL  ROLES\n", ""},
	} {
		streams, _, out, errOut := iostreams.Test()
		streams.SetTTY(tc.tty, tc.tty, tc.tty)
		var o opener
		err := runMembers(context.Background(), &membersOptions{IO: streams, Format: fixedFormat(output.Table), API: openFake[memberLister](&o, api), Role: tc.role})
		if err != nil || out.String() != tc.stdout || errOut.String() != tc.stderr {
			t.Errorf("members --role %s, terminal %v: %v\nstdout %q, want %q\nstderr %q, want %q", tc.role, tc.tty, err, out, tc.stdout, errOut, tc.stderr)
		}
	}

	for _, tc := range []struct {
		tty            bool
		stdout, stderr string
	}{
		{true, "", "The sandbox holds no resources.\n"},
		{false, "ID  TYPE  NAME  OWNER KIND  OWNER ID  OWNER\n", ""},
	} {
		var opened []sandbox.Options
		deps, streams := fakeSandboxDeps(&fakeSandbox{}, nil, output.Table, &opened)
		streams.SetTTY(tc.tty, tc.tty, tc.tty)
		err := runSandboxResources(context.Background(), &sandboxResourcesOptions{sandboxDeps: deps})
		out, errOut := outputs(streams)
		if err != nil || out != tc.stdout || errOut != tc.stderr {
			t.Errorf("sandbox resources, terminal %v: %v\nstdout %q, want %q\nstderr %q, want %q", tc.tty, err, out, tc.stdout, errOut, tc.stderr)
		}
	}
}

// Hints name what the command used: the profile and API URL to log in to, the variable
// whose token was refused, a refused connection as such.
func TestHintsNameWhatIsInUse(t *testing.T) {
	e := newGoldenEnv(t)
	r := e.run(piped, nil, "", "--profile", "eddie", "list")
	want := "Error: not logged in to https://api.jmapcloud.io (profile \"eddie\")\n" +
		"run `apikeys auth login --profile eddie`, set APIKEYS_TOKEN with --org, or try the local sandbox with --sandbox\n"
	if r.code != exitAuth || r.stdout != "" || r.stderr != want {
		t.Errorf("--profile eddie list: exit %d, stdout %q\nstderr:\n got %s\nwant %s", r.code, r.stdout, r.stderr, want)
	}

	r = e.run(piped, nil, "", "--profile", "eddie", "--api-url", e.url, "list")
	want = "Error: not logged in to $API_URL (profile \"eddie\")\n" +
		"run `apikeys auth login --profile eddie --api-url $API_URL`, set APIKEYS_TOKEN with --org, or try the local sandbox with --sandbox\n"
	if got := e.placeholders(r.stderr); r.code != exitAuth || got != want {
		t.Errorf("--profile eddie --api-url list: exit %d\nstderr:\n got %s\nwant %s", r.code, got, want)
	}

	t.Setenv("APIKEYS_TOKEN", "not-a-token")
	r = e.run(piped, nil, "", "list")
	const tokenHint = "Hint: the server refused the access token in APIKEYS_TOKEN: set it to a valid token, or unset it to use the profile's session\n"
	if r.code != exitAuth || strings.Count(r.stderr, "\n") != 2 || !strings.HasSuffix(r.stderr, tokenHint) || strings.Contains(r.stderr, "auth login") {
		t.Errorf("list with a bad APIKEYS_TOKEN: exit %d\nstderr:\n%s\nwant it to end with %s", r.code, r.stderr, tokenHint)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	r = e.run(piped, nil, "", "--api-url", closed, "list")
	refusedHint := "Hint: connection refused: nothing answers at " + closed + "; check --api-url, and that the server is running\n"
	if r.code != exitError || strings.Count(r.stderr, "\n") != 2 || !strings.HasSuffix(r.stderr, refusedHint) {
		t.Errorf("list against a closed port: exit %d\nstderr:\n%s\nwant it to end with %s", r.code, r.stderr, refusedHint)
	}
}

func TestUnauthorizedHintNamesTheProfileToLogIn(t *testing.T) {
	err := &jmapcloud.APIError{StatusCode: http.StatusUnauthorized}
	for _, tc := range []struct {
		s    *config.Settings
		want string
	}{
		{nil, "the session is missing or expired: run `apikeys auth login` (or use --sandbox)"},
		{&config.Settings{Profile: "default", APIURL: config.DefaultAPIURL}, "the session is missing or expired: run `apikeys auth login` (or use --sandbox)"},
		{&config.Settings{Profile: "eddie", APIURL: config.DefaultAPIURL + "/"}, "the session is missing or expired: run `apikeys auth login --profile eddie` (or use --sandbox)"},
		{&config.Settings{Profile: "qa", APIURL: "https://api.qa.jmapcloud.io"}, "the session is missing or expired: run `apikeys auth login --profile qa --api-url https://api.qa.jmapcloud.io` (or use --sandbox)"},
		{&config.Settings{Profile: "qa", Token: "t"}, "the server refused the access token in APIKEYS_TOKEN: set it to a valid token, or unset it to use the profile's session"},
	} {
		if got := hint(err, tc.s).String(); got != tc.want {
			t.Errorf("hint with %+v:\n got %s\nwant %s", tc.s, got, tc.want)
		}
	}
}
