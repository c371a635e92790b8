package doctor

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
)

// The files a failed check points at.
const (
	pathsFile = "internal/jmapcloud/paths.go"
	wireFile  = "internal/jmapcloud/wire.go"
	typesFile = "internal/jmapcloud/types.go"
)

// expectedForms are the forms of payload the client reads for each kind of answer.
func expectedForms(kind jmapcloud.AnswerKind) []string {
	switch kind {
	case jmapcloud.AnswerMembers, jmapcloud.AnswerResources:
		return []string{"array"}
	case jmapcloud.AnswerKeyPage:
		return []string{"array", "page object"}
	}
	return []string{"object"}
}

// endpointCheck is what one request found: its status against the one API.md assumes
// (expected), and for a 2xx answer its shape, field by field.
func endpointCheck(e exchange, expected int) Check {
	c := Check{Name: e.call.Method + " " + e.call.Template, Status: OK}
	ep := &Endpoint{Method: e.call.Method, Path: e.call.Template, Expected: expected}
	c.Endpoint = ep
	if e.err != nil {
		c.Status, c.Summary, c.Error = Fail, say("no answer"), errorText(e.err)
		if e.call.Template == "" {
			c.Summary = say("not sent: an ID the client refuses to put in a path")
		}
		c.Fix = say("check the network and --api-url; `apikeys --debug doctor` traces the request")
		return c
	}
	ep.Status = e.ex.Status
	if !e.ok() {
		c.Status, c.Summary = Fail, fmt.Sprintf("HTTP %d", e.ex.Status)
		c.Fix = statusFix(e.call, e.ex.Status)
		return c
	}
	if e.call.Answer == jmapcloud.AnswerNone {
		c.Summary = fmt.Sprintf("HTTP %d", e.ex.Status)
		noteStatus(&c, e.ex.Status, expected)
		return c
	}
	sh := jmapcloud.Diagnose(e.call.Answer, e.ex.Body)
	ep.Shape = &sh
	c.Summary = say("HTTP %d, %s, no envelope", e.ex.Status, formWords(sh.Form))
	if sh.Envelope {
		c.Summary = say(`HTTP %d, %s, in the {"message","result"} envelope`, e.ex.Status, formWords(sh.Form))
	}
	noteStatus(&c, e.ex.Status, expected)
	if forms := expectedForms(e.call.Answer); !contains(forms, sh.Form) {
		c.fail(say("the client reads %s here, not %s: correct the answer's reading in %s (decodeObject, decodeList or decodeKeyPage)", formsWords(forms), formWords(sh.Form), wireFile))
	}
	for _, o := range sh.Objects {
		describeObject(&c, e.call.Answer, o)
	}
	if sh.Unreadable != nil {
		c.Error = errorText(sh.Unreadable)
		c.fail(say("the client cannot read this answer: correct its wire struct in %s", wireFile))
	}
	return c
}

// noteStatus warns of a 2xx other than the one API.md assumes: the client accepts any 2xx.
func noteStatus(c *Check, got, expected int) {
	if got != expected {
		c.warn(say("HTTP %d where API.md assumes %d (apikeys accepts any 2xx): correct API.md", got, expected))
	}
}

// warn lowers c to Warn (a Fail stays) and adds the advice.
func (c *Check) warn(fix string) {
	if c.Status == OK {
		c.Status = Warn
	}
	c.addFix(fix)
}

// fail makes c a Fail and adds the advice.
func (c *Check) fail(fix string) {
	c.Status = Fail
	c.addFix(fix)
}

func (c *Check) addFix(fix string) {
	if c.Fix == "" {
		c.Fix = fix
		return
	}
	if !strings.Contains(c.Fix, fix) {
		c.Fix += "\n" + fix
	}
}

