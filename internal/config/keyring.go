package config

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// KeyringService is the service name under which sessions are kept in the OS keyring; the
// account is <configuration file>#<profile> (KeyringAccount).
const KeyringService = "apikeys"

// KeyringTimeout bounds every call to the OS keyring: a keyring that does not answer (a
// D-Bus peer that accepts and stays silent, a keychain waiting for a dialog nobody sees)
// must not hang the command.
const KeyringTimeout = 3 * time.Second

// Keyring is the OS keyring as the session store uses it: one secret per account of
// KeyringService. Get returns ErrKeyringNotFound for an account it does not hold; a keyring
// that cannot be used returns a *KeyringUnavailableError.
type Keyring interface {
	Get(account string) (string, error)
	Set(account, secret string) error
	Delete(account string) error
	// Name names the keyring for people: "Secret Service", "Keychain", "Credential Manager".
	Name() string
}

// ErrKeyringNotFound is a keyring that answered and holds no secret for the account.
var ErrKeyringNotFound = l10n.Errorf("not found in the keyring")

// KeyringUnavailableError is a keyring that could not be used: none on this machine (no
// D-Bus session), one that did not answer within KeyringTimeout, or one that refused.
type KeyringUnavailableError struct {
	Name string
	Err  error
}

func (e *KeyringUnavailableError) Error() string { return e.Localize(nil) }

// Localize is Error in p's language.
func (e *KeyringUnavailableError) Localize(p *l10n.Printer) string {
	return p.Sprintf("the system keyring (%s) is not available: %v", e.Name, e.Err)
}

func (e *KeyringUnavailableError) Unwrap() error { return e.Err }

// KeyringAccount is the keyring account of profile's session: the absolute configuration
// file and the profile, so that two configuration files never share a session.
func KeyringAccount(configFile, profile string) string {
	if abs, err := filepath.Abs(configFile); err == nil {
		configFile = abs
	}
	return configFile + "#" + profile
}

// SystemKeyring is the OS keyring through github.com/zalando/go-keyring: Secret Service on
// Linux and the BSDs, Keychain on macOS, Credential Manager on Windows. Nothing is done until
// a method is called.
func SystemKeyring() Keyring { return systemKeyring{} }

type systemKeyring struct{}

// keyringName names the platform's keyring.
func keyringName() string {
	switch runtime.GOOS {
	case "darwin":
		return "Keychain"
	case "windows":
		return "Credential Manager"
	}
	return "Secret Service"
}

func (systemKeyring) Name() string { return keyringName() }

func (k systemKeyring) Get(account string) (string, error) {
	var secret string
	err := callKeyring(func() error {
		var err error
		secret, err = keyring.Get(KeyringService, account)
		return err
	})
	return secret, err
}

func (systemKeyring) Set(account, secret string) error {
	return callKeyring(func() error { return keyring.Set(KeyringService, account, secret) })
}

func (systemKeyring) Delete(account string) error {
	return callKeyring(func() error { return keyring.Delete(KeyringService, account) })
}

// keyringDown remembers, per process and per D-Bus address, a keyring that could not be
// used: after one timeout, later calls fail at once instead of waiting again.
var keyringDown struct {
	sync.Mutex
	by map[string]error
}

// callKeyring runs op against the OS keyring: at once unavailable when no session bus
// exists (Linux) or when it already failed in this process, else bounded by KeyringTimeout.
// A call that times out is left to finish in the background: go-keyring takes no context.
func callKeyring(op func() error) error {
	where, err := keyringReachable()
	if err != nil {
		return &KeyringUnavailableError{Name: keyringName(), Err: err}
	}
	keyringDown.Lock()
	down := keyringDown.by[where]
	keyringDown.Unlock()
	if down != nil {
		return &KeyringUnavailableError{Name: keyringName(), Err: down}
	}
	done := make(chan error, 1)
	go func() { done <- op() }()
	select {
	case err = <-done:
	case <-time.After(KeyringTimeout):
		err = l10n.Errorf("no answer within %v", KeyringTimeout)
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return ErrKeyringNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return &KeyringUnavailableError{Name: keyringName(), Err: l10n.Errorf("the session is too large for it")}
	}
	keyringDown.Lock()
	if keyringDown.by == nil {
		keyringDown.by = map[string]error{}
	}
	keyringDown.by[where] = err
	keyringDown.Unlock()
	return &KeyringUnavailableError{Name: keyringName(), Err: err}
}

// keyringReachable says where the keyring would be asked (the session bus address on
// Linux and the BSDs, "" elsewhere), or why it cannot be: without a session bus, go-keyring
// would fail anyway, or start one (dbus-launch) that outlives the command.
func keyringReachable() (string, error) {
	switch runtime.GOOS {
	case "darwin", "windows":
		return "", nil
	}
	if addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); addr != "" && addr != "autolaunch:" {
		if path, ok := unixPathAddress(addr); ok {
			if _, err := os.Stat(path); err != nil {
				return "", l10n.Errorf("the D-Bus session bus %s does not exist", path)
			}
		}
		return addr, nil
	}
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		dir = "/run/user/" + strconv.Itoa(os.Getuid())
	}
	if info, err := os.Stat(filepath.Join(dir, "bus")); err == nil && info.Mode()&os.ModeSocket != 0 {
		return "unix:path=" + filepath.Join(dir, "bus"), nil
	}
	return "", l10n.Errorf("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
}

// unixPathAddress is the socket path of a D-Bus address of the unix:path= kind (its first
// entry), the only kind whose existence can be checked without connecting.
func unixPathAddress(addr string) (string, bool) {
	first, _, _ := strings.Cut(addr, ";")
	rest, ok := strings.CutPrefix(first, "unix:")
	if !ok {
		return "", false
	}
	for kv := range strings.SplitSeq(rest, ",") {
		if path, ok := strings.CutPrefix(kv, "path="); ok && !strings.Contains(path, "%") {
			return path, true
		}
	}
	return "", false
}
