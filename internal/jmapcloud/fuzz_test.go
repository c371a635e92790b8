package jmapcloud

import (
	"encoding/json"
	"testing"
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
		inner := unwrapResult(body)
		var page pageOf[APIKey]
		if err := json.Unmarshal(inner, &page); err == nil && page.Total < 0 {
			t.Fatalf("a page object with a negative total was accepted silently: %q", inner)
		}
		var key APIKey
		_ = json.Unmarshal(inner, &key)
		var tokens Tokens
		_ = json.Unmarshal(inner, &tokens)
		var members []Member
		_ = json.Unmarshal(inner, &members)
		var user User
		_ = json.Unmarshal(inner, &user)
		e := decodeError("GET", "/p", 500, body)
		if e.StatusCode != 500 || e.Error() == "" {
			t.Fatalf("decodeError lost the status: %+v", e)
		}
		_ = RedactJSON(body)
		// A truncated body never decodes as a complete list.
		if len(body) > 1 && json.Valid(body) {
			cut := body[:len(body)-1]
			var p pageOf[APIKey]
			if json.Valid(cut) {
				return
			}
			if err := json.Unmarshal(unwrapResult(cut), &p); err == nil && len(unwrapResult(cut)) == len(cut) {
				t.Fatalf("a truncated body decoded without error: %q", cut)
			}
		}
	})
}
