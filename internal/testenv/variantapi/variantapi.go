// Package variantapi is a test server that speaks another dialect of the JMap Cloud API than
// the one API.md assumes, within what API.md says a client must accept:
// Spring-style pages (content, totalElements, totalPages, number, size) capped at a page size
// below the client's, dates with non-UTC offsets and milliseconds, roles arrays instead of
// role, name instead of title, the secret as "secret", 200 instead of 201 and 204, the
// {"message","result"} envelope on some answers and not others, and members the client does
// not know on every object. Tests point commands and `apikeys doctor` at it.
//
// Every value it holds is distinctive (Planted), so that a test can look for them where
// they must not be. It is for tests only: nothing in the CLI imports it.
package variantapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The dialect's constants.
const (
	// PageCap is the most keys a page holds, whatever size is asked for: below the client's.
	PageCap = 20
	// KeyCount is how many keys the organization holds: three pages of PageCap.
	KeyCount = 45
	// MaxRequests bounds what one server answers: past it, every request is a 503.
	MaxRequests = 2000
)

// Planted are the server's distinctive values, each a string no output should hold unless
// it shows that value on purpose.
type Planted struct {
	Username, Password          string
	AccessToken, RefreshToken   string
	OrgID, OrgName              string
	AdminID, EditorID, ViewerID string
	AdminEmail, EditorEmail     string
	KeyIDPrefix, KeyTitlePrefix string
	KeyEmailPrefix              string
	SecretPrefix                string
	ResourceName                string
}

// DefaultPlanted are the values a Server starts with.
func DefaultPlanted() Planted {
	return Planted{
		Username:       "pat.variant@planted.example",
		Password:       "Planted-Pa55word-Zq",
		AccessToken:    "plantedAccessTokenQx",
		RefreshToken:   "plantedRefreshTokenQx",
		OrgID:          "0a9e7b1c-5d3f-4e21-9c8b-7f6a5e4d3c2b",
		OrgName:        "Planted Variant Org",
		AdminID:        "ad000000-1111-4222-8333-444455556666",
		EditorID:       "ed000000-1111-4222-8333-444455556666",
		ViewerID:       "0e000000-1111-4222-8333-444455556666",
		AdminEmail:     "pat.variant@planted.example",
		EditorEmail:    "eddie.plantededitor@planted.example",
		KeyIDPrefix:    "4b1d0000-7e57-4a11-9c0d-",
		KeyTitlePrefix: "PlantedTitleZx",
		KeyEmailPrefix: "plantedkeymail",
		SecretPrefix:   "PlantedSecretYz",
		ResourceName:   "PlantedResourceWv",
	}
}

// Server is the variant API on a loopback httptest server.
type Server struct {
	URL     string
	Planted Planted
	srv     *httptest.Server

	requests atomic.Int64
	mu       sync.Mutex
	keys     map[string]*key
	order    []string          // key IDs in creation order
	tokens   map[string]string // access token → bound organization ("" unbound)
	refresh  map[string]bool   // live refresh tokens (single-use)
	issued   int
	created  int
	// Transfers records each delete's transferTo ("" none), by key ID.
	Transfers map[string]string
}

type key struct {
	id, title, role, email, creator string
	created, expires                time.Time
	resources                       []resource
}

type resource struct{ id, typ, name string }

// zones are the offsets dates are written in: none of them UTC.
var zones = []*time.Location{time.FixedZone("", 2*3600), time.FixedZone("", -5*3600), time.FixedZone("", 5*3600+1800)}

// New starts a server holding KeyCount keys, the first three owning resources. It is closed
// when the test ends.
func New(t interface {
	Cleanup(func())
	Helper()
}) *Server {
	t.Helper()
	s := &Server{Planted: DefaultPlanted(), keys: map[string]*key{}, tokens: map[string]string{}, refresh: map[string]bool{}, Transfers: map[string]string{}}
	base := time.Date(2026, 1, 10, 9, 30, 15, 123e6, time.UTC)
	for i := range KeyCount {
		k := &key{
			id:      s.keyID(i),
			title:   fmt.Sprintf("%s%02d", s.Planted.KeyTitlePrefix, i),
			role:    []string{"ORG_VIEWER", "ORG_EDITOR"}[i%2],
			email:   fmt.Sprintf("%s%02d@keys.planted.example", s.Planted.KeyEmailPrefix, i),
			creator: "Pat Variant",
			created: base.Add(time.Duration(i) * time.Hour),
			expires: base.AddDate(1, 0, i),
		}
		if i < 3 {
			k.resources = []resource{{id: fmt.Sprintf("7e500000-0000-4000-8000-%012d", i), typ: "DATASOURCE", name: fmt.Sprintf("%s%02d", s.Planted.ResourceName, i)}}
		}
		s.keys[k.id] = k
		s.order = append(s.order, k.id)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

func (s *Server) keyID(i int) string { return fmt.Sprintf("%s%012d", s.Planted.KeyIDPrefix, i) }

// KeyID is the ID of the i-th seeded key.
func (s *Server) KeyID(i int) string { return s.keyID(i) }

// KeyTitle is the title of the i-th seeded key.
func (s *Server) KeyTitle(i int) string { return fmt.Sprintf("%s%02d", s.Planted.KeyTitlePrefix, i) }

// Requests is how many requests the server was sent.
func (s *Server) Requests() int64 { return s.requests.Load() }

// HasKey reports whether the key exists.
func (s *Server) HasKey(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keys[id] != nil
}

// Titles are the titles of the keys, sorted.
func (s *Server) Titles() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, k := range s.keys {
		out = append(out, k.title)
	}
	sort.Strings(out)
	return out
}

// Secrets are the secrets the server handed out so far.
func (s *Server) Secrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for i := 1; i <= s.created; i++ {
		out = append(out, s.secret(i))
	}
	return out
}

