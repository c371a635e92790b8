package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

const apiPrefix = "/api/ss/rest/v1"

const (
	maxBodyBytes = 1 << 20
	maxTitleLen  = 100
	defaultPage  = 20
	maxPageSize  = 2000
)

// apiError is an answer other than success: its status and the message of the error body.
type apiError struct {
	status  int
	message string
}

func (e *apiError) Error() string { return e.message }

func errorf(status int, format string, args ...any) *apiError {
	return &apiError{status: status, message: fmt.Sprintf(format, args...)}
}

// envelope is the {"message", "result"} wrapper some JMap Cloud answers use.
type envelope struct {
	Message string `json:"message"`
	Result  any    `json:"result"`
}

type errorBody struct {
	Message string `json:"message"`
	Status  int    `json:"status"`
}

type tokenResult struct {
	AccessToken           string `json:"accessToken"`
	RefreshToken          string `json:"refreshToken"`
	AccessTokenExpireAt   string `json:"accessTokenExpireAt"`
	AccessTokenExpiration int64  `json:"accessTokenExpiration"`
}

type apiKeyJSON struct {
	ID             string `json:"id"`
	Title          string `json:"title"`
	Role           string `json:"role"`
	Email          string `json:"email"`
	CreatedBy      string `json:"createdBy"`
	CreationDate   string `json:"creationDate"`
	ExpirationDate string `json:"expirationDate"`
	APIKey         string `json:"apiKey,omitempty"` // the secret, in the create answer only
}

func keyJSON(k keyRecord) apiKeyJSON {
	return apiKeyJSON{
		ID:             k.ID,
		Title:          k.Title,
		Role:           k.Role,
		Email:          k.Email,
		CreatedBy:      k.CreatedBy,
		CreationDate:   formatTime(fromMillis(k.Created)),
		ExpirationDate: formatTime(fromMillis(k.Expires)),
	}
}

type resourceJSON struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Name string `json:"name"`
}

type memberJSON struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Email  string   `json:"email"`
	Roles  []string `json:"roles"`
	Groups []string `json:"groups"`
	APIKey bool     `json:"apiKey,omitempty"` // members/self answered for an API key
}

type pageJSON struct {
	Content       []apiKeyJSON `json:"content"`
	TotalElements int          `json:"totalElements"`
	TotalPages    int          `json:"totalPages"`
	Page          int          `json:"page"`
	Size          int          `json:"size"`
}

// methods routes a path's methods; any other method answers 405 with Allow.
type methods map[string]http.HandlerFunc

func (m methods) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h, ok := m[r.Method]; ok {
		h(w, r)
		return
	}
	allowed := make([]string, 0, len(m))
	for k := range m {
		allowed = append(allowed, k)
	}
	sort.Strings(allowed)
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	writeError(w, errorf(http.StatusMethodNotAllowed, "method %s is not allowed on %s", r.Method, r.URL.Path))
}

// newHandler builds the handler: /_sandbox/ answers directly, the API goes through fault
// injection and counting.
func (s *Sandbox) newHandler() http.Handler {
	api := http.NewServeMux()
	api.Handle(apiPrefix+"/authenticate", methods{http.MethodPost: s.handleAuthenticate})
	api.Handle(apiPrefix+"/refresh-token", methods{http.MethodPost: s.handleRefresh})
	api.Handle(apiPrefix+"/revoke-token", methods{http.MethodPost: s.handleRevoke})
	api.Handle(apiPrefix+"/users/self", methods{http.MethodGet: s.handleUserSelf})
	api.Handle(apiPrefix+"/organizations/{org}/members/self", methods{http.MethodGet: s.handleMemberSelf})
	api.Handle(apiPrefix+"/organizations/{org}/members", methods{http.MethodGet: s.handleMembers})
	api.Handle(apiPrefix+"/organizations/{org}/api-keys", methods{http.MethodGet: s.handleListKeys, http.MethodPost: s.handleCreateKey})
	api.Handle(apiPrefix+"/organizations/{org}/api-keys/{id}", methods{http.MethodGet: s.handleGetKey, http.MethodDelete: s.handleDeleteKey})
	api.Handle(apiPrefix+"/organizations/{org}/api-keys/{id}/resources", methods{http.MethodGet: s.handleKeyResources})
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, errorf(http.StatusNotFound, "no such endpoint: %s %s", r.Method, r.URL.Path))
	})

	internal := http.NewServeMux()
	internal.Handle("/_sandbox/stats", methods{http.MethodGet: func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.Stats())
	}})
	internal.Handle("/_sandbox/resources", methods{http.MethodGet: func(w http.ResponseWriter, _ *http.Request) {
		res, err := s.Resources()
		reply(w, res, err)
	}})
	internal.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, errorf(http.StatusNotFound, "no such sandbox endpoint: %s %s", r.Method, r.URL.Path))
	})

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_sandbox/") {
			internal.ServeHTTP(w, r)
			return
		}
		s.serveAPI(w, r, api)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// writeError answers err: an apiError with its status, anything else as a 500.
