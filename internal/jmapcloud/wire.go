package jmapcloud

// wire.go is the API's JSON as apikeys reads it, and the only place that names its members:
// one struct per API object, a field per member name the client accepts (API.md marks most
// key fields as assumed, so a key field has a field per variant), the {"message","result"}
// envelope and the page shape. Each answer is decoded once, by github.com/go-json-experiment/json
// (encoding/json/v2 in Go 1.27; see docs/performance.md for why), and converted to the
// exported types by one function per object. Members a struct does not name are kept (names
// only are ever reported, see unexpectedMembers) so that a server that differs from API.md
// says how.
//
// The doctor tag groups a struct's members by the field they feed, in the order the
// conversion tries them, and says which fields the CLI needs: `apikeys doctor` reads it
// (diagnose.go) to tell which variant an answer used, without a second list of names and
// without touching the decoding of the list (`doctor:"FIELD[,required][,date][,create]"`;
// create: expected in the answer to create only).

import (
	"bytes"
	"math"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// decodeOptions read JSON as encoding/json v1 did: the last of a repeated name wins, and
// invalid UTF-8 in a string becomes U+FFFD instead of failing the answer.
var decodeOptions = json.JoinOptions(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))

// unmarshal decodes data into out with decodeOptions, and opts if any.
func unmarshal(data []byte, out any, opts ...json.Options) error {
	if len(opts) > 0 {
		return json.Unmarshal(data, out, append([]json.Options{decodeOptions}, opts...)...)
	}
	return json.Unmarshal(data, out, decodeOptions)
}

// wireKey is an API key. Within each field the first name present and not null wins, in the
// order of the struct; a value of the wrong type or an unreadable date is kept as a problem.
type wireKey struct {
	ID             wireText       `json:"id" doctor:"id,required"`
	UUID           wireText       `json:"uuid" doctor:"id"`
	Title          wireText       `json:"title" doctor:"title,required"`
	Name           wireText       `json:"name" doctor:"title"`
	Role           wireText       `json:"role" doctor:"role,required"`
	Roles          wireRoles      `json:"roles" doctor:"role"` // the highest one, when role is empty
	Email          wireText       `json:"email" doctor:"email"`
	CreatedBy      wireText       `json:"createdBy" doctor:"createdBy"`
	Creator        wireText       `json:"creator" doctor:"createdBy"`
	CreationDate   wireDate       `json:"creationDate" doctor:"creationDate,date"`
	CreatedAt      wireDate       `json:"createdAt" doctor:"creationDate,date"`
	Created        wireDate       `json:"created" doctor:"creationDate,date"`
	ExpirationDate wireDate       `json:"expirationDate" doctor:"expirationDate,required,date"`
	Expiration     wireDate       `json:"expiration" doctor:"expirationDate,required,date"`
	ExpiresAt      wireDate       `json:"expiresAt" doctor:"expirationDate,required,date"`
	APIKey         wireText       `json:"apiKey" doctor:"secret,create"` // the secret, in the answer to create only
	Key            wireText       `json:"key" doctor:"secret,create"`
	Secret         wireText       `json:"secret" doctor:"secret,create"`
	Value          wireText       `json:"value" doctor:"secret,create"`
	Unknown        jsontext.Value `json:",embed"`
}

// apiKey converts w; a field the server sent unreadable is empty and named in Unreadable.
func (w *wireKey) apiKey() APIKey {
	var p KeyProblems
	k := APIKey{
		ID:        firstText(&p.ID, &w.ID, &w.UUID),
		Title:     firstText(&p.Title, &w.Title, &w.Name),
		Role:      firstText(&p.Role, &w.Role),
		Email:     firstText(&p.Email, &w.Email),
		CreatedBy: firstText(&p.CreatedBy, &w.CreatedBy, &w.Creator),
	}
	if k.Role == "" && w.Roles.set {
		k.Role = HighestRole(w.Roles.roles)
	}
	if k.Role != "" {
		p.Role = "" // an unreadable role, but roles tells it
	}
	k.CreationDate = firstDate(&p.CreationDate, &w.CreationDate, &w.CreatedAt, &w.Created)
	k.ExpirationDate = firstDate(&p.ExpirationDate, &w.ExpirationDate, &w.Expiration, &w.ExpiresAt)
	k.Secret = firstText(&p.Secret, &w.APIKey, &w.Key, &w.Secret, &w.Value)
	if p.Any() {
		problems := p // allocated here only: p itself stays on the stack
		k.Unreadable = &problems
	}
	return k
}

