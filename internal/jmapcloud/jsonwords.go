package jmapcloud

import (
	"errors"
	"reflect"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// inPlainWords rewords the JSON decoder's errors for a person: "json: cannot unmarshal JSON
// object into Go []jmapcloud.wireMember" names a Go type of this package, and "jsontext: …"
// a package. Other errors, already worded by the wire code, are returned as they are. The
// decoder's error stays reachable with errors.As.
func inPlainWords(err error) error {
	var semantic *json.SemanticError
	var syntactic *jsontext.SyntacticError
	switch {
	case errors.As(err, &semantic) && semantic.JSONKind != 0 && semantic.GoType != nil:
		text := jsonKindWords(semantic.JSONKind) + " where " + goTypeWords(semantic.GoType) + " was expected"
		return &redactedError{text: text + atPointer(semantic.JSONPointer), err: err}
	case errors.As(err, &syntactic):
		return &redactedError{text: "not valid JSON: " + strings.TrimPrefix(syntactic.Error(), "jsontext: "), err: err}
	}
	return err
}

// atPointer is " at /0/id" for a place inside the answer, "" for the whole answer.
func atPointer(p jsontext.Pointer) string {
	if p == "" {
		return ""
	}
	return " at " + string(p)
}

func jsonKindWords(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case '{':
		return "an object"
	case '[':
		return "a list"
	}
	return "a value"
}

func goTypeWords(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "another value"
}
