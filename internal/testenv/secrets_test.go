package testenv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSecretScanFindings(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "sessions"), 0o700))
	must(os.WriteFile(filepath.Join(dir, "sessions", "default.json"), []byte(`{"refreshToken": "rt-123"}`), 0o600))
	must(os.WriteFile(filepath.Join(dir, "config.yaml"), []byte("org: x\n# hunter2\n"), 0o600))
	must(os.WriteFile(filepath.Join(dir, "rt-123.bak"), []byte("clean"), 0o600))

	scan := SecretScan{
		Secrets: map[string]string{"password": "hunter2", "refresh token": "rt-123", "unset": ""},
		Texts:   map[string]string{"stdout": "ok\n", "stderr": "line 1\nAuthorization: Bearer rt-123\n"},
		Dirs:    []string{dir},
		Allow: func(path, secret string) bool {
			return secret == "refresh token" && filepath.Base(filepath.Dir(path)) == "sessions"
		},
	}
	found, err := scan.Findings()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range found {
		got = append(got, strings.ReplaceAll(f.String(), dir, "DIR"))
	}
	want := []string{
		"password in DIR/config.yaml, line 2",
		"refresh token in stderr, line 2",
		"refresh token in the name of DIR/rt-123.bak",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// failRecorder captures what Check reports instead of failing the real test.
type failRecorder struct {
	testing.TB
	msgs []string
}

func (r *failRecorder) Helper() {}
func (r *failRecorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, strings.TrimSpace(strings.ReplaceAll(format, "%", "")))
	for _, a := range args {
		if s, ok := a.(string); ok {
			r.msgs = append(r.msgs, s)
		}
	}
}

func TestSecretScanCheckNamesButNeverPrintsSecrets(t *testing.T) {
	rec := &failRecorder{TB: t}
	SecretScan{
		Secrets: map[string]string{"password": "hunter2"},
		Texts:   map[string]string{"stderr": "password=hunter2"},
	}.Check(rec)
	out := strings.Join(rec.msgs, "\n")
	if !strings.Contains(out, "password in stderr, line 1") {
		t.Errorf("report lacks the finding: %q", out)
	}
	if strings.Contains(out, "hunter2") {
		t.Errorf("report prints the secret: %q", out)
	}

	clean := &failRecorder{TB: t}
	SecretScan{Secrets: map[string]string{"password": "hunter2"}, Texts: map[string]string{"stdout": "fine"}}.Check(clean)
	if len(clean.msgs) != 0 {
		t.Errorf("clean scan reported %q", clean.msgs)
	}
}
