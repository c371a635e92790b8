package cli

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/clipboard"
	"github.com/k2geospatial/apikeys/internal/iostreams"
)

// runClearClipboardCmd runs the hidden clearer command against cb, with fp the fingerprint
// in the factory's environment.
func runClearClipboardCmd(t *testing.T, cb *fakeClipboard, fp string, args ...string) error {
	t.Helper()
	streams, _, _, _ := iostreams.Test()
	f := newFactory(streams, "test", func(k string) string {
		if k == clipboard.FingerprintEnv {
			return fp
		}
		return ""
	})
	f.Clipboard = cb
	cmd := newClearClipboardCmd(f, nil)
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	if out.Len() != 0 {
		t.Errorf("the clearer printed %q; it runs with no terminal", out.String())
	}
	return err
}

func TestClearClipboardCmdIsHidden(t *testing.T) {
	cmd := newClearClipboardCmd(&Factory{}, nil)
	if cmd.Name() != clipboard.ClearCommand || !cmd.Hidden {
		t.Fatalf("name %q hidden %v, want %q hidden", cmd.Name(), cmd.Hidden, clipboard.ClearCommand)
	}
}

// The fingerprint is read through the factory's Getenv: the process's environment, which
// holds the right one here, is not consulted.
func TestClearClipboardCmdRefusesAMissingFingerprint(t *testing.T) {
	t.Setenv(clipboard.FingerprintEnv, clipboard.Fingerprint("jmc_test_secret"))
	cb := &fakeClipboard{text: "jmc_test_secret"}
	err := runClearClipboardCmd(t, cb, "", "--after", "1ms")
	if err == nil || !strings.Contains(err.Error(), "fingerprint") {
		t.Fatalf("err = %v, want a fingerprint error", err)
	}
	if w := cb.record().SysWrites; len(w) != 0 {
		t.Fatalf("wrote %q to the clipboard", w)
	}
}

// The clearer command clears the clipboard the Factory gives it, and only when it still
// holds the text whose fingerprint it was given.
func TestClearClipboardCmdClearsOnlyItsSecret(t *testing.T) {
	const secret = "jmc_test_clear_clipboard_cmd"
	cb := &fakeClipboard{text: secret}
	if err := runClearClipboardCmd(t, cb, clipboard.Fingerprint("something else"), "--after", "1ms"); err != nil {
		t.Fatal(err)
	}
	if w := cb.record().SysWrites; len(w) != 0 {
		t.Fatalf("cleared a clipboard holding something else: writes %q", w)
	}
	if err := runClearClipboardCmd(t, cb, clipboard.Fingerprint(secret), "--after", "1ms"); err != nil {
		t.Fatal(err)
	}
	if w, want := cb.record().SysWrites, []string{""}; !slices.Equal(w, want) {
		t.Fatalf("writes %q, want %q", w, want)
	}
}
