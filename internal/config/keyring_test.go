package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// fakeKeyring is an OS keyring in memory; down makes every call fail as a keyring that
// does not answer.
type fakeKeyring struct {
	mu      sync.Mutex
	entries map[string]string
	down    error
	sets    int
	deletes int
}

func (k *fakeKeyring) Name() string { return "Fake Keyring" }

func (k *fakeKeyring) Get(account string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.down != nil {
		return "", &KeyringUnavailableError{Name: k.Name(), Err: k.down}
	}
	v, ok := k.entries[account]
	if !ok {
		return "", ErrKeyringNotFound
	}
	return v, nil
}

func (k *fakeKeyring) Set(account, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.down != nil {
		return &KeyringUnavailableError{Name: k.Name(), Err: k.down}
	}
	if k.entries == nil {
		k.entries = map[string]string{}
	}
	k.entries[account] = secret
	k.sets++
	return nil
}

func (k *fakeKeyring) Delete(account string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.down != nil {
		return &KeyringUnavailableError{Name: k.Name(), Err: k.down}
	}
	if _, ok := k.entries[account]; !ok {
		return ErrKeyringNotFound
	}
	delete(k.entries, account)
	k.deletes++
	return nil
}

// keyringStore is a session store with the fake keyring, and what it warned about.
func keyringStore(t *testing.T, store string, k *fakeKeyring) (*SessionFile, *[]string) {
	t.Helper()
	f := NewSessionFile(filepath.Join(t.TempDir(), "apikeys", "config.yaml"), "default")
	f.Store, f.Keyring = store, k
	var warnings []string
	f.Warn = func(msg l10n.Msg) { warnings = append(warnings, msg.String()) }
	return f, &warnings
}

