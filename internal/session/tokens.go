package session

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// refreshMargin is how long before its expiry an access token is renewed. For tokens that
// live less than twice as long, half their lifetime is used instead (see refreshDue).
const refreshMargin = 30 * time.Second

// memoryTokens is a session held in memory for one invocation; it refreshes itself once its
// access token is refused, spending the single-use refresh token.
type memoryTokens struct {
	client *jmapcloud.Client
	org    string
	mu     sync.Mutex
	tokens jmapcloud.Tokens
	// dead is set once the refresh token was refused or may have been spent without the
	// answer arriving: it is never presented again.
	dead error
}

func (m *memoryTokens) Token(context.Context) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tokens.AccessToken, nil
}

func (m *memoryTokens) Refresh(ctx context.Context, refused string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.dead != nil {
		return m.dead
	}
	if m.tokens.AccessToken != refused {
		return nil // a concurrent request already renewed it
	}
	t, err := m.client.RefreshToken(context.WithoutCancel(ctx), m.tokens.RefreshToken, m.org)
	if err != nil {
		if !jmapcloud.NotProcessed(err) {
			m.dead = l10n.Errorf("the session cannot be renewed: %v", err)
		}
		return err
	}
	m.tokens = t
	return nil
}

// refreshRefused reports a refresh token the server refused.
func refreshRefused(err error) bool {
	switch jmapcloud.StatusCode(err) {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden:
		return true
	}
	return false
}

// refreshAmbiguous reports a refresh whose outcome is unknown: the answer was lost or
// unreadable, or a 5xx other than 503. The token may have been spent.
func refreshAmbiguous(err error) bool {
	if jmapcloud.NotProcessed(err) || refreshRefused(err) {
		return false
	}
	var netErr *jmapcloud.NetworkError
	var decErr *jmapcloud.DecodeError
	return errors.As(err, &netErr) || errors.As(err, &decErr) || jmapcloud.StatusCode(err) >= 500
}

// refreshDue reports whether sess's access token should be renewed before use: less than
// refreshMargin left, or less than half its lifetime for a short-lived token. An unknown
// expiry is never due: the server's 401 will say.
func refreshDue(sess *config.Session, now time.Time) bool {
	if sess.ExpiresAt.IsZero() {
		return false
	}
	margin := refreshMargin
	if life := sess.ExpiresAt.Sub(sess.IssuedAt); !sess.IssuedAt.IsZero() && life > 0 && life/2 < margin {
		margin = life / 2
	}
	return sess.ExpiresAt.Sub(now) < margin
}

// storedTokens is a saved session as a jmapcloud.TokenSource. Refresh tokens are
// single-use, and other apikeys processes may share the session, so a refresh happens only
// under the profile's file lock, starts by re-reading the file (another process may have
// refreshed already: its tokens are used and no refresh token is spent twice), and saves
// the new pair before the new access token is used.
type storedTokens struct {
	store  *config.SessionFile
	client *jmapcloud.Client // without tokens: refresh-token needs none
	now    func() time.Time

	// login is the command that logs this profile in again (LoginCommand), for the errors
	// that end the session; "" is the default profile's.
	login string

	// noRenew forbids spending the refresh token: set for shell completion, which gives up
	// after a short deadline and could die between the server rotating the token and the
	// new one being saved, losing the session.
	noRenew bool

	mu   sync.Mutex
	sess config.Session
	// dead is set when the session cannot be renewed (refresh token refused): later calls
	// fail at once instead of presenting a refused refresh token again.
	dead error
}

// Token returns the access token, renewing it first when it is about to expire.
func (t *storedTokens) Token(ctx context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dead != nil {
		if t.now().Before(t.sess.ExpiresAt) {
			return t.sess.AccessToken, nil // cannot be renewed, but still valid for a while
		}
		return "", t.dead
	}
	if !refreshDue(&t.sess, t.now()) {
		return t.sess.AccessToken, nil
	}
	if err := t.renew(ctx, func(disk *config.Session) bool { return refreshDue(disk, t.now()) }); err != nil {
		if t.now().Before(t.sess.ExpiresAt) {
			return t.sess.AccessToken, nil // still valid: let the request decide
		}
		return "", err
	}
	return t.sess.AccessToken, nil
}

// Refresh renews the access token after the server refused it (401).
func (t *storedTokens) Refresh(ctx context.Context, refused string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dead != nil {
		return t.dead
	}
	if t.sess.AccessToken != refused {
		return nil // a concurrent request of this process already renewed it
	}
	return t.renew(ctx, func(disk *config.Session) bool {
		return disk.AccessToken == refused || refreshDue(disk, t.now())
	})
}

// update changes the saved session's metadata (not its tokens) under the lock.
func (t *storedTokens) update(ctx context.Context, change func(*config.Session)) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return underLock(ctx, t.store, func(disk *config.Session, err error) error {
		if err != nil {
			return err
		}
		if !disk.LoggedInAt.Equal(t.sess.LoggedInAt) || disk.User.Email != t.sess.User.Email {
			return l10n.Errorf("the session was replaced by another login meanwhile")
		}
		change(disk)
		if err := t.store.Save(disk); err != nil {
			return err
		}
		t.sess = *disk
		return nil
	})
}