// wireKeyPage is a page of the key list. The list is "content" or else "items" (an empty list
// wins over the other name, null does not), the total "totalElements" or else "total". The
// names are matched whatever their case, as encoding/json v1 did.
type wireKeyPage struct {
	Content       *wireKeys      `json:"content,case:ignore" doctor:"list,required"`
	Items         *wireKeys      `json:"items,case:ignore" doctor:"list,required"`
	TotalElements float64        `json:"totalElements,case:ignore" doctor:"total"`
	Total         float64        `json:"total,case:ignore" doctor:"total"`
	Unknown       jsontext.Value `json:",embed"`
}

// page converts w. An object with no list in it ({"message":"ok"}) is not an empty page:
// taking it for one would report an organization without keys.
func (w *wireKeyPage) page(seen *unexpectedMembers) (pageOf[APIKey], error) {
	list := w.Content
	if list == nil {
		list = w.Items
	}
	if list == nil {
		return pageOf[APIKey]{}, l10n.Errorf("neither a list nor a page object (no content or items)")
	}
	seen.note("page", w.Unknown)
	list.report(seen)
	total := w.TotalElements
	if total == 0 {
		total = w.Total
	}
	n, err := pageTotal(total)
	return pageOf[APIKey]{Items: list.keys, Total: n, Paged: true}, err
}

// wireKeys is a JSON array of keys, each converted as soon as it is read: a page never holds
// its keys twice. unknown collects the names the keys held that wireKey does not.
type wireKeys struct {
	keys    []APIKey
	unknown []jsontext.Value
}

func (l *wireKeys) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return l.decodeInto(dec, nil) }