func (s *Server) secret(n int) string { return fmt.Sprintf("%s%04d", s.Planted.SecretPrefix, n) }

// date writes t as this dialect does: milliseconds and a non-UTC offset, which one varying.
func date(t time.Time, i int) string {
	return t.In(zones[i%len(zones)]).Format("2006-01-02T15:04:05.000-07:00")
}

const prefix = "/api/ss/rest/v1"

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.requests.Add(1) > MaxRequests {
		http.Error(w, `{"message":"too many requests for a test"}`, http.StatusServiceUnavailable)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	path, ok := strings.CutPrefix(r.URL.Path, prefix)
	if !ok {
		s.fail(w, http.StatusNotFound, "no such path")
		return
	}
	switch {
	case path == "/authenticate" && r.Method == http.MethodPost:
		s.authenticate(w, r)
		return
	case path == "/refresh-token" && r.Method == http.MethodPost:
		s.refreshToken(w, r)
		return
	case path == "/revoke-token" && r.Method == http.MethodPost:
		w.WriteHeader(http.StatusOK)
		return
	}
	org, bearer := s.caller(r)
	if bearer == "" {
		s.fail(w, http.StatusUnauthorized, "invalid token")
		return
	}
	if path == "/users/self" && r.Method == http.MethodGet {
		// In the envelope, with a member the client does not know.
		s.write(w, http.StatusOK, envelope(map[string]any{
			"name": "Pat Variant", "email": s.Planted.AdminEmail, "locale": "fr-CA",
			"organizations": []any{map[string]any{"id": s.Planted.OrgID, "name": s.Planted.OrgName, "plan": "planted"}},
		}))
		return
	}
	rest, ok := strings.CutPrefix(path, "/organizations/"+s.Planted.OrgID)
	if !ok || org != s.Planted.OrgID {
		s.fail(w, http.StatusForbidden, "token not bound to this organization")
		return
	}
	s.org(w, r, rest)
}

func (s *Server) org(w http.ResponseWriter, r *http.Request, rest string) {
	switch {
	case rest == "/members/self" && r.Method == http.MethodGet:
		s.write(w, http.StatusOK, s.member(s.Planted.AdminID, "Pat Variant", s.Planted.AdminEmail, "ORG_ADMIN", "ORG_EDITOR", "ORG_VIEWER"))
	case rest == "/members" && r.Method == http.MethodGet:
		s.write(w, http.StatusOK, envelope([]any{
			s.member(s.Planted.AdminID, "Pat Variant", s.Planted.AdminEmail, "ORG_ADMIN", "ORG_EDITOR", "ORG_VIEWER"),
			s.member(s.Planted.EditorID, "Eddie Editor", s.Planted.EditorEmail, "ORG_EDITOR", "ORG_VIEWER"),
			s.member(s.Planted.ViewerID, "Vera Viewer", "vera.plantedviewer@planted.example", "ORG_VIEWER"),
		}))
	case rest == "/api-keys" && r.Method == http.MethodGet:
		s.listKeys(w, r)
	case rest == "/api-keys" && r.Method == http.MethodPost:
		s.createKey(w, r)
	case strings.HasPrefix(rest, "/api-keys/"):
		id, sub, _ := strings.Cut(strings.TrimPrefix(rest, "/api-keys/"), "/")
		k := s.keys[id]
		if k == nil {
			s.fail(w, http.StatusNotFound, "no such API key")
			return
		}
		switch {
		case sub == "" && r.Method == http.MethodGet:
			s.write(w, http.StatusOK, envelope(s.keyJSON(k, "")))
		case sub == "resources" && r.Method == http.MethodGet:
			list := []any{}
			for _, res := range k.resources {
				list = append(list, map[string]any{"id": res.id, "type": res.typ, "name": res.name, "createdAt": date(k.created, 1)})
			}
			s.write(w, http.StatusOK, list)
		case sub == "" && r.Method == http.MethodDelete:
			s.deleteKey(w, r, k)
		default:
			s.fail(w, http.StatusMethodNotAllowed, "method not allowed")
		}
	default:
		s.fail(w, http.StatusNotFound, "no such path")
	}
}

