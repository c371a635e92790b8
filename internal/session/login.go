package session

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// LoginRequest is how `auth login` asks a person what the protocol needs. Both are called
// only once the settings and the API URL were accepted.
type LoginRequest struct {
	// Credentials returns the username and password (from flags, the environment,
	// standard input or prompts).
	Credentials func() (username, password string, err error)
	// ChooseOrg picks one of the user's organizations when neither --org nor a single
	// membership decides (labels are OrgLabel's). Nil: nobody can answer, and the login is
	// refused with the list to pass to --org.
	ChooseOrg func(orgs []jmapcloud.Organization) (jmapcloud.Organization, error)
}

// LoginResult is what a login did. The session is saved; what did not work after that is
// reported here, for the command to warn about.
type LoginResult struct {
	// Session is the saved session (it holds tokens: never printed).
	Session config.Session
	// SessionFile is the session's file (without its tokens when SessionStore is a keyring).
	SessionFile string
	// Store is where the tokens were saved.
	Store StoreInfo
	User  jmapcloud.User
	Org   jmapcloud.Organization
	// ProfileErr is set when the profile's api-url and org could not be recorded.
	ProfileErr error
	// Member is the user's membership in Org; nil when RoleErr says why it is unknown.
	Member  *jmapcloud.Member
	RoleErr error
	// RecordRoleErr is set when the role was checked but could not be kept in the session.
	RecordRoleErr error
}

// Login logs in to s's API and saves the session in s's profile: authenticate, users/self,
// the organization (MatchOrg, else req.ChooseOrg), the refresh that binds the tokens to it,
// the save under the profile's lock, the profile's api-url and org recorded, the session it
// replaced revoked (best effort), and the user's role checked with the new session.
func (m *Manager) Login(ctx context.Context, s *config.Settings, req LoginRequest) (*LoginResult, error) {
	if s.Sandbox {
		return nil, errkind.Usagef("--sandbox needs no login: it runs in process as the seeded administrator\nto log in to a served sandbox (apikeys sandbox serve), pass its URL with --api-url")
	}
	client, err := m.NewClient(s, s.APIURL)
	if err != nil {
		return nil, err
	}
	store := m.store(s)
	// Before asking for a password: under session-store keyring, one must answer.
	if err := store.CheckKeyring(); err != nil {
		return nil, err
	}
	username, password, err := req.Credentials()
	if err != nil {
		return nil, err
	}
	first, err := client.Authenticate(ctx, username, password)
	if err != nil {
		if jmapcloud.StatusCode(err) == http.StatusUnauthorized {
			return nil, errkind.Authf("login as %s to %s failed: wrong username or password", username, client.BaseURL())
		}
		return nil, err
	}
	user, err := client.WithTokens(jmapcloud.StaticToken(first.AccessToken)).UserSelf(ctx)
	if err != nil {
		return nil, err
	}
	if user.Email == "" {
		user.Email = username
	}
	org, err := pickLoginOrg(s, user, req.ChooseOrg)
	if err != nil {
		return nil, err
	}
	bound, err := client.RefreshToken(ctx, first.RefreshToken, org.ID)
	if err != nil {
		return nil, err
	}
	now := m.now()
	res := &LoginResult{
		Session: config.Session{
			Profile:      s.Profile,
			APIURL:       client.BaseURL(),
			User:         config.SessionUser{Email: user.Email, Name: user.Name},
			Organization: config.SessionOrganization{ID: org.ID, Name: org.Name},
			AccessToken:  bound.AccessToken,
			RefreshToken: bound.RefreshToken,
			ExpiresAt:    bound.ExpiresAt,
			IssuedAt:     now,
			LoggedInAt:   now,
		},
		User: user,
		Org:  org,
	}
	res.SessionFile = store.Path
	previous, err := replace(ctx, store, &res.Session)
	if err != nil {
		return nil, err
	}
	res.Store = savedStore(s, store)
	res.ProfileErr = config.SaveProfile(ctx, s.ConfigFile, s.Profile, map[string]string{"api-url": res.Session.APIURL, "org": org.ID})
	// The session this login replaces is of no further use: revoke it, best effort.
	if previous != nil && sameAPIURL(previous.APIURL, res.Session.APIURL) && previous.RefreshToken != res.Session.RefreshToken {
		_ = client.RevokeToken(ctx, previous.RefreshToken)
	}

	tokens := &storedTokens{store: store, client: client, now: m.now, sess: res.Session, login: LoginCommand(s)}
	member, err := client.WithTokens(tokens).MemberSelf(ctx, org.ID)
	if err != nil {
		res.RoleErr = err
		return res, nil
	}
	res.Member = &member
	res.RecordRoleErr = tokens.update(ctx, func(d *config.Session) { d.Roles = member.Roles })
	res.Session = tokens.sess
	return res, nil
}