// decodeInto reads the array into dst's room when it has some (see decodeKeyPageInto), into a
// new array past it.
func (l *wireKeys) decodeInto(dec *jsontext.Decoder, dst []APIKey) error {
	switch kind := dec.PeekKind(); kind {
	case 'n':
		*l = wireKeys{}
		_, err := dec.ReadToken()
		return err
	case '[':
	default:
		return l10n.Errorf("the list of API keys is %s, not an array", jsonKind(byte(kind)))
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	*l = wireKeys{keys: []APIKey{}}
	if dst != nil {
		l.keys = dst[:0]
	}
	var w wireKey // one for the whole array: each key would otherwise allocate its own
	var texts textArena
	for dec.PeekKind() != ']' {
		w = wireKey{}
		if err := decodeWireKeyIn(dec, &w, &texts); err != nil {
			return err
		}
		l.keys = append(l.keys, w.apiKey())
		if len(w.Unknown) > 0 && len(l.unknown) < maxUnexpected {
			l.unknown = append(l.unknown, w.Unknown)
		}
	}
	_, err := dec.ReadToken()
	return err
}

// UnmarshalJSON is the same for encoding/json v1, which the decoder benchmark compares.
func (l *wireKeys) UnmarshalJSON(data []byte) error {
	var ws []wireKey
	if err := unmarshal(data, &ws); err != nil {
		return err
	}
	*l = wireKeys{keys: make([]APIKey, len(ws))}
	for i := range ws {
		l.keys[i] = ws[i].apiKey()
	}
	return nil
}

func (l *wireKeys) report(seen *unexpectedMembers) {
	for _, u := range l.unknown {
		seen.note("API key", u)
	}
}

// decodeKeyPage reads one answer of the key list: a bare array (the whole list), or a page
// object, either one possibly in the envelope.
func decodeKeyPage(body []byte, seen *unexpectedMembers) (pageOf[APIKey], error) {
	return decodeKeyPageInto(body, seen, nil)
}

// decodeKeyPageInto is decodeKeyPage reading the first array of keys of a page object into
// dst's room (see keyPageSlots); any other array of keys goes to a new array, so that two
// arrays in one answer never share it.
func decodeKeyPageInto(body []byte, seen *unexpectedMembers, dst []APIKey) (pageOf[APIKey], error) {
	if p, ok := scanKeyPage(body, dst, seen); ok {
		return p, nil
	}
	return decodeKeyPageGeneral(body, seen, dst)
}

// decodeKeyPageGeneral is decodeKeyPageInto for every body: the one that decides.
func decodeKeyPageGeneral(body []byte, seen *unexpectedMembers, dst []APIKey) (pageOf[APIKey], error) {
	if firstByte(body) == '[' {
		return decodeKeyArray(body, seen)
	}
	var opts []json.Options
	if dst != nil {
		opts = append(opts, intoRoomOf(dst))
	}
	env, err := decodeEnvelope[wireKeyPage](body, opts...)
	switch {
	case err != nil:
		return pageOf[APIKey]{}, err
	case env.inner == nil:
		return env.Payload.page(seen)
	case firstByte(env.inner) == '[':
		return decodeKeyArray(env.inner, seen)
	}
	var w wireKeyPage
	if err := unmarshal(env.inner, &w, opts...); err != nil {
		return pageOf[APIKey]{}, err
	}
	return w.page(seen)
}

// decodeKeyArray reads a bare array of keys: the whole list, not a page.
func decodeKeyArray(body []byte, seen *unexpectedMembers) (pageOf[APIKey], error) {
	var l wireKeys
	if err := unmarshal(body, &l); err != nil {
		return pageOf[APIKey]{}, err
	}
	l.report(seen)
	return pageOf[APIKey]{Items: l.keys}, nil
}

// wireMember is a member of an organization.
type wireMember struct {
	ID      string         `json:"id,case:ignore" doctor:"id,required"`
	Name    string         `json:"name,case:ignore" doctor:"name"`
	Email   string         `json:"email,case:ignore" doctor:"email,required"`
	Roles   []string       `json:"roles,case:ignore" doctor:"roles,required"`
	Groups  []string       `json:"groups,case:ignore"`
	Unknown jsontext.Value `json:",embed"`
}

func (w *wireMember) member(seen *unexpectedMembers) Member {
	seen.note("member", w.Unknown)
	return Member{ID: w.ID, Name: w.Name, Email: w.Email, Roles: w.Roles, Groups: w.Groups}
}

// wireUser is users/self.
type wireUser struct {
	Name          string             `json:"name,case:ignore" doctor:"name"`
	Email         string             `json:"email,case:ignore" doctor:"email"`
	Organizations []wireOrganization `json:"organizations,case:ignore" doctor:"organizations,required"`
	Unknown       jsontext.Value     `json:",embed"`
}

type wireOrganization struct {
	ID      string         `json:"id,case:ignore" doctor:"id,required"`
	Name    string         `json:"name,case:ignore" doctor:"name"`
	Unknown jsontext.Value `json:",embed"`
}

func (w *wireUser) user(seen *unexpectedMembers) User {
	seen.note("user", w.Unknown)
	u := User{Name: w.Name, Email: w.Email}
	if w.Organizations != nil {
		u.Organizations = make([]Organization, len(w.Organizations))
	}
	for i, o := range w.Organizations {
		seen.note("organization", o.Unknown)
		u.Organizations[i] = Organization{ID: o.ID, Name: o.Name}
	}
	return u
}

// wireResource is something a key or a member owns.
type wireResource struct {
	ID      string         `json:"id,case:ignore" doctor:"id"`
	Type    string         `json:"type,case:ignore" doctor:"type,required"`
	Name    string         `json:"name,case:ignore" doctor:"name,required"`
	Unknown jsontext.Value `json:",embed"`
}

func (w *wireResource) resource(seen *unexpectedMembers) Resource {
	seen.note("resource", w.Unknown)
	return Resource{ID: w.ID, Type: w.Type, Name: w.Name}
}

// wireTokens is what authenticate and refresh-token return. accessTokenExpiration, seconds
// from now, is the deprecated form of accessTokenExpireAt.
type wireTokens struct {
	AccessToken           string         `json:"accessToken,case:ignore"`
	RefreshToken          string         `json:"refreshToken,case:ignore"`
	AccessTokenExpireAt   string         `json:"accessTokenExpireAt,case:ignore"`
	AccessTokenExpiration jsontext.Value `json:"accessTokenExpiration,case:ignore"`
	Unknown               jsontext.Value `json:",embed"`
}

// tokens converts w; an unreadable accessTokenExpireAt is an error, with the tokens kept.
func (w *wireTokens) tokens(seen *unexpectedMembers) (Tokens, error) {
	seen.note("tokens", w.Unknown)
	t := Tokens{AccessToken: w.AccessToken, RefreshToken: w.RefreshToken}
	for _, tok := range []struct{ name, value string }{{"access token", t.AccessToken}, {"refresh token", t.RefreshToken}} {
		if !headerSafe(tok.value) {
			// Sent back as "Authorization: Bearer …" or in a JSON body, a token with a space
			// or a control character fails later as a "network" error, far from its cause.
			if tok.name == "refresh token" {
				return Tokens{}, l10n.Errorf("the refresh token holds spaces or control characters, which no token has; is --api-url the JMap Cloud API?")
			}
			return Tokens{}, l10n.Errorf("the access token holds spaces or control characters, which no token has; is --api-url the JMap Cloud API?")
		}
	}
	if w.AccessTokenExpireAt != "" {
		at, err := ParseTime(w.AccessTokenExpireAt)
		if err != nil {
			return t, err
		}
		t.ExpiresAt = at
	} else if len(w.AccessTokenExpiration) > 0 {
		var secs float64
		if unmarshal(w.AccessTokenExpiration, &secs) == nil && secs > 0 {
			t.ExpiresAt = time.Now().Add(time.Duration(secs * float64(time.Second)))
		}
	}
	return t, nil
}

// headerSafe reports a token that can be sent back as it came: visible ASCII only.
func headerSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// wireError is the body of a non-2xx answer: its message is the first non-empty string of
// message, error and detail; errors holds strings or objects with a message. A value of
// another type is ignored: an error body never fails to be read.
type wireError struct {
	Message wireText       `json:"message"`
	Error   wireText       `json:"error"`
	Detail  wireText       `json:"detail"`
	Errors  jsontext.Value `json:"errors"`
}

type wireErrorItem struct {
	Message wireText `json:"message"`
}

// apiError fills e's message and details from w.
func (w *wireError) apiError(e *APIError) {
	for _, t := range []*wireText{&w.Message, &w.Error, &w.Detail} {
		if t.value() != "" {
			e.Message = t.value()
			break
		}
	}
	var items []jsontext.Value
	if len(w.Errors) == 0 || unmarshal(w.Errors, &items) != nil {
		return
	}
	for _, item := range items {
		var s string
		if unmarshal(item, &s) == nil {
			e.Details = append(e.Details, s)
			continue
		}
		var obj wireErrorItem
		if unmarshal(item, &obj) == nil && obj.Message.state == textRead {
			e.Details = append(e.Details, obj.Message.text)
		}
	}
}

// envelope is an object answer that may be the {"message","result"} envelope: a non-null
// "result" among at most three distinct names is the payload (inner), and otherwise the
// object itself is (Payload).
type envelope[T any] struct {
	Result  jsontext.Value `json:"result"`
	Payload T              `json:",embed"`
	inner   jsontext.Value
}

// maxEnvelopeNames is the most names an envelope has: message, result and one more (status).
const maxEnvelopeNames = 3

func decodeEnvelope[T any](body []byte, opts ...json.Options) (envelope[T], error) {
	var env envelope[T]
	if err := unmarshal(body, &env, opts...); err != nil {
		return envelope[T]{}, err
	}
	if len(env.Result) > 0 && string(env.Result) != "null" && distinctNames(body) <= maxEnvelopeNames {
		env.inner = env.Result
	}
	return env, nil
}

// distinctNames counts the distinct member names of the valid JSON object body.
func distinctNames(body []byte) int {
	dec := jsontext.NewDecoder(bytes.NewReader(body), decodeOptions)
	if _, err := dec.ReadToken(); err != nil {
		return 0
	}
	names := map[string]bool{}
	for dec.PeekKind() == '"' && len(names) <= maxEnvelopeNames {
		tok, err := dec.ReadToken()
		if err != nil {
			break
		}
		names[tok.String()] = true // read before SkipValue, which voids tok
		if dec.SkipValue() != nil {
			break
		}
	}
	return len(names)
}

// decodeObject reads an object answer, or the object inside the envelope.
func decodeObject[T any](body []byte) (T, error) {
	if firstByte(body) != '{' {
		var w T
		return w, unmarshal(body, &w) // words the error
	}
	env, err := decodeEnvelope[T](body)
	if err != nil || env.inner == nil {
		return env.Payload, err
	}
	var w T
	return w, unmarshal(env.inner, &w)
}

// decodeList reads a list answer: a bare array, or the array inside the envelope.
func decodeList[T any](body []byte) ([]T, error) {
	var list []T
	if firstByte(body) == '{' {
		env, err := decodeEnvelope[struct {
			Unknown jsontext.Value `json:",embed"`
		}](body)
		if err != nil {
			return nil, err
		}
		if env.inner != nil {
			body = env.inner
		}
	}
	return list, unmarshal(body, &list)
}

func firstByte(body []byte) byte {
	if trimmed := bytes.TrimLeft(body, " \t\r\n"); len(trimmed) > 0 {
		return trimmed[0]
	}
	return 0
}

// wireText is a member meant to hold a string: absent (or null), read, or unreadable (of
// another type, or for a date not a date). text is the string read, or why it is unreadable:
// one string, since a key holds a dozen of these and each is cleared for every key.
type wireText struct {
	text  string
	state uint8
}

const (
	textAbsent uint8 = iota
	textRead
	textUnreadable
)

func readText(s string) wireText         { return wireText{text: s, state: textRead} }
func unreadableText(why string) wireText { return wireText{text: why, state: textUnreadable} }

// set says the member was present and not null.
func (t *wireText) set() bool { return t.state != textAbsent }

// value is the string read, "" for one absent or unreadable.
func (t *wireText) value() string {
	if t.state != textRead {
		return ""
	}
	return t.text
}

// problem is why the value is unreadable, "" for one absent or read.
func (t *wireText) problem() string {
	if t.state != textUnreadable {
		return ""
	}
	return t.text
}

func (t *wireText) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	switch kind := dec.PeekKind(); kind {
	case '"':
		v, err := dec.ReadValue()
		if err != nil {
			return err
		}
		*t = readText(knownText(v))
		return nil
	case 'n':
		*t = wireText{}
		_, err := dec.ReadToken()
		return err
	default:
		name := dec.StackPointer().LastToken()
		*t = unreadableText(notAString(name, byte(kind)))
		return dec.SkipValue()
	}
}

