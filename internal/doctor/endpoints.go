package doctor

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
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
		c.Status, c.Summary, c.Error = Fail, "no answer", errorText(e.err)
		if e.call.Template == "" {
			c.Summary = "not sent: an ID the client refuses to put in a path"
		}
		c.Fix = "check the network and --api-url; `apikeys --debug doctor` traces the request"
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
	envelope := "no envelope"
	if sh.Envelope {
		envelope = `in the {"message","result"} envelope`
	}
	c.Summary = fmt.Sprintf("HTTP %d, %s, %s", e.ex.Status, sh.Form, envelope)
	noteStatus(&c, e.ex.Status, expected)
	if forms := expectedForms(e.call.Answer); !contains(forms, sh.Form) {
		c.fail(fmt.Sprintf("the client reads %s here, not %s: correct the answer's reading in %s (decodeObject, decodeList or decodeKeyPage)", strings.Join(forms, " or "), sh.Form, wireFile))
	}
	for _, o := range sh.Objects {
		describeObject(&c, e.call.Answer, o)
	}
	if sh.Unreadable != "" {
		c.Error = sh.Unreadable
		c.fail("the client cannot read this answer: correct its wire struct in " + wireFile)
	}
	return c
}

// noteStatus warns of a 2xx other than the one API.md assumes: the client accepts any 2xx.
func noteStatus(c *Check, got, expected int) {
	if got != expected {
		c.warn(fmt.Sprintf("HTTP %d where API.md assumes %d (apikeys accepts any 2xx): correct API.md", got, expected))
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
		c.Details = append(c.Details, fmt.Sprintf("%s: none in the answer, so no field to check", o.Object))
		return
	}
	var found, dates []string
	for _, f := range o.Fields {
		if w := fieldWords(kind, f); w != "" {
			found = append(found, w)
		}
		if f.Date && len(f.DateForms) > 0 {
			read := "all read"
			if f.Unparsed > 0 {
				read = fmt.Sprintf("%d not read", f.Unparsed)
			}
			if f.NonUTC > 0 {
				read += ", offsets other than UTC"
			}
			dates = append(dates, fmt.Sprintf("%s %s (%s)", f.Field, strings.Join(f.DateForms, " "), read))
		}
		judgeField(c, kind, o, f)
	}
	label := o.Object
	if o.Count > 1 {
		label = fmt.Sprintf("%s ×%d", o.Object, o.Count)
	}
	c.Details = append(c.Details, label+": "+strings.Join(found, ", "))
	if len(dates) > 0 {
		c.Details = append(c.Details, o.Object+" dates: "+strings.Join(dates, "; "))
	}
	if len(o.Unexpected) > 0 {
		c.Details = append(c.Details, o.Object+" members apikeys does not read: "+strings.Join(o.Unexpected, ", "))
	}
	if o.NotObjects > 0 {
		c.Details = append(c.Details, fmt.Sprintf("%s: %d elements of the list are not objects", o.Object, o.NotObjects))
		c.fail(fmt.Sprintf("a list of %s objects holds other values: the client reads it with %s in %s", o.Object, o.Struct, wireFile))
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
		return f.Field + " (absent)"
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
		w += fmt.Sprintf(" (absent from %d)", f.Missing)
	}
	return w
}

// judgeField fails or warns c for what one field needs.
func judgeField(c *Check, kind jmapcloud.AnswerKind, o jmapcloud.ObjectShape, f jmapcloud.FieldShape) {
	group := fmt.Sprintf("the doctor:%q group of %s in %s", f.Field, o.Struct, wireFile)
	needed := f.Required
	if f.CreateOnly {
		if kind != jmapcloud.AnswerCreatedKey {
			if len(f.Matched) > 0 {
				c.warn(fmt.Sprintf("the answer holds a secret member (%s) where only the answer to create should: apikeys never shows it here", strings.Join(f.Matched, "/")))
			}
			return
		}
		needed = true
	}
	switch {
	case f.Missing > 0 && needed:
		c.fail(fmt.Sprintf("%s %s: no member for %s (API.md assumes %s): add the server's name to %s", o.Object, f.Field, f.Field, f.Assumed, group))
		return
	case f.Missing > 0:
		c.warn(fmt.Sprintf("%s %s is absent (API.md assumes %s): add the server's name to %s if it has one", o.Object, f.Field, f.Assumed, group))
	}
	if f.Variant() {
		c.warn(fmt.Sprintf("%s %s comes as %s, not %s as API.md assumes: correct API.md, and put %s first in %s", o.Object, f.Field, strings.Join(f.Matched, "/"), f.Assumed, f.Matched[0], group))
	}
	if f.Unreadable > 0 {
		msg := fmt.Sprintf("%s %s is %s, which the client cannot read as it: correct %s", o.Object, f.Field, strings.Join(f.Types, "/"), group)
		if needed {
			c.fail(msg)
		} else {
			c.warn(msg)
		}
	}
	if f.Unparsed > 0 {
		msg := fmt.Sprintf("%s %s: %s in a form ParseTime does not read: add the layout to timeLayouts in %s", o.Object, f.Field, output.Plural(f.Unparsed, "date"), typesFile)
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
		return "the session was refused: log in again with `apikeys auth login`"
	case status == http.StatusForbidden && keys:
		return "the API-key calls need ORG_ADMIN: log in as an administrator of the organization"
	case status == http.StatusForbidden:
		return "the token is refused for this organization: log in again with --org"
	}
	return pathFix(status)
}

