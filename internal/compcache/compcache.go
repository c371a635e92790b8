// Package compcache is the shell completion cache: the key and Editor lists that answer TAB
// without a request while they are fresh. Each entry is a file of the user's cache directory,
// mode 0600, named after a hash of its kind and scope, written atomically. It holds key IDs,
// titles, roles and expiry dates, or Editors' names and emails (completion.Key and
// completion.Editor, what the candidates are computed from): never a token, password or secret.
package compcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/k2geospatial/apikeys/internal/completion"
	"github.com/k2geospatial/apikeys/internal/config"
)

// Scope says whose lists an entry holds: a profile, the API it talks to (a URL, or
// "sandbox:" and the sandbox's data file), the organization and the user when credentials
// come from the environment. Each scope has entries of its own.
type Scope struct {
	Profile  string
	API      string
	Org      string
	Username string
}

// The kinds of entry, each a file name prefix.
const (
	kindKeys    = "keys"
	kindEditors = "editors"
)

// Store is the cache of one user: entries in Dir, each answering for TTL after it was saved
// (by Now). A TTL of zero or less disables the cache: nothing loads, nothing is saved.
type Store struct {
	Dir string
	TTL time.Duration
	Now func() time.Time
}

// DefaultDir is where the cache lives: $XDG_CACHE_HOME/apikeys/completion, or the platform's
// equivalent.
func DefaultDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory for completion: %w", err)
	}
	return filepath.Join(dir, "apikeys", "completion"), nil
}

// LoadKeys returns the scope's key list when its entry is fresh.
func (s Store) LoadKeys(scope Scope) ([]completion.Key, bool) {
	data, ok := s.load(kindKeys, scope)
	if !ok {
		return nil, false
	}
	keys, err := parseKeyLines(data)
	return keys, err == nil
}

// SaveKeys saves the scope's key list.
func (s Store) SaveKeys(scope Scope, keys []completion.Key) error {
	return s.save(kindKeys, scope, appendKeyLines(nil, keys))
}

// ForgetKeys drops the scope's key list, after a create or delete, so the next TAB offers the
// keys as they are now. Other scopes' lists stay: they name other organizations, or the same
// one seen by another profile, which a TTL bounds. A missing entry is not an error.
func (s Store) ForgetKeys(scope Scope) error {
	err := os.Remove(s.path(kindKeys, scope))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// LoadEditors returns the scope's Editors when their entry is fresh.
func (s Store) LoadEditors(scope Scope) ([]completion.Editor, bool) {
	data, ok := s.load(kindEditors, scope)
	if !ok {
		return nil, false
	}
	var editors []completion.Editor
	return editors, json.Unmarshal(data, &editors) == nil
}

// SaveEditors saves the scope's Editors.
func (s Store) SaveEditors(scope Scope, editors []completion.Editor) error {
	if editors == nil {
		editors = []completion.Editor{}
	}
	data, err := json.Marshal(editors)
	if err != nil {
		return err
	}
	return s.save(kindEditors, scope, data)
}

// header is an entry's first line; Scope is checked on load so that a hash collision or a
// copied file never answers for another scope. The data follows on the next lines: one line
// per key for key lists (decoding a JSON array of 1,000 keys was a third of a completion's
// time), JSON for Editors.
type header struct {
	Scope   string    `json:"scope"`
	SavedAt time.Time `json:"savedAt"`
}

func scopeText(kind string, sc Scope) string {
	return strings.Join([]string{kind, sc.Profile, sc.API, sc.Org, sc.Username}, "\x00")
}

func (s Store) path(kind string, sc Scope) string {
	sum := sha256.Sum256([]byte(scopeText(kind, sc)))
	return filepath.Join(s.Dir, kind+"-"+hex.EncodeToString(sum[:12])+".cache")
}

// load returns the data of the entry when it exists, belongs to the scope and is younger
// than the TTL.
func (s Store) load(kind string, sc Scope) ([]byte, bool) {
	if s.TTL <= 0 {
		return nil, false
	}
	b, err := readRegular(s.path(kind, sc))
	if err != nil {
		return nil, false
	}
	head, data, _ := bytes.Cut(b, []byte{'\n'})
	var h header
	if json.Unmarshal(head, &h) != nil || h.Scope != scopeText(kind, sc) {
		return nil, false
	}
	if age := s.Now().Sub(h.SavedAt); age < 0 || age > s.TTL {
		return nil, false
	}
	return data, true
}

// readRegular reads the file at path if it is a regular file. Completion reads its cache
// without a deadline, so something else in its place (a FIFO nobody writes, a device) is
// refused, never waited on: the open does not block, and the file is checked before a read.
func readRegular(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	// An entry is replaced by a rename, never rewritten in place: the open file keeps its size.
	b := make([]byte, info.Size())
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, err
	}
	return b, nil
}

// save writes the entry with config.WriteFileAtomic, so a concurrent completion reads the
// old entry or the new, never a part, and a crash leaves no torn entry behind.
func (s Store) save(kind string, sc Scope, data []byte) error {
	if s.TTL <= 0 {
		return nil
	}
	b, err := json.Marshal(header{Scope: scopeText(kind, sc), SavedAt: s.Now().UTC()})
	if err != nil {
		return err
	}
	b = append(append(b, '\n'), data...)
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return err
	}
	return config.WriteFileAtomic(s.path(kind, sc), b, 0o600)
}

// appendKeyLines writes one key per line: ID, role, expiry (Unix seconds, empty for none) and
// the title, quoted so that any title fits on one line.
func appendKeyLines(b []byte, keys []completion.Key) []byte {
	for _, k := range keys {
		b = append(b, k.ID...)
		b = append(b, '\t')
		b = append(b, k.Role...)
		b = append(b, '\t')
		if !k.Expires.IsZero() {
			b = strconv.AppendInt(b, k.Expires.Unix(), 10)
		}
		b = append(b, '\t')
		b = strconv.AppendQuote(b, k.Title)
		b = append(b, '\n')
	}
	return b
}

// parseKeyLines reads what appendKeyLines wrote. The IDs, roles and titles are parts of one
// string: a line is not a string of its own.
func parseKeyLines(data []byte) ([]completion.Key, error) {
	keys := make([]completion.Key, 0, bytes.Count(data, []byte{'\n'}))
	text := string(data)
	for text != "" {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		id, after, ok1 := strings.Cut(line, "\t")
		role, after, ok2 := strings.Cut(after, "\t")
		expiry, quoted, ok3 := strings.Cut(after, "\t")
		if !ok1 || !ok2 || !ok3 {
			return nil, fmt.Errorf("malformed cache line %q", line)
		}
		title, err := strconv.Unquote(quoted)
		if err != nil {
			return nil, fmt.Errorf("malformed cache title %q", quoted)
		}
		k := completion.Key{ID: id, Role: role, Title: title}
		if expiry != "" {
			secs, err := strconv.ParseInt(expiry, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("malformed cache expiry %q", expiry)
			}
			k.Expires = time.Unix(secs, 0).UTC()
		}
		keys = append(keys, k)
	}
	return keys, nil
}