// UnmarshalJSON is the same for encoding/json v1 (the decoder benchmark), which does not say
// which member it decodes: a problem there names none.
func (t *wireText) UnmarshalJSON(data []byte) error {
	switch data[0] {
	case '"':
		var s string
		err := unmarshal(data, &s)
		*t = readText(s)
		return err
	case 'n':
		*t = wireText{}
	default:
		*t = unreadableText(notAString("", data[0]))
	}
	return nil
}

// knownText is the string the JSON string v holds, shared rather than allocated when it is
// one of the roles, which most keys repeat.
func knownText(v jsontext.Value) string {
	switch string(v) {
	case `"` + RoleViewer + `"`:
		return RoleViewer
	case `"` + RoleEditor + `"`:
		return RoleEditor
	case `"` + RoleAdmin + `"`:
		return RoleAdmin
	}
	if bytes.IndexByte(v, '\\') < 0 && utf8.Valid(v) {
		return string(v[1 : len(v)-1]) // no escape: the text is the content
	}
	var s string
	_ = unmarshal(v, &s) // v is a valid string: this cannot fail
	return s
}

// firstText is the value of the first of texts that is set, and records its problem.
func firstText(problem *string, texts ...*wireText) string {
	for _, t := range texts {
		if t.set() {
			*problem = t.problem()
			return t.value()
		}
	}
	return ""
}

