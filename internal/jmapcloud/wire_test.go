package jmapcloud

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"
)

const sandboxKey = `{"id":"00054634-0b34-4bd0-acc5-5edc509630a2","title":"Sync agent #4734","role":"ORG_VIEWER","email":"apikey-00054634@acme.example","createdBy":"Oscar Ops","creationDate":"2026-04-06T14:26:42.000+00:00","expirationDate":"2028-09-15T19:26:42.000+00:00"}`

// keyPageBodies are answers of the key list, usual and not; testdata/keypages.golden.json
// holds what each decodes to (recorded from the decoder before wire.go, whose results the
// single-pass reader and the map-per-key path agreed on).
var keyPageBodies = []struct {
	name string
	body string
}{
	{"bare array", `[` + sandboxKey + `,` + sandboxKey + `]`},
	{"empty array", ` [ ] `},
	{"sandbox page", `{"content":[` + sandboxKey + `],"totalElements":10012,"totalPages":11,"page":0,"size":1000}`},
	{"items and total", `{"items":[{"id":"1","name":"n","roles":["ORG_VIEWER","ORG_EDITOR"],"expiresAt":"2023-01-01T00:00:00Z"}],"total":7}`},
	{"empty content wins over items", `{"content":[],"items":[{"id":"1"}],"total":1}`},
	{"null content falls to items", `{"content":null,"items":[{"id":"1"}]}`},
	{"envelope with array", `{"message":"ok","result":[` + sandboxKey + `]}`},
	{"envelope with page", `{"message":"ok","result":{"content":[` + sandboxKey + `],"totalElements":1},"status":200}`},
	{"null result is not an envelope", `{"message":"ok","result":null,"content":[{"id":"1"}]}`},
	{"four names are not an envelope", `{"a":1,"content":[],"message":"x","result":[{"id":"1"}]}`},
	{"variants and nulls", `[{"uuid":"u","id":null,"name":"n","creator":"c","createdAt":"2022-12-24T18:31:33.429+0100","expiration":"2023-01-01","apiKey":"s","unknown":{"deep":[1,2.5e3,true,false,null,"x"]}}]`},
	{"last repeated name wins", `[{"id":"a","id":"b","title":"t","title":null}]`},
	{"empty role uses roles", `[{"id":"a","role":"","roles":["ORG_VIEWER","org_editor"]}]`},
	{"escapes and accents", `[{"id":"a","title":"R\u0026D \"keys\" \ud83d\ude00","createdBy":"Élodie Été","email":"x\/y"}]`},
	{"invalid UTF-8 is replaced", "[{\"id\":\"a\",\"title\":\"bad \xff byte\"}]"},

	{"truncated", `[` + sandboxKey + `,{"id":"x"`},
	{"trailing garbage", `[]x`},
	{"trailing NUL", "[]\x00"},
	{"null element", `[null]`},
	{"number id", `[{"id":5,"uuid":"u"}]`},
	{"bad date", `[{"id":"x","expirationDate":"tomorrow"}]`},
	{"every kind of unreadable value", `[{"id":"x","title":true,"name":"n","email":{"a":[1]},"createdBy":[],"creationDate":12,"expiresAt":"soon","apiKey":false}]`},
	{"a later good value wins", `[{"id":"x","expirationDate":"tomorrow","expirationDate":"2030-01-01","title":5,"title":"t"}]`},
	{"a later bad value wins", `[{"id":"x","expirationDate":"2030-01-01","expirationDate":"tomorrow"}]`},
	{"unreadable role, roles tell it", `[{"id":"x","role":7,"roles":["ORG_VIEWER"]}]`},
	{"unreadable role, no roles", `[{"id":"x","role":7}]`},
	{"long bad date is clipped", `[{"id":"x","created":"` + strings.Repeat("é", 100) + `"}]`},
	{"deep unreadable value", `[{"id":` + deep(100) + `}]`},
	{"negative total", `{"content":[],"totalElements":-1}`},
	{"fractional total", `{"content":[],"total":1.5}`},
	{"total in exponent form", `{"content":[],"totalElements":1e3}`},
	{"folded page name", `{"Content":[{"id":"1"}]}`},
	{"escaped name", `[{"\u0069d":"x"}]`},
	{"repeated page name", `{"content":[],"content":[{"id":"1"}]}`},
	{"bad escape", `[{"id":"\x"}]`},
	{"control character", "[{\"id\":\"a\tb\"}]"},
	{"leading zero", `{"content":[],"total":01}`},
	{"string result", `{"result":"nope"}`},
	{"object without a list", `{"message":"ok"}`},
	{"null result and no list", `{"message":"ok","result":null}`},
	{"null content and no items", `{"content":null,"totalElements":0}`},
	{"deep nesting", `[{"x":` + deep(100) + `}]`},
}

func deep(n int) string {
	s := ""
	for range n {
		s += "["
	}
	for range n {
		s += "]"
	}
	return s
}

// goldenPage is what one of keyPageBodies decodes to.
type goldenPage struct {
	Name  string
	Error bool
	Paged bool
	Total int
	Items []APIKey
}

var updateGolden = flag.Bool("update", false, "rewrite testdata/keypages.golden.json from the decoder")