func fileText(t *testing.T, f *SessionFile) string {
	t.Helper()
	data, err := os.ReadFile(f.Path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestKeyringStoreKeepsTheTokensOutOfTheFile(t *testing.T) {
	k := &fakeKeyring{}
	f, warnings := keyringStore(t, StoreAuto, k)
	sess := sampleSession()
	if err := f.Save(sess); err != nil {
		t.Fatal(err)
	}
	text := fileText(t, f)
	if strings.Contains(text, "access-1") || strings.Contains(text, "refresh-1") || !strings.Contains(text, `"tokenStore": "keyring"`) {
		t.Errorf("session file:\n%s", text)
	}
	if secret := k.entries[f.Account]; !strings.Contains(secret, "refresh-1") || !strings.Contains(secret, "access-1") {
		t.Errorf("keyring entry %q", secret)
	}
	got, err := f.Load()
	if err != nil || got.AccessToken != "access-1" || got.RefreshToken != "refresh-1" || !f.TokensInKeyring() {
		t.Fatalf("load: %+v, %v", got, err)
	}
	// A save that changes no token (an end marked, roles recorded) does not write the entry.
	got.Ended = "test"
	if err := f.Save(got); err != nil || k.sets != 1 {
		t.Errorf("save of the metadata: %v, %d keyring writes", err, k.sets)
	}
	if len(*warnings) != 0 {
		t.Errorf("warnings: %q", *warnings)
	}
	if err := f.Remove(); err != nil || len(k.entries) != 0 {
		t.Errorf("remove: %v, entries left %v", err, k.entries)
	}
	if _, err := os.Stat(f.Path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("file left: %v", err)
	}
}

// A session saved in the file (by the file store, or before the keyring) is read as it is,
// and moves to the keyring at its next save under auto.
func TestKeyringStoreMovesAFileSessionAtItsNextSave(t *testing.T) {
	k := &fakeKeyring{}
	f, _ := keyringStore(t, StoreFile, k)
	if err := f.Save(sampleSession()); err != nil {
		t.Fatal(err)
	}
	f.Store = StoreAuto
	sess, err := f.Load()
	if err != nil || sess.RefreshToken != "refresh-1" || k.sets != 0 {
		t.Fatalf("load of the file session: %v, %d writes", err, k.sets)
	}
	sess.RefreshToken = "refresh-2"
	if err := f.Save(sess); err != nil {
		t.Fatal(err)
	}
	if text := fileText(t, f); strings.Contains(text, "refresh-") {
		t.Errorf("the file still holds a token:\n%s", text)
	}
	if !strings.Contains(k.entries[f.Account], "refresh-2") {
		t.Errorf("keyring entry %q", k.entries[f.Account])
	}
	// And back: under the file store, the tokens return to the file and leave the keyring.
	f.Store = StoreFile
	if sess, err = f.Load(); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(sess); err != nil {
		t.Fatal(err)
	}
	if text := fileText(t, f); !strings.Contains(text, "refresh-2") || len(k.entries) != 0 {
		t.Errorf("file store: entries %v, file:\n%s", k.entries, text)
	}
}

// Under auto a keyring that does not answer leaves the session in the file, with a notice
// at the first save only.
func TestKeyringStoreAutoFallsBackToTheFileWithOneNotice(t *testing.T) {
	k := &fakeKeyring{down: errors.New("no answer within 3s")}
	f, warnings := keyringStore(t, StoreAuto, k)
	if err := f.Save(sampleSession()); err != nil {
		t.Fatal(err)
	}
	sess, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Save(sess); err != nil {
		t.Fatal(err)
	}
	want := []string{"the system keyring (Fake Keyring) is not available: no answer within 3s; the session is saved in " + f.Path + ` (mode 0600) (session-store "file" says so and silences this)`}
	if strings.Join(*warnings, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings %q, want %q", *warnings, want)
	}
	if !strings.Contains(fileText(t, f), "refresh-1") {
		t.Errorf("tokens not in the file")
	}
}

// Under keyring, a keyring that does not answer is an error that says what to do, and
// nothing is written.
func TestKeyringStoreRequiredRefusesToSaveWithoutOne(t *testing.T) {
	k := &fakeKeyring{down: errors.New("no D-Bus session bus")}
	f, _ := keyringStore(t, StoreKeyring, k)
	err := f.CheckKeyring()
	if err == nil || !strings.Contains(err.Error(), KeyringAdvice) {
		t.Errorf("check: %v", err)
	}
	err = f.Save(sampleSession())
	if err == nil || !strings.Contains(err.Error(), "not available: no D-Bus session bus\n"+KeyringAdvice) {
		t.Errorf("save: %v", err)
	}
	if _, err := os.Stat(f.Path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a session file was written: %v", err)
	}
}

// Tokens that do not belong to the file's login (a crash between the two writes of a
// login) are refused, not sent to the file's API URL; a missing entry is an unreadable
// session, a keyring that does not answer is neither.
func TestKeyringStoreRefusesTokensOfAnotherLogin(t *testing.T) {
	k := &fakeKeyring{}
	f, _ := keyringStore(t, StoreAuto, k)
	if err := f.Save(sampleSession()); err != nil {
		t.Fatal(err)
	}
	other := sampleSession()
	other.APIURL = "https://elsewhere.example"
	secret, _ := secretOf(other)
	k.entries[f.Account] = secret
	var se *SessionError
	if _, err := f.Load(); !errors.As(err, &se) || !strings.Contains(err.Error(), "belongs to another login") {
		t.Errorf("entry of another login: %v", err)
	}
	delete(k.entries, f.Account)
	if _, err := f.Load(); !errors.As(err, &se) || !strings.Contains(err.Error(), "missing from the system keyring") {
		t.Errorf("missing entry: %v", err)
	}
	k.down = errors.New("no answer")
	var ku *KeyringUnavailableError
	if _, err := f.Load(); !errors.As(err, &ku) || errors.As(err, &se) {
		t.Errorf("keyring down: %v", err)
	}
}

func TestKeyringReachableNeedsASessionBus(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	if _, err := keyringReachable(); err == nil || err.Error() != "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)" {
		t.Errorf("no bus: %v", err)
	}
	missing := filepath.Join(t.TempDir(), "bus")
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+missing+",guid=1")
	if _, err := keyringReachable(); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing socket: %v", err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:abstract=/tmp/dbus-x")
	if addr, err := keyringReachable(); err != nil || addr != "unix:abstract=/tmp/dbus-x" {
		t.Errorf("abstract socket: %q %v", addr, err)
	}
}
