package testenv

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// SecretScan looks for secrets (passwords, tokens, API key secrets) where they must not be:
// in a command's outputs and in the files it left behind.
type SecretScan struct {
	// Secrets maps a name for the report ("password", "refresh token #2") to the value.
	// Empty values are ignored.
	Secrets map[string]string
	// Texts maps a name ("stdout", "debug trace") to captured output.
	Texts map[string]string
	// Dirs are directory trees whose files (and file names) are read; a missing one is
	// skipped.
	Dirs []string
	// Allow excuses a secret found in a file, e.g. tokens in the session file, which is
	// where they belong. Texts are never excused.
	Allow func(path, secretName string) bool
}

// Finding is one place a secret was found.
type Finding struct {
	Secret string // its name in SecretScan.Secrets
	Where  string // "stdout", or a file path
	Line   int    // 1-based line of the first occurrence (0 for a file name)
}

func (f Finding) String() string {
	if f.Line == 0 {
		return fmt.Sprintf("%s in the name of %s", f.Secret, f.Where)
	}
	return fmt.Sprintf("%s in %s, line %d", f.Secret, f.Where, f.Line)
}

// Findings scans and returns every place a secret was found, sorted by secret and place.
func (s SecretScan) Findings() ([]Finding, error) {
	var out []Finding
	names := make([]string, 0, len(s.Secrets))
	for name, v := range s.Secrets {
		if v != "" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	scan := func(where, content string) {
		for _, name := range names {
			if i := strings.Index(content, s.Secrets[name]); i >= 0 {
				out = append(out, Finding{Secret: name, Where: where, Line: 1 + strings.Count(content[:i], "\n")})
			}
		}
	}
	textNames := make([]string, 0, len(s.Texts))
	for name := range s.Texts {
		textNames = append(textNames, name)
	}
	slices.Sort(textNames)
	for _, name := range textNames {
		scan(name, s.Texts[name])
	}
	for _, dir := range s.Dirs {
		if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
			continue // nothing written there, nothing leaked
		}
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			allowed := func(secret string) bool { return s.Allow != nil && s.Allow(path, secret) }
			for _, name := range names {
				if strings.Contains(d.Name(), s.Secrets[name]) && !allowed(name) {
					out = append(out, Finding{Secret: name, Where: path})
				}
			}
			if !d.Type().IsRegular() {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, name := range names {
				if i := strings.Index(string(data), s.Secrets[name]); i >= 0 && !allowed(name) {
					out = append(out, Finding{Secret: name, Where: path, Line: 1 + strings.Count(string(data[:i]), "\n")})
				}
			}
			return nil
		})
		if err != nil {
			return out, fmt.Errorf("scanning %s: %w", dir, err)
		}
	}
	slices.SortStableFunc(out, func(a, b Finding) int { return strings.Compare(a.Secret, b.Secret) })
	return out, nil
}

// Check fails t, listing where each secret was found, if any was. It never prints a
// secret's value, only its name.
func (s SecretScan) Check(t testing.TB) {
	t.Helper()
	found, err := s.Findings()
	if err != nil {
		t.Errorf("secret scan: %v", err)
	}
	if len(found) == 0 {
		return
	}
	lines := make([]string, len(found))
	for i, f := range found {
		lines[i] = "  " + f.String()
	}
	t.Errorf("secrets leaked (%d):\n%s", len(found), strings.Join(lines, "\n"))
}
