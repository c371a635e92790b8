package jmapcloud

// diagnose.go is what `apikeys doctor` asks of the client: one request sent as the CLI sends
// it, answered with its status, clock, TLS and body (Exchange), and a second, slower reading
// of that body (Diagnose) that says how it is shaped: the envelope, the page, and for every
// field the member name it was read from, by the names and the order of wire.go's doctor
// tags. The calls apikeys makes never go through here: their decoding stays as fast as it is.

import (
	"bytes"
	"context"
	"crypto/tls"
	stdjson "encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// AnswerKind is what a call answers, which decides how Diagnose reads it.
type AnswerKind uint8

const (
	AnswerNone       AnswerKind = iota // no body expected (delete)
	AnswerUser                         // users/self
	AnswerMember                       // members/self
	AnswerMembers                      // the members list
	AnswerKeyPage                      // the first page of the key list
	AnswerKey                          // one key
	AnswerCreatedKey                   // the answer to create, with the secret
	AnswerResources                    // a key's resources
)

// Call is one request the doctor sends. Template is its path with the organization and key
// IDs replaced by {org} and {id}: what a report may show.
type Call struct {
	Method   string
	Template string
	Answer   AnswerKind
	path     string
	body     any
	paged    bool // the key list: asked with the client's page size, as the CLI asks
}

// UserSelfCall is GET users/self.
func UserSelfCall() Call {
	return Call{Method: http.MethodGet, Template: pathUserSelf(), Answer: AnswerUser, path: pathUserSelf()}
}

// MemberSelfCall is GET members/self of org.
func MemberSelfCall(org string) (Call, error) {
	p, err := pathMemberSelf(org)
	return orgCall(http.MethodGet, p, org, "", AnswerMember), err
}

// MembersCall is GET members of org.
func MembersCall(org string) (Call, error) {
	p, err := pathMembers(org)
	return orgCall(http.MethodGet, p, org, "", AnswerMembers), err
}

// KeyListCall is the first page of org's key list, asked as ListAPIKeys asks it.
func KeyListCall(org string) (Call, error) {
	p, err := pathAPIKeys(org)
	c := orgCall(http.MethodGet, p, org, "", AnswerKeyPage)
	c.paged = true
	return c, err
}

// KeyCall is GET one key.
func KeyCall(org, id string) (Call, error) {
	p, err := pathAPIKey(org, id)
	return orgCall(http.MethodGet, p, org, id, AnswerKey), err
}

// KeyResourcesCall is GET a key's resources.
func KeyResourcesCall(org, id string) (Call, error) {
	p, err := pathAPIKeyResources(org, id)
	return orgCall(http.MethodGet, p, org, id, AnswerResources), err
}

// CreateKeyCall is POST a new key, with the body CreateAPIKey sends.
func CreateKeyCall(org string, req CreateAPIKeyRequest) (Call, error) {
	p, err := pathAPIKeys(org)
	c := orgCall(http.MethodPost, p, org, "", AnswerCreatedKey)
	c.body = wireNewKey{Title: req.Title, Role: req.Role, ExpirationDate: FormatTime(req.ExpirationDate)}
	return c, err
}

// DeleteKeyCall is DELETE a key, its resources deleted with it (the doctor's key owns none).
func DeleteKeyCall(org, id string) (Call, error) {
	p, err := pathAPIKey(org, id)
	return orgCall(http.MethodDelete, p, org, id, AnswerNone), err
}

func orgCall(method, path, org, id string, answer AnswerKind) Call {
	template := path
	if id != "" {
		template = strings.Replace(template, "/api-keys/"+url.PathEscape(id), "/api-keys/{id}", 1)
	}
	template = strings.Replace(template, "/organizations/"+url.PathEscape(org), "/organizations/{org}", 1)
	return Call{Method: method, Template: template, Answer: answer, path: path}
}

// Exchange is one request and its answer as the doctor reads them. Body may hold a secret
// (the answer to create): it is for Diagnose and the Read functions, never to be shown.
type Exchange struct {
	Status  int
	Date    string        // the answer's Date header, "" when absent
	At      time.Time     // the local clock when the answer arrived
	Latency time.Duration // from sending to the whole answer read
	TLS     string        // "TLS 1.3"; "" over plain http
	// PageSize is the page size asked for (the key list), 0 for other calls.
	PageSize int
	Body     []byte
}

// Exchange sends call once, as the CLI sends it (the same headers, token and URL policy), and
// returns the answer whatever its status. A 401 renews the session once and sends again, as
// every call does; nothing else is retried: the doctor reports what the server said.
func (c *Client) Exchange(ctx context.Context, call Call) (Exchange, error) {
	var payload []byte
	if call.body != nil {
		var err error
		if payload, err = stdjson.Marshal(call.body); err != nil {
			return Exchange{}, err
		}
	}
	var query url.Values
	if call.paged {
		query = queryPage(0, c.pageSize)
	}
	ex, sent, err := c.exchangeOnce(ctx, call, query, payload)
	if err == nil && ex.Status == http.StatusUnauthorized && c.tokens != nil {
		if c.tokens.Refresh(ctx, sent) == nil {
			ex, _, err = c.exchangeOnce(ctx, call, query, payload)
		}
	}
	if call.paged {
		ex.PageSize = c.pageSize
	}
	if err == nil && call.Answer == AnswerCreatedKey {
		if k, kerr := ReadKey(ex.Body); kerr == nil {
			c.secrets.add(k.Secret) // redacted from any error or trace from now on
		}
	}
	return ex, c.redactError(err)
}

func (c *Client) exchangeOnce(ctx context.Context, call Call, query url.Values, payload []byte) (Exchange, string, error) {
	start := time.Now()
	resp, err := c.send(ctx, call.Method, call.path, query, payload, true)
	if err != nil {
		var redirect *RedirectError
		if errors.As(err, &redirect) {
			return Exchange{Status: resp.status, At: time.Now(), Latency: time.Since(start)}, resp.token, nil
		}
		return Exchange{}, resp.token, err
	}
	ex := Exchange{Status: resp.status, Date: resp.header.Get("Date"), At: time.Now(), Latency: time.Since(start), Body: resp.body}
	if resp.tls != nil {
		ex.TLS = tls.VersionName(resp.tls.Version)
	}
	return ex, resp.token, nil
}

// ReadKeyPage reads a key-list answer as ListAPIKeys reads each page: its keys, its stated
// total and whether it was a page (false: a bare array, the whole list).
func ReadKeyPage(body []byte) (keys []APIKey, total int, paged bool, err error) {
	p, err := decodeKeyPage(body, nil)
	return p.Items, p.Total, p.Paged, err
}

// ReadKey reads a one-key answer (get or create) as the client does.
func ReadKey(body []byte) (APIKey, error) {
	var k APIKey
	return k, keyAnswer(&k)(body, nil)
}

// ReadMember reads members/self as the client does.
func ReadMember(body []byte) (Member, error) {
	var m Member
	return m, memberAnswer(&m)(body, nil)
}

// ReadUser reads users/self as the client does.
func ReadUser(body []byte) (User, error) {
	var u User
	return u, userAnswer(&u)(body, nil)
}

// Shape is how one answer is built, names and kinds only: never a value. It is what a
// doctor's report may carry.
type Shape struct {
	// Form is "object", "array", "page object", "empty" or "not JSON": the payload's, inside
	// the envelope when there is one.
	Form     string `json:"form"`
	Envelope bool   `json:"envelope"`
	// Objects describe each kind of object met: the answer's own, then those inside it.
	Objects []ObjectShape `json:"objects,omitempty"`
	// Unreadable says why the client's own decoder refused the answer (it may quote a value:
	// not for a report), nil when it read it.
	Unreadable error `json:"-"`
}

// ObjectShape is what the objects of one kind held, over every one of them met.
type ObjectShape struct {
	Object string       `json:"object"` // "API key", "page", "member", "user", "organization", "resource"
	Struct string       `json:"struct"` // the wire.go struct that reads it ("wireKey")
	Count  int          `json:"count"`
	Fields []FieldShape `json:"fields"`
	// Unexpected are the members no wire struct names, sorted.
	Unexpected []string `json:"unexpected,omitempty"`
	// NotObjects counts the elements of a list that were not objects.
	NotObjects int `json:"notObjects,omitempty"`
}

// FieldShape is where one field of the CLI was found.
type FieldShape struct {
	Field    string `json:"field"`   // the client's name of the field ("expirationDate")
	Assumed  string `json:"assumed"` // the member API.md names for it: the first variant
	Required bool   `json:"required"`
	// CreateOnly marks the secret: expected in the answer to create, nowhere else.
	CreateOnly bool `json:"createOnly,omitempty"`
	// Matched are the member names the values were read from, in the order of the variants.
	Matched []string `json:"matched,omitempty"`
	Types   []string `json:"types,omitempty"` // the JSON kinds of the values read
	Missing int      `json:"missing"`         // objects where no variant held a value
	// Date fields: the forms of the dates met (digits as 9, letters but T and Z as a) and
	// how many of them the client could not read.
	Date      bool     `json:"date,omitempty"`
	DateForms []string `json:"dateForms,omitempty"`
	Unparsed  int      `json:"unparsed,omitempty"`
	NonUTC    int      `json:"nonUTC,omitempty"` // dates read with an offset other than UTC
	// Unreadable counts values of a kind the field cannot hold (a number for a title).
	Unreadable int `json:"unreadable,omitempty"`
}

// Variant reports a field read from a member other than the one API.md assumes.
func (f FieldShape) Variant() bool {
	return slices.ContainsFunc(f.Matched, func(m string) bool { return m != f.Assumed })
}

// errNotJSON is the Unreadable of an answer that is not JSON.
var errNotJSON = l10n.Errorf("the answer is not JSON")

// Diagnose reads body as an answer of kind and says how it is shaped. It never fails: what it
// cannot read is said in the Shape.
func Diagnose(kind AnswerKind, body []byte) Shape {
	var sh Shape
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		sh.Form = "empty"
		return sh
	case !jsontext.Value(trimmed).IsValid(decodeOptions):
		sh.Form = "not JSON"
		sh.Unreadable = errNotJSON
		return sh
	}
	payload := jsontext.Value(trimmed)
	if firstByte(trimmed) == '{' {
		env, _ := decodeEnvelope[struct {
			Unknown jsontext.Value `json:",embed"`
		}](trimmed)
		if env.inner != nil {
			sh.Envelope, payload = true, env.inner
		}
	}
	spec := wireSpecs()[kind]
	d := newShapeDiagnosis()
	switch firstByte(payload) {
	case '[':
		sh.Form = "array"
		elem := spec
		if kind == AnswerKeyPage {
			elem = wireSpecs()[AnswerKey]
		}
		if elem != nil {
			d.list(elem, payload)
		}
	case '{':
		sh.Form = "object"
		if spec != nil {
			found := d.object(spec, payload)
			if kind == AnswerKeyPage && found["list"] {
				sh.Form = "page object"
			}
		}
	default:
		sh.Form = jsonKind(firstByte(payload))
	}
	sh.Objects = d.shapes()
	sh.Unreadable = clientReads(kind, body)
	return sh
}