// describeObject adds the lines of one kind of object, and what its fields call for.
func describeObject(c *Check, kind jmapcloud.AnswerKind, o jmapcloud.ObjectShape) {
	if o.Count == 0 {
		c.Details = append(c.Details, say("%s: none in the answer, so no field to check", objectWords(o.Object)))
		return
	}
	var found, dates []string
	for _, f := range o.Fields {
		if w := fieldWords(kind, f); w != "" {
			found = append(found, w)
		}
		if f.Date && len(f.DateForms) > 0 {
			read := l10n.M("all read")
			if f.Unparsed > 0 {
				read = l10n.M("%d not read", f.Unparsed)
			}
			if f.NonUTC > 0 {
				read = l10n.M("%s, offsets other than UTC", read)
			}
			dates = append(dates, say("%s %s (%s)", f.Field, strings.Join(f.DateForms, " "), read))
		}
		judgeField(c, kind, o, f)
	}
	label := objectWords(o.Object)
	if o.Count > 1 {
		label = l10n.M("%s ×%d", label, o.Count)
	}
	c.Details = append(c.Details, say("%s: %s", label, joinKnown(found, ", ")))
	if len(dates) > 0 {
		c.Details = append(c.Details, say("%s dates: %s", objectWords(o.Object), joinKnown(dates, l10n.M("; "))))
	}
	if len(o.Unexpected) > 0 {
		c.Details = append(c.Details, say("%s members apikeys does not read: %s", objectWords(o.Object), strings.Join(o.Unexpected, ", ")))
	}
	if o.NotObjects > 0 {
		c.Details = append(c.Details, say("%s: %d elements of the list are not objects", objectWords(o.Object), o.NotObjects))
		c.fail(say("a list of %s objects holds other values: the client reads it with %s in %s", o.Object, o.Struct, wireFile))
	}
}

// fieldWords is one field on its line: "title ← name (API.md: title)" when read from
// another name than API.md's, "list ← content" for a field API.md names by its role, the
// JSON kinds when they are not what the field holds, and "(absent)"; "" for the secret
// where it is rightly absent.
func fieldWords(kind jmapcloud.AnswerKind, f jmapcloud.FieldShape) string {
	if len(f.Matched) == 0 {
		if f.CreateOnly && kind != jmapcloud.AnswerCreatedKey {
			return ""
		}
		return say("%s (absent)", f.Field)
	}
	w := f.Field
	if names := strings.Join(f.Matched, "/"); names != f.Field || f.Variant() {
		w += " ← " + names
	}
	if f.Variant() {
		w += " (API.md: " + f.Assumed + ")"
	}
	if f.Unreadable > 0 {
		w += " (" + strings.Join(f.Types, "/") + ")"
	}
	if f.Missing > 0 {
		return say("%s (absent from %d)", w, f.Missing)
	}
	return w
}

// judgeField fails or warns c for what one field needs.
func judgeField(c *Check, kind jmapcloud.AnswerKind, o jmapcloud.ObjectShape, f jmapcloud.FieldShape) {
	group := l10n.M("the doctor:%q group of %s in %s", f.Field, o.Struct, wireFile)
	needed := f.Required
	if f.CreateOnly {
		if kind != jmapcloud.AnswerCreatedKey {
			if len(f.Matched) > 0 {
				c.warn(say("the answer holds a secret member (%s) where only the answer to create should: apikeys never shows it here", strings.Join(f.Matched, "/")))
			}
			return
		}
		needed = true
	}
	switch {
	case f.Missing > 0 && needed:
		c.fail(say("%s %s: no member for %s (API.md assumes %s): add the server's name to %s", objectWords(o.Object), f.Field, f.Field, f.Assumed, group))
		return
	case f.Missing > 0:
		c.warn(say("%s %s is absent (API.md assumes %s): add the server's name to %s if it has one", objectWords(o.Object), f.Field, f.Assumed, group))
	}
	if f.Variant() {
		c.warn(say("%s %s comes as %s, not %s as API.md assumes: correct API.md, and put %s first in %s", objectWords(o.Object), f.Field, strings.Join(f.Matched, "/"), f.Assumed, f.Matched[0], group))
	}
	if f.Unreadable > 0 {
		msg := say("%s %s is %s, which the client cannot read as it: correct %s", objectWords(o.Object), f.Field, strings.Join(f.Types, "/"), group)
		if needed {
			c.fail(msg)
		} else {
			c.warn(msg)
		}
	}
	if f.Unparsed > 0 {
		msg := say("%s %s: %s in a form ParseTime does not read: add the layout to timeLayouts in %s", objectWords(o.Object), f.Field, l10n.P(f.Unparsed, "%d date", "%d dates", f.Unparsed), typesFile)
		if needed {
			c.fail(msg)
		} else {
			c.warn(msg)
		}
	}
}