// savedStore is where store's last load or save kept the tokens.
func savedStore(s *config.Settings, store *config.SessionFile) StoreInfo {
	info := StoreInfo{Setting: s.SessionStore, Store: config.StoreFile, File: store.Path}
	if store.TokensInKeyring() {
		info.Store, info.Keyring = config.StoreKeyring, store.KeyringName()
	}
	return info
}

// replace saves sess as the profile's session under the lock and returns the session it
// replaced, if one was readable.
func replace(ctx context.Context, store *config.SessionFile, sess *config.Session) (previous *config.Session, err error) {
	err = underLock(ctx, store, func(disk *config.Session, _ error) error {
		previous = disk
		return store.Save(sess)
	})
	if err != nil {
		return nil, err
	}
	return previous, nil
}

// pickLoginOrg is MatchOrg, then choose when a person must decide.
func pickLoginOrg(s *config.Settings, user jmapcloud.User, choose func([]jmapcloud.Organization) (jmapcloud.Organization, error)) (jmapcloud.Organization, error) {
	org, ok, err := MatchOrg(user, s.Org, s.OrgFromProfile)
	switch {
	case err != nil || ok:
		return org, err
	case choose == nil:
		return jmapcloud.Organization{}, severalOrgsError(user)
	}
	return choose(user.Organizations)
}

// MatchOrg picks the login's organization among user's without asking: want (an ID, or an
// exact name in any case), else the only one. An organization recorded in the profile
// (wantIsDefault) is used when the user still belongs to it, and ignored otherwise. ok is
// false when the user has several and none was picked: a person must choose.
func MatchOrg(user jmapcloud.User, want string, wantIsDefault bool) (org jmapcloud.Organization, ok bool, err error) {
	orgs := user.Organizations
	if len(orgs) == 0 {
		return org, false, errkind.Authf("%s belongs to no organization: there are no API keys to manage", sanitize.Text(user.Email))
	}
	if want != "" {
		var matches []jmapcloud.Organization
		for _, o := range orgs {
			if strings.EqualFold(o.ID, want) {
				return o, true, nil
			}
			if strings.EqualFold(o.Name, want) {
				matches = append(matches, o)
			}
		}
		switch {
		case len(matches) == 1:
			return matches[0], true, nil
		case len(matches) > 1:
			return org, false, errkind.Usagef("several organizations are named %q; pass --org with an ID:\n  %s", want, orgList(matches))
		case !wantIsDefault:
			return org, false, errkind.Usagef("%s is not a member of organization %q; pass --org with one of:\n  %s", sanitize.Text(user.Email), want, orgList(orgs))
		}
	}
	if len(orgs) == 1 {
		return orgs[0], true, nil
	}
	return org, false, nil
}

// OrgLabel names an organization for a person; its name and ID come from the server, so
// they are sanitised.
func OrgLabel(o jmapcloud.Organization) string {
	if o.Name == "" {
		return sanitize.Text(o.ID)
	}
	return fmt.Sprintf("%s (%s)", sanitize.Text(o.Name), sanitize.Text(o.ID))
}

// orgList lists organizations one a line, sanitised like OrgLabel.
func orgList(orgs []jmapcloud.Organization) string {
	lines := make([]string, len(orgs))
	for i, o := range orgs {
		lines[i] = fmt.Sprintf("%s  %s", sanitize.Text(o.ID), sanitize.Text(o.Name))
	}
	return strings.Join(lines, "\n  ")
}

// LogoutResult is what a logout found.
type LogoutResult struct {
	// Session is the session revoked and removed; nil when there was none to revoke.
	Session *config.Session
	// Unreadable is set when the session file could not be read: it was removed without
	// being revoked on the server.
	Unreadable error
}

