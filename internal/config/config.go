// Package config resolves apikeys settings from flags, APIKEYS_* environment variables and
// the profile file, in that order of precedence, through a viper instance (never the global).
package config

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/k2geospatial/apikeys/internal/config/envbool"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
)

// DefaultAPIURL is JMap Cloud production.
const DefaultAPIURL = "https://api.jmapcloud.io"

// Settings are the resolved global settings of one invocation.
type Settings struct {
	Profile     string
	ConfigFile  string // the profile file in use (may not exist yet)
	APIURL      string
	Org         string
	Sandbox     bool
	SandboxData string
	Output      string
	NoColor     bool
	Debug       bool
	Timeout     time.Duration

	// OrgFromProfile is true when Org comes from the profile file rather than --org or
	// APIKEYS_ORG: `auth login` then takes it as a default, not as a demand.
	OrgFromProfile bool
	// SessionStore is where the profile's session keeps its tokens: StoreAuto (default),
	// StoreKeyring or StoreFile (see session.go).
	SessionStore string
	// Language is the language of human text: "en", "fr", or "" to follow the locale
	// (l10n.FromLocale). APIKEYS_LANG beats the profile file's language key.
	Language string

	// Credentials for one invocation, never saved.
	Token    string
	Username string
	Password string
}

// FileError is a profile file that exists but cannot be read; it is never overwritten.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return e.Localize(nil) }

