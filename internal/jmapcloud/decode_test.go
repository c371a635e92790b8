package jmapcloud

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestAPIKeyLenientDecoding(t *testing.T) {
	want := APIKey{
		ID: "3f1c2b7e-0000-4000-8000-000000000001", Title: "deploy", Role: RoleEditor, Email: "k@x.io",
		CreatedBy: "Ada", CreationDate: time.Date(2022, 12, 24, 17, 31, 33, 429e6, time.UTC),
		ExpirationDate: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	tests := []struct {
		name, body string
	}{
		{"contract names", `{"id":"3f1c2b7e-0000-4000-8000-000000000001","title":"deploy","role":"ORG_EDITOR","email":"k@x.io","createdBy":"Ada","creationDate":"2022-12-24T17:31:33.429+00:00","expirationDate":"2023-01-01"}`},
		{"variants", `{"id":"3f1c2b7e-0000-4000-8000-000000000001","name":"deploy","roles":["ORG_VIEWER","ORG_EDITOR"],"email":"k@x.io","creator":"Ada","creationDate":"2022-12-24T17:31:33.429Z","expiresAt":"2023-01-01T00:00:00Z"}`},
		{"expiration and offset", `{"id":"3f1c2b7e-0000-4000-8000-000000000001","title":"deploy","role":"ORG_EDITOR","email":"k@x.io","createdBy":"Ada","creationDate":"2022-12-24T18:31:33.429+0100","expiration":"2023-01-01T01:00:00+01:00","unknownField":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got APIKey
			if err := json.Unmarshal([]byte(tt.body), &got); err != nil {
				t.Fatal(err)
			}
			if !got.CreationDate.Equal(want.CreationDate) || !got.ExpirationDate.Equal(want.ExpirationDate) {
				t.Fatalf("dates = %s, %s", got.CreationDate, got.ExpirationDate)
			}
			got.CreationDate, got.ExpirationDate = want.CreationDate, want.ExpirationDate
			if got != want {
				t.Fatalf("got %+v\nwant %+v", got, want)
			}
		})
	}
	var k APIKey
	if err := json.Unmarshal([]byte(`{"id":"x","expirationDate":"tomorrow","createdBy":5}`), &k); err != nil {
		t.Fatalf("a key with unreadable fields is an error: %v", err)
	}
	wantKey := APIKey{ID: "x", Unreadable: &KeyProblems{ExpirationDate: `expirationDate: not a date: "tomorrow"`, CreatedBy: "createdBy: a number, not a string"}}
	if !reflect.DeepEqual(k, wantKey) {
		t.Fatalf("key with unreadable fields:\n%+v\nwant\n%+v", k, wantKey)
	}
	k = APIKey{}
	if err := json.Unmarshal([]byte(`{"apiKey":"s3cret","title":"t"}`), &k); err != nil || k.Secret != "s3cret" {
		t.Fatalf("secret from apiKey: %q, %v", k.Secret, err)
	}
}

func TestUnwrapResultAndPages(t *testing.T) {
	var tok Tokens
	body := `{"message":"ok","result":{"accessToken":"a","refreshToken":"r","accessTokenExpireAt":"2022-12-24T17:31:33.429+00:00","accessTokenExpiration":3600}}`
	if err := tokensAnswer(&tok)([]byte(body), nil); err != nil || tok.AccessToken != "a" || tok.RefreshToken != "r" || tok.ExpiresAt.Year() != 2022 {
		t.Fatalf("tokens = %+v, %v", tok, err)
	}
	p, err := decodeKeyPage([]byte(`[{"id":"1","type":"LAYER","name":"roads"}]`), nil)
	if err != nil || p.Paged || len(p.Items) != 1 {
		t.Fatalf("array page = %+v, %v", p, err)
	}
	p, err = decodeKeyPage([]byte(`{"items":[{"id":"1"},{"id":"2"}],"total":7}`), nil)
	if err != nil || !p.Paged || len(p.Items) != 2 || p.Total != 7 {
		t.Fatalf("object page = %+v, %v", p, err)
	}
}

func TestDecodeErrorVariants(t *testing.T) {
	tests := []struct{ body, msg string }{
		{`{"message":"no such key","status":404}`, "no such key"},
		{`{"error":"bad role"}`, "bad role"},
		{`{"detail":"nope","errors":["title is required",{"message":"role is invalid"}]}`, "nope"},
		{`<html>`, ""},
	}
	for _, tt := range tests {
		e := decodeError("GET", "/p", 400, []byte(tt.body))
		if e.Message != tt.msg || e.StatusCode != 400 {
			t.Errorf("decodeError(%s) = %+v", tt.body, e)
		}
	}
	e := decodeError("POST", "/p", 400, []byte(`{"detail":"nope","errors":["title is required",{"message":"role is invalid"}]}`))
	if len(e.Details) != 2 || e.Error() != "POST /p: HTTP 400: nope (title is required; role is invalid)" {
		t.Errorf("details: %q", e.Error())
	}
}

func TestRedactJSON(t *testing.T) {
	in := `{"username":"a@b.c","password":"hunter2","result":{"accessToken":"AT","refreshToken":"RT","apiKey":"SECRET","title":"t"}}`
	out := RedactJSON([]byte(in))
	for _, secret := range []string{"hunter2", "AT\"", "RT", "SECRET"} {
		if containsStr(out, secret) {
			t.Errorf("trace kept %q: %s", secret, out)
		}
	}
	if !containsStr(out, "a@b.c") || !containsStr(out, `"title":"t"`) {
		t.Errorf("trace lost non-secret fields: %s", out)
	}
	trunc := RedactJSON([]byte(`{"apiKey":"SECRET","title":"t`))
	if containsStr(trunc, "SECRET") {
		t.Errorf("truncated body kept the secret: %s", trunc)
	}
	// The body breaks off inside the secret itself.
	for _, cut := range []string{`{"title":"t","refreshToken":"RT-PARTIAL`, `{"accessToken":"AT-PARTIAL\`} {
		if out := RedactJSON([]byte(cut)); containsStr(out, "PARTIAL") {
			t.Errorf("a body cut inside a token kept it: %s", out)
		}
	}
}

func containsStr(s, sub string) bool { return strings.Contains(s, sub) }

// A server that pages without stating a total, and caps the page size below the one asked
// for, still has every page read. (The sandbox always states its total, so this server is
// a stand-in for that one behaviour.)
func TestListFollowsShortPagesWithoutATotal(t *testing.T) {
	const keys, capSize = 8, 3
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		var items []string
		for i := page * capSize; i < min((page+1)*capSize, keys); i++ {
			items = append(items, fmt.Sprintf(`{"id":"k%d","title":"t%d","role":"ORG_VIEWER","expirationDate":"2030-01-01"}`, i, i))
		}
		fmt.Fprintf(w, `{"content":[%s]}`, strings.Join(items, ","))
	}))
	defer srv.Close()
	c, err := New(Options{BaseURL: srv.URL, PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.ListAPIKeys(context.Background(), "org")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != keys {
		t.Fatalf("%d keys, want %d: the walk stopped at a short page", len(got), keys)
	}
}
