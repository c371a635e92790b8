package testenv

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestRequire runs each case in a child test process, because the outcomes
// under test (skip, fatal) end the calling test.
func TestRequire(t *testing.T) {
	if os.Getenv("TESTENV_CHILD") == "1" {
		Require(t, "a unicorn", os.Getenv("TESTENV_OK") == "1")
		return
	}
	tests := []struct {
		name, ok, require string
		wantFail          bool
		wantOut           string
	}{
		{name: "present", ok: "1", require: "1", wantOut: "PASS"},
		{name: "missing skips", ok: "0", require: "", wantOut: "SKIP: missing a unicorn (set APIKEYS_REQUIRE_REAL_TOOLS=1 to fail instead of skipping)"},
		{name: "missing fails when required", ok: "0", require: "1", wantFail: true, wantOut: "missing a unicorn, required because APIKEYS_REQUIRE_REAL_TOOLS is set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestRequire$", "-test.v")
			cmd.Env = append(os.Environ(), "TESTENV_CHILD=1", "TESTENV_OK="+tt.ok, RequireEnv+"="+tt.require)
			out, err := cmd.CombinedOutput()
			if failed := err != nil; failed != tt.wantFail {
				t.Fatalf("child failed = %v, want %v; output:\n%s", failed, tt.wantFail, out)
			}
			if !strings.Contains(string(out), tt.wantOut) {
				t.Fatalf("child output lacks %q:\n%s", tt.wantOut, out)
			}
		})
	}
}