// clientReads is why the client's own decoder refuses body, "" when it reads it.
func clientReads(kind AnswerKind, body []byte) error {
	var err error
	switch kind {
	case AnswerUser:
		_, err = ReadUser(body)
	case AnswerMember:
		_, err = ReadMember(body)
	case AnswerMembers:
		var ms []Member
		err = membersAnswer(&ms)(body, nil)
	case AnswerKeyPage:
		_, _, _, err = ReadKeyPage(body)
	case AnswerKey, AnswerCreatedKey:
		_, err = ReadKey(body)
	case AnswerResources:
		var rs []Resource
		err = resourcesAnswer(&rs)(body, nil)
	}
	return err
}

// objectSpec is one wire struct as Diagnose reads it: its groups of member names, by field.
type objectSpec struct {
	object     string
	wire       string // the struct's name
	fields     []fieldSpec
	known      map[string]bool // every member name the struct reads, folded when caseIgnore
	caseIgnore bool
	nested     map[string]*objectSpec // field → the spec of the objects its array holds
}

type fieldSpec struct {
	field                  string
	names                  []string
	required, date, create bool
}

// specs are the specs of the wire structs, built on the doctor's first use (wireSpecs):
// never at start-up. The zero values need no package initialisation.
var (
	specsOnce sync.Once
	specs     map[AnswerKind]*objectSpec
)

