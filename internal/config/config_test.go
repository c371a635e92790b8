package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/k2geospatial/apikeys/internal/errkind"
)

// load resolves settings the way the command line does: flags as the root command defines
// them, parsed from args, with the configuration file at path.
func load(t *testing.T, path string, args ...string) (*Settings, error) {
	t.Helper()
	fs := pflag.NewFlagSet("apikeys", pflag.ContinueOnError)
	fs.String("profile", "", "")
	fs.String("api-url", "", "")
	fs.String("org", "", "")
	fs.String("config", "", "")
	fs.Duration("timeout", 0, "")
	fs.StringP("output", "o", "table", "")
	if err := fs.Parse(append([]string{"--config", path}, args...)); err != nil {
		t.Fatal(err)
	}
	v, err := NewViper(fs)
	if err != nil {
		t.Fatal(err)
	}
	return Load(v)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

const sampleConfig = `# apikeys settings
timeout: 45s
profiles:
  qa:
    api-url: https://api.qa.jmapcloud.io # QA host
    org: 11111111-1111-1111-1111-111111111111
  sandbox:
    api-url: http://127.0.0.1:8080
    session-store: file
`

func TestLoadPrecedence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, path, sampleConfig)
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		profile string
		apiURL  string
		org     string
		fromFil bool
		timeout time.Duration
	}{
		{name: "default profile", profile: "default", apiURL: DefaultAPIURL, timeout: 45 * time.Second},
		{name: "profile flag", args: []string{"--profile", "qa"}, profile: "qa", apiURL: "https://api.qa.jmapcloud.io", org: "11111111-1111-1111-1111-111111111111", fromFil: true, timeout: 45 * time.Second},
		{name: "profile name folds case", args: []string{"--profile", "QA"}, profile: "qa", apiURL: "https://api.qa.jmapcloud.io", org: "11111111-1111-1111-1111-111111111111", fromFil: true, timeout: 45 * time.Second},
		{name: "profile from env", env: map[string]string{"APIKEYS_PROFILE": "sandbox"}, profile: "sandbox", apiURL: "http://127.0.0.1:8080", timeout: 45 * time.Second},
		{name: "flag beats profile", args: []string{"--profile", "qa", "--org", "x", "--api-url", "https://other.example", "--timeout", "5s"}, profile: "qa", apiURL: "https://other.example", org: "x", timeout: 5 * time.Second},
		{name: "env beats profile", env: map[string]string{"APIKEYS_ORG": "from-env", "APIKEYS_API_URL": "https://env.example"}, args: []string{"--profile", "qa"}, profile: "qa", apiURL: "https://env.example", org: "from-env", timeout: 45 * time.Second},
		{name: "days and min", env: map[string]string{"APIKEYS_TIMEOUT": "1min30s"}, profile: "default", apiURL: DefaultAPIURL, timeout: 90 * time.Second},
		{name: "flag beats env", env: map[string]string{"APIKEYS_PROFILE": "sandbox"}, args: []string{"--profile", "qa"}, profile: "qa", apiURL: "https://api.qa.jmapcloud.io", org: "11111111-1111-1111-1111-111111111111", fromFil: true, timeout: 45 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			s, err := load(t, path, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			if s.Profile != tt.profile || s.APIURL != tt.apiURL || s.Org != tt.org || s.OrgFromProfile != tt.fromFil || s.Timeout != tt.timeout {
				t.Errorf("got profile=%q api-url=%q org=%q fromProfile=%v timeout=%v\nwant profile=%q api-url=%q org=%q fromProfile=%v timeout=%v",
					s.Profile, s.APIURL, s.Org, s.OrgFromProfile, s.Timeout, tt.profile, tt.apiURL, tt.org, tt.fromFil, tt.timeout)
			}
			// The sandbox profile sets the file store; the others have the default.
			wantStore := StoreAuto
			if s.Profile == "sandbox" {
				wantStore = StoreFile
			}
			if s.SessionStore != wantStore {
				t.Errorf("session store = %q, want %q", s.SessionStore, wantStore)
			}
			if s.ConfigFile != path {
				t.Errorf("config file = %q, want %q", s.ConfigFile, path)
			}
		})
	}
}

