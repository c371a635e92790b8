package sandbox

import (
	"crypto/subtle"
	"net/http"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// principal is who a request acts as: a user's session or an API key.
type principal struct {
	isKey  bool
	userID string // user session
	key    keyRecord
	orgID  string // "" for a user token bound to no organization
}

// authenticate resolves the request's credentials inside tx. Authorization: Bearer wins
// over an API key when both are sent.
func (s *Sandbox) authenticate(tx *bolt.Tx, r *http.Request) (*principal, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(h, " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			return nil, errorf(http.StatusUnauthorized, "unsupported Authorization header: send \"Bearer <accessToken>\"")
		}
		var t tokenRecord
		ok, err := get(tx.Bucket(bucketTokens), []byte(digest(token)), &t)
		if err != nil {
			return nil, err
		}
		if !ok || t.Kind != tokenAccess {
			return nil, errorf(http.StatusUnauthorized, "invalid access token")
		}
		if millis(s.now()) >= t.Expires {
			return nil, errorf(http.StatusUnauthorized, "access token expired")
		}
		var sess sessionRecord
		ok, err = get(tx.Bucket(bucketSessions), []byte(t.SessionID), &sess)
		if err != nil {
			return nil, err
		}
		if !ok || sess.Revoked {
			return nil, errorf(http.StatusUnauthorized, "access token revoked: the session was logged out")
		}
		return &principal{userID: t.UserID, orgID: t.OrgID}, nil
	}

	secret := r.Header.Get("Api-Key")
	if secret == "" {
		secret = r.URL.Query().Get("apiKey")
	}
	if secret == "" {
		return nil, errorf(http.StatusUnauthorized, "authentication required: send Authorization: Bearer <accessToken> or Api-Key: <secret>")
	}
	ref := tx.Bucket(bucketKeySecrets).Get([]byte(digest(strings.TrimSpace(secret))))
	if ref == nil {
		return nil, errorf(http.StatusUnauthorized, "invalid API key")
	}
	var k keyRecord
	ok, err := get(tx.Bucket(bucketKeys), ref, &k)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errorf(http.StatusUnauthorized, "invalid API key")
	}
	if millis(s.now()) >= k.Expires {
		return nil, errorf(http.StatusUnauthorized, "API key expired")
	}
	return &principal{isKey: true, key: k, orgID: k.OrgID}, nil
}

// member returns the caller's membership in orgID, for user sessions and API keys alike
// (an API key is described as a member holding its role).
func (s *Sandbox) member(tx *bolt.Tx, p *principal, orgID string) (memberRecord, error) {
	if p.orgID == "" {
		return memberRecord{}, errorf(http.StatusForbidden,
			"this access token is bound to no organization: refresh it with an organizationId (POST /api/ss/rest/v1/refresh-token)")
	}
	if id, ok := parseUUID(orgID); !ok || id != p.orgID {
		if p.isKey {
			return memberRecord{}, errorf(http.StatusForbidden, "this API key belongs to another organization")
		}
		return memberRecord{}, errorf(http.StatusForbidden,
			"this access token is bound to organization %s: refresh it with organizationId %s to act there", p.orgID, orgID)
	}
	if p.isKey {
		return memberRecord{ID: p.key.ID, OrgID: p.key.OrgID, Name: p.key.Title, Email: p.key.Email, Roles: additiveRoles(p.key.Role), Groups: []string{}}, nil
	}
	var m memberRecord
	ok, err := get(tx.Bucket(bucketMembers), orgKey(p.orgID, p.userID), &m)
	if err != nil {
		return memberRecord{}, err
	}
	if !ok {
		return memberRecord{}, errorf(http.StatusForbidden, "you are not a member of organization %s", p.orgID)
	}
	return m, nil
}

// requireMember authenticates a call that any member of the organization may make.
func (s *Sandbox) requireMember(tx *bolt.Tx, r *http.Request, orgID string) (*principal, memberRecord, error) {
	p, err := s.authenticate(tx, r)
	if err != nil {
		return nil, memberRecord{}, err
	}
	m, err := s.member(tx, p, orgID)
	if err != nil {
		return nil, memberRecord{}, err
	}
	return p, m, nil
}

// requireAdmin authenticates an API-key call: only a user session holding ORG_ADMIN in the
// organization may make one.
func (s *Sandbox) requireAdmin(tx *bolt.Tx, r *http.Request, orgID string) (memberRecord, error) {
	p, err := s.authenticate(tx, r)
	if err != nil {
		return memberRecord{}, err
	}
	if p.isKey {
		return memberRecord{}, errorf(http.StatusForbidden, "API keys cannot manage API keys")
	}
	m, err := s.member(tx, p, orgID)
	if err != nil {
		return memberRecord{}, err
	}
	if !hasRole(m.Roles, roleAdmin) {
		return memberRecord{}, errorf(http.StatusForbidden, "ORG_ADMIN role required")
	}
	return m, nil
}

// findUser looks a login up by email, case-insensitively, and checks its password.
func findUser(tx *bolt.Tx, email, password string) (userRecord, bool, error) {
	email = strings.TrimSpace(email)
	var found userRecord
	var ok bool
	err := tx.Bucket(bucketUsers).ForEach(func(_, v []byte) error {
		var u userRecord
		if err := decode(v, &u); err != nil {
			return err
		}
		if strings.EqualFold(u.Email, email) {
			found, ok = u, true
		}
		return nil
	})
	if err != nil || !ok {
		return userRecord{}, false, err
	}
	if subtle.ConstantTimeCompare([]byte(digest(password)), []byte(found.PasswordSHA256)) != 1 {
		return userRecord{}, false, nil
	}
	return found, true, nil
}

// issueTokens stores a new access token and refresh token for a session.
func (s *Sandbox) issueTokens(tx *bolt.Tx, sessionID, userID, orgID string) (tokenResult, error) {
	now := s.now()
	access, refresh := newToken(), newToken()
	expires := now.Add(s.tokenTTL)
	b := tx.Bucket(bucketTokens)
	if err := put(b, []byte(digest(access)), tokenRecord{Kind: tokenAccess, SessionID: sessionID, UserID: userID, OrgID: orgID, Expires: millis(expires)}); err != nil {
		return tokenResult{}, err
	}
	if err := put(b, []byte(digest(refresh)), tokenRecord{Kind: tokenRefresh, SessionID: sessionID, UserID: userID, OrgID: orgID, Expires: millis(now.Add(refreshTokenTTL))}); err != nil {
		return tokenResult{}, err
	}
	return tokenResult{
		AccessToken:           access,
		RefreshToken:          refresh,
		AccessTokenExpireAt:   formatTime(expires),
		AccessTokenExpiration: int64(s.tokenTTL.Seconds()),
	}, nil
}

// purgeTokens deletes expired tokens and the sessions left without any token, so the file
// does not grow with every login.
func (s *Sandbox) purgeTokens(tx *bolt.Tx) error {
	now := millis(s.now())
	tokens := tx.Bucket(bucketTokens)
	live := map[string]bool{}
	var dead [][]byte
	err := tokens.ForEach(func(k, v []byte) error {
		var t tokenRecord
		if err := decode(v, &t); err != nil {
			return err
		}
		if t.Expires <= now {
			dead = append(dead, append([]byte(nil), k...))
		} else {
			live[t.SessionID] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range dead {
		if err := tokens.Delete(k); err != nil {
			return err
		}
	}
	sessions := tx.Bucket(bucketSessions)
	var orphans [][]byte
	err = sessions.ForEach(func(k, _ []byte) error {
		if !live[string(k)] {
			orphans = append(orphans, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range orphans {
		if err := sessions.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
