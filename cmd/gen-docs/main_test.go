package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateIsDeterministic generates twice, the second time with an environment that would
// change the output if anything read it, and expects identical trees.
func TestGenerateIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if code := run([]string{"-root", a}, new(bytes.Buffer), new(bytes.Buffer)); code != 0 {
		t.Fatalf("first run: exit %d", code)
	}
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("APIKEYS_OUTPUT", "json")
	t.Setenv("APIKEYS_API_URL", "https://example.invalid")
	t.Setenv("SOURCE_DATE_EPOCH", "86400")
	var stderr bytes.Buffer
	if code := run([]string{"-root", b}, new(bytes.Buffer), &stderr); code != 0 {
		t.Fatalf("second run: exit %d: %s", code, stderr.String())
	}
	problems, err := compare(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Fatalf("two runs differ: %q", problems)
	}
	files, err := listFiles(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"completions/apikeys.bash", "completions/_apikeys", "completions/apikeys.fish", "completions/apikeys.ps1",
		"docs/cli/apikeys.md", "docs/cli/apikeys_delete.md", "docs/man/apikeys.1", "docs/man/apikeys-delete.1", "docs/man/apikeys-completion-bash.1"} {
		if !files[want] {
			t.Errorf("%s was not generated", want)
		}
	}
	for name := range files {
		b, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if strings.Contains(s, "Auto generated") || strings.Contains(s, "example.invalid") || strings.Contains(s, "Jan 2000") {
			t.Errorf("%s carries a date tag, a placeholder date or something read from the environment", name)
		}
		if strings.HasSuffix(name, ".1") && !strings.Contains(s, `"1" "" "apikeys" "apikeys manual"`) {
			t.Errorf("%s: unexpected .TH line:\n%s", name, strings.SplitN(s, "\n", 3)[1])
		}
	}
}

func TestCheckReportsDrift(t *testing.T) {
	root := t.TempDir()
	if code := run([]string{"-root", root}, new(bytes.Buffer), new(bytes.Buffer)); code != 0 {
		t.Fatalf("generate: exit %d", code)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-root", root, "-check"}, &stdout, &stderr); code != 0 {
		t.Fatalf("check after generate: exit %d: %s", code, stderr.String())
	}
	// A stale page, a missing script and a page of a command that no longer exists.
	if err := os.WriteFile(filepath.Join(root, "docs", "cli", "apikeys_list.md"), []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(root, "completions", "apikeys.fish")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "docs", "man", "apikeys-gone.1"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Hand-written pages beside the generated directories are not its business.
	if err := os.WriteFile(filepath.Join(root, "docs", "install.md"), []byte("hand-written\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := run([]string{"-root", root, "-check"}, &stdout, &stderr); code != 1 {
		t.Fatalf("check with drift: exit %d, want 1", code)
	}
	for _, want := range []string{"docs/cli/apikeys_list.md (stale)", "completions/apikeys.fish (missing)", "docs/man/apikeys-gone.1 (no longer generated)", "make generate"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("check output lacks %q:\n%s", want, stderr.String())
		}
	}
	if strings.Contains(stderr.String(), "install.md") {
		t.Errorf("check reports a hand-written page:\n%s", stderr.String())
	}
	// Generating again repairs everything and keeps the hand-written page.
	if code := run([]string{"-root", root}, new(bytes.Buffer), new(bytes.Buffer)); code != 0 {
		t.Fatalf("regenerate: exit %d", code)
	}
	if code := run([]string{"-root", root, "-check"}, &stdout, new(bytes.Buffer)); code != 0 {
		t.Fatalf("check after regenerating: exit %d", code)
	}
	if _, err := os.Stat(filepath.Join(root, "docs", "install.md")); err != nil {
		t.Errorf("the hand-written page was removed: %v", err)
	}
}

func TestManGz(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "man")
	if code := run([]string{"-root", t.TempDir(), "-man-gz", dir}, new(bytes.Buffer), new(bytes.Buffer)); code != 0 {
		t.Fatalf("exit %d", code)
	}
	b, err := os.ReadFile(filepath.Join(dir, "apikeys.1.gz"))
	if err != nil {
		t.Fatal(err)
	}
	// gzip header: magic, method, flags (no name), then a zero modification time.
	if len(b) < 10 || b[0] != 0x1f || b[1] != 0x8b || b[3]&0x08 != 0 || !bytes.Equal(b[4:8], []byte{0, 0, 0, 0}) {
		t.Errorf("header % x: want gzip without a file name or time", b[:10])
	}
}

// Every man page ends with EXIT STATUS and ENVIRONMENT, before SEE ALSO: the texts of `apikeys
// help exit-codes` and `apikeys help environment`, as written (roff's example block).
func TestManPagesHaveExitStatusAndEnvironment(t *testing.T) {
	dir := t.TempDir()
	if code := run([]string{"-root", dir}, new(bytes.Buffer), new(bytes.Buffer)); code != 0 {
		t.Fatalf("gen-docs: exit %d", code)
	}
	pages, err := filepath.Glob(filepath.Join(dir, "docs", "man", "*.1"))
	if err != nil || len(pages) < 10 {
		t.Fatalf("man pages: %v, %d", err, len(pages))
	}
	for _, page := range pages {
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		exit := strings.Index(s, "\n.SH EXIT STATUS\n.EX\nExit codes of apikeys")
		env := strings.Index(s, "\n.SH ENVIRONMENT\n.EX\nEnvironment variables apikeys reads.")
		see := strings.Index(s, "\n.SH SEE ALSO")
		if exit < 0 || env < exit || (see >= 0 && see < env) {
			t.Errorf("%s: EXIT STATUS at %d, ENVIRONMENT at %d, SEE ALSO at %d", filepath.Base(page), exit, env, see)
		}
		for _, want := range []string{"\n  5  not found: unknown key or member\n", "\n  APIKEYS_TIMEOUT\n", "\n  APIKEYS_TOKEN\n", "\n  NO_COLOR\n"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s lacks %q", filepath.Base(page), want)
			}
		}
	}
}
