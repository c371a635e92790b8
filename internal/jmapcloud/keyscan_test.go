package jmapcloud

import (
	"reflect"
	"strings"
	"testing"
)

// scanPages are page bodies of the shapes the scanner reads and of the shapes it must leave
// to the general decoder: each one is checked both ways by checkScanAgrees.
var scanPages = []string{
	// The service's shape, as the sandbox writes it.
	`{"content":[{"id":"07a6fe3a-446c-46ed-aa1d-8e661575cbab","title":"Sync agent #15110","role":"ORG_VIEWER","email":"apikey-07a6fe3a@acme.example","createdBy":"Oscar Ops","creationDate":"2026-09-28T19:09:44.000+00:00","expirationDate":"2028-06-27T08:09:44.000+00:00"},{"id":"b","title":"Été à Montréal ✓","role":"ORG_EDITOR","email":"","createdBy":"Zoë","creationDate":"2026-01-01T00:00:00Z","expirationDate":"2027-01-01T00:00:00.5Z"}],"totalElements":100011,"totalPages":101,"page":3,"size":1000}`,
	`{"content":[],"totalElements":0}`,
	`{"content":[]}`,
	" \r\n\t{ \"content\" : [ { \"id\" : \"a\" , \"title\" : \"T\" } ] , \"totalElements\" : 1 } \n",
	`{"totalElements":2,"content":[{"id":"a"},{"id":"b","lastUsed":"2026-01-01T00:00:00Z","uses":-3,"ok":true,"gone":null,"off":false}],"first":true,"sort":null,"number":0}`,
	`{"content":[{"id":"a","id":"b","title":"x","title":"y"}]}`,
	`{"content":[{"role":"ORG_ADMIN"},{"role":"ORG_EDITOR","createdBy":"","email":"e"}]}`,
	// Left to the general decoder: escapes, other cases, other value types, odd numbers.
	`{"content":[{"id":"a\"b"}]}`,
	`{"content":[{"title":"\u00e9"}]}`,
	`{"cont\u0065nt":[]}`,
	`{"Content":[{"id":"a"}],"TotalElements":3}`,
	`{"content":[{"id":"a"}],"items":[{"id":"b"}]}`,
	`{"items":[{"id":"b"}],"total":1}`,
	`{"result":{"content":[{"id":"a"}]},"message":"ok"}`,
	`{"content":[{"id":"a"}],"total_elements":4}`,
	`{"content":[{"id":1}]}`,
	`{"content":[{"id":null}]}`,
	`{"content":[{"title":{"x":1}}]}`,
	`{"content":[{"roles":["ORG_EDITOR"]}]}`,
	`{"content":[{"role":"ORG_EDITOR","roles":["ORG_VIEWER"]}]}`,
	`{}`,
	`{"content":[{"creationDate":"2026-04-13T19:29:28+02:00"}]}`,
	`{"content":[{"creationDate":"2026-02-30T00:00:00Z"}]}`,
	`{"content":[{"creationDate":"tomorrow"}]}`,
	`{"content":[{"expirationDate":null}]}`,
	`{"content":[{"id":"a","extra":{"deep":[1]}}]}`,
	`{"content":[{"id":"a","extra":[1]}]}`,
	`{"content":[{"id":"a","n":1.5}]}`,
	`{"content":[{"id":"a","n":1e3}]}`,
	`{"content":[{"id":"a","n":01}]}`,
	`{"content":[{"id":"a","n":-}]}`,
	`{"content":[{"id":"a","n":- 5}]}`,
	`{"content":[],"totalElements": 7 }`,
	`{"content":[],"page":- 1}`,
	`{"content":[{"id":"a","n":nul}]}`,
	`{"content":[{"id":"a","n":nullx}]}`,
	`{"content":[{"id":"a","n":truefalse}]}`,
	`{"content":[],"totalElements":1.0}`,
	`{"content":[],"totalElements":-1}`,
	`{"content":[],"totalElements":1e2}`,
	`{"content":[],"totalElements":0012}`,
	`{"content":[],"totalElements":1234567890123456}`,
	`{"content":[],"totalElements":999999999999999}`,
	`{"content":[],"totalElements":"5"}`,
	`{"content":[],"content":[]}`,
	`{"content":[],"totalElements":1,"totalElements":2}`,
	`{"content":null}`,
	`{"content":{}}`,
	`{"content":[1]}`,
	`{"content":["a"]}`,
	`{"content":[null]}`,
	`{"content":[{"id":"a"},]}`,
	`{"content":[{"id":"a",}]}`,
	`{"content":[],}`,
	`{"content":[{"id":"a"}{"id":"b"}]}`,
	`{"content":[{"id":"a"}]}x`,
	`{"content":[{"id":"a"}]}{}`,
	`{"content":[{"id":"a"}]`,
	`{"content":[{"id":"a`,
	`{"content":[{"id":"a"}`,
	`{"content":[{"id" "a"}]}`,
	`{"content":[{"id":"tab	inside"}]}`,
	"{\"content\":[{\"id\":\"bad \xff utf-8\"}]}",
	"{\"content\":[{\"id\":\"cut \xe2\x82\"}]}",
	"{\"content\":[{\"bad\xffname\":\"x\"}]}",
	`{"content":[{"id":"a"}],"extra":{"x":1}}`,
	`{"ünïcode":1,"content":[]}`,
	`[{"id":"a"}]`,
	`null`,
	``,
}

