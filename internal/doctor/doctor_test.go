package doctor

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
)

// fakeAPI answers each call by "METHOD template", and records what it was sent.
type fakeAPI struct {
	answers map[string]fakeAnswer
	sent    []string
}

type fakeAnswer struct {
	status int
	body   string
	date   string
}

var when = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func (f *fakeAPI) Exchange(_ context.Context, call jmapcloud.Call) (jmapcloud.Exchange, error) {
	name := call.Method + " " + call.Template
	f.sent = append(f.sent, name)
	a, ok := f.answers[name]
	if !ok {
		a = fakeAnswer{status: http.StatusNotFound, body: `{"message":"no such path"}`}
	}
	date := a.date
	if date == "" {
		date = when.Format(http.TimeFormat)
	}
	return jmapcloud.Exchange{Status: a.status, Body: []byte(a.body), Date: date, At: when, Latency: 40 * time.Millisecond, TLS: "TLS 1.3", PageSize: 1000}, nil
}

const (
	orgID   = "0rg"
	keyBody = `{"id":"k1","title":"t","role":"ORG_VIEWER","email":"e","createdBy":"c","creationDate":"2026-01-01T00:00:00.000+00:00","expirationDate":"2027-01-01T00:00:00.000+00:00"}`
)

// asAssumed is a server that answers every read call as API.md assumes.
func asAssumed() *fakeAPI {
	return &fakeAPI{answers: map[string]fakeAnswer{
		"GET /api/ss/rest/v1/users/self":                                  {200, `{"name":"n","email":"e","organizations":[{"id":"0rg","name":"Org"}]}`, ""},
		"GET /api/ss/rest/v1/organizations/{org}/members/self":            {200, `{"id":"m","name":"n","email":"e","roles":["ORG_ADMIN","ORG_EDITOR","ORG_VIEWER"]}`, ""},
		"GET /api/ss/rest/v1/organizations/{org}/members":                 {200, `[{"id":"m","name":"n","email":"e","roles":["ORG_ADMIN"],"groups":[]}]`, ""},
		"GET /api/ss/rest/v1/organizations/{org}/api-keys":                {200, `[` + keyBody + `]`, ""},
		"GET /api/ss/rest/v1/organizations/{org}/api-keys/{id}":           {200, keyBody, ""},
		"GET /api/ss/rest/v1/organizations/{org}/api-keys/{id}/resources": {200, `[{"id":"r","type":"LAYER","name":"x"}]`, ""},
		"POST /api/ss/rest/v1/organizations/{org}/api-keys":               {201, strings.Replace(keyBody, `"id":"k1"`, `"id":"new1","apiKey":"s3cret"`, 1), ""},
		"DELETE /api/ss/rest/v1/organizations/{org}/api-keys/{id}":        {204, ``, ""},
	}}
}

func run(api *fakeAPI, write bool) Report {
	in := Input{Version: "test", Config: Config{Profile: "p", APIURL: "https://api.example", Credentials: "saved", Store: "file"}, API: api, Org: orgID}
	if write {
		in.Write = &Write{Title: "apikeys-doctor-x", Expires: when.Add(time.Hour)}
	}
	return Run(context.Background(), in)
}

// check finds a check by name.
func check(t *testing.T, r Report, name string) Check {
	t.Helper()
	for _, s := range r.Sections {
		for _, c := range s.Checks {
			if c.Name == name {
				return c
			}
		}
	}
	t.Fatalf("no check %q in %+v", name, r)
	return Check{}
}

func TestAServerAsAssumedIsAllOK(t *testing.T) {
	api := asAssumed()
	r := run(api, true)
	for _, s := range r.Sections {
		for _, c := range s.Checks {
			if c.Status != OK {
				t.Errorf("%s: %s %s (%s)", s.Name, c.Status, c.Summary, c.Fix)
			}
		}
	}
	if !r.OK {
		t.Error("not OK")
	}
	want := "GET users/self, GET members/self, GET members, GET api-keys, POST api-keys, DELETE api-keys/{id}, GET api-keys/{id}, GET api-keys/{id}/resources"
	var got []string
	for _, s := range api.sent {
		got = append(got, strings.NewReplacer("/api/ss/rest/v1/", "", "organizations/{org}/", "").Replace(s))
	}
	if strings.Join(got, ", ") != want {
		t.Errorf("sent %s\nwant %s", strings.Join(got, ", "), want)
	}
}

