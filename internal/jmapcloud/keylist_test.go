package jmapcloud

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// generalKeyPage is the general decoding path that decodeKeyPageFast must agree with.
func generalKeyPage(body []byte) (pageOf[APIKey], error) {
	var p pageOf[APIKey]
	err := json.Unmarshal(unwrapResult(body), &p)
	return p, err
}

const sandboxKey = `{"id":"00054634-0b34-4bd0-acc5-5edc509630a2","title":"Sync agent #4734","role":"ORG_VIEWER","email":"apikey-00054634@acme.example","createdBy":"Oscar Ops","creationDate":"2026-04-06T14:26:42.000+00:00","expirationDate":"2028-09-15T19:26:42.000+00:00"}`

// keyPageBodies are the shapes the fast path must read itself (fast) or hand over (!fast).
var keyPageBodies = []struct {
	name string
	body string
	fast bool
}{
	{"bare array", `[` + sandboxKey + `,` + sandboxKey + `]`, true},
	{"empty array", ` [ ] `, true},
	{"sandbox page", `{"content":[` + sandboxKey + `],"totalElements":10012,"totalPages":11,"page":0,"size":1000}`, true},
	{"items and total", `{"items":[{"id":"1","name":"n","roles":["ORG_VIEWER","ORG_EDITOR"],"expiresAt":"2023-01-01T00:00:00Z"}],"total":7}`, true},
	{"empty content wins over items", `{"content":[],"items":[{"id":"1"}],"total":1}`, true},
	{"null content falls to items", `{"content":null,"items":[{"id":"1"}]}`, true},
	{"envelope with array", `{"message":"ok","result":[` + sandboxKey + `]}`, true},
	{"envelope with page", `{"message":"ok","result":{"content":[` + sandboxKey + `],"totalElements":1},"status":200}`, true},
	{"null result is not an envelope", `{"message":"ok","result":null,"content":[{"id":"1"}]}`, true},
	{"four names are not an envelope", `{"a":1,"content":[],"message":"x","result":[{"id":"1"}]}`, true},
	{"variants and nulls", `[{"uuid":"u","id":null,"name":"n","creator":"c","createdAt":"2022-12-24T18:31:33.429+0100","expiration":"2023-01-01","apiKey":"s","unknown":{"deep":[1,2.5e3,true,false,null,"x"]}}]`, true},
	{"last repeated name wins", `[{"id":"a","id":"b","title":"t","title":null}]`, true},
	{"empty role uses roles", `[{"id":"a","role":"","roles":["ORG_VIEWER","org_editor"]}]`, true},
	{"escapes and accents", `[{"id":"a","title":"R\u0026D \"keys\" \ud83d\ude00","createdBy":"Élodie Été","email":"x\/y"}]`, true},
	{"invalid UTF-8 is replaced", "[{\"id\":\"a\",\"title\":\"bad \xff byte\"}]", true},

	{"truncated", `[` + sandboxKey + `,{"id":"x"`, false},
	{"trailing garbage", `[]x`, false},
	{"trailing NUL", "[]\x00", false},
	{"null element", `[null]`, false},
	{"number id", `[{"id":5,"uuid":"u"}]`, true},
	{"bad date", `[{"id":"x","expirationDate":"tomorrow"}]`, true},
	{"every kind of unreadable value", `[{"id":"x","title":true,"name":"n","email":{"a":[1]},"createdBy":[],"creationDate":12,"expiresAt":"soon","apiKey":false}]`, true},
	{"a later good value wins", `[{"id":"x","expirationDate":"tomorrow","expirationDate":"2030-01-01","title":5,"title":"t"}]`, true},
	{"a later bad value wins", `[{"id":"x","expirationDate":"2030-01-01","expirationDate":"tomorrow"}]`, true},
	{"unreadable role, roles tell it", `[{"id":"x","role":7,"roles":["ORG_VIEWER"]}]`, true},
	{"unreadable role, no roles", `[{"id":"x","role":7}]`, true},
	{"long bad date is clipped", `[{"id":"x","created":"` + strings.Repeat("é", 100) + `"}]`, true},
	{"deep unreadable value", `[{"id":` + deep(100) + `}]`, false},
	{"negative total", `{"content":[],"totalElements":-1}`, false},
	{"fractional total", `{"content":[],"total":1.5}`, false},
	{"total in exponent form", `{"content":[],"totalElements":1e3}`, true},
	{"folded page name", `{"Content":[{"id":"1"}]}`, false},
	{"escaped name", `[{"\u0069d":"x"}]`, false},
	{"repeated page name", `{"content":[],"content":[{"id":"1"}]}`, false},
	{"bad escape", `[{"id":"\x"}]`, false},
	{"control character", "[{\"id\":\"a\tb\"}]", false},
	{"leading zero", `{"content":[],"total":01}`, false},
	{"string result", `{"result":"nope"}`, false},
	{"object without a list", `{"message":"ok"}`, false},
	{"null result and no list", `{"message":"ok","result":null}`, false},
	{"null content and no items", `{"content":null,"totalElements":0}`, false},
	{"deep nesting", `[{"x":` + deep(100) + `}]`, false},
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

func TestKeyPageFastPath(t *testing.T) {
	for _, tt := range keyPageBodies {
		t.Run(tt.name, func(t *testing.T) {
			fast, ok := decodeKeyPageFast([]byte(tt.body))
			if ok != tt.fast {
				t.Fatalf("fast path taken = %v, want %v", ok, tt.fast)
			}
			want, err := generalKeyPage([]byte(tt.body))
			if ok {
				if err != nil {
					t.Fatalf("the fast path accepted what the general path refuses (%v)", err)
				}
				if !reflect.DeepEqual(fast, want) {
					t.Fatalf("fast    %+v\ngeneral %+v", fast, want)
				}
			}
			// keyPage.decodeBody gives the general path's answer either way.
			var p keyPage
			gotErr := p.decodeBody([]byte(tt.body))
			if (gotErr != nil) != (err != nil) {
				t.Fatalf("decodeBody error %v, general path %v", gotErr, err)
			}
			if err == nil && !reflect.DeepEqual(p.pageOf, want) {
				t.Fatalf("decodeBody %+v\ngeneral    %+v", p.pageOf, want)
			}
		})
	}
}

// FuzzKeyPageFastPathAgrees: whatever the body, a result of the fast path is the general
// path's result, and it never accepts what the general path refuses.
func FuzzKeyPageFastPathAgrees(f *testing.F) {
	for _, tt := range keyPageBodies {
		f.Add([]byte(tt.body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		fast, ok := decodeKeyPageFast(body)
		if !ok {
			return
		}
		want, err := generalKeyPage(body)
		if err != nil {
			t.Fatalf("fast path accepted %q, which the general path refuses: %v", body, err)
		}
		if !reflect.DeepEqual(fast, want) {
			t.Fatalf("body %q\nfast    %+v\ngeneral %+v", body, fast, want)
		}
	})
}

// TestUnreadableFieldsAreNamed: a key with values of the wrong type or unreadable dates is
// kept, those fields empty and each named with the member the server used, by both decoders.
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
	fast, ok := decodeKeyPageFast([]byte(body))
	if !ok {
		t.Fatal("the fast path gave up")
	}
	general, err := generalKeyPage([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]APIKey{"fast": fast.Items, "general": general.Items} {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n%+v\nwant\n%+v", name, got, want)
		}
	}
}