// statusFix is the advice for a non-2xx status.
func statusFix(call jmapcloud.Call, status int) string {
	keys := strings.Contains(call.Template, "/api-keys")
	switch {
	case status == http.StatusUnauthorized:
		return say("the session was refused: log in again with `apikeys auth login`")
	case status == http.StatusForbidden && keys:
		return say("the API-key calls need ORG_ADMIN: log in as an administrator of the organization")
	case status == http.StatusForbidden:
		return say("the token is refused for this organization: log in again with --org")
	}
	return pathFix(status)
}

// pathFix is the advice for a status that says the path or method is not the server's.
func pathFix(status int) string {
	switch status {
	case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusBadRequest:
		return say("HTTP %d: this path and method are assumptions (API.md [A]): correct them in %s", status, pathsFile)
	}
	if status >= 300 && status <= 399 {
		return say("HTTP %d: a redirect, which apikeys never follows (it would send credentials to another address): point --api-url at the API's final address", status)
	}
	return say("HTTP %d: the server failed; run the doctor again later, or with --debug to see its answer", status)
}

// describePage adds, for the key list, how many keys the first page held of how many, and
// returns the ID of its first key ("" when none) for the calls on one key.
func describePage(c *Check, e exchange) (firstID string) {
	if !e.ok() {
		return ""
	}
	keys, total, paged, err := jmapcloud.ReadKeyPage(e.ex.Body)
	if err != nil {
		return ""
	}
	c.Endpoint.Listed, c.Endpoint.Stated, c.Endpoint.PageSize = len(keys), total, e.ex.PageSize
	switch {
	case !paged:
		c.Details = append(c.Details, say("the whole list in one array: %s (apikeys asked for pages of %d)", l10n.P(len(keys), "%d key", "%d keys", len(keys)), e.ex.PageSize))
	case total > len(keys) && len(keys) < e.ex.PageSize:
		c.Details = append(c.Details, say("first page: %d of %s stated; apikeys asked for %d a page, the server pages by %d (apikeys follows the pages)", len(keys), l10n.P(total, "%d key", "%d keys", total), e.ex.PageSize, len(keys)))
	default:
		c.Details = append(c.Details, say("first page: %d of %s stated, pages of %d asked for", len(keys), l10n.P(total, "%d key", "%d keys", total), e.ex.PageSize))
	}
	for _, k := range keys {
		if k.ID != "" {
			return k.ID
		}
	}
	return ""
}