// pathFix is the advice for a status that says the path or method is not the server's.
func pathFix(status int) string {
	switch status {
	case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusBadRequest:
		return fmt.Sprintf("HTTP %d: this path and method are assumptions (API.md [A]): correct them in %s", status, pathsFile)
	}
	if status >= 300 && status <= 399 {
		return fmt.Sprintf("HTTP %d: a redirect, which apikeys never follows (it would send credentials to another address): point --api-url at the API's final address", status)
	}
	return fmt.Sprintf("HTTP %d: the server failed; run the doctor again later, or with --debug to see its answer", status)
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
		c.Details = append(c.Details, fmt.Sprintf("the whole list in one array: %d keys (apikeys asked for pages of %d)", len(keys), e.ex.PageSize))
	case total > len(keys) && len(keys) < e.ex.PageSize:
		c.Details = append(c.Details, fmt.Sprintf("first page: %d of %s stated; apikeys asked for %d a page, the server pages by %d (apikeys follows the pages)", len(keys), output.Plural(total, "key"), e.ex.PageSize, len(keys)))
	default:
		c.Details = append(c.Details, fmt.Sprintf("first page: %d of %s stated, pages of %d asked for", len(keys), output.Plural(total, "key"), e.ex.PageSize))
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
	check.Name = "create " + check.Name
	if !created.ok() {
		s.add(check)
		if created.err != nil {
			s.add(Check{Name: "leftover key", Status: Warn, Value: w.Title,
				Summary: "the create got no answer: a key may exist", Fix: "look for the key titled as shown with `apikeys list` and delete it"})
		}
		return
	}
	k, err := jmapcloud.ReadKey(created.ex.Body)
	secret := Check{Name: "secret", Status: OK}
	for _, o := range check.Endpoint.Shape.Objects {
		for _, f := range o.Fields {
			if f.CreateOnly && len(f.Matched) > 0 {
				secret.Summary = "came back in the member " + strings.Join(f.Matched, "/")
				if f.Variant() {
					secret.Status = Warn
					secret.Summary += ", not " + f.Assumed + " as API.md assumes"
				}
			}
		}
	}
	if err != nil || k.Secret == "" {
		secret.Status, secret.Summary = Fail, "not found in the answer to create"
		secret.Fix = "the secret is read from the doctor:\"secret\" group of wireKey in " + wireFile + ": add the server's name"
	}
	s.add(check)
	s.add(secret)
	if k.ID == "" {
		s.add(Check{Name: "delete", Status: Fail, Value: w.Title, Summary: "the answer to create holds no ID: the key cannot be deleted by apikeys",
			Fix: "delete the key titled as shown in the portal; the ID is read from the doctor:\"id\" group of wireKey in " + wireFile})
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
	deleted.Name = "delete " + deleted.Name
	if deleted.Status == Fail {
		// Said loudly, with the ID on this run's lines only (Error is never in a report).
		deleted.Summary = "THE DOCTOR'S KEY WAS NOT DELETED: " + deleted.Summary
		byHand := "the key " + k.ID + " still exists: delete it by hand with `apikeys delete " + k.ID + " --no-transfer --yes`"
		if deleted.Error != "" {
			byHand = deleted.Error + "\n" + byHand
		}
		deleted.Error = byHand
		deleted.addFix("delete the doctor's key by hand: its ID is on the checklist")
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