func wireSpecs() map[AnswerKind]*objectSpec {
	specsOnce.Do(func() {
		key := wireSpec("API key", reflect.TypeFor[wireKey](), nil)
		org := wireSpec("organization", reflect.TypeFor[wireOrganization](), nil)
		member := wireSpec("member", reflect.TypeFor[wireMember](), nil)
		specs = map[AnswerKind]*objectSpec{
			AnswerUser:       wireSpec("user", reflect.TypeFor[wireUser](), map[string]*objectSpec{"organizations": org}),
			AnswerMember:     member,
			AnswerMembers:    member,
			AnswerKeyPage:    wireSpec("page", reflect.TypeFor[wireKeyPage](), map[string]*objectSpec{"list": key}),
			AnswerKey:        key,
			AnswerCreatedKey: key,
			AnswerResources:  wireSpec("resource", reflect.TypeFor[wireResource](), nil),
		}
	})
	return specs
}

// wireSpec reads t's json and doctor tags.
func wireSpec(object string, t reflect.Type, nested map[string]*objectSpec) *objectSpec {
	s := &objectSpec{object: object, wire: t.Name(), known: map[string]bool{}, nested: nested}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		if strings.Contains(opts, "case:ignore") {
			s.caseIgnore = true
		}
		s.known[s.fold(name)] = true
		tag := sf.Tag.Get("doctor")
		if tag == "" {
			continue
		}
		parts := strings.Split(tag, ",")
		fs := s.field(parts[0])
		fs.names = append(fs.names, name)
		for _, p := range parts[1:] {
			switch p {
			case "required":
				fs.required = true
			case "date":
				fs.date = true
			case "create":
				fs.create = true
			}
		}
	}
	return s
}

