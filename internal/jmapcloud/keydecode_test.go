package jmapcloud

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

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
	// The same with the texts in an arena, as a page reads them.
	var inArena wireKey
	var texts textArena
	if err := decodeWireKeyIn(jsontext.NewDecoder(bytes.NewReader(body), decodeOptions), &inArena, &texts); err != nil {
		t.Fatalf("%q: key reader with an arena: %v", body, err)
	}
	if a, b := general.apiKey(), inArena.apiKey(); !reflect.DeepEqual(a, b) {
		t.Fatalf("%q:\n general        %+v\n reader (arena) %+v", body, a, b)
	}
	seenGeneral, seenFast := newUnexpectedMembers(), newUnexpectedMembers()
	seenGeneral.note("API key", general.Unknown)
	seenFast.note("API key", fast.Unknown)
	if a, b := seenGeneral.list(), seenFast.list(); !reflect.DeepEqual(a, b) {
		t.Fatalf("%q: unexpected members: general %q, reader %q", body, a, b)
	}
}

// TestTextArenaKeepsEveryText fills several blocks and checks that no text read earlier
// changed: a block is only appended to.
func TestTextArenaKeepsEveryText(t *testing.T) {
	var a textArena
	var got, want []string
	for i := range 5000 {
		s := strings.Repeat(string(rune('a'+i%26)), i%40)
		if i%997 == 0 {
			s = strings.Repeat("long", textArenaBlock/8) // past a quarter block: its own allocation
		}
		got = append(got, a.text([]byte(s)))
		want = append(want, s)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("text %d is %q, want %q", i, got[i], want[i])
		}
	}
}

// TestPageBodiesAreRecycledSafely lists many pages, with and without a stated length, read
// into recycled buffers: every key read from an earlier page keeps its texts.
func TestPageBodiesAreRecycledSafely(t *testing.T) {
	const pages, size = 40, 50
	for _, stated := range []bool{true, false} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			page, _ := strconv.Atoi(r.URL.Query().Get("page"))
			var items []string
			for i := page * size; i < page*size+size; i++ {
				items = append(items, fmt.Sprintf(`{"id":"key-%d-%s","title":"title %d %s","role":"ORG_EDITOR","email":"e%d@x"}`, i, strings.Repeat("x", page), i, strings.Repeat("y", pages-page), i))
			}
			body := fmt.Sprintf(`{"content":[%s],"totalElements":%d}`, strings.Join(items, ","), pages*size)
			if stated {
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			} else {
				w.(http.Flusher).Flush() // chunked: no length stated
			}
			io.WriteString(w, body)
		}))
		c, err := New(Options{BaseURL: srv.URL, PageSize: size, Tokens: StaticToken("t")})
		if err != nil {
			t.Fatal(err)
		}
		for range 3 { // the buffers of one listing are recycled by the next
			keys, err := c.ListAPIKeys(context.Background(), "org")
			if err != nil {
				t.Fatal(err)
			}
			if len(keys) != pages*size {
				t.Fatalf("%d keys, want %d", len(keys), pages*size)
			}
			for i, k := range keys {
				page := i / size
				id := fmt.Sprintf("key-%d-%s", i, strings.Repeat("x", page))
				title := fmt.Sprintf("title %d %s", i, strings.Repeat("y", pages-page))
				if k.ID != id || k.Title != title || k.Email != fmt.Sprintf("e%d@x", i) || k.Role != RoleEditor {
					t.Fatalf("stated length %v: key %d is %+v, want ID %q and title %q", stated, i, k, id, title)
				}
			}
		}
		srv.Close()
	}
}

var utcDateSeeds = []string{
	"2026-04-13T19:29:28.000+00:00", "2026-04-13T19:29:28Z", "2026-04-13T19:29:28.123456789Z",
	"2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2000-02-29T23:59:59.9+00:00",
	"2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-04-31T00:00:00Z", "2026-04-13T24:00:00Z",
	"2026-04-13T19:60:00Z", "2026-04-13T19:29:60Z", "2026-04-13T19:29:28.Z", "2026-04-13T19:29:28.1234567890Z",
	"2026-04-13T19:29:28,5Z", "2026-04-13T19:29:28-00:00", "2026-04-13T19:29:28+01:00", "2026-04-13t19:29:28z",
	"2026-04-13 19:29:28Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "+026-04-13T19:29:28Z",
	"2026-04-13T19:29:28", "2026-04-13", "2026-4-13T19:29:28Z", "２026-04-13T19:29:28Z",
}

// TestUTCDateIsUnmarshalText: whatever utcDate reads, time.Time.UnmarshalText reads as the same
// instant in UTC; what it does not read is left to UnmarshalText.
func TestUTCDateIsUnmarshalText(t *testing.T) {
	for _, s := range utcDateSeeds {
		checkUTCDate(t, s)
	}
	if _, ok := utcDate([]byte("2026-04-13T19:29:28.000+00:00")); !ok {
		t.Fatal("the service's form is not read by utcDate")
	}
}

func FuzzUTCDate(f *testing.F) {
	for _, s := range utcDateSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkUTCDate(t, s) })
}

func checkUTCDate(t *testing.T, s string) {
	t.Helper()
	got, ok := utcDate([]byte(s))
	if !ok {
		return
	}
	var want time.Time
	if err := want.UnmarshalText([]byte(s)); err != nil {
		t.Fatalf("utcDate reads %q, UnmarshalText refuses it: %v", s, err)
	}
	if want = want.UTC(); got != want {
		t.Fatalf("utcDate(%q) = %v, UnmarshalText %v", s, got, want)
	}
}
