package jmapcloud

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// FuzzDecodeResponses feeds random and truncated bodies to every decoder the client uses:
// none may panic, and a body that decodes must describe what it decoded consistently.
func FuzzDecodeResponses(f *testing.F) {
	seeds := []string{
		`[{"id":"3f1c2b7e-0000-4000-8000-000000000001","title":"t","role":"ORG_EDITOR","email":"e","createdBy":"c","creationDate":"2022-12-24T17:31:33.429+00:00","expirationDate":"2023-01-01"}]`,
		`{"content":[{"id":"1","name":"n","roles":["ORG_VIEWER"],"expiresAt":"2023-01-01T00:00:00Z"}],"totalElements":1}`,
		`{"message":"ok","result":{"accessToken":"a","refreshToken":"r","accessTokenExpireAt":"2022-12-24T17:31:33.429+00:00"}}`,
		`{"message":"ok","result":[{"id":"1","type":"LAYER","name":"x"}]}`,
		`{"items":[],"total":0}`,
		`{"message":"no","errors":["a",{"message":"b"}],"status":400}`,
		`[{"id":"1","title":"t","expirationDate":"2023-01-01T00:00:00.123456789-05:00"`,
		`<html>502</html>`,
		`{"result":null}`,
		``,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if page, err := decodeKeyPage(body, newUnexpectedMembers()); err == nil && page.Total < 0 {
			t.Fatalf("a page object with a negative total was accepted silently: %q", body)
		}
		var key APIKey
		_ = keyAnswer(&key)(body, nil)
		var tokens Tokens
		_ = tokensAnswer(&tokens)(body, nil)
		var members []Member
		_ = membersAnswer(&members)(body, nil)
		var resources []Resource
		_ = resourcesAnswer(&resources)(body, nil)
		var user User
		_ = userAnswer(&user)(body, nil)
		e := decodeError("GET", "/p", 500, body)
		if e.StatusCode != 500 || e.Error() == "" {
			t.Fatalf("decodeError lost the status: %+v", e)
		}
		_ = RedactJSON(body)
		// A truncated body never decodes as a complete list.
		if len(body) > 1 && json.Valid(body) {
			cut := body[:len(body)-1]
			if json.Valid(cut) {
				return
			}
			if _, err := decodeKeyPage(cut, nil); err == nil {
				t.Fatalf("a truncated body decoded without error: %q", cut)
			}
		}
	})
}

// FuzzKeyPageDecoder checks decodeKeyPage against what any answer it accepts must satisfy:
// the body is JSON by encoding/json v1's standard, a bare array states no total, a stated
// total is a count, a problem is only ever on an empty field, and the keys, written back
// under the contract's names, read back the same (less their problems).
func FuzzKeyPageDecoder(f *testing.F) {
	for _, tt := range keyPageBodies {
		f.Add([]byte(tt.body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := decodeKeyPage(body, newUnexpectedMembers())
		if err != nil {
			return
		}
		if !json.Valid(body) {
			t.Fatalf("accepted what encoding/json v1 calls invalid JSON: %q", body)
		}
		if p.Items == nil || p.Total < 0 || p.Total > maxStatedTotal || (!p.Paged && p.Total != 0) {
			t.Fatalf("inconsistent page %+v from %q", p, body)
		}
		for _, k := range p.Items {
			checkProblemsOnEmptyFields(t, k)
		}
		written, err := json.Marshal(contractJSON(p.Items))
		if err != nil {
			t.Fatal(err)
		}
		again, err := decodeKeyPage(written, nil)
		if err != nil {
			t.Fatalf("keys written back do not read: %v\n%s", err, written)
		}
		for i := range p.Items {
			want := p.Items[i]
			want.Unreadable = nil
			if !reflect.DeepEqual(again.Items[i], want) {
				t.Fatalf("key %d read back differently:\n%+v\nwant\n%+v", i, again.Items[i], want)
			}
		}
	})
}

func checkProblemsOnEmptyFields(t *testing.T, k APIKey) {
	t.Helper()
	p := k.Problems()
	for _, f := range []struct {
		problem string
		empty   bool
	}{
		{p.ID, k.ID == ""}, {p.Title, k.Title == ""}, {p.Role, k.Role == ""}, {p.Email, k.Email == ""},
		{p.CreatedBy, k.CreatedBy == ""}, {p.CreationDate, k.CreationDate.IsZero()},
		{p.ExpirationDate, k.ExpirationDate.IsZero()}, {p.Secret, k.Secret == ""},
	} {
		if f.problem != "" && !f.empty {
			t.Fatalf("a problem on a field that was read: %+v", k)
		}
	}
	if k.Unreadable != nil && !k.Unreadable.Any() {
		t.Fatalf("Unreadable set without a problem: %+v", k)
	}
}

// contractJSON writes keys under API.md's names, leaving out empty fields.
func contractJSON(keys []APIKey) []map[string]string {
	out := make([]map[string]string, len(keys))
	for i, k := range keys {
		m := map[string]string{}
		for name, v := range map[string]string{"id": k.ID, "title": k.Title, "role": k.Role, "email": k.Email, "createdBy": k.CreatedBy, "apiKey": k.Secret} {
			if v != "" {
				m[name] = v
			}
		}
		for name, d := range map[string]time.Time{"creationDate": k.CreationDate, "expirationDate": k.ExpirationDate} {
			if !d.IsZero() {
				m[name] = d.Format(time.RFC3339Nano)
			}
		}
		out[i] = m
	}
	return out
}
