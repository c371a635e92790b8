package jmapcloud

import (
	"fmt"
	"strings"
	"testing"
)

// Field names are compared without case, '_' or '-'; an unparseable body is redacted by
// pattern with the same names, and the values it redacts are learned.
func TestRedactOddFieldNames(t *testing.T) {
	known := newSecretSet()
	body := `{"access_token":"AAAAAAAA1","Refresh-Token":"RRRRRRRR2","jwt":"JJJJJJJJ3","id_token":"IIIIIIII4","title":"t"` // cut: not JSON
	got := redactBody([]byte(body), known)
	want := `{"access_token":"[REDACTED]","Refresh-Token":"[REDACTED]","jwt":"[REDACTED]","id_token":"[REDACTED]","title":"t"`
	if got != want {
		t.Errorf("pattern redaction:\n got %s\nwant %s", got, want)
	}
	if got := known.redact("echo AAAAAAAA1 RRRRRRRR2 JJJJJJJJ3 IIIIIIII4"); got != "echo [REDACTED] [REDACTED] [REDACTED] [REDACTED]" {
		t.Errorf("learned values not redacted: %s", got)
	}
	// A short value in a secret-named field is redacted there, but not learned.
	redactBody([]byte(`{"value":"1"}`), known)
	if got := known.redact("page 1 of 10"); got != "page 1 of 10" {
		t.Errorf("a one-character value was learned: %s", got)
	}
}

// A known secret too short to be a real token (APIKEYS_TOKEN=t) is not replaced everywhere:
// that would garble every message it met; from four characters on it is.
func TestShortKnownSecretsDoNotGarbleText(t *testing.T) {
	known := newSecretSet()
	known.add("t", "abc")
	const msg = "json: cannot unmarshal number into Go struct field .totalElements of type int"
	if got := known.redact(msg); got != msg {
		t.Errorf("short secrets garbled the message:\n got %s\nwant %s", got, msg)
	}
	known.add("abcd")
	if got := known.redact("x abcd y"); got != "x [REDACTED] y" {
		t.Errorf("a four-character secret was not redacted: %s", got)
	}
}

// A body traced up to a limit may end inside a known secret: the part shown is redacted.
func TestRedactCutSecret(t *testing.T) {
	known := newSecretSet()
	known.add("tok-0123456789abcdef")
	for in, want := range map[string]string{
		"the token is tok-0123456": "the token is [REDACTED]",
		"ends with tok":            "ends with tok", // under minCut: too short to tell anything
		"tok-0123456789abcdef!":    "[REDACTED]!",
	} {
		if got := known.redactCut(in); got != want {
			t.Errorf("redactCut(%q) = %q, want %q", in, got, want)
		}
	}
	if got := known.redactCut(strings.Repeat("x", 10)); got != strings.Repeat("x", 10) {
		t.Errorf("unrelated text changed: %s", got)
	}
}

// A known secret is redacted in the forms other encoders give it, not only Go's: percent
// escapes in lower case, every reserved byte escaped (encodeURIComponent), a mix of escaped
// and raw in one text, base64 in either alphabet, with or without padding.
func TestRedactEncodedForms(t *testing.T) {
	known := newSecretSet()
	known.add("p@ss/w0rd+Secret ?>")
	for _, in := range []string{
		"p@ss/w0rd+Secret ?>",
		"p%40ss%2Fw0rd%2BSecret+%3F%3E",   // url.QueryEscape
		"p%40ss%2fw0rd%2bSecret+%3f%3e",   // the same, lower-case hex
		"p@ss%2Fw0rd+Secret%20%3F%3E",     // url.PathEscape
		"p%40ss%2Fw0rd%2BSecret%20%3F%3E", // encodeURIComponent
		"p%40ss%2fw0rd%2bSecret%20%3f%3e", // the same, lower-case hex
		"cEBzcy93MHJkK1NlY3JldCA/Pg==",    // base64
		"cEBzcy93MHJkK1NlY3JldCA_Pg",      // base64url, unpadded
		`p@ss/w0rd+Secret ?\u003e`,        // JSON as Go writes it
	} {
		if got := known.redact("x=" + in + "&y"); got != "x=[REDACTED]&y" {
			t.Errorf("redact(%q) = %q", in, got)
		}
	}
	if got := known.redact("p%40ss and 100%2F"); got != "p%40ss and 100%2F" {
		t.Errorf("unrelated text changed: %s", got)
	}
}

// What a server's secret-named fields teach is bounded in length, one by one and in all:
// each value learned rebuilt the replacer, so a hostile server answering 256 values of 60 KiB
// held a --debug run for minutes of CPU. A value past the bounds is still redacted by its
// field's name where it stands, only not elsewhere.
func TestLearnedSecretsAreBounded(t *testing.T) {
	known := newSecretSet()
	long := strings.Repeat("L", maxLearnedSecret+1)
	known.learn(long)
	if got := known.redact("echo " + long); got != "echo "+long {
		t.Errorf("a value over %d bytes was learned", maxLearnedSecret)
	}
	value := func(i int) string { return fmt.Sprintf("%04d", i) + strings.Repeat("v", 996) }
	for i := range 100 {
		known.learn(value(i))
	}
	fit := maxLearnedBytes / 1000
	if got := known.redact(value(fit - 1)); got != Redacted {
		t.Errorf("value %d, within %d bytes in all, was not learned", fit-1, maxLearnedBytes)
	}
	if got := known.redact(value(fit)); got != value(fit) {
		t.Errorf("value %d, past %d bytes in all, was learned", fit, maxLearnedBytes)
	}
	// Values the client knows (its own tokens, the password) are not bounded.
	known.add(long)
	if got := known.redact(long); got != Redacted {
		t.Errorf("a known value was not redacted")
	}
}
