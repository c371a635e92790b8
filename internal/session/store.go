package session

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// LockWait bounds the wait for another apikeys process that holds the same profile's
// session lock (a refresh is one request, bounded by the HTTP timeout).
const LockWait = time.Minute

// store is the session store of s's profile: the file beside the configuration file, and
// the OS keyring for the tokens as s.SessionStore says. What the store does on its own (a
// session file readable by others narrowed, a session saved to the file because no keyring
// answered) goes to Warn.
func (m *Manager) store(s *config.Settings) *config.SessionFile {
	store := config.NewSessionFile(s.ConfigFile, s.Profile)
	store.Store = s.SessionStore
	store.Keyring = m.Keyring
	store.Warn = m.warn
	return store
}

// StoreInfo is where a profile's session keeps its tokens, or would keep them if saved now.
type StoreInfo struct {
	// Setting is session-store: auto, keyring or file.
	Setting string
	// Store is config.StoreKeyring or config.StoreFile.
	Store string
	// Keyring names the OS keyring ("Secret Service"), with Store keyring.
	Keyring string
	// File is the session file (with Store keyring, it holds the session but its tokens).
	File string
	// Unavailable says why the keyring is not used (auto) or cannot be (keyring).
	Unavailable error
}

// String names the store as `auth status` and `doctor` show it: "keyring (Secret Service)"
// or "file …/sessions/default.json (mode 0600)".
func (i StoreInfo) String() string { return i.Localize(nil) }

// Localize is String in p's language.
func (i StoreInfo) Localize(p *l10n.Printer) string {
	if i.Store != config.StoreKeyring {
		return p.Sprintf("file %s (mode 0600)", i.File)
	}
	if i.Unavailable != nil {
		return p.Sprintf("keyring (%s), not available: %v", i.Keyring, i.Unavailable)
	}
	return p.Sprintf("keyring (%s)", i.Keyring)
}

// DescribeStore says where a save of s's profile's session would put its tokens now. Under
// auto and keyring it asks the keyring (one lookup, at most config.KeyringTimeout).
func (m *Manager) DescribeStore(s *config.Settings) StoreInfo {
	store := m.store(s)
	info := StoreInfo{Setting: s.SessionStore, Store: config.StoreFile, File: store.Path}
	if s.SessionStore != config.StoreAuto && s.SessionStore != config.StoreKeyring {
		return info
	}
	info.Keyring = store.KeyringName()
	info.Unavailable = store.Probe()
	if info.Unavailable == nil || s.SessionStore == config.StoreKeyring {
		info.Store = config.StoreKeyring
	}
	return info
}

// StoreDescription names where s's profile's session would be saved now (see DescribeStore).
func StoreDescription(s *config.Settings) string {
	return (&Manager{}).DescribeStore(s).String()
}

// underLock runs fn with the profile's lock held, on the session as the file holds it
// then (disk is nil when loadErr is set). Every change to a saved session is made this way:
// another process may have changed the file while this one waited for the lock.
func underLock(ctx context.Context, store *config.SessionFile, fn func(disk *config.Session, loadErr error) error) error {
	lockCtx, cancel := context.WithTimeout(ctx, LockWait)
	defer cancel()
	unlock, err := store.Lock(lockCtx)
	if err != nil {
		return err
	}
	defer unlock()
	disk, err := store.Load()
	return fn(disk, err)
}

// notLoggedInError says how to get credentials for s's profile (an auth error).
// Credentials given for this invocation (only `auth status` then looks for a session) make
// the advice to set them wrong: it says instead that commands need no session.
func notLoggedInError(s *config.Settings) error {
	if by := CredentialsOverride(s); by != "" {
		return errkind.Authf("no session is saved for profile %q (%s)\n%s is set, so commands need none; `apikeys auth login` saves one for when it is not", s.Profile, s.APIURL, by)
	}
	return errkind.Authf("not logged in to %s (profile %q)\nrun `%s`, set APIKEYS_TOKEN with --org, or try the local sandbox with --sandbox", s.APIURL, s.Profile, LoginCommand(s))
}

// LoginCommand is the command line that logs s's profile in: `apikeys auth login`, with
// --profile and --api-url when they are not the defaults, so that the advice logs in where
// the command that failed looked.
func LoginCommand(s *config.Settings) string {
	cmd := "apikeys auth login"
	if s.Profile != "" && s.Profile != "default" {
		cmd += " --profile " + s.Profile
	}
	if s.APIURL != "" && !sameAPIURL(s.APIURL, config.DefaultAPIURL) {
		cmd += " --api-url " + s.APIURL
	}
	return cmd
}