func writeError(w http.ResponseWriter, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = errorf(http.StatusInternalServerError, "sandbox internal error: %v", err)
	}
	if ae.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="jmapcloud-sandbox"`)
	}
	writeJSON(w, ae.status, errorBody{Message: ae.message, Status: ae.status})
}

// reply answers 200 with v, or err when there is one.
func reply(w http.ResponseWriter, v any, err error) {
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// viewJSON answers a read-only call: fn builds the answer in one read transaction, which
// also holds the authentication and authorization checks it depends on.
func (s *Sandbox) viewJSON(w http.ResponseWriter, fn func(tx *bolt.Tx) (any, error)) {
	var out any
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	reply(w, out, err)
}

// readBody decodes a JSON request body into v.
func readBody(w http.ResponseWriter, r *http.Request, v any) error {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		return errorf(http.StatusBadRequest, "reading the request body: %v", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return errorf(http.StatusBadRequest, "a JSON request body is required")
	}
	err = json.Unmarshal(data, v)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te) && te.Field == "":
		return errorf(http.StatusBadRequest, "the request body must be a JSON object")
	case errors.As(err, &te):
		return errorf(http.StatusBadRequest, "field %s must be a %s, not a JSON %s", te.Field, te.Type.Kind(), te.Value)
	}
	return errorf(http.StatusBadRequest, "the request body is not valid JSON: %v", err)
}

func (s *Sandbox) handleAuthenticate(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := readBody(w, r, &body); err != nil {
		writeError(w, err)
		return
	}
	if strings.TrimSpace(body.Username) == "" || body.Password == "" {
		writeError(w, errorf(http.StatusBadRequest, "username and password are required"))
		return
	}
	var res tokenResult
	err := s.db.Update(func(tx *bolt.Tx) error {
		u, ok, err := findUser(tx, body.Username, body.Password)
		if err != nil {
			return err
		}
		if !ok {
			return errorf(http.StatusUnauthorized, "invalid username or password")
		}
		if err := s.purgeTokens(tx); err != nil {
			return err
		}
		sess := sessionRecord{ID: newUUID(), UserID: u.ID, Created: millis(s.now())}
		if err := put(tx.Bucket(bucketSessions), []byte(sess.ID), sess); err != nil {
			return err
		}
		res, err = s.issueTokens(tx, sess.ID, u.ID, "")
		return err
	})
	if err != nil {
		var ae *apiError
		if errors.As(err, &ae) && ae.status == http.StatusUnauthorized {
			s.count(func(st *Stats) { st.LoginFailures++ })
		}
		writeError(w, err)
		return
	}
	s.count(func(st *Stats) { st.Logins++ })
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, envelope{Message: "Authentication successful", Result: res})
}

func (s *Sandbox) handleRefresh(w http.ResponseWriter, r *http.Request) {
	var body struct {
		RefreshToken   string `json:"refreshToken"`
		OrganizationID string `json:"organizationId"`
	}
	if err := readBody(w, r, &body); err != nil {
		writeError(w, err)
		return
	}
	if body.RefreshToken == "" {
		writeError(w, errorf(http.StatusBadRequest, "refreshToken is required"))
		return
	}
	reused := false
	var res tokenResult
	err := s.db.Update(func(tx *bolt.Tx) error {
		tokens := tx.Bucket(bucketTokens)
		key := []byte(digest(body.RefreshToken))
		var t tokenRecord
		ok, err := get(tokens, key, &t)
		if err != nil {
			return err
		}
		switch {
		case !ok || t.Kind != tokenRefresh:
			return errorf(http.StatusUnauthorized, "invalid refresh token")
		case t.Spent:
			reused = true
			return errorf(http.StatusUnauthorized, "refresh token already used: refresh tokens are single-use, save the new one from each refresh")
		case millis(s.now()) >= t.Expires:
			return errorf(http.StatusUnauthorized, "refresh token expired")
		}
		var sess sessionRecord
		ok, err = get(tx.Bucket(bucketSessions), []byte(t.SessionID), &sess)
		if err != nil {
			return err
		}
		if !ok || sess.Revoked {
			return errorf(http.StatusUnauthorized, "refresh token revoked: the session was logged out")
		}
		orgID := t.OrgID
		if body.OrganizationID != "" {
			id, ok := parseUUID(body.OrganizationID)
			if !ok || tx.Bucket(bucketMembers).Get(orgKey(id, t.UserID)) == nil {
				return errorf(http.StatusForbidden, "you are not a member of organization %s", body.OrganizationID)
			}
			orgID = id
		}
		t.Spent = true
		if err := put(tokens, key, t); err != nil {
			return err
		}
		res, err = s.issueTokens(tx, t.SessionID, t.UserID, orgID)
		return err
	})
	if err != nil {
		if reused {
			s.count(func(st *Stats) { st.RefreshTokenReuse++ })
		}
		writeError(w, err)
		return
	}
	s.count(func(st *Stats) { st.Refreshes++ })
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, envelope{Message: "Token refreshed", Result: res})
}

func (s *Sandbox) handleRevoke(w http.ResponseWriter, r *http.Request) {
	var body struct {
		RefreshToken string `json:"refreshToken"`
	}
	if err := readBody(w, r, &body); err != nil {
		writeError(w, err)
		return
	}
	if body.RefreshToken == "" {
		writeError(w, errorf(http.StatusBadRequest, "refreshToken is required"))
		return
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		var t tokenRecord
		ok, err := get(tx.Bucket(bucketTokens), []byte(digest(body.RefreshToken)), &t)
		if err != nil || !ok || t.Kind != tokenRefresh {
			return err // an unknown token is already as revoked as it can be
		}
		sessions := tx.Bucket(bucketSessions)
		var sess sessionRecord
		ok, err = get(sessions, []byte(t.SessionID), &sess)
		if err != nil || !ok {
			return err
		}
		sess.Revoked = true
		return put(sessions, []byte(sess.ID), sess)
	})
	if err != nil {
		writeError(w, err)
		return
	}
	s.count(func(st *Stats) { st.Revocations++ })
	writeJSON(w, http.StatusOK, map[string]string{"message": "Token revoked"})
}

func (s *Sandbox) handleUserSelf(w http.ResponseWriter, r *http.Request) {
	type orgJSON struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	type userJSON struct {
		ID            string    `json:"id"`
		Name          string    `json:"name"`
		Email         string    `json:"email"`
		Organizations []orgJSON `json:"organizations"`
		APIKey        bool      `json:"apiKey,omitempty"`
	}
	s.viewJSON(w, func(tx *bolt.Tx) (any, error) {
		p, err := s.authenticate(tx, r)
		if err != nil {
			return nil, err
		}
		orgName := func(id string) (string, error) {
			var o orgRecord
			_, err := get(tx.Bucket(bucketOrgs), []byte(id), &o)
			return o.Name, err
		}
		if p.isKey {
			name, err := orgName(p.key.OrgID)
			return userJSON{ID: p.key.ID, Name: p.key.Title, Email: p.key.Email, APIKey: true,
				Organizations: []orgJSON{{ID: p.key.OrgID, Name: name}}}, err
		}
		var u userRecord
		if _, err := get(tx.Bucket(bucketUsers), []byte(p.userID), &u); err != nil {
			return nil, err
		}
		out := userJSON{ID: u.ID, Name: u.Name, Email: u.Email, Organizations: []orgJSON{}}
		err = tx.Bucket(bucketMembers).ForEach(func(_, v []byte) error {
			var m memberRecord
			if err := decode(v, &m); err != nil {
				return err
			}
			if m.ID != u.ID {
				return nil
			}
			name, err := orgName(m.OrgID)
			out.Organizations = append(out.Organizations, orgJSON{ID: m.OrgID, Name: name})
			return err
		})
		return out, err
	})
}

func (s *Sandbox) handleMemberSelf(w http.ResponseWriter, r *http.Request) {
	s.viewJSON(w, func(tx *bolt.Tx) (any, error) {
		p, m, err := s.requireMember(tx, r, r.PathValue("org"))
		if err != nil {
			return nil, err
		}
		return envelope{Message: "OK", Result: memberJSON{ID: m.ID, Name: m.Name, Email: m.Email, Roles: m.Roles, Groups: m.Groups, APIKey: p.isKey}}, nil
	})
}

func (s *Sandbox) handleMembers(w http.ResponseWriter, r *http.Request) {
	s.viewJSON(w, func(tx *bolt.Tx) (any, error) {
		p, _, err := s.requireMember(tx, r, r.PathValue("org"))
		if err != nil {
			return nil, err
		}
		out := []memberJSON{}
		prefix := []byte(p.orgID + "/")
		c := tx.Bucket(bucketMembers).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var m memberRecord
			if err := decode(v, &m); err != nil {
				return nil, err
			}
			out = append(out, memberJSON{ID: m.ID, Name: m.Name, Email: m.Email, Roles: m.Roles, Groups: m.Groups})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
		return out, nil
	})
}

// parsePaging reads ?page=&size=; paged is false when neither is given.
func parsePaging(r *http.Request) (page, size int, paged bool, err error) {
	q := r.URL.Query()
	if !q.Has("page") && !q.Has("size") {
		return 0, 0, false, nil
	}
	page, size = 0, defaultPage
	if q.Has("page") {
		page, err = strconv.Atoi(q.Get("page"))
		if err != nil || page < 0 {
			return 0, 0, true, errorf(http.StatusBadRequest, "page must be a non-negative integer (pages start at 0), not %q", q.Get("page"))
		}
	}
	if q.Has("size") {
		size, err = strconv.Atoi(q.Get("size"))
		if err != nil || size < 1 {
			return 0, 0, true, errorf(http.StatusBadRequest, "size must be a positive integer, not %q", q.Get("size"))
		}
		size = min(size, maxPageSize)
	}
	return page, size, true, nil
}

// handleListKeys answers the whole list as a bare array, or one page through the key index
// (keyindex.go), which a page holds for reading during its transaction.
func (s *Sandbox) handleListKeys(w http.ResponseWriter, r *http.Request) {
	page, size, paged, perr := parsePaging(r)
	view := s.db.View
	if paged {
		view = s.viewKeys
	}
	var out any
	err := view(func(tx *bolt.Tx) error {
		m, err := s.requireAdmin(tx, r, r.PathValue("org"))
		if err != nil {
			return err
		}
		if perr != nil {
			return perr
		}
		if paged {
			out, err = s.keyPage(tx, m.OrgID, page, size)
		} else {
			out, err = allKeys(tx, m.OrgID)
		}
		return err
	})
	reply(w, out, err)
}

// allKeys reads every key of the organization, in storage order.
func allKeys(tx *bolt.Tx, orgID string) ([]apiKeyJSON, error) {
	out := []apiKeyJSON{}
	prefix := []byte(orgID + "/")
	c := tx.Bucket(bucketKeys).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var rec keyRecord
		if err := decode(v, &rec); err != nil {
			return nil, err
		}
		out = append(out, keyJSON(rec))
	}
	return out, nil
}

// parseExpiration accepts RFC 3339 with or without a fraction, and a bare YYYY-MM-DD
// (midnight UTC of that day).
func parseExpiration(v string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, true
	}
	return time.Time{}, false
}

func (s *Sandbox) handleCreateKey(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Title          string `json:"title"`
		Role           string `json:"role"`
		ExpirationDate string `json:"expirationDate"`
	}
	berr := readBody(w, r, &body)
	secret := newKeySecret()
	var out apiKeyJSON
	var orgID string
	var change keyChange
	err := s.updateKeys(&change, func(tx *bolt.Tx) error {
		m, err := s.requireAdmin(tx, r, r.PathValue("org"))
		if err != nil {
			return err
		}
		if berr != nil {
			return berr
		}
		title := strings.TrimSpace(body.Title)
		switch {
		case title == "":
			return errorf(http.StatusBadRequest, "title is required")
		case utf8.RuneCountInString(title) > maxTitleLen:
			return errorf(http.StatusBadRequest, "title is too long: %d characters, at most %d", utf8.RuneCountInString(title), maxTitleLen)
		}
		switch body.Role {
		case roleEditor, roleViewer:
		case roleAdmin:
			return errorf(http.StatusBadRequest, "an API key cannot hold ORG_ADMIN")
		case "":
			return errorf(http.StatusBadRequest, "role is required: ORG_EDITOR or ORG_VIEWER")
		default:
			return errorf(http.StatusBadRequest, "role %q is not valid: ORG_EDITOR or ORG_VIEWER", body.Role)
		}
		if body.ExpirationDate == "" {
			return errorf(http.StatusBadRequest, "expirationDate is required")
		}
		expires, ok := parseExpiration(body.ExpirationDate)
		if !ok {
			return errorf(http.StatusBadRequest, "expirationDate %q is not a date: use ISO 8601 (2006-01-02T15:04:05.000Z) or YYYY-MM-DD", body.ExpirationDate)
		}
		now := s.now()
		if !expires.After(now) {
			return errorf(http.StatusBadRequest, "expirationDate %s is not in the future", body.ExpirationDate)
		}
		var org orgRecord
		if _, err := get(tx.Bucket(bucketOrgs), []byte(m.OrgID), &org); err != nil {
			return err
		}
		id := newUUID()
		rec := keyRecord{
			ID:           id,
			OrgID:        m.OrgID,
			Title:        title,
			Role:         body.Role,
			Email:        keyEmail(id, org.Slug),
			CreatedBy:    m.Name,
			Created:      millis(now),
			Expires:      millis(expires.UTC().Truncate(time.Millisecond)),
			SecretSHA256: digest(secret),
		}
		if err := putKey(tx, rec); err != nil {
			return err
		}
		out, orgID = keyJSON(rec), rec.OrgID
		change = keyChange{orgID: rec.OrgID, added: rec.ID}
		return nil
	})
	if err != nil {
		writeError(w, err)
		return
	}
	s.count(func(st *Stats) { st.KeysCreated++ })
	out.APIKey = secret
	w.Header().Set("Location", apiPrefix+"/organizations/"+orgID+"/api-keys/"+out.ID)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, out)
}

// lookupKey finds an API key of the organization by the {id} path segment.
func lookupKey(tx *bolt.Tx, orgID, rawID string) (keyRecord, error) {
	id, ok := parseUUID(rawID)
	if !ok {
		return keyRecord{}, errorf(http.StatusNotFound, "API key not found: %q is not an API key id (a UUID)", rawID)
	}
	var k keyRecord
	found, err := get(tx.Bucket(bucketKeys), orgKey(orgID, id), &k)
	if err != nil {
		return keyRecord{}, err
	}
	if !found {
		return keyRecord{}, errorf(http.StatusNotFound, "API key %s not found in this organization", id)
	}
	return k, nil
}

func (s *Sandbox) handleGetKey(w http.ResponseWriter, r *http.Request) {
	s.viewJSON(w, func(tx *bolt.Tx) (any, error) {
		m, err := s.requireAdmin(tx, r, r.PathValue("org"))
		if err != nil {
			return nil, err
		}
		k, err := lookupKey(tx, m.OrgID, r.PathValue("id"))
		if err != nil {
			return nil, err
		}
		return keyJSON(k), nil
	})
}

func (s *Sandbox) handleKeyResources(w http.ResponseWriter, r *http.Request) {
	s.viewJSON(w, func(tx *bolt.Tx) (any, error) {
		m, err := s.requireAdmin(tx, r, r.PathValue("org"))
		if err != nil {
			return nil, err
		}
		k, err := lookupKey(tx, m.OrgID, r.PathValue("id"))
		if err != nil {
			return nil, err
		}
		res, err := ownedResources(tx, k.ID)
		if err != nil {
			return nil, err
		}
		out := make([]resourceJSON, 0, len(res))
		for _, rr := range res {
			out = append(out, resourceJSON{ID: rr.ID, Type: rr.Type, Name: rr.Name})
		}
		sort.Slice(out, func(i, j int) bool {
			if out[i].Type != out[j].Type {
				return out[i].Type < out[j].Type
			}
			return out[i].Name < out[j].Name
		})
		return out, nil
	})
}

// handleDeleteKey deletes a key in one transaction: the transfer target is checked, the
// key's resources move to it (or are deleted without transferTo), then the key goes. Any
// error rolls everything back.
func (s *Sandbox) handleDeleteKey(w http.ResponseWriter, r *http.Request) {
	var moved, deleted int
	var change keyChange
	err := s.updateKeys(&change, func(tx *bolt.Tx) error {
		m, err := s.requireAdmin(tx, r, r.PathValue("org"))
		if err != nil {
			return err
		}
		k, err := lookupKey(tx, m.OrgID, r.PathValue("id"))
		if err != nil {
			return err
		}
		q := r.URL.Query()
		transfer := q.Has("transferTo")
		var target memberRecord
		if transfer {
			raw := q.Get("transferTo")
			if raw == "" {
				return errorf(http.StatusBadRequest, "transferTo is empty: give the id of a member holding ORG_EDITOR, or omit it to delete the key's resources")
			}
			id, ok := parseUUID(raw)
			found := false
			if ok {
				found, err = get(tx.Bucket(bucketMembers), orgKey(m.OrgID, id), &target)
				if err != nil {
					return err
				}
			}
			if !found {
				return errorf(http.StatusBadRequest, "transferTo %q is not a member of this organization", raw)
			}
			if !hasRole(target.Roles, roleEditor) {
				return errorf(http.StatusBadRequest, "transferTo %s (%s) does not hold ORG_EDITOR: resources can only be transferred to a member with the Editor role", target.ID, target.Name)
			}
		}
		res, err := ownedResources(tx, k.ID)
		if err != nil {
			return err
		}
		resources, owned := tx.Bucket(bucketResources), tx.Bucket(bucketOwned)
		for _, rr := range res {
			if err := owned.Delete(ownedKey(k.ID, rr.ID)); err != nil {
				return err
			}
			if !transfer {
				if err := resources.Delete([]byte(rr.ID)); err != nil {
					return err
				}
				deleted++
				continue
			}
			rr.OwnerKind, rr.OwnerID = ownerMember, target.ID
			if err := putResource(tx, rr); err != nil {
				return err
			}
			moved++
		}
		if k.SecretSHA256 != "" {
			if err := tx.Bucket(bucketKeySecrets).Delete([]byte(k.SecretSHA256)); err != nil {
				return err
			}
		}
		change = keyChange{orgID: k.OrgID, removed: k.ID}
		return tx.Bucket(bucketKeys).Delete(orgKey(k.OrgID, k.ID))
	})
	if err != nil {
		writeError(w, err)
		return
	}
	s.count(func(st *Stats) {
		st.KeysDeleted++
		st.ResourcesTransferred += int64(moved)
		st.ResourcesDeleted += int64(deleted)
	})
	w.WriteHeader(http.StatusNoContent)
}
