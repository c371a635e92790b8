//go:build unix

package config

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/l10n"
)

// wantPermissionError checks that err refuses path with a usage error (exit 2) that names it
// and the command to run.
func wantPermissionError(t *testing.T, err error, path, fix string) {
	t.Helper()
	var perm *PermissionError
	if !errors.As(err, &perm) || !errkind.Is(err, errkind.Usage) {
		t.Fatalf("err = %v (%T), want a *PermissionError that is a usage error", err, err)
	}
	if perm.Path != path || !strings.Contains(err.Error(), "refusing to use "+path) || !strings.Contains(err.Error(), "`"+fix+"`") {
		t.Fatalf("err = %q, want it to name %s and `%s`", err, path, fix)
	}
}

func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// A configuration directory or file writable by others is refused before it is read: the
// file here is not even valid YAML, and the error is about permissions.
func TestLoadRefusesPathsOthersCanWrite(t *testing.T) {
	for _, tt := range []struct {
		name      string
		dir, file os.FileMode // os.ModeSticky for the sticky bit
		refused   string      // "dir", "file" or "" (accepted)
	}{
		{name: "directory 0777", dir: 0o777, file: 0o600, refused: "dir"},
		{name: "directory 0775", dir: 0o775, file: 0o600, refused: "dir"},
		{name: "file 0666", dir: 0o700, file: 0o666, refused: "file"},
		{name: "file 0620", dir: 0o700, file: 0o620, refused: "file"},
		{name: "sticky directory 1777, own file", dir: os.ModeSticky | 0o777, file: 0o600},
		{name: "readable by others", dir: 0o755, file: 0o644},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "apikeys")
			path := filepath.Join(dir, "config.yaml")
			content := sampleConfig
			if tt.refused != "" {
				content = "api-url: [not yaml"
			}
			writeFile(t, path, content)
			chmod(t, path, tt.file)
			chmod(t, dir, tt.dir)
			_, err := load(t, path)
			switch tt.refused {
			case "dir":
				wantPermissionError(t, err, dir, "chmod go-w "+dir)
			case "file":
				wantPermissionError(t, err, path, "chmod go-w "+path)
			default:
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
			}
		})
	}
}

// A sessions directory or session file others can write is refused by every operation; a
// session file only others can read is narrowed to 0600, with a warning.
func TestSessionStoreRefusesPathsOthersCanWrite(t *testing.T) {
	newStore := func(t *testing.T) (*SessionFile, string) {
		cfg := filepath.Join(t.TempDir(), "config.yaml")
		store := NewSessionFile(cfg, "default")
		if err := store.Save(testSession()); err != nil {
			t.Fatal(err)
		}
		return store, filepath.Dir(store.Path)
	}
	t.Run("sessions directory 0777", func(t *testing.T) {
		store, dir := newStore(t)
		chmod(t, dir, 0o777)
		_, err := store.Load()
		wantPermissionError(t, err, dir, "chmod go-w "+dir)
		wantPermissionError(t, store.Save(testSession()), dir, "chmod go-w "+dir)
		_, err = store.Lock(context.Background())
		wantPermissionError(t, err, dir, "chmod go-w "+dir)
	})
	t.Run("sticky sessions directory", func(t *testing.T) {
		store, dir := newStore(t)
		chmod(t, dir, os.ModeSticky|0o777)
		_, err := store.Load()
		wantPermissionError(t, err, dir, "chmod go-w "+dir)
	})
	t.Run("session file 0666", func(t *testing.T) {
		store, _ := newStore(t)
		chmod(t, store.Path, 0o666)
		_, err := store.Load()
		wantPermissionError(t, err, store.Path, "chmod go-w "+store.Path)
	})
	t.Run("session file 0644 is narrowed", func(t *testing.T) {
		store, _ := newStore(t)
		chmod(t, store.Path, 0o644)
		var warnings []string
		store.Warn = func(msg l10n.Msg) { warnings = append(warnings, msg.String()) }
		if _, err := store.Load(); err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(store.Path)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != 0o600 {
			t.Errorf("mode %04o after Load, want 0600", got)
		}
		if len(warnings) != 1 || !strings.Contains(warnings[0], store.Path) || !strings.Contains(warnings[0], "narrowed to 0600") {
			t.Errorf("warnings %q", warnings)
		}
	})
}

// Paths owned by another user are refused, whatever their mode. Only root can give a file
// away, so this runs as root only.
func TestPathsOwnedByAnotherUserAreRefused(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to chown a file to another user")
	}
	const nobody = 65534
	chown := func(t *testing.T, path string) {
		t.Helper()
		if err := os.Chown(path, nobody, nobody); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("configuration directory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "apikeys")
		path := filepath.Join(dir, "config.yaml")
		writeFile(t, path, sampleConfig)
		chown(t, dir)
		_, err := load(t, path)
		wantPermissionError(t, err, dir, "sudo chown 0 "+dir)
	})
	t.Run("configuration file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "config.yaml")
		writeFile(t, path, sampleConfig)
		chown(t, path)
		_, err := load(t, path)
		wantPermissionError(t, err, path, "sudo chown 0 "+path)
		err = SaveProfile(context.Background(), path, "default", map[string]string{"org": "x"})
		wantPermissionError(t, err, path, "sudo chown 0 "+path)
	})
	t.Run("session file", func(t *testing.T) {
		store := NewSessionFile(filepath.Join(t.TempDir(), "config.yaml"), "default")
		if err := store.Save(testSession()); err != nil {
			t.Fatal(err)
		}
		chown(t, store.Path)
		_, err := store.Load()
		wantPermissionError(t, err, store.Path, "sudo chown 0 "+store.Path)
	})
}

func testSession() *Session {
	now := time.Now().UTC().Truncate(time.Second)
	return &Session{APIURL: "https://api.example", Organization: SessionOrganization{ID: "org"},
		User: SessionUser{Email: "a@example.com"}, AccessToken: "a", RefreshToken: "r", IssuedAt: now, LoggedInAt: now}
}