// renew runs with t.mu held. need says whether the session as found on disk still needs a
// refresh; when it does not, another process refreshed it and its tokens are adopted.
func (t *storedTokens) renew(ctx context.Context, need func(*config.Session) bool) error {
	return underLock(ctx, t.store, func(disk *config.Session, err error) error {
		switch {
		case errors.Is(err, config.ErrNoSession):
			return errkind.Authf("the session was logged out meanwhile\nrun `%s`", t.relogin())
		case err != nil:
			return errkind.Authf("%w\nrun `%s` to log in again", err, t.relogin())
		}
		if !sameAPIURL(disk.APIURL, t.sess.APIURL) || disk.Organization.ID != t.sess.Organization.ID {
			return errkind.Authf("the session was replaced meanwhile by a login to %s (organization %s)", disk.APIURL, sanitize.Text(disk.Organization.ID))
		}
		if disk.Ended != "" {
			t.dead = endedSessionError(disk, t.relogin())
			return t.dead
		}
		if !need(disk) {
			t.sess = *disk
			return nil
		}
		if t.noRenew {
			return l10n.Errorf("the session needs a refresh, which completion does not do: run any apikeys command")
		}
		// A refresh token is spent only when its successor can be saved.
		if err := t.store.CheckKeyring(); err != nil {
			return err
		}
		return t.spend(ctx, disk)
	})
}

// spend exchanges disk's refresh token, with the lock held, and saves the new pair before
// it is used. The file's refresh token is unspent: every process that spends one saves its
// successor before releasing the lock. Once sent, the exchange is finished even if the
// command is interrupted (Ctrl-C), since the server may already have rotated the token.
func (t *storedTokens) spend(ctx context.Context, disk *config.Session) error {
	rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), jmapcloud.DefaultTimeout)
	defer rcancel()
	next, err := t.client.RefreshToken(rctx, disk.RefreshToken, disk.Organization.ID)
	switch {
	case err != nil && jmapcloud.NotProcessed(err):
		// The server did not take the token: it stays valid for a later command. %v: the
		// refresh was already retried, the request waiting for it must not retry it again.
		return l10n.Errorf("refreshing the session: %v\nthe session is unchanged: try again in a moment", err)
	case errors.As(err, new(*jmapcloud.InvalidIDError)):
		// Nothing was sent: the saved organization ID cannot be put in a path, so this session
		// can never work.
		t.dead = errkind.Authf("the saved session cannot be used: %v\nrun `%s`", err, t.relogin())
		t.endSession(disk, endedBadOrg)
		return t.dead
	case err != nil && refreshRefused(err):
		// %v, not %w: this is no longer a 401 to react to with another refresh.
		t.dead = errkind.Authf("the session of %s has expired or was revoked (%v)\nrun `%s`", sanitize.Text(disk.User.Email), err, t.relogin())
		t.endSession(disk, fmt.Sprintf(endedRefused, jmapcloud.StatusCode(err)))
		return t.dead
	case err != nil:
		t.dead = errkind.Authf("refreshing the session: %v\nthe refresh token may have been spent without its successor arriving: run `%s`", err, t.relogin())
		t.endSession(disk, endedLost)
		return t.dead
	}
	spent := *disk
	now := t.now()
	disk.AccessToken, disk.RefreshToken, disk.ExpiresAt = next.AccessToken, next.RefreshToken, next.ExpiresAt
	disk.IssuedAt, disk.RefreshedAt = now, now
	if err := t.store.Save(disk); err != nil {
		// The old refresh token is spent and the new one cannot be kept: this process
		// must not use a pair it could not save, and the next one needs a new login.
		t.dead = errkind.Authf("%w\nthe previous refresh token is spent: run `%s`", err, t.relogin())
		t.endSession(&spent, endedUnsaved)
		return t.dead
	}
	t.sess = *disk
	return nil
}

// endSession records, with the lock held, that disk's refresh token must not be presented
// again, so that later processes ask for a login instead. If the file cannot be rewritten
// (the disk that refused the renewed session, say), it is removed; if that fails too, the
// error says so, since the next process would present the spent token.
func (t *storedTokens) endSession(disk *config.Session, why string) {
	disk.Ended = why
	if err := t.store.Save(disk); err == nil {
		return
	}
	if err := t.store.Remove(); err != nil {
		t.dead = errkind.Authf("%w\nthe session file %s could not be marked or removed (%v): remove it, then run `%s`", t.dead, t.store.Path, err, t.relogin())
	}
}

// relogin is the command line that logs the session's profile in again.
func (t *storedTokens) relogin() string {
	if t.login == "" {
		return "apikeys auth login"
	}
	return t.login
}