// wireDate is a member meant to hold a date, read by ParseTime as it is decoded.
type wireDate struct {
	text wireText
	time time.Time
}

func (d *wireDate) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == '"' {
		// The usual forms are read from the bytes, as the key reader reads them: no string is
		// allocated for a date that is read.
		return d.readFrom(dec)
	}
	if err := d.text.UnmarshalJSONFrom(dec); err != nil {
		return err
	}
	d.parse(func() string { return dec.StackPointer().LastToken() })
	return nil
}

func (d *wireDate) UnmarshalJSON(data []byte) error {
	if err := d.text.UnmarshalJSON(data); err != nil {
		return err
	}
	d.parse(func() string { return "" })
	return nil
}

// parse reads the date; name, called only for a date it cannot read, is its member's name.
func (d *wireDate) parse(name func() string) {
	d.time = time.Time{}
	if d.text.value() == "" {
		return
	}
	t, err := ParseTime(d.text.text)
	if err != nil {
		d.text = unreadableText(notADate(name(), d.text.text))
		return
	}
	d.time = t
}

// firstDate is the first of dates that is set, and records its problem.
func firstDate(problem *string, dates ...*wireDate) time.Time {
	for _, d := range dates {
		if d.text.set() {
			*problem = d.text.problem()
			return d.time
		}
	}
	return time.Time{}
}

// wireRoles is a list of roles; anything but an array of strings counts as absent.
type wireRoles struct {
	roles []string
	set   bool
}