// Localize is Error in p's language.
func (e *FileError) Localize(p *l10n.Printer) string {
	return p.Sprintf("invalid configuration file %s: %v\nfix or move the file (apikeys never overwrites it), or pass --config with another path", e.Path, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// ErrorKind makes a bad file a usage error: the user fixes the file.
func (e *FileError) ErrorKind() errkind.Kind { return errkind.Usage }

// NewViper builds the instance: APIKEYS_ prefix, dashes to underscores, flags bound.
func NewViper(flags *pflag.FlagSet) (*viper.Viper, error) {
	v := viper.New()
	v.SetEnvPrefix("APIKEYS")
	v.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
	v.AutomaticEnv()
	if flags != nil {
		if err := v.BindPFlags(flags); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// BoolSetting reads a boolean flag or, when the flag is not given, its APIKEYS_ variable
// with envbool's words (viper's own reading takes "yes" for false). A value that is not a
// boolean is a usage error (errkind.Usage) naming the variable.
func BoolSetting(v *viper.Viper, key string) (bool, error) {
	raw := v.GetString(key) // the flag if given, else the variable, else the flag's default
	b, _, ok := envbool.Parse(raw)
	if !ok {
		return false, errkind.Wrap(errkind.Usage, &envbool.Error{Name: EnvName(key), Value: raw})
	}
	return b, nil
}

// EnvName is the APIKEYS_ variable of a setting: APIKEYS_NO_COLOR for no-color.
func EnvName(key string) string {
	return "APIKEYS_" + strings.ToUpper(strings.ReplaceAll(key, "-", "_"))
}

// Dir is the configuration directory: $XDG_CONFIG_HOME/apikeys or ~/.config/apikeys. A
// relative XDG_CONFIG_HOME is ignored, as the XDG specification asks.
func Dir() (string, error) {
	if d := os.Getenv("XDG_CONFIG_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "apikeys"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", l10n.Errorf("cannot find the home directory for the configuration: %w", err)
	}
	return filepath.Join(home, ".config", "apikeys"), nil
}

// Load resolves the settings. The profile file is read only here, never at start-up.
func Load(v *viper.Viper) (*Settings, error) {
	s := &Settings{
		Profile:     v.GetString("profile"),
		ConfigFile:  v.GetString("config"),
		SandboxData: v.GetString("sandbox-data"),
		Output:      v.GetString("output"),
		Token:       v.GetString("token"),
		Username:    v.GetString("username"),
		Password:    v.GetString("password"),
	}
	var err error
	for _, b := range []struct {
		key string
		dst *bool
	}{{"sandbox", &s.Sandbox}, {"no-color", &s.NoColor}, {"debug", &s.Debug}} {
		if *b.dst, err = BoolSetting(v, b.key); err != nil {
			return nil, err
		}
	}
	profile, err := ProfileName(s.Profile)
	if err != nil {
		return nil, err
	}
	s.Profile = profile
	if s.ConfigFile == "" {
		dir, err := Dir()
		if err != nil {
			return nil, err
		}
		s.ConfigFile = filepath.Join(dir, "config.yaml")
	}
	if err := checkConfigPaths(s.ConfigFile); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(s.ConfigFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, &FileError{Path: s.ConfigFile, Err: err}
	}
	return resolve(v, s, data)
}

// checkConfigPaths refuses a configuration directory or file that another user could have
// written (see checkOwnPath), before anything is read from them.
func checkConfigPaths(configFile string) error {
	if err := checkOwnPath(filepath.Dir(configFile), false); err != nil {
		return err
	}
	return checkOwnPath(configFile, false)
}

// resolve completes s from the flags and environment in v and the profile file's content.
func resolve(v *viper.Viper, s *Settings, data []byte) (*Settings, error) {
	file := viper.New()
	file.SetConfigType("yaml")
	if err := file.ReadConfig(bytes.NewReader(data)); err != nil {
		// The YAML decoder's own words ("yaml: line 1: …"), without viper's English
		// "While parsing config: " before them.
		var parse viper.ConfigParseError
		if errors.As(err, &parse) && parse.Unwrap() != nil {
			err = parse.Unwrap()
		}
		return nil, &FileError{Path: s.ConfigFile, Err: err}
	}
	prefix := "profiles." + s.Profile + "."
	// pick reads a flag or APIKEYS_ variable, then the profile's key, then the file's
	// top-level key (a default for every profile); fromFile says the value came from the file.
	pick := func(key string) (value string, fromFile bool) {
		if v.IsSet(key) && v.GetString(key) != "" {
			return v.GetString(key), false
		}
		if val := file.GetString(prefix + key); val != "" {
			return val, true
		}
		val := file.GetString(key)
		return val, val != ""
	}
	s.APIURL, _ = pick("api-url")
	if s.APIURL == "" {
		s.APIURL = DefaultAPIURL
	}
	s.Org, s.OrgFromProfile = pick("org")
	if t, fromFile := pick("timeout"); t != "" {
		// The one duration grammar of every flag (output.ParseDuration). A bad --timeout
		// was refused when the flag was parsed, so a value not from the file is
		// APIKEYS_TIMEOUT's.
		name := EnvName("timeout")
		if fromFile {
			name = "timeout"
		}
		d, err := output.ParseFlagDuration(name, t)
		if err != nil {
			if fromFile {
				return nil, &FileError{Path: s.ConfigFile, Err: err}
			}
			return nil, err
		}
		s.Timeout = d
	}
	store, fromFile := pick("session-store")
	switch strings.ToLower(store) {
	case "", StoreAuto:
		s.SessionStore = StoreAuto
	case StoreFile, StoreKeyring:
		s.SessionStore = strings.ToLower(store)
	default:
		// No flag sets it: a value not from the file is APIKEYS_SESSION_STORE's, named so
		// that the user finds where the value came from.
		name := EnvName("session-store")
		if fromFile {
			name = "session-store"
		}
		return nil, settingError(s.ConfigFile, fromFile, "invalid %s %q: use %q, %q or %q", name, store, StoreAuto, StoreKeyring, StoreFile)
	}
	// APIKEYS_LANG, else the file's language key (the profile's, then the top-level one).
	lang, name, fromFile := v.GetString("lang"), EnvName("lang"), false
	if lang == "" {
		lang, name, fromFile = file.GetString(prefix+"language"), "language", true
	}
	if lang == "" {
		lang = file.GetString("language")
	}
	if lang != "" {
		l, ok := l10n.ParseLang(lang)
		if !ok {
			return nil, settingError(s.ConfigFile, fromFile, "invalid %s %q: use \"en\" (English) or \"fr\" (French)", name, lang)
		}
		s.Language = l.String()
	}
	return s, nil
}

// settingError is a bad setting: a *FileError naming the file when the value was read from
// it, else a usage error (a flag or APIKEYS_ variable). Both are errkind.Usage.
func settingError(path string, fromFile bool, format string, args ...any) error {
	if fromFile {
		return &FileError{Path: path, Err: l10n.Errorf(format, args...)}
	}
	return errkind.Usagef(format, args...)
}

// profileNamePattern keeps profile names usable as file names on every system. Compiled on
// first use: a package-level regexp costs every start-up, even `apikeys version`.
var profileNamePattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)
})

// ProfileName normalises a profile name: "" is "default", letters are lower-cased (viper
// reads the file's keys case-insensitively, so "QA" and "qa" are one profile), and only
// letters, digits, '.', '_' and '-' are allowed, because the name becomes a file name.
func ProfileName(name string) (string, error) {
	if name == "" {
		return "default", nil
	}
	n := strings.ToLower(name)
	if !profileNamePattern().MatchString(n) {
		return "", errkind.Usagef("invalid profile name %q: use up to 64 letters, digits, '.', '_' or '-', starting with a letter or digit", name)
	}
	return n, nil
}