// Logout revokes the profile's session where it was issued (whatever --api-url says now)
// and removes it, under the profile's lock. A session whose revoke failed is kept, marked
// ended so commands no longer use it, and the error says to run logout again. Neither a
// Session nor Unreadable in the result: there was nothing to do.
func (m *Manager) Logout(ctx context.Context, s *config.Settings) (*LogoutResult, error) {
	store := m.store(s)
	res := &LogoutResult{}
	err := underLock(ctx, store, func(sess *config.Session, err error) error {
		var se *config.SessionError
		var ku *config.KeyringUnavailableError
		switch {
		case errors.Is(err, config.ErrNoSession):
			return nil
		case errors.As(err, &ku):
			// Its refresh token is there: removing the file would leave it valid on the server.
			return l10n.Errorf("%w\nthe session of profile %q keeps its tokens there, which logout needs to revoke it: run `apikeys auth logout` where the keyring answers (the session is kept)", err, s.Profile)
		case errors.As(err, &se):
			if err := store.Remove(); err != nil {
				return err
			}
			res.Unreadable = err
			return nil
		case err != nil:
			return err
		}
		var revokeErr error
		client, err := m.NewClient(s, sess.APIURL)
		if err == nil {
			revokeErr = client.RevokeToken(ctx, sess.RefreshToken)
		} else {
			revokeErr = err
		}
		switch jmapcloud.StatusCode(revokeErr) {
		case http.StatusUnauthorized, http.StatusBadRequest:
			revokeErr = nil // already unusable on the server: nothing more to revoke
		}
		if revokeErr != nil {
			return keepForRevoke(store, sess, s.Profile, revokeErr)
		}
		if err := store.Remove(); err != nil {
			return err
		}
		res.Session = sess
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// keepForRevoke keeps a session whose revoke failed, so that `auth logout` can try again
// with its refresh token: removing it would leave the token valid on the server with
// nothing here to revoke it. It is marked ended, so commands no longer use it.
func keepForRevoke(store *config.SessionFile, sess *config.Session, profile string, revokeErr error) error {
	if sess.Ended == "" {
		sess.Ended = endedRevokeFailed
		if err := store.Save(sess); err != nil {
			return l10n.Errorf("revoking the session of profile %q on the server failed: %w\nand it could not be marked as logged out (%v): it is still in use here; run `apikeys auth logout` again", profile, revokeErr, err)
		}
	}
	return l10n.Errorf("revoking the session of profile %q on the server failed: %w\nthe session is kept in %s, no longer used by commands, so that its refresh token can still be revoked: run `apikeys auth logout` again", profile, revokeErr, store.Path)
}

// Status is the profile's session as `auth status` shows it (and prints with -o json). It
// never holds a token.
type Status struct {
	LoggedIn             bool                        `json:"loggedIn"`
	Profile              string                      `json:"profile"`
	APIURL               string                      `json:"apiUrl"`
	User                 *config.SessionUser         `json:"user,omitempty"`
	Organization         *config.SessionOrganization `json:"organization,omitempty"`
	Role                 string                      `json:"role,omitempty"`
	Roles                []string                    `json:"roles,omitempty"`
	AccessTokenExpiresAt *time.Time                  `json:"accessTokenExpiresAt,omitempty"`
	AccessTokenExpired   bool                        `json:"accessTokenExpired"`
	LoggedInAt           *time.Time                  `json:"loggedInAt,omitempty"`
	RefreshedAt          *time.Time                  `json:"refreshedAt,omitempty"`
	// SessionStore is where the tokens are (keyring or file); not logged in, the setting.
	SessionStore string `json:"sessionStore"`
	// Keyring names the OS keyring that holds them, with SessionStore keyring.
	Keyring string `json:"keyring,omitempty"`
	// SessionFile is the session's file: with the tokens in a keyring, it holds the rest.
	SessionFile string `json:"sessionFile"`
	// SessionStoreSetting is session-store: auto, keyring or file.
	SessionStoreSetting string `json:"sessionStoreSetting,omitempty"`
	ConfigFile          string `json:"configFile"`
	// OverriddenBy names credentials from the environment or flags that commands use
	// instead of the saved session.
	OverriddenBy string `json:"overriddenBy,omitempty"`
}

// machineDate is t as every machine date apikeys prints: UTC, whole seconds (the session
// file keeps the clock's full precision, which `auth status -o json` showed as it was).
func machineDate(t time.Time) *time.Time {
	d := t.UTC().Truncate(time.Second)
	return &d
}

// Status reads the profile's session from the local files (and the OS keyring when its
// tokens are there) only. The status is complete
// even when the error says the profile is not logged in (LoggedIn false) or the session
// cannot be used.
func (m *Manager) Status(s *config.Settings) (Status, error) {
	store := m.store(s)
	st := Status{
		Profile:             s.Profile,
		APIURL:              s.APIURL,
		SessionStore:        s.SessionStore,
		SessionFile:         store.Path,
		SessionStoreSetting: s.SessionStore,
		ConfigFile:          s.ConfigFile,
		OverriddenBy:        CredentialsOverride(s),
	}
	sess, err := load(s, store)
	if err != nil {
		return st, err
	}
	st.LoggedIn = true
	saved := savedStore(s, store)
	st.SessionStore, st.Keyring = saved.Store, saved.Keyring
	st.APIURL = sess.APIURL
	st.User = &sess.User
	st.Organization = &sess.Organization
	st.Roles = sess.Roles
	st.Role = jmapcloud.HighestRole(sess.Roles)
	if !sess.ExpiresAt.IsZero() {
		st.AccessTokenExpiresAt = machineDate(sess.ExpiresAt)
		st.AccessTokenExpired = !m.now().Before(sess.ExpiresAt) // the exact expiry, not the shown one
	}
	st.LoggedInAt = machineDate(sess.LoggedInAt)
	if !sess.RefreshedAt.IsZero() {
		st.RefreshedAt = machineDate(sess.RefreshedAt)
	}
	return st, nil
}
