package config

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSaveProfileCreatesPrivateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "apikeys", "config.yaml")
	err := SaveProfile(context.Background(), path, "qa", map[string]string{"api-url": "http://127.0.0.1:9", "org": "o-1"})
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
	dir, _ := os.Stat(filepath.Dir(path))
	if dir.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", dir.Mode().Perm())
	}
	s, err := load(t, path, "--profile", "qa")
	if err != nil {
		t.Fatal(err)
	}
	if s.APIURL != "http://127.0.0.1:9" || s.Org != "o-1" {
		t.Errorf("read back api-url=%q org=%q", s.APIURL, s.Org)
	}
}

func TestSaveProfileKeepsTheRest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, path, sampleConfig)
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	err := SaveProfile(context.Background(), path, "qa", map[string]string{"org": "22222222-2222-2222-2222-222222222222"})
	if err != nil {
		t.Fatal(err)
	}
	if err := SaveProfile(context.Background(), path, "new", map[string]string{"api-url": "https://x.example", "org": "o"}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	for _, want := range []string{"# apikeys settings", "# QA host", "timeout: 45s", "api-url: https://api.qa.jmapcloud.io",
		"org: 22222222-2222-2222-2222-222222222222", "http://127.0.0.1:8080", "new:", "api-url: https://x.example"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("file lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(string(got), "11111111") {
		t.Errorf("old org kept:\n%s", got)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o640 {
		t.Errorf("mode changed to %v", info.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

func TestSaveProfileNeverOverwritesABadFile(t *testing.T) {
	for _, content := range []string{"profiles: [unclosed\n", "- a list\n- not settings\n", "profiles: 3\n", "profiles:\n  qa: [1]\n"} {
		path := filepath.Join(t.TempDir(), "config.yaml")
		writeFile(t, path, content)
		err := SaveProfile(context.Background(), path, "qa", map[string]string{"org": "o"})
		var fe *FileError
		if !errors.As(err, &fe) || fe.Path != path {
			t.Errorf("%q: want a *FileError naming the file, got %v", content, err)
		}
		if got, _ := os.ReadFile(path); string(got) != content {
			t.Errorf("%q: file changed to %q", content, got)
		}
	}
}

func TestSaveProfileFoldsCase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, path, "profiles:\n  QA:\n    org: old\n")
	if err := SaveProfile(context.Background(), path, "qa", map[string]string{"org": "new"}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if strings.Count(string(got), "qa:")+strings.Count(string(got), "QA:") != 1 || !strings.Contains(string(got), "org: new") {
		t.Errorf("got:\n%s", got)
	}
}
