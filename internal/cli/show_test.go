package cli

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/clipboard"
)

func TestShow(t *testing.T) {
	ts := newTestSandbox(t)
	id := ts.keyID("QGIS plugin")
	for _, ref := range []string{id, strings.ToUpper(id), "qgis PLUGIN"} {
		code, out, errOut := ts.run("show", ref)
		if code != 0 {
			t.Fatalf("show %q: exit %d: %s", ref, code, errOut)
		}
		for _, want := range []string{"Title:", "QGIS plugin", "Role:", "editor", "Creator:", "Oscar Ops", "Email:", "@", "Expires:", "Status:", "expiring", id} {
			if !strings.Contains(out, want) {
				t.Errorf("show %q lacks %q:\n%s", ref, want, out)
			}
		}
	}
	code, out, _ := ts.run("show", "QGIS plugin", "-o", "json")
	var row map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &row) != nil || len(row) != 8 || row["id"] != id || row["status"] != "expiring" {
		t.Fatalf("show -o json: %s", out)
	}
	code, out, _ = ts.run("show", "QGIS plugin", "-o", "yaml")
	if code != 0 || !strings.Contains(out, "title: QGIS plugin") {
		t.Fatalf("show -o yaml: %s", out)
	}

	code, out, errOut := ts.run("show", "Power BI connector")
	if code != exitUsage || out != "" || strings.Count(errOut, "Power BI connector") < 3 {
		t.Fatalf("ambiguous title: exit %d, stderr %s", code, errOut)
	}
	code, _, errOut = ts.run("show", "no such key")
	if code != exitNotFound || !strings.Contains(errOut, "apikeys list") {
		t.Fatalf("unknown key: exit %d: %s", code, errOut)
	}
	code, _, _ = ts.run("show", "00000000-0000-4000-8000-000000000000")
	if code != exitNotFound {
		t.Fatalf("unknown ID: exit %d", code)
	}
}

func TestShowCopyEmail(t *testing.T) {
	ts := newTestSandbox(t)
	code, out, errOut := ts.run("show", "CI pipeline", "--copy-email", "-o", "json")
	var row map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &row) != nil {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	email, _ := row["email"].(string)
	if got, want := ts.clipboard.record(), (clipboardRecord{Copies: []string{email}}); !reflect.DeepEqual(got, want) || email == "" {
		t.Fatalf("clipboard saw %+v, want %+v", got, want)
	}
	if want := "Copied " + email + " to the clipboard (system).\n"; errOut != want {
		t.Fatalf("stderr %q, want %q", errOut, want)
	}

	// By OSC 52 nothing confirms the copy: the note says so.
	ts.clipboard.method = clipboard.MethodOSC52
	code, _, errOut = ts.run("show", "CI pipeline", "--copy-email", "-o", "json")
	if want := "Sent " + email + " to your terminal's clipboard (OSC 52).\n  Some terminals and tmux ignore this.\n"; code != 0 || errOut != want {
		t.Fatalf("OSC 52: exit %d, stderr %q, want 0 and %q", code, errOut, want)
	}

	ts.clipboard.method = ""
	ts.clipboard.copyErr = errors.New("clipboard unavailable: no X or Wayland display")
	code, _, errOut = ts.run("show", "CI pipeline", "--copy-email", "-o", "json")
	if want := "Note: the email was not copied to the clipboard (clipboard unavailable: no X or Wayland display).\n"; code != 0 || errOut != want {
		t.Fatalf("failing clipboard: exit %d, stderr %q, want 0 and %q", code, errOut, want)
	}
}