func (s *Server) member(id, name, email string, roles ...string) map[string]any {
	return map[string]any{"id": id, "name": name, "email": email, "roles": roles, "groups": []string{}, "status": "ACTIVE"}
}

// keyJSON is a key in this dialect: name, roles, the audit fields, dates with offsets, the
// secret as "secret" when given, and two members the client does not know.
func (s *Server) keyJSON(k *key, secret string) map[string]any {
	i := len(k.title)
	m := map[string]any{
		"id": k.id, "name": k.title, "roles": []string{k.role}, "email": k.email, "createdBy": k.creator,
		"creationDate": date(k.created, i), "expirationDate": date(k.expires, i+1),
		"lastUsed": date(k.created, i+2), "enabled": true,
	}
	if secret != "" {
		m["secret"] = secret
	}
	return m
}

func (s *Server) listKeys(w http.ResponseWriter, r *http.Request) {
	size := PageCap
	if n, err := strconv.Atoi(r.URL.Query().Get("size")); err == nil && n > 0 && n < size {
		size = n
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	content := []any{}
	for i := page * size; i < len(s.order) && i < (page+1)*size && page >= 0; i++ {
		content = append(content, s.keyJSON(s.keys[s.order[i]], ""))
	}
	s.write(w, http.StatusOK, map[string]any{
		"content": content, "totalElements": len(s.order), "totalPages": (len(s.order) + size - 1) / size,
		"number": page, "size": size, "first": page == 0, "last": (page+1)*size >= len(s.order),
	})
}

func (s *Server) createKey(w http.ResponseWriter, r *http.Request) {
	var body struct{ Title, Name, Role, ExpirationDate string }
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || (body.Title == "" && body.Name == "") {
		s.fail(w, http.StatusBadRequest, "title is required")
		return
	}
	expires, err := time.Parse(time.RFC3339, body.ExpirationDate)
	if err != nil {
		s.fail(w, http.StatusBadRequest, "expirationDate is not a date")
		return
	}
	if body.Title == "" {
		body.Title = body.Name
	}
	s.created++
	k := &key{id: s.keyID(1000 + s.created), title: body.Title, role: body.Role, email: fmt.Sprintf("%snew%d@keys.planted.example", s.Planted.KeyEmailPrefix, s.created), creator: "Pat Variant", created: time.Now(), expires: expires}
	s.keys[k.id] = k
	s.order = append(s.order, k.id)
	s.write(w, http.StatusOK, envelope(s.keyJSON(k, s.secret(s.created)))) // 200, not 201
}

func (s *Server) deleteKey(w http.ResponseWriter, r *http.Request, k *key) {
	to := r.URL.Query().Get("transferTo")
	if to != "" && to != s.Planted.AdminID && to != s.Planted.EditorID {
		s.fail(w, http.StatusBadRequest, "transferTo must be a member holding ORG_EDITOR")
		return
	}
	delete(s.keys, k.id)
	for i, id := range s.order {
		if id == k.id {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
	s.Transfers[k.id] = to
	s.write(w, http.StatusOK, map[string]any{"message": "deleted"}) // 200 with a body, not 204
}

func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) {
	var body struct{ Username, Password string }
	if json.NewDecoder(r.Body).Decode(&body) != nil || body.Username != s.Planted.Username || body.Password != s.Planted.Password {
		s.fail(w, http.StatusUnauthorized, "bad credentials")
		return
	}
	s.write(w, http.StatusOK, s.issue("")) // bare, no envelope
}

func (s *Server) refreshToken(w http.ResponseWriter, r *http.Request) {
	var body struct{ RefreshToken, OrganizationID string }
	if json.NewDecoder(r.Body).Decode(&body) != nil || !s.refresh[body.RefreshToken] {
		s.fail(w, http.StatusUnauthorized, "invalid refresh token")
		return
	}
	delete(s.refresh, body.RefreshToken)
	s.write(w, http.StatusOK, envelope(s.issue(body.OrganizationID)))
}

// issue makes a token pair bound to org, expiring in an hour, written with an offset.
func (s *Server) issue(org string) map[string]any {
	s.issued++
	access := fmt.Sprintf("%s%d", s.Planted.AccessToken, s.issued)
	refresh := fmt.Sprintf("%s%d", s.Planted.RefreshToken, s.issued)
	s.tokens[access] = org
	s.refresh[refresh] = true
	return map[string]any{"accessToken": access, "refreshToken": refresh, "accessTokenExpireAt": date(time.Now().Add(time.Hour), 0), "tokenType": "Bearer"}
}

// caller is the organization the request's token is bound to, and the token ("" unknown).
func (s *Server) caller(r *http.Request) (org, token string) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return "", ""
	}
	org, known := s.tokens[tok]
	if !known {
		return "", ""
	}
	return org, tok
}

func envelope(v any) map[string]any { return map[string]any{"message": "OK", "result": v} }

func (s *Server) write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) fail(w http.ResponseWriter, status int, msg string) {
	s.write(w, status, map[string]any{"error": msg, "status": status, "timestamp": date(time.Now(), 2)})
}
