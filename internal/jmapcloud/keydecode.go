package jmapcloud

import (
	"bytes"
	"reflect"
	"strings"
	"sync"
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

// lookupKeyField finds the field of the member whose name is the JSON string rawName.
func lookupKeyField(fields map[string]keyField, rawName []byte) (keyField, bool) {
	if bytes.IndexByte(rawName, '\\') < 0 {
		f, ok := fields[string(rawName[1:len(rawName)-1])] // no allocation for the lookup
		return f, ok
	}
	name, err := jsontext.AppendUnquote(nil, rawName)
	if err != nil {
		return keyField{}, false
	}
	f, ok := fields[string(name)]
	return f, ok
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
	keyFields     map[string]keyField
)

// wireKeyFieldTable maps each member name of wireKey's tags to its field. It is nil when
// wireKey has a field this reader does not know how to read (another type, or a tag option
// such as case:ignore) or a decoding method of its own: decodeWireKey then leaves every key
// to the general decoder, and TestKeyReaderMatchesGeneralDecoder says so.
func wireKeyFieldTable() map[string]keyField {
	keyFieldsOnce.Do(func() { keyFields = buildKeyFieldTable(reflect.TypeFor[wireKey]()) })
	return keyFields
}

func buildKeyFieldTable(t reflect.Type) map[string]keyField {
	if pt := reflect.PointerTo(t); pt.Implements(reflect.TypeFor[json.UnmarshalerFrom]()) || pt.Implements(reflect.TypeFor[json.Unmarshaler]()) {
		return nil // a key that reads itself: its own method decides
	}
	kinds := map[reflect.Type]keyFieldKind{
		reflect.TypeFor[wireText]():  keyFieldText,
		reflect.TypeFor[wireDate]():  keyFieldDate,
		reflect.TypeFor[wireRoles](): keyFieldRoles,
	}
	fields := make(map[string]keyField, t.NumField())
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
		if _, dup := fields[tag]; dup {
			return nil
		}
		fields[tag] = keyField{kind: kind, offset: sf.Offset}
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