func TestLoadMissingFileIsFine(t *testing.T) {
	s, err := load(t, filepath.Join(t.TempDir(), "none", "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if s.APIURL != DefaultAPIURL || s.Profile != "default" {
		t.Errorf("got %+v", s)
	}
}

func TestLoadDefaultPathFollowsXDG(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	fs := pflag.NewFlagSet("apikeys", pflag.ContinueOnError)
	fs.String("config", "", "")
	v, err := NewViper(fs)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load(v)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "apikeys", "config.yaml"); s.ConfigFile != want {
		t.Errorf("config file = %q, want %q", s.ConfigFile, want)
	}
	t.Setenv("XDG_CONFIG_HOME", "relative/dir")
	home := t.TempDir()
	t.Setenv("HOME", home)
	if d, _ := Dir(); d != filepath.Join(home, ".config", "apikeys") {
		t.Errorf("a relative XDG_CONFIG_HOME must be ignored, got %q", d)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name     string
		file     string // "" → no file
		env      map[string]string
		args     []string
		fileErr  bool // *FileError naming the file; else another usage error
		contains string
	}{
		{name: "not yaml", file: "profiles: [unclosed\n", fileErr: true, contains: "config.yaml"},
		{name: "tabs", file: "profiles:\n\tqa: {}\n", fileErr: true, contains: "config.yaml"},
		{name: "bad timeout in file", file: "timeout: soon\n", fileErr: true, contains: `invalid timeout "soon"`},
		{name: "minutes as m in file", file: "timeout: 2m\n", fileErr: true, contains: `invalid timeout "2m": m could mean minutes or months`},
		{name: "minutes as m in env", env: map[string]string{"APIKEYS_TIMEOUT": "2m"}, contains: `invalid APIKEYS_TIMEOUT "2m": m could mean minutes or months`},
		{name: "bad store in file", file: "profiles:\n  default:\n    session-store: vault\n", fileErr: true, contains: `invalid session-store "vault"`},
		{name: "bad store in env", env: map[string]string{"APIKEYS_SESSION_STORE": "keyrin"}, contains: `invalid APIKEYS_SESSION_STORE "keyrin": use "auto", "keyring" or "file"`},
		{name: "boolean store in env", env: map[string]string{"APIKEYS_SESSION_STORE": "yes"}, contains: `invalid APIKEYS_SESSION_STORE "yes": use "auto", "keyring" or "file"`},
		{name: "profile with a slash", args: []string{"--profile", "../etc"}, contains: "invalid profile name"},
		{name: "profile with a space", env: map[string]string{"APIKEYS_PROFILE": "my profile"}, contains: "invalid profile name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			if tt.file != "" {
				writeFile(t, path, tt.file)
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, err := load(t, path, tt.args...)
			if err == nil {
				t.Fatal("no error")
			}
			var fe *FileError
			if tt.fileErr && (!errors.As(err, &fe) || fe.Path != path) {
				t.Errorf("want a *FileError for %s, got %T: %v", path, err, err)
			}
			if !errkind.Is(err, errkind.Usage) {
				t.Errorf("want a usage error, got %T: %v", err, err)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("error %q lacks %q", err, tt.contains)
			}
			if tt.file != "" {
				if got, _ := os.ReadFile(path); string(got) != tt.file {
					t.Errorf("the file was changed:\n%s", got)
				}
			}
		})
	}
}

func TestLoadSessionStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, path, "session-store: keyring\nprofiles:\n  ci:\n    session-store: file\n")
	s, err := load(t, path)
	if err != nil {
		t.Fatal(err)
	}
	if s.SessionStore != StoreKeyring {
		t.Errorf("top-level session-store: got %q", s.SessionStore)
	}
	s, err = load(t, path, "--profile", "ci")
	if err != nil {
		t.Fatal(err)
	}
	if s.SessionStore != StoreFile {
		t.Errorf("profile session-store: got %q", s.SessionStore)
	}
	// The default is auto; values fold case.
	writeFile(t, path, "timeout: 5s\n")
	if s, err = load(t, path); err != nil || s.SessionStore != StoreAuto {
		t.Errorf("default session-store: got %q, %v", s.SessionStore, err)
	}
	t.Setenv("APIKEYS_SESSION_STORE", "Keyring")
	if s, err = load(t, path); err != nil || s.SessionStore != StoreKeyring {
		t.Errorf("APIKEYS_SESSION_STORE=Keyring: got %q, %v", s.SessionStore, err)
	}
}

func TestProfileName(t *testing.T) {
	for in, want := range map[string]string{"": "default", "QA": "qa", "prod-eu.1": "prod-eu.1", "a_b": "a_b"} {
		if got, err := ProfileName(in); err != nil || got != want {
			t.Errorf("ProfileName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"..", ".hidden", "a/b", `a\b`, "-x", "sp ace", strings.Repeat("x", 65), "é"} {
		if _, err := ProfileName(bad); err == nil {
			t.Errorf("ProfileName(%q) accepted", bad)
		}
	}
}

func TestLoadBooleanVariablesReadEveryWord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	for _, c := range []struct {
		value string
		want  bool
	}{{"yes", true}, {"on", true}, {"Y", true}, {" TRUE ", true}, {"1", true}, {"no", false}, {"off", false}, {"0", false}, {"", false}} {
		t.Setenv("APIKEYS_SANDBOX", c.value)
		t.Setenv("APIKEYS_DEBUG", c.value)
		t.Setenv("APIKEYS_NO_COLOR", c.value)
		s, err := loadWithBools(t, path)
		if err != nil {
			t.Fatalf("%q: %v", c.value, err)
		}
		if s.Sandbox != c.want || s.Debug != c.want || s.NoColor != c.want {
			t.Errorf("%q: sandbox %v, debug %v, no-color %v; want %v", c.value, s.Sandbox, s.Debug, s.NoColor, c.want)
		}
	}
}

func TestLoadBooleanVariableTypoIsAUsageError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	for _, name := range []string{"APIKEYS_SANDBOX", "APIKEYS_DEBUG", "APIKEYS_NO_COLOR"} {
		t.Run(name, func(t *testing.T) {
			t.Setenv(name, "yse")
			_, err := loadWithBools(t, path)
			want := `invalid ` + name + `="yse": use 1/0, true/false, yes/no, on/off or y/n (any case), or leave it empty`
			if !errkind.Is(err, errkind.Usage) || err.Error() != want {
				t.Fatalf("got %v\nwant %s", err, want)
			}
		})
	}
	// The flag, when given, is what counts.
	t.Setenv("APIKEYS_SANDBOX", "yse")
	if s, err := loadWithBools(t, path, "--sandbox=false"); err != nil || s.Sandbox {
		t.Errorf("--sandbox=false over a bad variable: %+v, %v", s, err)
	}
}

// loadWithBools is load with the root command's boolean flags defined too.
func loadWithBools(t *testing.T, path string, args ...string) (*Settings, error) {
	t.Helper()
	fs := pflag.NewFlagSet("apikeys", pflag.ContinueOnError)
	fs.String("config", "", "")
	fs.Bool("sandbox", false, "")
	fs.Bool("debug", false, "")
	fs.Bool("no-color", false, "")
	if err := fs.Parse(append([]string{"--config", path}, args...)); err != nil {
		t.Fatal(err)
	}
	v, err := NewViper(fs)
	if err != nil {
		t.Fatal(err)
	}
	return Load(v)
}
