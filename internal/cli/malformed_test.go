package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
)

const (
	goodKeyID    = "11111111-1111-4111-8111-111111111111"
	badDateKeyID = "22222222-2222-4222-8222-222222222222"
	badTitleID   = "33333333-3333-4333-8333-333333333333"
)

// malformedKeys is an organization where one key has an unreadable expiry (carrying an
// escape sequence), one has no ID and a numeric creator, and one a numeric title.
const malformedKeys = `[
{"id":"` + goodKeyID + `","title":"good","role":"ORG_EDITOR","createdBy":"Ada","expirationDate":"2027-06-01T00:00:00Z"},
{"id":"` + badDateKeyID + `","title":"bad date","role":"ORG_VIEWER","createdBy":"Ada","expirationDate":"tomorrow\u001b[31m"},
{"title":"no id","role":"ORG_VIEWER","createdBy":5,"expirationDate":"2027-01-01T00:00:00Z"},
{"id":"` + badTitleID + `","title":42,"role":"ORG_VIEWER","createdBy":"Ada","expirationDate":"2027-03-01T00:00:00Z"}
]`

// malformedServer serves malformedKeys as the list, each key's resources as none, and
// records every DELETE.
type malformedServer struct {
	url     string
	mu      sync.Mutex
	deletes []string
}

func newMalformedServer(t *testing.T) *malformedServer {
	t.Helper()
	ms := &malformedServer{}
	keys := "/api/ss/rest/v1/organizations/org/api-keys"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == keys:
			_, _ = w.Write([]byte(malformedKeys))
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/resources"):
			_, _ = w.Write([]byte(`[]`))
		case r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, keys+"/"):
			ms.mu.Lock()
			ms.deletes = append(ms.deletes, strings.TrimPrefix(r.URL.Path, keys+"/"))
			ms.mu.Unlock()
			w.WriteHeader(http.StatusNoContent)
		default:
			http.Error(w, `{"message":"test server: not served"}`, http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	ms.url = srv.URL
	return ms
}

// run executes one command line against the server with a static token.
func (ms *malformedServer) run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	streams, _, out, errOut := iostreams.Test()
	f := newFactory(streams, "test", func(string) string { return "" })
	f.Now = func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }
	f.Session = func(context.Context) (*Session, error) {
		c, err := jmapcloud.New(jmapcloud.Options{BaseURL: ms.url, Tokens: jmapcloud.StaticToken("t"), Retry: jmapcloud.RetryPolicy{MaxAttempts: 1}})
		return &Session{Client: c, Org: "org"}, err
	}
	code := run(context.Background(), f, args)
	return code, out.String(), errOut.String()
}

const (
	warnBadDate  = `Warning: API key ` + badDateKeyID + `: unreadable from the server, left empty: expirationDate: not a date: "tomorrow\x1b[31m"`
	warnNoID     = `Warning: API key titled "no id": unreadable from the server, left empty: createdBy: a number, not a string; it has no ID, so it cannot be named by ID or deleted`
	warnBadTitle = `Warning: API key ` + badTitleID + `: unreadable from the server, left empty: title: a number, not a string`
)