// write creates a Viewer key, checks where its secret came back, and deletes it. With
// needKey (the list held none), the calls on one key are made on it before it goes.
func (d *doctor) write(ctx context.Context, s *section, ends *section, needKey bool) {
	w := d.in.Write
	call, err := jmapcloud.CreateKeyCall(d.in.Org, jmapcloud.CreateAPIKeyRequest{Title: w.Title, Role: jmapcloud.RoleViewer, ExpirationDate: w.Expires})
	created := d.send(ctx, call, err)
	check := endpointCheck(created, http.StatusCreated)
	check.Name = say("create %s", check.Name)
	if !created.ok() {
		s.add(check)
		if created.err != nil {
			s.add(Check{Name: say("leftover key"), Status: Warn, Value: w.Title,
				Summary: say("the create got no answer: a key may exist"), Fix: say("look for the key titled as shown with `apikeys list` and delete it")})
		}
		return
	}
	k, err := jmapcloud.ReadKey(created.ex.Body)
	secret := Check{Name: say("secret"), Status: OK}
	for _, o := range check.Endpoint.Shape.Objects {
		for _, f := range o.Fields {
			if f.CreateOnly && len(f.Matched) > 0 {
				secret.Summary = say("came back in the member %s", strings.Join(f.Matched, "/"))
				if f.Variant() {
					secret.Status = Warn
					secret.Summary = say("came back in the member %s, not %s as API.md assumes", strings.Join(f.Matched, "/"), f.Assumed)
				}
			}
		}
	}
	if err != nil || k.Secret == "" {
		secret.Status, secret.Summary = Fail, say("not found in the answer to create")
		secret.Fix = say("the secret is read from the doctor:\"secret\" group of wireKey in %s: add the server's name", wireFile)
	}
	s.add(check)
	s.add(secret)
	if k.ID == "" {
		s.add(Check{Name: say("delete"), Status: Fail, Value: w.Title, Summary: say("the answer to create holds no ID: the key cannot be deleted by apikeys"),
			Fix: say("delete the key titled as shown in the portal; the ID is read from the doctor:\"id\" group of wireKey in %s", wireFile)})
		return
	}
	if needKey {
		// The calls on one key are made on this one, before it goes.
		if call, err := jmapcloud.KeyCall(d.in.Org, k.ID); err == nil {
			ends.add(endpointCheck(d.send(ctx, call, nil), http.StatusOK))
		}
		if call, err := jmapcloud.KeyResourcesCall(d.in.Org, k.ID); err == nil {
			ends.add(endpointCheck(d.send(ctx, call, nil), http.StatusOK))
		}
	}
	call, err = jmapcloud.DeleteKeyCall(d.in.Org, k.ID)
	deleted := endpointCheck(d.send(ctx, call, err), http.StatusNoContent)
	deleted.Name = say("delete %s", deleted.Name)
	if deleted.Status == Fail {
		// Said loudly, with the ID on this run's lines only (Error is never in a report).
		deleted.Summary = say("THE DOCTOR'S KEY WAS NOT DELETED: %s", known(deleted.Summary))
		byHand := say("the key %s still exists: delete it by hand with `apikeys delete %s --no-transfer --yes`", k.ID, k.ID)
		if deleted.Error != "" {
			byHand = deleted.Error + "\n" + byHand
		}
		deleted.Error = byHand
		deleted.addFix(say("delete the doctor's key by hand: its ID is on the checklist"))
	}
	s.add(deleted)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// formWords names a form of answer (jmapcloud.Shape.Form) for the checklist.
func formWords(form string) any {
	switch form {
	case "object":
		return l10n.M("object")
	case "array":
		return l10n.M("array")
	case "page object":
		return l10n.M("page object")
	case "empty":
		return l10n.M("empty")
	case "not JSON":
		return l10n.M("not JSON")
	}
	return form
}

// formsWords is "array or page object".
func formsWords(forms []string) any {
	if len(forms) == 2 {
		return l10n.M("%s or %s", formWords(forms[0]), formWords(forms[1]))
	}
	return formWords(forms[0])
}

// objectWords names a kind of object of an answer (jmapcloud.ObjectShape.Object).
func objectWords(object string) any {
	switch object {
	case "API key":
		return l10n.M("API key")
	case "page":
		return l10n.M("page")
	case "member":
		return l10n.M("member")
	case "user":
		return l10n.M("user")
	case "organization":
		return l10n.M("organization")
	case "resource":
		return l10n.M("resource")
	}
	return object
}

// joinKnown joins texts said before, each translated with the line it is part of.
// A bare name (a field's) is never looked up: it may be spelt as a check is ("roles").
func joinKnown(list []string, sep any) any {
	parts := make([]any, len(list))
	for i, s := range list {
		parts[i] = s
		if strings.Contains(s, " ") {
			parts[i] = known(s)
		}
	}
	return joined{parts: parts, sep: sep}
}

// joined is a list of texts joined by sep, each in the reader's language.
type joined struct {
	parts []any
	sep   any // a string, or a separator that has a language (l10n.M("; "))
}

func (j joined) String() string { return j.Localize(nil) }

func (j joined) Localize(p *l10n.Printer) string {
	out := make([]string, len(j.parts))
	for i, part := range j.parts {
		if l, ok := part.(l10n.Localizable); ok {
			out[i] = l.Localize(p)
		} else {
			out[i] = fmt.Sprint(part)
		}
	}
	sep := fmt.Sprint(j.sep)
	if l, ok := j.sep.(l10n.Localizable); ok {
		sep = l.Localize(p)
	}
	return strings.Join(out, sep)
}