func (r *wireRoles) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return r.UnmarshalJSON(v)
}

func (r *wireRoles) UnmarshalJSON(data []byte) error {
	*r = wireRoles{}
	if data[0] == '[' && unmarshal(data, &r.roles) == nil {
		r.set = true
	}
	return nil
}

// notAString words a non-string value by its first byte.
func notAString(name string, first byte) string {
	return name + ": " + jsonKind(first) + ", not a string"
}

// jsonKind words the kind of a value that is not a string by its first byte.
func jsonKind(first byte) string {
	switch first {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}

// notADate words a date that ParseTime does not read.
func notADate(name, value string) string { return name + ": not a date: " + quoteServerText(value) }

// pageOf is one answer of a paged list: Paged is false for a bare array (the whole list).
type pageOf[T any] struct {
	Items []T
	Total int
	Paged bool
}

// maxStatedTotal is the largest total a page may state and be taken at its word: far past
// what a key list may hold (see maxListKeys), so that a total of 1e9 or 1e300 reads as a
// number the walk then refuses instead of overflowing an int.
const maxStatedTotal = 1 << 40

// pageTotal is a page's stated total as a count: a whole number (1e9 is one, as JSON allows),
// not negative, at most maxStatedTotal.
func pageTotal(f float64) (int, error) {
	switch {
	case f < 0:
		return 0, l10n.Errorf("page object with a negative total (%v)", f)
	case f != math.Trunc(f):
		return 0, l10n.Errorf("page object with a total that is not a whole number (%v)", f)
	case f > maxStatedTotal:
		return maxStatedTotal, nil
	}
	return int(f), nil
}

// The request bodies the client sends, encoded by encoding/json (Client.do). Their fields are
// in the order of the names, the order the maps they replace were encoded in.
type (
	wireLogin struct {
		Password string `json:"password"`
		Username string `json:"username"`
	}
	wireRefresh struct {
		OrganizationID string `json:"organizationId,omitempty"` // the organization the new pair is bound to
		RefreshToken   string `json:"refreshToken"`
	}
	wireNewKey struct {
		ExpirationDate string `json:"expirationDate"`
		Role           string `json:"role"`
		Title          string `json:"title"`
	}
)

// answer decodes a whole 2xx body, envelope included, into what a call returns, noting in
// seen the members it did not expect.
type answer func(body []byte, seen *unexpectedMembers) error

func tokensAnswer(out *Tokens) answer {
	return func(body []byte, seen *unexpectedMembers) error {
		w, err := decodeObject[wireTokens](body)
		if err != nil {
			return err
		}
		*out, err = w.tokens(seen) // the tokens are kept even when their expiry is unreadable
		return err
	}
}

func userAnswer(out *User) answer {
	return func(body []byte, seen *unexpectedMembers) error {
		w, err := decodeObject[wireUser](body)
		if err == nil {
			*out = w.user(seen)
		}
		return err
	}
}

func memberAnswer(out *Member) answer {
	return func(body []byte, seen *unexpectedMembers) error {
		w, err := decodeObject[wireMember](body)
		if err == nil {
			*out = w.member(seen)
		}
		return err
	}
}

func membersAnswer(out *[]Member) answer {
	return func(body []byte, seen *unexpectedMembers) error {
		ws, err := decodeList[wireMember](body)
		if err != nil || ws == nil {
			return err
		}
		*out = make([]Member, len(ws))
		for i := range ws {
			(*out)[i] = ws[i].member(seen)
		}
		return nil
	}
}

func resourcesAnswer(out *[]Resource) answer {
	return func(body []byte, seen *unexpectedMembers) error {
		ws, err := decodeList[wireResource](body)
		if err != nil || ws == nil {
			return err
		}
		*out = make([]Resource, len(ws))
		for i := range ws {
			(*out)[i] = ws[i].resource(seen)
		}
		return nil
	}
}

func keyAnswer(out *APIKey) answer {
	return func(body []byte, seen *unexpectedMembers) error {
		w, err := decodeObject[wireKey](body)
		if err == nil {
			seen.note("API key", w.Unknown)
			*out = w.apiKey()
		}
		return err
	}
}

func keyPageAnswer(out *pageOf[APIKey], dst []APIKey) answer {
	return func(body []byte, seen *unexpectedMembers) (err error) {
		*out, err = decodeKeyPageInto(body, seen, dst)
		return err
	}
}