// CredentialsOverride names the credentials commands use instead of the saved session, or "".
func CredentialsOverride(s *config.Settings) string {
	switch {
	case s.Sandbox:
		return "--sandbox"
	case s.Token != "":
		return "APIKEYS_TOKEN"
	case s.Username != "" && s.Password != "":
		return "APIKEYS_USERNAME and APIKEYS_PASSWORD"
	}
	return ""
}

// load reads the profile's session: not saved → not logged in (an auth error); unreadable
// → an auth error naming the file and suggesting `auth login` (login replaces the file).
func load(s *config.Settings, store *config.SessionFile) (*config.Session, error) {
	sess, err := store.Load()
	var se *config.SessionError
	var ku *config.KeyringUnavailableError
	switch {
	case errors.Is(err, config.ErrNoSession):
		return nil, notLoggedInError(s)
	case errors.As(err, &ku):
		return nil, l10n.Errorf("%w\nthe session of profile %q keeps its tokens there: run apikeys where the keyring answers (a desktop session), or `%s` to replace the session", err, s.Profile, LoginCommand(s))
	case errors.As(err, &se):
		return nil, errkind.Authf("%w\nrun `%s` to log in again (it replaces the file)", err, LoginCommand(s))
	case err != nil:
		return nil, err
	case sess.Ended != "":
		return nil, endedSessionError(sess, LoginCommand(s))
	}
	return sess, nil
}

// endedSessionError is a session marked as no longer renewable: log in again. The email
// came from the server at login, and the reason is the file's: both are escaped whole.
func endedSessionError(sess *config.Session, login string) error {
	return errkind.Authf("the session of %s can no longer be renewed: %s\nrun `%s` to log in again", sanitize.Text(sess.User.Email), endedWords(sess.Ended), login)
}

// sameAPIURL compares base URLs as the client uses them (no trailing slash, any case host).
func sameAPIURL(a, b string) bool {
	return strings.EqualFold(strings.TrimRight(a, "/"), strings.TrimRight(b, "/"))
}

// openStored uses the profile's saved session. Its tokens are sent only to the API URL
// that issued them, and only for the organization they are bound to.
func (m *Manager) openStored(s *config.Settings, client *jmapcloud.Client) (*Session, error) {
	store := m.store(s)
	sess, err := load(s, store)
	if err != nil {
		return nil, err
	}
	if !sameAPIURL(sess.APIURL, s.APIURL) {
		return nil, errkind.Authf("not logged in to %s: the session of profile %q is for %s\nrun `apikeys auth login --api-url %s`, or choose the profile of that API with --profile", s.APIURL, s.Profile, sess.APIURL, s.APIURL)
	}
	if s.Org != "" && !strings.EqualFold(s.Org, sess.Organization.ID) {
		return nil, errkind.Usagef("organization %s was asked for, but the session of profile %q is bound to %s (%s)\nrun `apikeys auth login --org %s`, or use another --profile", s.Org, s.Profile, sess.Organization.ID, sess.Organization.Name, s.Org)
	}
	tokens := &storedTokens{store: store, client: client, now: m.now, sess: *sess, noRenew: m.Completing, login: LoginCommand(s)}
	return &Session{Client: client.WithTokens(tokens), Org: sess.Organization.ID}, nil
}

// Why a session ended, as the session file records it (in English: the file is the same
// whatever the language of the run that wrote it).
const (
	endedBadOrg       = "its organization ID is not a plausible identifier"
	endedRefused      = "the server refused its refresh token (HTTP %d)"
	endedLost         = "the answer to its last refresh was lost, so its refresh token may be spent"
	endedUnsaved      = "the session renewed by its last refresh could not be saved, so its refresh token is spent"
	endedRevokeFailed = "it was logged out, but revoking it on the server failed"
)

// endedWords is why a session ended, in the reader's language when apikeys wrote it; the
// text of another writer is shown as recorded (sanitised).
func endedWords(ended string) any {
	switch ended {
	case endedBadOrg:
		return l10n.M(endedBadOrg)
	case endedLost:
		return l10n.M(endedLost)
	case endedUnsaved:
		return l10n.M(endedUnsaved)
	case endedRevokeFailed:
		return l10n.M(endedRevokeFailed)
	}
	var status int
	if n, err := fmt.Sscanf(ended, endedRefused, &status); err == nil && n == 1 && fmt.Sprintf(endedRefused, status) == ended {
		return l10n.M(endedRefused, status)
	}
	return sanitize.Text(ended)
}
