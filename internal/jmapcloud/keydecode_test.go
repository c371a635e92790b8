package jmapcloud

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// keyObjects are single keys in the shapes a server may send, hostile ones included.
var keyObjects = []string{
	`{"id":"a","title":"T","role":"ORG_EDITOR","email":"e@x","createdBy":"Ada","creationDate":"2026-04-13T19:29:28.000+00:00","expirationDate":"2028-09-23T00:29:28.000+00:00"}`,
	`{"uuid":"u","name":"N","roles":["ORG_VIEWER","ORG_ADMIN"],"creator":"C","createdAt":"2026-01-01","expiresAt":null}`,
	`{"id":1,"title":{"x":1},"role":[],"creationDate":"not a date","expirationDate":true,"extra":{"deep":[1,2]},"other":null}`,
	`{"id":"a","id":"b","\u0069d":"c","ti\u0074le":"esc\u00e9","title":"dup"}`,
	`{"Id":"case","TITLE":"upper","apiKey":"s3cret","key":"k","secret":"s","value":"v"}`,
	`{"id":"a\"b","title":"\ud800","email":"` + "\xff" + `"}`,
	`{}`, `[]`, `null`, `"key"`, `12`, `{"id":}`, `{"id":"a",}`, `{"id" "a"}`, `{"id":"a"`,
	`{"roles":"ORG_ADMIN","role":null}`, `{"expirationDate":"2026-13-45T00:00:00Z"}`,
}

// TestKeyReaderMatchesGeneralDecoder pins decodeWireKey to what json.UnmarshalDecode makes of
// the same key: the same fields, the same members kept as unexpected, the same errors.
func TestKeyReaderMatchesGeneralDecoder(t *testing.T) {
	if wireKeyFieldTable() == nil {
		t.Fatal("wireKey has a field the key reader cannot read: every key goes to the general decoder")
	}
	for _, body := range keyObjects {
		checkKeyReader(t, []byte(body))
	}
}

func FuzzKeyReaderMatchesGeneralDecoder(f *testing.F) {
	for _, body := range keyObjects {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkKeyReader(t, body) })
}

func checkKeyReader(t *testing.T, body []byte) {
	t.Helper()
	var general, fast wireKey
	errGeneral := json.UnmarshalDecode(jsontext.NewDecoder(bytes.NewReader(body), decodeOptions), &general)
	errFast := decodeWireKey(jsontext.NewDecoder(bytes.NewReader(body), decodeOptions), &fast)
	if (errGeneral == nil) != (errFast == nil) {
		t.Fatalf("%q: general decoder %v, key reader %v", body, errGeneral, errFast)
	}
	if errGeneral != nil {
		if errGeneral.Error() != errFast.Error() {
			t.Fatalf("%q: errors differ:\n general %v\n reader  %v", body, errGeneral, errFast)
		}
		return
	}
	if a, b := general.apiKey(), fast.apiKey(); !reflect.DeepEqual(a, b) {
		t.Fatalf("%q:\n general %+v\n reader  %+v", body, a, b)
	}
	seenGeneral, seenFast := newUnexpectedMembers(), newUnexpectedMembers()
	seenGeneral.note("API key", general.Unknown)
	seenFast.note("API key", fast.Unknown)
	if a, b := seenGeneral.list(), seenFast.list(); !reflect.DeepEqual(a, b) {
		t.Fatalf("%q: unexpected members: general %q, reader %q", body, a, b)
	}
}
