package cli

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/k2geospatial/apikeys/internal/sandbox"
)

// runAsSandboxAdmin runs args against apiURL logged in, through the environment, as the
// sandbox's administrator.
func runAsSandboxAdmin(t *testing.T, apiURL string, args ...string) (int, string, string) {
	t.Helper()
	return runWithEnvCredentials(t, apiURL, sandbox.AdminEmail, sandbox.Password, args...)
}

// seededOrgID is the sandbox's one organization.
const seededOrgID = "76ba117c-63e9-4b5e-82ce-01862e86eebf"

// sandboxAnsweringLists serves a sandbox whose key list and member list answer with list
// instead; it returns the server's URL and a count of the list calls it answered.
func sandboxAnsweringLists(t *testing.T, list http.HandlerFunc) (string, *atomic.Int32) {
	t.Helper()
	sb, err := sandbox.Open(sandbox.Options{Path: filepath.Join(t.TempDir(), "sandbox.db")})
	if err != nil {
		t.Fatal(err)
	}
	inner := sb.Handler()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; strings.HasSuffix(p, "/api-keys") || strings.HasSuffix(p, "/members") {
			calls.Add(1)
			list(w, r)
			return
		}
		inner.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { srv.Close(); sb.Close() })
	return srv.URL, &calls
}

// A 200 that is a web page (a proxy's sign-in page) fails, after the retries of an unreadable
// answer, saying it is a web page and what to do, instead of printing the JSON decoder's
// "jsontext: invalid character '<' at start of value" with no hint.
func TestWebPageAnswerFailsSayingSo(t *testing.T) {
	everyCommand := [][]string{{"list"}, {"show", "anything"}, {"delete", "anything", "--dry-run"}, {"members"}}
	for _, tc := range []struct {
		name, contentType, body string
		commands                [][]string
	}{
		{"labelled HTML", "text/html; charset=utf-8", "<!DOCTYPE html><title>Sign in</title>", everyCommand},
		{"labelled JSON", "application/json", "\n  <html><body>Sign in</body></html>", everyCommand[:1]},
	} {
		for _, args := range tc.commands {
			t.Run(tc.name+"/"+args[0], func(t *testing.T) {
				url, calls := sandboxAnsweringLists(t, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", tc.contentType)
					w.Write([]byte(tc.body))
				})
				code, out, errOut := runAsSandboxAdmin(t, url, args...)
				list := "api-keys"
				if args[0] == "members" {
					list = "members"
				}
				want := "Error: GET /api/ss/rest/v1/organizations/" + seededOrgID + "/" + list + ": unreadable answer from the server: " +
					"the answer is a web page (HTML), not JSON: something other than the JMap Cloud API answered, such as a proxy's sign-in page\n" +
					"Hint: check that --api-url points at the JMap Cloud API; behind a proxy that asks you to sign in, open " + url + " in a browser and sign in first\n"
				if code != exitError || out != "" || errOut != want || calls.Load() != 4 {
					t.Errorf("exit %d after %d list calls, stdout %q, stderr:\n%s\nwant exit 1 after 4 (the default attempts) and:\n%s", code, calls.Load(), out, errOut, want)
				}
			})
		}
	}
}

// A list answer of the wrong shape fails with exit 1 saying, in words, what the answer held
// where and what to check, never the JSON decoder's Go type names ("json: cannot unmarshal
// JSON object into Go []jmapcloud.wireMember") or package prefix ("jsontext: …").
func TestMisshapenListAnswerFailsInPlainWords(t *testing.T) {
	const hint = "Hint: check that --api-url points at the JMap Cloud API; `apikeys doctor` shows what its answers hold\n"
	for _, tc := range []struct{ name, command, body, list, problem string }{
		{"members as a page object", "members", `{"content":[],"totalElements":0}`, "members",
			"an object where a list was expected"},
		{"a member's numeric id", "members", `[{"id":42,"name":"Ann","email":"ann@example.com","roles":["ORG_EDITOR"]}]`, "members",
			"a number where a string was expected at /0/id"},
		{"keys cut short", "list", `[{"id":"6a0e8a55-0000-4000-8000-000000000001","title":"pro`, "api-keys",
			`not valid JSON: unexpected EOF within "/0/title" after offset 58`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url, _ := sandboxAnsweringLists(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(tc.body))
			})
			code, out, errOut := runAsSandboxAdmin(t, url, tc.command)
			want := "Error: GET /api/ss/rest/v1/organizations/" + seededOrgID + "/" + tc.list + ": unreadable answer from the server: " + tc.problem + "\n" + hint
			if code != exitError || out != "" || errOut != want {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 1 and:\n%s", code, out, errOut, want)
			}
		})
	}
}

// JSON labelled text/html, as some servers send it, is read: only an answer that is a web
// page is taken for one.
func TestJSONLabelledHTMLIsRead(t *testing.T) {
	url, _ := sandboxAnsweringLists(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`[{"id":"6a0e8a55-0000-4000-8000-000000000001","title":"labelled","role":"ORG_VIEWER"}]`))
	})
	code, out, errOut := runAsSandboxAdmin(t, url, "list", "-o", "csv", "--columns", "id,title", "--no-headers")
	if want := "6a0e8a55-0000-4000-8000-000000000001,labelled\n"; code != 0 || out != want || errOut != "" {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 0 and stdout %q", code, out, errOut, want)
	}
}
