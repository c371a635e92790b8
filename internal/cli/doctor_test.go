package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
	"github.com/k2geospatial/apikeys/internal/testenv/variantapi"
)

// latencyLine is the one figure of the checklist that varies from run to run: its line (and
// the fix a slow machine would add) is normalised, so a stalled test machine does not fail it.
var latencyLine = regexp.MustCompile(`  . latency: (<1|\d+) ms \(GET users/self\)\n(      fix: .*\n)?`)

func normaliseDoctor(s string) string {
	return latencyLine.ReplaceAllString(s, "  ✓ latency: N ms (GET users/self)\n")
}

// `apikeys --sandbox doctor` is all ✓ and exits 0: the sandbox speaks the API as API.md
// assumes it. The checklist is pinned whole, its latency normalised.
func TestGoldenDoctorSandbox(t *testing.T) {
	hermeticEnv(t)
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("APIKEYS_SANDBOX_DATA", filepath.Join(dir, "sandbox.db"))
	streams, _, out, errOut := iostreams.Test()
	code := run(context.Background(), newFactory(streams, "test", os.Getenv), []string{"--sandbox", "doctor"})
	if code != exitOK || errOut.String() != "" {
		t.Fatalf("exit %d, stderr:\n%s\nstdout:\n%s", code, errOut, out)
	}
	got := normaliseDoctor(out.String())
	if strings.Contains(got, "✗") || strings.Contains(got, "\n  ! ") {
		t.Errorf("the sandbox is not all ✓:\n%s", got)
	}
	checkGolden(t, "doctor-sandbox.txt", got)
}

// Against a server of another dialect the doctor exits 0 (every command works against it)
// and reports each variant it met, with the file and struct to correct.
func TestDoctorReportsEachVariant(t *testing.T) {
	v := variantapi.New(t)
	code, out, errOut := runAgainstVariant(t, v, "doctor", "--write", "--yes")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr:\n%s\nstdout:\n%s", code, errOut, out)
	}
	for _, want := range []string{
		// The envelope on some answers and not others.
		"  ✓ GET /api/ss/rest/v1/users/self: HTTP 200, object, in the {\"message\",\"result\"} envelope\n",
		"  ✓ GET /api/ss/rest/v1/organizations/{org}/members/self: HTTP 200, object, no envelope\n",
		// Spring pages, capped below the client's page size.
		"  ! GET /api/ss/rest/v1/organizations/{org}/api-keys: HTTP 200, page object, no envelope\n",
		"      page: list ← content, total ← totalElements\n",
		"      page members apikeys does not read: first, last, number, size, totalPages\n",
		"      first page: 20 of 45 keys stated; apikeys asked for 1000 a page, the server pages by 20 (apikeys follows the pages)\n",
		// name for title, roles for role.
		"      API key ×20: id, title ← name (API.md: title), role ← roles (API.md: role), email, createdBy, creationDate, expirationDate\n",
		"put name first in the doctor:\"title\" group of wireKey in internal/jmapcloud/wire.go\n",
		"put roles first in the doctor:\"role\" group of wireKey in internal/jmapcloud/wire.go\n",
		// Dates with offsets and milliseconds.
		"      API key dates: creationDate 9999-99-99T99:99:99.999-99:99 (all read, offsets other than UTC); expirationDate 9999-99-99T99:99:99.999+99:99 (all read, offsets other than UTC)\n",
		// Members the CLI does not know.
		"      API key members apikeys does not read: enabled, lastUsed\n",
		"      user members apikeys does not read: locale\n",
		"      member members apikeys does not read: status\n",
		"      resource members apikeys does not read: createdAt\n",
		// 200 for 201 and 204; the secret under another name.
		"      fix: HTTP 200 where API.md assumes 201 (apikeys accepts any 2xx): correct API.md\n",
		"  ! secret: came back in the member secret, not apiKey as API.md assumes\n",
		"      fix: HTTP 200 where API.md assumes 204 (apikeys accepts any 2xx): correct API.md\n",
		"\nEverything apikeys needs matched.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no line %q in:\n%s", want, out)
		}
	}
	if got := v.Titles(); len(got) != variantapi.KeyCount {
		t.Errorf("the doctor's key was left behind: %d keys", len(got))
	}
	if n := v.Requests(); n > 20 {
		t.Errorf("%d requests for one doctor run", n)
	}
}

