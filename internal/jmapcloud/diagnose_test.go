package jmapcloud

import (
	"reflect"
	"strings"
	"testing"
)

// apiKeyFieldValue is the APIKey field a doctor tag's group feeds.
func apiKeyFieldValue(k APIKey, field string) string {
	switch field {
	case "id":
		return k.ID
	case "title":
		return k.Title
	case "role":
		return k.Role
	case "email":
		return k.Email
	case "createdBy":
		return k.CreatedBy
	case "creationDate":
		return FormatTime(k.CreationDate)
	case "expirationDate":
		return FormatTime(k.ExpirationDate)
	case "secret":
		return k.Secret
	}
	return "?"
}

// The doctor tags say what the decoder does: each variant of a group feeds that field, and
// of two variants present the one the tags list first is the one read, by the client and by
// Diagnose alike.
func TestDoctorTagsAgreeWithTheKeyDecoder(t *testing.T) {
	spec := wireSpecs()[AnswerKey]
	sample := func(f fieldSpec, n int) string {
		switch {
		case f.date:
			return `"20` + string(rune('3'+n)) + `0-01-01T00:00:00Z"`
		case f.field == "role" && n == 0:
			return `"ORG_EDITOR"`
		case f.field == "role":
			return `["ORG_VIEWER"]`
		}
		return `"v` + string(rune('0'+n)) + `"`
	}
	for _, f := range spec.fields {
		for i, name := range f.names {
			var k APIKey
			body := `{"` + name + `":` + sample(f, i) + `}`
			if err := k.UnmarshalJSON([]byte(body)); err != nil {
				t.Fatal(err)
			}
			if got := apiKeyFieldValue(k, f.field); got == "" || got == "0001-01-01T00:00:00Z" {
				t.Errorf("%s: the decoder does not read %s from %s", body, f.field, name)
			}
			if m := diagnosedField(t, AnswerKey, body, f.field); len(m.Matched) != 1 || m.Matched[0] != name {
				t.Errorf("%s: Diagnose matched %v, want %s", body, m.Matched, name)
			}
		}
		if len(f.names) < 2 {
			continue
		}
		// Both present, the later one first in the object: the tags' order decides.
		body := `{"` + f.names[1] + `":` + sample(f, 1) + `,"` + f.names[0] + `":` + sample(f, 0) + `}`
		var k, first APIKey
		_ = k.UnmarshalJSON([]byte(body))
		_ = first.UnmarshalJSON([]byte(`{"` + f.names[0] + `":` + sample(f, 0) + `}`))
		if apiKeyFieldValue(k, f.field) != apiKeyFieldValue(first, f.field) {
			t.Errorf("%s: the decoder read %q, not %s's value", body, apiKeyFieldValue(k, f.field), f.names[0])
		}
		if m := diagnosedField(t, AnswerKey, body, f.field); !reflect.DeepEqual(m.Matched, []string{f.names[0]}) {
			t.Errorf("%s: Diagnose matched %v, want %s", body, m.Matched, f.names[0])
		}
	}
}

func diagnosedField(t *testing.T, kind AnswerKind, body, field string) FieldShape {
	t.Helper()
	sh := Diagnose(kind, []byte(body))
	for _, o := range sh.Objects {
		for _, f := range o.Fields {
			if f.Field == field {
				return f
			}
		}
	}
	t.Fatalf("%s: no field %s in %+v", body, field, sh)
	return FieldShape{}
}

// A Spring page in no envelope: its form, the list and total it was read from, the members
// no wire struct names, the variants of the keys and the forms of their dates.
func TestDiagnoseSpringPage(t *testing.T) {
	body := `{"content":[{"id":"a","name":"t","roles":["ORG_VIEWER"],"expirationDate":"2026-01-10T09:30:15.123+02:00","lastUsed":1},
	{"id":"b","name":"u","roles":["ORG_EDITOR"],"expirationDate":"soon"}],"totalElements":45,"totalPages":3,"number":0,"size":20}`
	sh := Diagnose(AnswerKeyPage, []byte(body))
	if sh.Form != "page object" || sh.Envelope || sh.Unreadable != nil || len(sh.Objects) != 2 {
		t.Fatalf("shape %+v", sh)
	}
	page, key := sh.Objects[0], sh.Objects[1]
	if page.Object != "page" || strings.Join(page.Unexpected, ",") != "number,size,totalPages" {
		t.Errorf("page: %+v", page)
	}
	if key.Object != "API key" || key.Count != 2 || strings.Join(key.Unexpected, ",") != "lastUsed" {
		t.Errorf("keys: %+v", key)
	}
	got := map[string]FieldShape{}
	for _, f := range append(page.Fields, key.Fields...) {
		got[f.Field] = f
	}
	for field, want := range map[string]string{"list": "content", "total": "totalElements", "id": "id", "title": "name", "role": "roles", "expirationDate": "expirationDate"} {
		if f := got[field]; len(f.Matched) != 1 || f.Matched[0] != want {
			t.Errorf("%s matched %v, want %s", field, f.Matched, want)
		}
	}
	if f := got["title"]; !f.Variant() || f.Assumed != "title" {
		t.Errorf("title: %+v", f)
	}
	if f := got["expirationDate"]; f.Unparsed != 1 || strings.Join(f.DateForms, " ") != "9999-99-99T99:99:99.999+99:99 aaaa" {
		t.Errorf("expirationDate: %+v", f)
	}
	if f := got["email"]; f.Missing != 2 || f.Required {
		t.Errorf("email: %+v", f)
	}
}

// The envelope is seen through, and an answer the client cannot read says why.
func TestDiagnoseEnvelopeAndUnreadable(t *testing.T) {
	sh := Diagnose(AnswerUser, []byte(`{"message":"OK","result":{"email":"e","organizations":[{"id":"o","plan":"x"}]}}`))
	if !sh.Envelope || sh.Form != "object" || len(sh.Objects) != 2 || sh.Objects[1].Object != "organization" || sh.Objects[1].Unexpected[0] != "plan" {
		t.Errorf("user: %+v", sh)
	}
	sh = Diagnose(AnswerMembers, []byte(`{"content":[]}`))
	if sh.Unreadable == nil || sh.Form != "object" {
		t.Errorf("members as a page: %+v", sh)
	}
	if sh := Diagnose(AnswerKey, []byte(`<html>`)); sh.Form != "not JSON" || sh.Unreadable == nil {
		t.Errorf("html: %+v", sh)
	}
}
