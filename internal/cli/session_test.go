package cli

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/sandbox"
)

// answerStatus writes an error answer with status.
func answerStatus(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"message":"injected fault","status":%d}`, status)
}

// A configuration directory others can write is refused with exit 2 naming the chmod to run,
// before anything is read or sent; a session file others can read is narrowed, with a warning.
func TestConfigurationOthersCanWriteIsRefused(t *testing.T) {
	e := newAuthEnv(t, authEnvOptions{})
	e.login(sandbox.AdminEmail)
	if err := os.Chmod(e.dir, 0o777); err != nil {
		t.Fatal(err)
	}
	before := e.sb.Stats().Requests
	code, _, stderr := e.run("", "list")
	if code != exitUsage || !strings.Contains(stderr, "refusing to use "+e.dir) || !strings.Contains(stderr, "`chmod go-w "+e.dir+"`") {
		t.Fatalf("list with a 0777 configuration directory: exit %d, want 2\n%s", code, stderr)
	}
	if n := e.sb.Stats().Requests - before; n != 0 {
		t.Errorf("%d requests sent", n)
	}
	if err := os.Chmod(e.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(e.sessionPath("default"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = e.run("", "list")
	if code != exitOK || !strings.Contains(stderr, "Warning: the session file "+e.sessionPath("default")+" was readable by others (mode 0644): narrowed to 0600") {
		t.Fatalf("list with a 0644 session file: exit %d, want 0 and a warning\n%s", code, stderr)
	}
	if info, err := os.Stat(e.sessionPath("default")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("session file after: %v %v, want mode 0600", info.Mode(), err)
	}
}
