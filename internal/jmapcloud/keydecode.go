package jmapcloud

import (
	"bytes"
	"reflect"
	"strings"
	"sync"
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
			if unknown == nil {
				unknown = append(unknown, '{')
			} else {
				unknown = append(unknown, ',')
			}
			unknown = append(unknown, rawName...)
			unknown = append(unknown, ':')
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