// TestMalformedKeysDoNotBreakTheOrganization: list, show and delete work on the keys that
// can be read, warn once per malformed key naming it and the field, and exit non-zero only
// where the unreadable field decides the outcome.
func TestMalformedKeysDoNotBreakTheOrganization(t *testing.T) {
	tests := []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string
		deletes        string
	}{
		{
			name: "list shows every key",
			args: []string{"list", "-o", "csv", "--columns", "id,title,creator,expires,status"},
			stdout: "id,title,creator,expires,status\n" +
				",no id,,2027-01-01T00:00:00Z,active\n" +
				badTitleID + ",,Ada,2027-03-01T00:00:00Z,active\n" +
				goodKeyID + ",good,Ada,2027-06-01T00:00:00Z,active\n" +
				badDateKeyID + ",bad date,Ada,,unknown\n",
			stderr: warnBadDate + "\n" + warnNoID + "\n" + warnBadTitle + "\n",
		},
		{
			name: "a filter on the unreadable field leaves the key out and exits 1",
			args: []string{"list", "-o", "csv", "--columns", "title", "--filter", "status=active", "--filter", "role=viewer"},
			code: 1,
			stdout: "title\n" +
				"no id\n" +
				"\n",
			stderr: warnBadDate + "; left out: the filter on status needs it\n" + warnNoID + "\n" + warnBadTitle + "\n" +
				"Error: 1 API key left out: a filter reads status, which the server sent unreadable (see the warnings)\n",
		},
		{
			name:   "a filter on other fields decides without a warning",
			args:   []string{"list", "-o", "csv", "--columns", "title", "--filter", "role=editor"},
			stdout: "title\ngood\n",
		},
		{
			name:   "sorting on the unreadable field exits 1",
			args:   []string{"list", "-o", "csv", "--columns", "title", "--sort", "-expires"},
			code:   1,
			stdout: "title\nbad date\ngood\n\nno id\n",
			stderr: warnBadDate + "\n" + warnNoID + "\n" + warnBadTitle + "\n" +
				"Error: the order is uncertain: keys sorted by expires lack it and are placed as if it were unset (see the warnings)\n",
		},
		{
			name:   "sorting on a readable field, filtering on the unreadable one",
			args:   []string{"list", "-o", "csv", "--columns", "title", "--sort", "-title", "--filter", "expires<2027-02-01"},
			code:   1,
			stdout: "title\nno id\n",
			stderr: warnBadDate + "; left out: the filter on expires needs it\n" + warnNoID + "\n" +
				"Error: 1 API key left out: a filter reads expires, which the server sent unreadable (see the warnings)\n",
		},
		{
			name:   "show by title",
			args:   []string{"show", "bad date", "-o", "csv"},
			stdout: "id,title,role,creator,email,created,expires,status\n" + badDateKeyID + ",bad date,viewer,Ada,,,,unknown\n",
			stderr: warnBadDate + "\n",
		},
		{
			name:   "show of a key without an ID",
			args:   []string{"show", "no id", "-o", "csv"},
			stdout: "id,title,role,creator,email,created,expires,status\n,no id,viewer,,,,2027-01-01T00:00:00Z,active\n",
			stderr: warnNoID + "\n",
		},
		{
			name: "a title not found names the keys whose title is unreadable",
			args: []string{"show", "nosuch"},
			code: 5,
			stderr: warnBadTitle + "; a title cannot find it\n" +
				"Error: no API key with ID or title \"nosuch\"\nrun `apikeys list` to see the keys\n",
		},
		{
			name:    "delete by title",
			args:    []string{"delete", "bad date", "--yes", "-o", "json"},
			stdout:  "[\n  {\n    \"id\": \"" + badDateKeyID + "\",\n    \"title\": \"bad date\",\n    \"resources\": [],\n    \"action\": \"none\",\n    \"transferTo\": null,\n    \"deleted\": true\n  }\n]\n",
			stderr:  warnBadDate + "\n",
			deletes: badDateKeyID,
		},
		{
			name:   "delete of a key without an ID",
			args:   []string{"delete", "no id", "--yes"},
			code:   1,
			stderr: warnNoID + "\n" + "Error: API key titled \"no id\" has no ID, so it cannot be deleted; nothing was deleted\nselect only keys that have an ID (see the warning)\n",
		},
		{
			name: "delete selecting on the unreadable field changes nothing",
			args: []string{"delete", "--filter", "expires<2027-04-01", "--yes"},
			code: 1,
			stderr: warnBadDate + "; a filter on expires cannot tell whether it matches\n" + warnNoID + "\n" + warnBadTitle + "\n" +
				"Error: 1 API key cannot be tested against the filters: a field they read is unreadable from the server; nothing was deleted\nname the keys by ID, or filter on other fields (see the warnings)\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := newMalformedServer(t)
			code, out, errOut := ms.run(t, tt.args...)
			if code != tt.code || out != tt.stdout || errOut != tt.stderr {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s\nwant:\n%s", code, tt.code, out, tt.stdout, errOut, tt.stderr)
			}
			if got := strings.Join(ms.deletes, ","); got != tt.deletes {
				t.Errorf("deleted %q, want %q", got, tt.deletes)
			}
		})
	}
}

// TestMalformedKeyOnATerminal: the table does not say "never" of an expiry it could not read.
func TestMalformedKeyOnATerminal(t *testing.T) {
	ms := newMalformedServer(t)
	streams, _, out, _ := iostreams.Test()
	streams.SetTTY(false, true, false)
	f := newFactory(streams, "test", func(string) string { return "" })
	f.Now = func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }
	f.Session = func(context.Context) (*Session, error) {
		c, err := jmapcloud.New(jmapcloud.Options{BaseURL: ms.url, Retry: jmapcloud.RetryPolicy{MaxAttempts: 1}})
		return &Session{Client: c, Org: "org"}, err
	}
	if code := run(context.Background(), f, []string{"list", "--columns", "title,expires,status"}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	var line string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.Contains(l, "bad date") {
			line = l
		}
	}
	if line == "" || strings.Contains(line, "never") || !strings.Contains(line, "unknown") {
		t.Fatalf("the row of the key with an unreadable expiry: %q\n%s", line, out)
	}
}