// scanTaken is how many of scanPages, from the first, the scanner reads itself.
const scanTaken = 7

// TestScanKeyPageAgrees checks scanKeyPage against the general decoder on every body above,
// and that it takes the service's own shape (a scanner that gave up on everything would
// agree too).
func TestScanKeyPageAgrees(t *testing.T) {
	for _, body := range scanPages {
		checkScanAgrees(t, []byte(body))
	}
	for _, body := range scanPages[:scanTaken] {
		if _, ok := scanKeyPage([]byte(body), nil, newUnexpectedMembers()); !ok {
			t.Errorf("%q: left to the general decoder, but it is the service's shape", body)
		}
	}
}

// TestScanKeyPageReadsSandboxPages reads a page as the sandbox writes it, long enough for
// every text to cross the eight-byte steps of the string reader.
func TestScanKeyPageReadsSandboxPages(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"content":[`)
	for i := range 300 {
		if i > 0 {
			b.WriteByte(',')
		}
		title := strings.Repeat("Ré", i%7) + "key #" + strings.Repeat("9", i%13)
		b.WriteString(`{"id":"` + strings.Repeat("f", i%40) + `","title":"` + title + `","role":"ORG_EDITOR","creationDate":"2026-09-28T19:09:44.000+00:00","expirationDate":"2028-06-27T08:09:44Z"}`)
	}
	b.WriteString(`],"totalElements":300}`)
	body := []byte(b.String())
	if _, ok := scanKeyPage(body, nil, newUnexpectedMembers()); !ok {
		t.Fatal("the page was left to the general decoder")
	}
	checkScanAgrees(t, body)
}

func FuzzScanKeyPageAgrees(f *testing.F) {
	for _, body := range scanPages {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkScanAgrees(t, body) })
}

// checkScanAgrees fails when scanKeyPage reads body and the general decoder does not make the
// same page of it: the same keys, total and paging, and the same members noted as
// unexpected. Both read into a room of two keys, as the walk gives them.
func checkScanAgrees(t *testing.T, body []byte) {
	t.Helper()
	seenScan, seenGeneral := newUnexpectedMembers(), newUnexpectedMembers()
	roomScan, roomGeneral := make([]APIKey, 2), make([]APIKey, 2)
	scanned, ok := scanKeyPage(body, roomScan[:0:2], seenScan)
	if !ok {
		if names := seenScan.list(); len(names) > 0 {
			t.Fatalf("%q: the scanner gave up but noted %q", body, names)
		}
		return
	}
	general, err := decodeKeyPageGeneral(body, seenGeneral, roomGeneral[:0:2])
	if err != nil {
		t.Fatalf("%q: the scanner read it, the general decoder refuses it: %v", body, err)
	}
	if !reflect.DeepEqual(scanned, general) {
		t.Fatalf("%q:\n scanner %+v\n general %+v", body, scanned, general)
	}
	if a, b := seenScan.list(), seenGeneral.list(); !reflect.DeepEqual(a, b) {
		t.Fatalf("%q: unexpected members: scanner %q, general %q", body, a, b)
	}
	inRoom := func(p pageOf[APIKey], room []APIKey) bool {
		return len(p.Items) == 0 || &p.Items[0] == &room[0]
	}
	if len(general.Items) <= 2 && inRoom(general, roomGeneral) != inRoom(scanned, roomScan) {
		t.Fatalf("%q: one read into the room, the other not", body)
	}
}