// --report holds field names, types, status codes and shapes, and not one of the values the
// server planted: tokens, password, secrets, titles, emails, IDs, names.
func TestDoctorReportHoldsNoValue(t *testing.T) {
	v := variantapi.New(t)
	path := filepath.Join(t.TempDir(), "report.json")
	code, out, errOut := runAgainstVariant(t, v, "doctor", "--write", "--yes", "--report", path, "-o", "json")
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	if errOut != "Report written to "+path+": names, types, status codes and shapes only.\n" {
		t.Errorf("stderr %q", errOut)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	report := string(data)
	p := v.Planted
	planted := map[string]string{
		"username": p.Username, "password": p.Password, "access token": p.AccessToken, "refresh token": p.RefreshToken,
		"organization ID": p.OrgID, "organization name": p.OrgName, "admin ID": p.AdminID, "editor ID": p.EditorID,
		"viewer ID": p.ViewerID, "editor email": p.EditorEmail, "key ID": p.KeyIDPrefix, "key title": p.KeyTitlePrefix,
		"key email": p.KeyEmailPrefix, "secret": p.SecretPrefix, "resource name": p.ResourceName,
		"doctor's key title": "apikeys-doctor-", "server URL": v.URL, "member name": "Eddie Editor",
		"user name": "Pat Variant", "server error text": "planted",
	}
	for what, value := range planted {
		if strings.Contains(strings.ToLower(report), strings.ToLower(value)) {
			t.Errorf("the report holds the %s %q", what, value)
		}
	}
	for _, secret := range v.Secrets() {
		if strings.Contains(out, secret) {
			t.Errorf("-o json holds the secret")
		}
	}
	// It is the report still: valid JSON, with the names and statuses.
	var r struct {
		OK       bool `json:"ok"`
		Sections []struct {
			Name string `json:"name"`
		} `json:"sections"`
	}
	if err := json.Unmarshal(data, &r); err != nil || !r.OK || len(r.Sections) != 5 {
		t.Errorf("report %v %+v", err, r)
	}
	for _, want := range []string{`"matched": [`, `"name"`, `"roles"`, `"status": 200`, `"expectedStatus": 201`, `"totalPages"`, `"form": "page object"`} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %s", want)
		}
	}
	// -o json is the same report, with the values.
	if !strings.Contains(out, `"value": "Planted Variant Org (`+p.OrgID+`)"`) {
		t.Errorf("-o json lacks the organization:\n%s", out)
	}
}

// A --report the report could not be written to, and --yes without --write, are usage
// errors (exit 2) before anything is sent, each saying what to do; a read-only report file
// is left as it was.
func TestDoctorRefusesBadReportAndLoneYes(t *testing.T) {
	dir := t.TempDir()
	readOnly := filepath.Join(dir, "kept.json")
	if err := os.WriteFile(readOnly, []byte("kept\n"), 0o444); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing", "report.json")
	notDir := filepath.Join(readOnly, "report.json")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--report", dir}, "--report " + dir + " is a directory: give a file name, e.g. --report " + filepath.Join(dir, "doctor.json")},
		{[]string{"--report", missing}, "--report " + missing + ": the directory " + filepath.Dir(missing) + " does not exist: create it, or give a file in an existing directory"},
		{[]string{"--report", notDir}, "--report " + notDir + ": " + readOnly + " is not a directory: give a file in an existing directory"},
		{[]string{"--report", readOnly}, "--report " + readOnly + " is read-only: make it writable (chmod u+w), or give another file"},
		{[]string{"--report", "-"}, "--report - would write a file named \"-\": give a file name (-o json prints the whole report on stdout)"},
		{[]string{"--yes"}, "--yes confirms --write, which was not given: add --write to also create and delete a test key, or leave --yes out"},
	} {
		v := variantapi.New(t)
		code, out, errOut := runAgainstVariant(t, v, append([]string{"doctor"}, tc.args...)...)
		want := "Error: " + tc.want + "\nRun 'apikeys doctor --help' for usage.\n"
		if code != exitUsage || out != "" || errOut != want {
			t.Errorf("%q: exit %d, stdout %q, stderr:\n%s\nwant:\n%s", tc.args, code, out, errOut, want)
		}
		if n := v.Requests(); n != 0 {
			t.Errorf("%q: %d requests were sent", tc.args, n)
		}
	}
	if data, err := os.ReadFile(readOnly); err != nil || string(data) != "kept\n" {
		t.Errorf("the read-only file now holds %q (%v)", data, err)
	}
}

