// Package config resolves apikeys settings from flags, APIKEYS_* environment variables and
// the profile file, in that order of precedence, through a viper instance (never the global).
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
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

func (e *FileError) Error() string {
	return fmt.Sprintf("cannot read the configuration file %s: %v\nfix or move the file, or pass --config with another path", e.Path, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

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

// Dir is the configuration directory: $XDG_CONFIG_HOME/apikeys or ~/.config/apikeys.
func Dir() (string, error) {
	if d := os.Getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "apikeys"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the home directory for the configuration: %w", err)
	}
	return filepath.Join(home, ".config", "apikeys"), nil
}

// Load resolves the settings. The profile file is read only here, never at start-up.
func Load(v *viper.Viper) (*Settings, error) {
	s := &Settings{
		Profile:     v.GetString("profile"),
		ConfigFile:  v.GetString("config"),
		Sandbox:     v.GetBool("sandbox"),
		SandboxData: v.GetString("sandbox-data"),
		Output:      v.GetString("output"),
		NoColor:     v.GetBool("no-color"),
		Debug:       v.GetBool("debug"),
		Token:       v.GetString("token"),
		Username:    v.GetString("username"),
		Password:    v.GetString("password"),
	}
	if s.Profile == "" {
		s.Profile = "default"
	}
	if s.ConfigFile == "" {
		dir, err := Dir()
		if err != nil {
			return nil, err
		}
		s.ConfigFile = filepath.Join(dir, "config.yaml")
	}
	file := viper.New()
	file.SetConfigFile(s.ConfigFile)
	file.SetConfigType("yaml")
	if err := file.ReadInConfig(); err != nil {
		var pathErr *fs.PathError
		if !errors.As(err, &pathErr) || !errors.Is(err, fs.ErrNotExist) {
			return nil, &FileError{Path: s.ConfigFile, Err: err}
		}
	}
	prefix := "profiles." + s.Profile + "."
	pick := func(key string) string {
		if v.IsSet(key) && v.GetString(key) != "" {
			return v.GetString(key)
		}
		return file.GetString(prefix + key)
	}
	s.APIURL = pick("api-url")
	if s.APIURL == "" {
		s.APIURL = DefaultAPIURL
	}
	s.Org = pick("org")
	if t := pick("timeout"); t != "" {
		d, err := time.ParseDuration(t)
		if err != nil {
			return nil, fmt.Errorf("invalid timeout %q: use a duration such as 30s", t)
		}
		s.Timeout = d
	}
	return s, nil
}
