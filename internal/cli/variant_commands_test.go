package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/testenv/variantapi"
)

// runAgainstVariant runs args, without a terminal, against the variant server, logged in
// with APIKEYS_USERNAME and APIKEYS_PASSWORD.
func runAgainstVariant(t *testing.T, v *variantapi.Server, args ...string) (int, string, string) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	t.Setenv("APIKEYS_API_URL", v.URL)
	t.Setenv("APIKEYS_USERNAME", v.Planted.Username)
	t.Setenv("APIKEYS_PASSWORD", v.Planted.Password)
	streams, _, out, errOut := iostreams.Test()
	code := run(context.Background(), newFactory(streams, "test", os.Getenv), args)
	return code, out.String(), errOut.String()
}

// Every command works against a server of another dialect: Spring pages capped below the
// client's page size, name for title, roles for role, dates with offsets and milliseconds,
// the secret as "secret", 200 for 201 and 204, envelopes on some answers only.
func TestCommandsWorkAgainstTheVariantDialect(t *testing.T) {
	v := variantapi.New(t)

	code, out, errOut := runAgainstVariant(t, v, "list", "-o", "csv", "--columns", "id,title,role,created,expires", "--no-headers")
	if code != 0 {
		t.Fatalf("list: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != variantapi.KeyCount {
		t.Fatalf("list: %d keys, want %d (three capped pages):\n%s", len(lines), variantapi.KeyCount, out)
	}
	// Key 0: created 2026-01-10T09:30:15.123Z, written with an offset; role from roles.
	want0 := v.KeyID(0) + "," + v.KeyTitle(0) + ",viewer,2026-01-10T09:30:15Z,2027-01-10T09:30:15Z"
	if lines[0] != want0 {
		t.Errorf("list: first row %q, want %q", lines[0], want0)
	}

	code, out, errOut = runAgainstVariant(t, v, "show", v.KeyTitle(1), "-o", "json")
	if code != 0 || !strings.Contains(out, `"id": "`+v.KeyID(1)+`"`) || !strings.Contains(out, `"role": "editor"`) {
		t.Errorf("show: exit %d, stdout:\n%s\nstderr: %s", code, out, errOut)
	}

	code, out, errOut = runAgainstVariant(t, v, "create", "--title", "made by a test", "--role", "viewer", "--expires", "30d")
	secrets := v.Secrets()
	if code != 0 || len(secrets) != 1 || out != secrets[0]+"\n" {
		t.Errorf("create: exit %d, stdout %q (want the secret alone), stderr: %s", code, out, errOut)
	}

	code, out, errOut = runAgainstVariant(t, v, "delete", v.KeyID(0), "--transfer-to", v.Planted.EditorEmail, "--yes", "-o", "json")
	if code != 0 || v.HasKey(v.KeyID(0)) || v.Transfers[v.KeyID(0)] != v.Planted.EditorID {
		t.Errorf("delete with transfer: exit %d, transfers %v, stdout:\n%s\nstderr: %s", code, v.Transfers, out, errOut)
	}
	if n := v.Requests(); n > 200 {
		t.Errorf("%d requests for five commands", n)
	}
}