// --write without a terminal and without --yes is a usage error (exit 2) before anything
// is sent; declined at the prompt, it is cancelled (exit 3), nothing sent either.
func TestDoctorWriteAsksFirst(t *testing.T) {
	v := variantapi.New(t)
	code, out, errOut := runAgainstVariant(t, v, "doctor", "--write")
	want := "Error: --write creates an API key and deletes it again: pass --yes to allow it without a terminal\n" +
		"Run 'apikeys doctor --help' for usage.\n"
	if code != exitUsage || out != "" || errOut != want {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant:\n%s", code, out, errOut, want)
	}
	if n := v.Requests(); n != 0 {
		t.Errorf("%d requests were sent", n)
	}

	streams, _, stdout, stderr := iostreams.Test()
	streams.SetTTY(true, true, true)
	asked := prompt.NewScripted(false)
	f := newFactory(streams, "test", os.Getenv)
	f.Prompter = func() prompt.Prompter { return asked }
	code = run(context.Background(), f, []string{"doctor", "--write"})
	if code != exitCancelled || stdout.String() != "" || v.Requests() != 0 {
		t.Errorf("declined: exit %d, %d requests, stdout %q, stderr %q", code, v.Requests(), stdout, stderr)
	}
	if q := asked.Asked(); len(q) != 1 || !strings.HasPrefix(q[0], `Create the Viewer key "apikeys-doctor-`) {
		t.Errorf("asked %q", q)
	}
}

// Not logged in, the doctor still prints its checklist: the credentials ✗ says how to log
// in, nothing is sent, and the exit status is 1 (something apikeys needs is missing).
func TestDoctorNotLoggedIn(t *testing.T) {
	hermeticEnv(t)
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	streams, _, out, errOut := iostreams.Test()
	code := run(context.Background(), newFactory(streams, "test", os.Getenv), []string{"doctor"})
	want := "Configuration\n" +
		"  ✓ profile: default\n" +
		"  ✓ API URL: https://api.jmapcloud.io\n" +
		"  ✗ credentials: the profile's saved session: no session could be opened\n" +
		"      error: not logged in to https://api.jmapcloud.io (profile \"default\")\n" +
		"             run `apikeys auth login`, set APIKEYS_TOKEN with --org, or try the local sandbox with --sandbox\n" +
		"      fix: log in with `apikeys auth login` (or set APIKEYS_TOKEN with --org), then run the doctor again\n" +
		"  ✓ session store: file " + filepath.Join(dir, "config", "apikeys", "sessions", "default.json") + " (mode 0600)\n" +
		"\nNot everything apikeys needs matched (1 ✗): each says what to correct.\n"
	if code != exitError || out.String() != want || errOut.String() != "" {
		t.Errorf("exit %d, stderr %q, stdout:\n%s\nwant:\n%s", code, errOut, out, want)
	}
}

// On a terminal, --write asks with the real prompt; yes creates the key, checks it and
// deletes it: against the sandbox every check is ✓ and no doctor's key is left.
func TestDoctorWriteConfirmedOnATerminal(t *testing.T) {
	ts := newTestSandbox(t)
	before := ts.state()
	c := ptytest.New(t)
	wait := ptyRun(t, ts, c, "doctor", "--write")
	c.ExpectString(`Create the Viewer key "apikeys-doctor-`)
	c.Send("y" + ptytest.KeyEnter)
	c.ExpectString("Everything apikeys needs matched.")
	if code := wait(); code != exitOK {
		t.Fatalf("exit %d\n%s", code, c.Screen())
	}
	for _, want := range []string{"✓ secret: came back in the member apiKey", "✓ delete DELETE /api/ss/rest/v1/organizations/{org}/api-keys/{id}: HTTP 204"} {
		if !strings.Contains(c.Output(), want) {
			t.Errorf("no %q in:\n%s", want, c.Output())
		}
	}
	if after := ts.state(); after != before {
		t.Errorf("the sandbox changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}