func (s *objectSpec) field(name string) *fieldSpec {
	for i := range s.fields {
		if s.fields[i].field == name {
			return &s.fields[i]
		}
	}
	s.fields = append(s.fields, fieldSpec{field: name})
	return &s.fields[len(s.fields)-1]
}

func (s *objectSpec) fold(name string) string {
	if s.caseIgnore {
		return strings.ToLower(name)
	}
	return name
}

// shapeDiagnosis accumulates the shapes of the objects met, by kind, in the order met.
type shapeDiagnosis struct {
	order  []string
	byKind map[string]*objectTally
}

type objectTally struct {
	shape      ObjectShape
	unexpected map[string]bool
}

func newShapeDiagnosis() *shapeDiagnosis {
	return &shapeDiagnosis{byKind: map[string]*objectTally{}}
}

func (d *shapeDiagnosis) tally(spec *objectSpec) *objectTally {
	t, ok := d.byKind[spec.object]
	if !ok {
		t = &objectTally{shape: ObjectShape{Object: spec.object, Struct: spec.wire}, unexpected: map[string]bool{}}
		for _, f := range spec.fields {
			t.shape.Fields = append(t.shape.Fields, FieldShape{Field: f.field, Assumed: f.names[0], Required: f.required, CreateOnly: f.create, Date: f.date})
		}
		d.byKind[spec.object] = t
		d.order = append(d.order, spec.object)
	}
	return t
}

func (d *shapeDiagnosis) shapes() []ObjectShape {
	out := make([]ObjectShape, 0, len(d.order))
	for _, kind := range d.order {
		t := d.byKind[kind]
		for name := range t.unexpected {
			t.shape.Unexpected = append(t.shape.Unexpected, name)
		}
		slices.Sort(t.shape.Unexpected)
		out = append(out, t.shape)
	}
	return out
}

// list reads an array of objects of spec.
func (d *shapeDiagnosis) list(spec *objectSpec, v jsontext.Value) {
	t := d.tally(spec) // an empty list still says which object it holds
	for _, elem := range arrayElements(v) {
		if firstByte(elem) != '{' {
			t.shape.NotObjects++
			continue
		}
		d.object(spec, elem)
	}
}

// members is one object's members: the last value of each name (as the decoder keeps it),
// and the names in the order met.
type members struct {
	names  []string
	values map[string]jsontext.Value
}