// TestKeyPageDecoding: every body of keyPageBodies decodes exactly as recorded, nil lists,
// problems and errors included.
func TestKeyPageDecoding(t *testing.T) {
	var got []goldenPage
	for _, tt := range keyPageBodies {
		p, err := decodeKeyPage([]byte(tt.body), nil)
		g := goldenPage{Name: tt.name, Error: err != nil}
		if err == nil {
			g.Paged, g.Total, g.Items = p.Paged, p.Total, p.Items
		}
		got = append(got, g)
	}
	out, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, '\n')
	const golden = "testdata/keypages.golden.json"
	if *updateGolden {
		if err := os.WriteFile(golden, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	// Compared as JSON: a time read from the file is the same instant in another form.
	var wantPages []json.RawMessage
	if err := json.Unmarshal(want, &wantPages); err != nil {
		t.Fatal(err)
	}
	for i, w := range wantPages {
		var name struct{ Name string }
		if err := json.Unmarshal(w, &name); err != nil {
			t.Fatal(err)
		}
		g, _ := json.MarshalIndent(got[min(i, len(got)-1)], "", "  ")
		var e bytes.Buffer
		if err := json.Indent(&e, w, "", "  "); err != nil {
			t.Fatal(err)
		}
		if i >= len(got) || !bytes.Equal(g, e.Bytes()) {
			t.Errorf("%s:\ngot  %s\nwant %s", name.Name, g, e.Bytes())
		}
	}
	if len(got) != len(wantPages) {
		t.Errorf("%d bodies, %d in %s: run go test -run TestKeyPageDecoding -update", len(got), len(wantPages), golden)
	}
}

// TestUnreadableFieldsAreNamed: a key with values of the wrong type or unreadable dates is
// kept, those fields empty and each named with the member the server used, by the list's
// decoder and by APIKey.UnmarshalJSON.
func TestUnreadableFieldsAreNamed(t *testing.T) {
	body := `[{"id":"x","title":true,"name":"n","email":{"a":[1]},"createdBy":[],"creationDate":12,"expiresAt":"soon","apiKey":false},` +
		`{"uuid":"y","role":"ORG_VIEWER","created":"` + strings.Repeat("é", 70) + `"}]`
	want := []APIKey{
		{ID: "x", Unreadable: &KeyProblems{
			Title:          "title: a boolean, not a string",
			Email:          "email: an object, not a string",
			CreatedBy:      "createdBy: an array, not a string",
			CreationDate:   "creationDate: a number, not a string",
			ExpirationDate: `expiresAt: not a date: "soon"`,
			Secret:         "apiKey: a boolean, not a string",
		}},
		{ID: "y", Role: RoleViewer, Unreadable: &KeyProblems{CreationDate: `created: not a date: "` + strings.Repeat("é", 32) + `…" (` + "140" + ` bytes)`}},
	}
	p, err := decodeKeyPage([]byte(body), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.Items, want) {
		t.Errorf("%+v\nwant\n%+v", p.Items, want)
	}
	var v1 []APIKey // APIKey.UnmarshalJSON, as encoding/json v1 calls it, reads the same
	if err := json.Unmarshal([]byte(body), &v1); err != nil || !reflect.DeepEqual(v1, want) {
		t.Errorf("encoding/json v1 into []APIKey: %v\n%+v\nwant\n%+v", err, v1, want)
	}
}

// TestRequestBodies: the request bodies are the bytes the client sent when they were maps
// (encoding/json sorts a map's keys).
func TestRequestBodies(t *testing.T) {
	for _, tt := range []struct {
		body any
		want string
	}{
		{wireLogin{Username: "u@x.io", Password: "p"}, `{"password":"p","username":"u@x.io"}`},
		{wireRefresh{RefreshToken: "r"}, `{"refreshToken":"r"}`},
		{wireRefresh{RefreshToken: "r", OrganizationID: "o"}, `{"organizationId":"o","refreshToken":"r"}`},
		{wireNewKey{Title: "t", Role: RoleViewer, ExpirationDate: "2030-01-01T00:00:00Z"}, `{"expirationDate":"2030-01-01T00:00:00Z","role":"ORG_VIEWER","title":"t"}`},
	} {
		got, err := json.Marshal(tt.body)
		if err != nil || string(got) != tt.want {
			t.Errorf("%T: %s, %v; want %s", tt.body, got, err, tt.want)
		}
	}
}

// A token with a space or a control character is refused where it arrives, saying so,
// instead of failing the next request as a "network" error; the token is not in the error.
func TestTokensMustBeSendable(t *testing.T) {
	for _, token := range []string{"tok\x1b[2Jen", "tok en", "tok\u00e9n"} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			b, _ := json.Marshal(map[string]string{"accessToken": token, "refreshToken": "refresh-ok"})
			_, _ = w.Write(b)
		}))
		c, err := New(Options{BaseURL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Authenticate(context.Background(), "ann@example.com", "pw")
		srv.Close()
		const want = "POST /api/ss/rest/v1/authenticate: unreadable answer from the server: the access token holds spaces or control characters, which no token has; is --api-url the JMap Cloud API?"
		if err == nil || err.Error() != want {
			t.Errorf("token %q: %v\nwant %s", token, err, want)
		}
	}
}
