package jmapcloud

import (
	"bytes"
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// decodeWireKey reads one key of the list into w, as json.UnmarshalDecode with decodeOptions
// would, in the same single pass over the same tokenizer (so the same JSON is refused, with the
// same errors), but without the reflection of the general struct decoder: each member's name
// is looked up in a table built once from wireKey's tags, and its field's own method reads the
// value. On 100,000 keys that decoder's own work was about half of the decoding
// (docs/performance.md). A key that is not an object goes to json.UnmarshalDecode, which
// words the error.
func decodeWireKey(dec *jsontext.Decoder, w *wireKey) error {
	return decodeWireKeyIn(dec, w, nil)
}

// decodeWireKeyIn is decodeWireKey with the texts read into texts (see textArena) when it
// is not nil.
func decodeWireKeyIn(dec *jsontext.Decoder, w *wireKey, texts *textArena) error {
	fields := wireKeyFieldTable()
	if fields == nil || dec.PeekKind() != '{' {
		return json.UnmarshalDecode(dec, w, decodeOptions)
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	base := unsafe.Pointer(w)
	var unknown []byte
	for dec.PeekKind() != '}' {
		rawName, err := dec.ReadValue() // a name: valid only until the next read
		if err != nil {
			return err
		}
		f, known := lookupKeyField(fields, rawName)
		if !known {
			// Kept as the general decoder keeps it (an embed fallback): an object of the
			// members wireKey does not name, for unexpectedMembers.
			unknown = appendMemberName(unknown, rawName) // before the next read voids rawName
			v, err := dec.ReadValue()
			if err != nil {
				return err
			}
			unknown = append(unknown, v...)
			continue
		}
		field := unsafe.Add(base, f.offset)
		switch f.kind {
		case keyFieldText:
			if texts != nil && dec.PeekKind() == '"' {
				err = (*wireText)(field).readFrom(dec, texts)
				break
			}
			err = (*wireText)(field).UnmarshalJSONFrom(dec)
		case keyFieldDate:
			if dec.PeekKind() == '"' {
				err = (*wireDate)(field).readFrom(dec)
				break
			}
			err = (*wireDate)(field).UnmarshalJSONFrom(dec)
		case keyFieldRoles:
			err = (*wireRoles)(field).UnmarshalJSONFrom(dec)
		}
		if err != nil {
			return err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	if unknown != nil {
		unknown = append(unknown, '}')
		w.Unknown = unknown
	}
	return nil
}

// readFrom is UnmarshalJSONFrom for a member whose value is a string: its text is copied
// into texts rather than allocated on its own.
func (t *wireText) readFrom(dec *jsontext.Decoder, texts *textArena) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	if s, ok := sharedText(v); ok {
		*t = readText(s)
		return nil
	}
	if bytes.IndexByte(v, '\\') < 0 && utf8.Valid(v) {
		*t = readText(texts.text(v[1 : len(v)-1])) // no escape: the text is the content
		return nil
	}
	*t = readText(knownText(v))
	return nil
}

// readFrom is UnmarshalJSONFrom for a member whose value is a string: a date in the form the
// service sends (utcDate) is read without time.Time's general RFC 3339 parser.
func (d *wireDate) readFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	if t, ok := utcDate(v[1 : len(v)-1]); ok {
		*d = wireDate{text: readText(""), time: t}
		return nil
	}
	var t time.Time
	if bytes.IndexByte(v, '\\') < 0 && t.UnmarshalText(v[1:len(v)-1]) == nil {
		*d = wireDate{text: readText(""), time: t.UTC()}
		return nil
	}
	d.text = readText(knownText(v))
	d.parse(func() string { return dec.StackPointer().LastToken() })
	return nil
}

// utcDate reads b when it is an RFC 3339 date in UTC as the service writes them,
// 2026-04-13T19:29:28.000+00:00 or with Z, a fraction of 1 to 9 digits or none: the instant
// time.Time.UnmarshalText reads, in UTC. Any other form, or a field out of its range, is not
// ok, and left to UnmarshalText. Two dates a key were a tenth of the decoding of 100,000 keys.
func utcDate(b []byte) (time.Time, bool) {
	n := len(b)
	if n < 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	var zone int
	switch {
	case b[n-1] == 'Z':
		zone = n - 1
	case n >= 25 && string(b[n-6:]) == "+00:00":
		zone = n - 6
	default:
		return time.Time{}, false
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	minute, ok5 := digits(b[14:16])
	sec, ok6 := digits(b[17:19])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 {
		return time.Time{}, false
	}
	nsec := 0
	switch frac := b[19:zone]; {
	case len(frac) == 0:
	case frac[0] == '.' && len(frac) >= 2 && len(frac) <= 10:
		f, ok := digits(frac[1:])
		if !ok {
			return time.Time{}, false
		}
		for range 10 - len(frac) {
			f *= 10
		}
		nsec = f
	default:
		return time.Time{}, false
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC), true
}

// digits is the number b's decimal digits spell; false when b holds anything else.
func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysIn is the number of days of month m of year (Gregorian, as package time counts).
func daysIn(m time.Month, year int) int {
	if m == time.February && year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		return 29
	}
	return [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
}

// sharedText is the role the JSON string v names, shared by every key that has it.
func sharedText(v jsontext.Value) (string, bool) {
	switch string(v) {
	case `"` + RoleViewer + `"`:
		return RoleViewer, true
	case `"` + RoleEditor + `"`:
		return RoleEditor, true
	case `"` + RoleAdmin + `"`:
		return RoleAdmin, true
	}
	return "", false
}

// textArena holds the texts of one page's keys one after the other in a few large blocks,
// instead of one allocation per text: on 100,000 keys that was 400,000 allocations and
// 14 MB in blocks rounded up to their size class (docs/performance.md). A block is only ever
// appended to, never written over, so the strings made from it (unsafe.String) never change;
// it lives as long as any of them does.
type textArena struct {
	block []byte
}

// textArenaBlock is the size of an arena's blocks: a page of 1,000 keys holds about 120 kB of
// texts, so a page takes four blocks and leaves half of one unused on average.
const textArenaBlock = 32 << 10

// text is a string of b's bytes, copied into the arena.
func (a *textArena) text(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > cap(a.block)-len(a.block) {
		if len(b) > textArenaBlock/4 {
			return string(b) // a long text gets its own allocation: no block is wasted on it
		}
		a.block = make([]byte, 0, textArenaBlock)
	}
	start := len(a.block)
	a.block = append(a.block, b...)
	return unsafe.String(&a.block[start], len(b))
}

// lookupKeyField finds the field of the member whose name is the JSON string rawName.
func lookupKeyField(fields *keyFieldTable, rawName []byte) (keyField, bool) {
	if bytes.IndexByte(rawName, '\\') < 0 {
		return fields.find(rawName[1 : len(rawName)-1])
	}
	name, err := jsontext.AppendUnquote(nil, rawName)
	if err != nil {
		return keyField{}, false
	}
	return fields.find(name)
}

// keyFieldTable is wireKey's member names and their fields, open-addressed by a hash of a
// name's length and its first and last bytes: a key's seven members were seven lookups in a
// Go map, 8 % of the list command's time on 100,000 keys (docs/performance.md).
type keyFieldTable struct {
	slots [keyFieldSlots]keyFieldSlot
	names int
}

type keyFieldSlot struct {
	name  string
	field keyField
}

// keyFieldSlots is a power of two, several times the number of names: probes are short.
const keyFieldSlots = 128

func keyFieldHash(name []byte) int {
	if len(name) == 0 {
		return 0
	}
	return (len(name)*131 + int(name[0])*31 + int(name[len(name)-1])) & (keyFieldSlots - 1)
}

func (t *keyFieldTable) find(name []byte) (keyField, bool) {
	for i := keyFieldHash(name); ; i = (i + 1) & (keyFieldSlots - 1) {
		s := &t.slots[i]
		if s.field.kind == 0 {
			return keyField{}, false
		}
		if s.name == string(name) {
			return s.field, true
		}
	}
}

// add puts name in the table; false when it is already there or the table is half full (a
// lookup then always ends at an empty slot).
func (t *keyFieldTable) add(name string, f keyField) bool {
	if t.names >= keyFieldSlots/2 {
		return false
	}
	for i, n := keyFieldHash([]byte(name)), 0; n < keyFieldSlots; i, n = (i+1)&(keyFieldSlots-1), n+1 {
		s := &t.slots[i]
		if s.field.kind == 0 {
			*s = keyFieldSlot{name: name, field: f}
			t.names++
			return true
		}
		if s.name == name {
			return false
		}
	}
	return false
}

type keyFieldKind uint8

const (
	keyFieldText keyFieldKind = iota + 1
	keyFieldDate
	keyFieldRoles
)

// keyField is where a member's value goes in a wireKey, and what reads it.
type keyField struct {
	kind   keyFieldKind
	offset uintptr
}

// The table is built on first use, not at start-up: a command that lists no keys pays nothing.
var (
	keyFieldsOnce sync.Once
	keyFields     *keyFieldTable
)

// wireKeyFieldTable maps each member name of wireKey's tags to its field. It is nil when
// wireKey has a field this reader does not know how to read (another type, or a tag option
// such as case:ignore) or a decoding method of its own: decodeWireKey then leaves every key
// to the general decoder, and TestKeyReaderMatchesGeneralDecoder says so.
func wireKeyFieldTable() *keyFieldTable {
	keyFieldsOnce.Do(func() { keyFields = buildKeyFieldTable(reflect.TypeFor[wireKey]()) })
	return keyFields
}

func buildKeyFieldTable(t reflect.Type) *keyFieldTable {
	if pt := reflect.PointerTo(t); pt.Implements(reflect.TypeFor[json.UnmarshalerFrom]()) || pt.Implements(reflect.TypeFor[json.Unmarshaler]()) {
		return nil // a key that reads itself: its own method decides
	}
	kinds := map[reflect.Type]keyFieldKind{
		reflect.TypeFor[wireText]():  keyFieldText,
		reflect.TypeFor[wireDate]():  keyFieldDate,
		reflect.TypeFor[wireRoles](): keyFieldRoles,
	}
	fields := new(keyFieldTable)
	embeds := 0
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == ",embed" && sf.Type == reflect.TypeFor[jsontext.Value]() && sf.Name == "Unknown" {
			embeds++
			continue
		}
		kind, ok := kinds[sf.Type]
		if !ok || tag == "" || strings.ContainsAny(tag, ",'\"\\") || !sf.IsExported() {
			return nil
		}
		if !fields.add(tag, keyField{kind: kind, offset: sf.Offset}) {
			return nil // a name twice
		}
	}
	if embeds != 1 {
		return nil
	}
	return fields
}

// intoRoomOf is the decode option that reads the first array of keys of an answer into dst's
// room (the slot of one preallocated array that a page's keys belong in, keyPageSlots) and
// any later one into a new array.
func intoRoomOf(dst []APIKey) json.Options {
	used := false
	return json.WithUnmarshalers(json.UnmarshalFromFunc(func(dec *jsontext.Decoder, l *wireKeys) error {
		if used {
			return l.decodeInto(dec, nil)
		}
		used = true
		return l.decodeInto(dec, dst)
	}))
}