// object reads one object of spec, and the arrays of objects inside it; found are the fields
// it held.
func (d *shapeDiagnosis) object(spec *objectSpec, v jsontext.Value) (found map[string]bool) {
	found = map[string]bool{}
	t := d.tally(spec)
	t.shape.Count++
	m := objectMembers(v)
	for _, name := range m.names {
		if !spec.known[spec.fold(name)] && len(t.unexpected) < maxUnexpected {
			t.unexpected[cutAt(name, maxUnexpectedName)] = true
		}
	}
	for i, f := range spec.fields {
		fs := &t.shape.Fields[i]
		name, value, ok := f.match(spec, m)
		if !ok {
			fs.Missing++
			continue
		}
		found[f.field] = true
		addOnce(&fs.Matched, name)
		kind := valueKind(value)
		addOnce(&fs.Types, kind)
		if nested := spec.nested[f.field]; nested != nil && kind == "array" {
			d.list(nested, value)
		}
		switch {
		case f.date && kind == "string":
			var s string
			_ = unmarshal(value, &s)
			addOnce(&fs.DateForms, dateForm(s))
			if _, err := ParseTime(s); err != nil {
				fs.Unparsed++
			} else if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
				if _, offset := t.Zone(); offset != 0 {
					fs.NonUTC++
				}
			}
		case !f.fits(kind):
			fs.Unreadable++
		}
	}
	return found
}

// match is the member the client reads f from: the first variant present and not null, as
// firstText and firstDate take it.
func (f fieldSpec) match(spec *objectSpec, m members) (name string, value jsontext.Value, ok bool) {
	for _, want := range f.names {
		for i := len(m.names) - 1; i >= 0; i-- { // the last of a repeated name wins
			got := m.names[i]
			if spec.fold(got) != spec.fold(want) {
				continue
			}
			if v := m.values[got]; valueKind(v) != "null" {
				return got, v, true
			}
			break
		}
	}
	return "", nil, false
}

// fits reports whether a value of kind can hold f: a string, or the array of the lists.
func (f fieldSpec) fits(kind string) bool {
	switch f.field {
	case "list", "organizations", "roles", "groups":
		return kind == "array"
	case "total":
		return kind == "number"
	case "role":
		return kind == "string" || kind == "array"
	}
	return kind == "string"
}

func objectMembers(v jsontext.Value) members {
	m := members{values: map[string]jsontext.Value{}}
	dec := jsontext.NewDecoder(bytes.NewReader(v), decodeOptions)
	if _, err := dec.ReadToken(); err != nil {
		return m
	}
	for dec.PeekKind() == '"' {
		tok, err := dec.ReadToken()
		if err != nil {
			return m
		}
		name := tok.String()
		val, err := dec.ReadValue()
		if err != nil {
			return m
		}
		if _, seen := m.values[name]; !seen {
			m.names = append(m.names, name)
		}
		m.values[name] = slices.Clone(val)
	}
	return m
}

func arrayElements(v jsontext.Value) []jsontext.Value {
	var out []jsontext.Value
	dec := jsontext.NewDecoder(bytes.NewReader(v), decodeOptions)
	if _, err := dec.ReadToken(); err != nil {
		return nil
	}
	for dec.PeekKind() != ']' && dec.PeekKind() != 0 {
		val, err := dec.ReadValue()
		if err != nil {
			return out
		}
		out = append(out, slices.Clone(val))
	}
	return out
}

// valueKind words the JSON kind of v.
func valueKind(v jsontext.Value) string {
	switch firstByte(v) {
	case '"':
		return "string"
	case 'n':
		return "null"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 0:
		return "absent"
	}
	return "number"
}

// maxDateForm bounds the form of a date a report shows.
const maxDateForm = 40

// dateForm is the layout of a date with its value taken out: digits as 9, letters other than
// T and Z as a, the rest (- : . + and spaces) kept. "2026-03-01T10:00:00.123+02:00" is
// "9999-99-99T99:99:99.999+99:99".
func dateForm(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i >= maxDateForm {
			b.WriteString("…")
			break
		}
		switch {
		case r >= '0' && r <= '9':
			b.WriteByte('9')
		case r == 'T' || r == 'Z':
			b.WriteRune(r)
		case r == '-' || r == ':' || r == '.' || r == '+' || r == ' ' || r == '/':
			b.WriteRune(r)
		default:
			b.WriteByte('a')
		}
	}
	return b.String()
}

func addOnce(list *[]string, s string) {
	if !slices.Contains(*list, s) {
		*list = append(*list, s)
	}
}
