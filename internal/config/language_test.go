package config

import (
	"path/filepath"
	"testing"
)

// TestLoadLanguage: APIKEYS_LANG beats the profile's language key, which beats the file's
// top-level one; values fold case and locale names of a language are that language; none
// set leaves the choice to the locale ("").
func TestLoadLanguage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, path, "language: FR\nprofiles:\n  en-user:\n    language: en\n")
	for _, c := range []struct {
		env  string
		args []string
		want string
	}{
		{want: "fr"},
		{args: []string{"--profile", "en-user"}, want: "en"},
		{env: "en", want: "en"},
		{env: "fr_CA.UTF-8", args: []string{"--profile", "en-user"}, want: "fr"},
	} {
		t.Setenv("APIKEYS_LANG", c.env)
		s, err := load(t, path, c.args...)
		if err != nil {
			t.Fatalf("APIKEYS_LANG=%q %v: %v", c.env, c.args, err)
		}
		if s.Language != c.want {
			t.Errorf("APIKEYS_LANG=%q %v: language %q, want %q", c.env, c.args, s.Language, c.want)
		}
	}
	t.Setenv("APIKEYS_LANG", "")
	writeFile(t, path, "timeout: 5s\n")
	s, err := load(t, path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Language != "" {
		t.Errorf("no language set: %q, want the locale's (\"\")", s.Language)
	}
}