// Each ✗ names the assumption to correct and the file it lives in.
func TestFailuresNameTheAssumptionAndTheFile(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*fakeAPI)
		check   string
		wantFix string
	}{
		{"a path the server does not have", func(f *fakeAPI) { delete(f.answers, "GET /api/ss/rest/v1/organizations/{org}/members") },
			"GET /api/ss/rest/v1/organizations/{org}/members", "HTTP 404: this path and method are assumptions (API.md [A]): correct them in internal/jmapcloud/paths.go"},
		{"a redirect", func(f *fakeAPI) {
			f.answers["GET /api/ss/rest/v1/organizations/{org}/members"] = fakeAnswer{302, "", ""}
		}, "GET /api/ss/rest/v1/organizations/{org}/members", "HTTP 302: a redirect, which apikeys never follows (it would send credentials to another address): point --api-url at the API's final address"},
		{"a key ID under a name the client does not know", func(f *fakeAPI) {
			f.answers["GET /api/ss/rest/v1/organizations/{org}/api-keys/{id}"] = fakeAnswer{200, strings.Replace(keyBody, `"id"`, `"keyId"`, 1), ""}
		}, "GET /api/ss/rest/v1/organizations/{org}/api-keys/{id}", `API key id: no member for id (API.md assumes id): add the server's name to the doctor:"id" group of wireKey in internal/jmapcloud/wire.go`},
		{"an expiry the client cannot read", func(f *fakeAPI) {
			f.answers["GET /api/ss/rest/v1/organizations/{org}/api-keys/{id}"] = fakeAnswer{200, strings.Replace(keyBody, `"2027-01-01T00:00:00.000+00:00"`, `"01/01/2027"`, 1), ""}
		}, "GET /api/ss/rest/v1/organizations/{org}/api-keys/{id}", "API key expirationDate: 1 date in a form ParseTime does not read: add the layout to timeLayouts in internal/jmapcloud/types.go"},
		{"members as a page object", func(f *fakeAPI) {
			f.answers["GET /api/ss/rest/v1/organizations/{org}/members"] = fakeAnswer{200, `{"content":[]}`, ""}
		}, "GET /api/ss/rest/v1/organizations/{org}/members", "the client reads array here, not object: correct the answer's reading in internal/jmapcloud/wire.go (decodeObject, decodeList or decodeKeyPage)"},
		{"not an administrator", func(f *fakeAPI) {
			f.answers["GET /api/ss/rest/v1/organizations/{org}/members/self"] = fakeAnswer{200, `{"id":"m","roles":["ORG_EDITOR"]}`, ""}
		}, "ORG_ADMIN", "log in as an administrator of the organization"},
		{"API-key calls refused", func(f *fakeAPI) {
			f.answers["GET /api/ss/rest/v1/organizations/{org}/api-keys"] = fakeAnswer{403, `{"message":"forbidden"}`, ""}
		}, "GET /api/ss/rest/v1/organizations/{org}/api-keys", "the API-key calls need ORG_ADMIN: log in as an administrator of the organization"},
		{"no secret in the answer to create", func(f *fakeAPI) {
			f.answers["POST /api/ss/rest/v1/organizations/{org}/api-keys"] = fakeAnswer{201, strings.Replace(keyBody, `"id":"k1"`, `"id":"new1","token":"s3cret"`, 1), ""}
		}, "secret", `the secret is read from the doctor:"secret" group of wireKey in internal/jmapcloud/wire.go: add the server's name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := asAssumed()
			tt.change(api)
			r := run(api, true)
			c := check(t, r, tt.check)
			if r.OK || c.Status != Fail || !strings.Contains(c.Fix, tt.wantFix) {
				t.Errorf("ok %v, %s %s\nfix: %s\nwant fix: %s", r.OK, c.Status, c.Summary, c.Fix, tt.wantFix)
			}
		})
	}
}

// A delete that fails says so loudly, with the ID to delete by hand on the checklist; the
// report keeps the failure and the advice, not the ID.
func TestAFailedDeleteNamesTheKeyToDeleteByHand(t *testing.T) {
	api := asAssumed()
	api.answers["DELETE /api/ss/rest/v1/organizations/{org}/api-keys/{id}"] = fakeAnswer{500, `{"message":"boom"}`, ""}
	r := run(api, true)
	var b strings.Builder
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	want := "  ✗ delete DELETE /api/ss/rest/v1/organizations/{org}/api-keys/{id}: THE DOCTOR'S KEY WAS NOT DELETED: HTTP 500\n" +
		"      error: the key new1 still exists: delete it by hand with `apikeys delete new1 --no-transfer --yes`\n" +
		"      fix: HTTP 500: the server failed; run the doctor again later, or with --debug to see its answer\n" +
		"           delete the doctor's key by hand: its ID is on the checklist\n"
	if r.OK || !strings.Contains(b.String(), want) {
		t.Errorf("ok %v, checklist:\n%s\nwant:\n%s", r.OK, b.String(), want)
	}
	data, _ := json.Marshal(r.Redacted())
	if strings.Contains(string(data), "new1") || !strings.Contains(string(data), "THE DOCTOR'S KEY WAS NOT DELETED") {
		t.Errorf("report: %s", data)
	}
}

// The server's clock against ours: within 5 s agrees, over a minute warns.
func TestClock(t *testing.T) {
	for _, tt := range []struct {
		skew   time.Duration
		status Status
		want   string
	}{
		{-time.Second, OK, "the server's clock agrees with ours (within 5s)"},
		{30 * time.Second, OK, "the server's clock is 30s ahead of ours"},
		{-3 * time.Minute, Warn, "the server's clock is 3m0s behind ours"},
	} {
		c := clockCheck(jmapcloud.Exchange{Date: when.Add(tt.skew).Format(http.TimeFormat), At: when.Add(400 * time.Millisecond)})
		if c.Status != tt.status || c.Summary != tt.want {
			t.Errorf("skew %s: %s %q, want %s %q", tt.skew, c.Status, c.Summary, tt.status, tt.want)
		}
	}
	if c := clockCheck(jmapcloud.Exchange{}); c.Status != Warn {
		t.Errorf("no Date: %+v", c)
	}
}

// Without a session the checklist says why and how to log in, and nothing is sent.
func TestNoSession(t *testing.T) {
	r := Run(context.Background(), Input{Config: Config{Profile: "p", Credentials: "the saved session of profile p"}, OpenErr: errString("not logged in")})
	c := check(t, r, "credentials")
	if r.OK || c.Status != Fail || c.Error != "not logged in" || len(r.Sections) != 1 {
		t.Errorf("%+v", r)
	}
}

type errString string

func (e errString) Error() string { return string(e) }
