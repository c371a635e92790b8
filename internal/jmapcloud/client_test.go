package jmapcloud_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/sandbox"
	"github.com/k2geospatial/apikeys/internal/testenv"
)

// newSandbox serves a fresh sandbox on loopback: the real request code talks to a real server.
func newSandbox(t *testing.T, opts sandbox.Options) (*sandbox.Sandbox, *jmapcloud.Client) {
	t.Helper()
	if opts.Path == "" {
		opts.Path = filepath.Join(t.TempDir(), "sandbox.db")
	}
	sb, err := sandbox.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(func() { srv.Close(); sb.Close() })
	c, err := jmapcloud.New(jmapcloud.Options{BaseURL: srv.URL, PageSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	return sb, c
}

// refreshing is a session that renews itself with the single-use refresh token.
type refreshing struct {
	mu     sync.Mutex
	c      *jmapcloud.Client
	org    string
	tokens jmapcloud.Tokens
	spent  int
}

func (r *refreshing) Token(context.Context) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tokens.AccessToken, nil
}

func (r *refreshing) Refresh(ctx context.Context, refused string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if refused != r.tokens.AccessToken {
		return nil
	}
	t, err := r.c.RefreshToken(ctx, r.tokens.RefreshToken, r.org)
	if err != nil {
		return err
	}
	r.tokens, r.spent = t, r.spent+1
	return nil
}

// login authenticates, finds the organization and binds the session to it.
func login(t *testing.T, c *jmapcloud.Client, email string) (*jmapcloud.Client, string, *refreshing) {
	t.Helper()
	ctx := context.Background()
	first, err := c.Authenticate(ctx, email, sandbox.Password)
	if err != nil {
		t.Fatalf("authenticate %s: %v", email, err)
	}
	if first.AccessToken == "" || first.RefreshToken == "" || first.ExpiresAt.IsZero() {
		t.Fatalf("authenticate returned incomplete tokens: %+v", first.ExpiresAt)
	}
	user, err := c.WithTokens(jmapcloud.StaticToken(first.AccessToken)).UserSelf(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if user.Email != email || len(user.Organizations) != 1 {
		t.Fatalf("users/self = %+v", user)
	}
	org := user.Organizations[0].ID
	bound, err := c.RefreshToken(ctx, first.RefreshToken, org)
	if err != nil {
		t.Fatal(err)
	}
	r := &refreshing{c: c, org: org, tokens: bound}
	return c.WithTokens(r), org, r
}

func TestClientKeyLifecycle(t *testing.T) {
	ctx := context.Background()
	_, anon := newSandbox(t, sandbox.Options{})
	c, org, _ := login(t, anon, sandbox.AdminEmail)

	me, err := c.MemberSelf(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	if !me.HasRole(jmapcloud.RoleAdmin) || !me.HasRole(jmapcloud.RoleEditor) {
		t.Fatalf("admin roles = %v, want ORG_ADMIN and (additive) ORG_EDITOR", me.Roles)
	}

	keys, err := c.ListAPIKeys(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 8 {
		t.Fatalf("seed has %d keys, want at least 8 (paged by 5, so paging must be followed)", len(keys))
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k.ID] {
			t.Fatalf("key %s listed twice across pages", k.ID)
		}
		seen[k.ID] = true
		if k.Title == "" || k.CreatedBy == "" || k.Email == "" || k.CreationDate.IsZero() || k.ExpirationDate.IsZero() {
			t.Errorf("incomplete key %+v", k)
		}
		if k.Secret != "" {
			t.Errorf("list leaked a secret for %s", k.ID)
		}
		if k.Role != jmapcloud.RoleEditor && k.Role != jmapcloud.RoleViewer {
			t.Errorf("key %s role %q", k.ID, k.Role)
		}
	}

	exp := time.Now().Add(72 * time.Hour).Truncate(time.Second).UTC()
	created, err := c.CreateAPIKey(ctx, org, jmapcloud.CreateAPIKeyRequest{Title: "client test", Role: jmapcloud.RoleViewer, ExpirationDate: exp})
	if err != nil {
		t.Fatal(err)
	}
	if created.Secret == "" || created.ID == "" || !created.ExpirationDate.Equal(exp) || created.Title != "client test" {
		t.Fatalf("created = %+v (secret set: %v), want expiry %s", created.ID, created.Secret != "", exp)
	}
	got, err := c.GetAPIKey(ctx, org, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Secret != "" || got.Title != "client test" || got.Role != jmapcloud.RoleViewer {
		t.Fatalf("get = %+v", got)
	}
	res, err := c.APIKeyResources(ctx, org, created.ID)
	if err != nil || len(res) != 0 {
		t.Fatalf("resources of a new key = %v, %v", res, err)
	}
	if err := c.DeleteAPIKey(ctx, org, created.ID, ""); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetAPIKey(ctx, org, created.ID)
	if !jmapcloud.IsNotFound(err) {
		t.Fatalf("get after delete: %v, want 404", err)
	}
	var apiErr *jmapcloud.APIError
	if !asAPIError(err, &apiErr) || apiErr.Message == "" {
		t.Fatalf("404 carries no server message: %#v", err)
	}
}

func asAPIError(err error, target **jmapcloud.APIError) bool {
	e, ok := err.(*jmapcloud.APIError)
	if ok {
		*target = e
	}
	return ok
}

func TestClientDeleteTransfersResources(t *testing.T) {
	ctx := context.Background()
	sb, anon := newSandbox(t, sandbox.Options{})
	c, org, _ := login(t, anon, sandbox.AdminEmail)
	keys, err := c.ListAPIKeys(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	members, err := c.Members(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	var editor, viewer jmapcloud.Member
	for _, m := range members {
		switch {
		case m.HasRole(jmapcloud.RoleEditor) && !m.HasRole(jmapcloud.RoleAdmin) && editor.ID == "":
			editor = m
		case !m.HasRole(jmapcloud.RoleEditor) && viewer.ID == "":
			viewer = m
		}
	}
	if editor.ID == "" || viewer.ID == "" {
		t.Fatalf("seed lacks an editor or a viewer: %+v", members)
	}
	var owner jmapcloud.APIKey
	var owned []jmapcloud.Resource
	for _, k := range keys {
		rs, err := c.APIKeyResources(ctx, org, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) > len(owned) {
			owner, owned = k, rs
		}
	}
	if len(owned) == 0 {
		t.Fatal("no seeded key owns resources")
	}

	// A viewer cannot inherit: 400, nothing changes.
	err = c.DeleteAPIKey(ctx, org, owner.ID, viewer.ID)
	if jmapcloud.StatusCode(err) != http.StatusBadRequest {
		t.Fatalf("transfer to a viewer: %v, want 400", err)
	}
	if _, err := c.GetAPIKey(ctx, org, owner.ID); err != nil {
		t.Fatalf("key gone after a refused transfer: %v", err)
	}

	if err := c.DeleteAPIKey(ctx, org, owner.ID, editor.ID); err != nil {
		t.Fatal(err)
	}
	all, err := sb.Resources()
	if err != nil {
		t.Fatal(err)
	}
	owners := map[string]sandbox.Resource{}
	for _, r := range all {
		owners[r.ID] = r
	}
	for _, r := range owned {
		got, ok := owners[r.ID]
		if !ok || got.OwnerKind != "member" || got.OwnerID != editor.ID {
			t.Errorf("resource %s %q after transfer: %+v, want owned by member %s", r.Type, r.Name, got, editor.ID)
		}
	}
}

func TestClientErrors(t *testing.T) {
	ctx := context.Background()
	_, anon := newSandbox(t, sandbox.Options{})

	_, err := anon.Authenticate(ctx, sandbox.AdminEmail, "wrong")
	if jmapcloud.StatusCode(err) != http.StatusUnauthorized {
		t.Fatalf("wrong password: %v, want 401", err)
	}

	info := func() sandbox.Info {
		sb, err := sandbox.Open(sandbox.Options{Path: filepath.Join(t.TempDir(), "x.db")})
		if err != nil {
			t.Fatal(err)
		}
		defer sb.Close()
		return sb.Info()
	}()
	var editorEmail string
	for _, l := range info.Logins {
		if strings.Contains(strings.Join(l.Roles, ","), "ORG_EDITOR") && !strings.Contains(strings.Join(l.Roles, ","), "ORG_ADMIN") {
			editorEmail = l.Email
			break
		}
	}
	ed, org, _ := login(t, anon, editorEmail)
	_, err = ed.ListAPIKeys(ctx, org)
	if jmapcloud.StatusCode(err) != http.StatusForbidden {
		t.Fatalf("editor listing keys: %v, want 403", err)
	}
}

// newSandboxClock is the sandbox's time, moved by the test: a token expires when the test says
// so, not when a sleep on a loaded machine happens to have lasted long enough (a token with a
// lifetime of milliseconds could also expire again before its retried request was served).
func newSandboxClock() *testenv.Clock { return testenv.NewClock(time.Now()) }

func TestClientRefreshesOnceAfter401(t *testing.T) {
	ctx := context.Background()
	clock := newSandboxClock()
	_, anon := newSandbox(t, sandbox.Options{Now: clock.Now})
	c, org, r := login(t, anon, sandbox.AdminEmail)
	clock.Advance(2 * time.Hour) // the access token expires, on the server's clock only
	if _, err := c.ListAPIKeys(ctx, org); err != nil {
		t.Fatalf("list with an expired access token: %v", err)
	}
	if r.spent != 1 {
		t.Fatalf("refreshed %d times, want exactly 1", r.spent)
	}
}

// Path segments are escaped once: a base URL whose path prefix holds an escaped space keeps
// it as given, and the IDs after it are sent as they are. (An organization or key ID holding a
// space or a slash is refused before any request: TestInvalidKeyIDsAreNeverSent,
// TestInvalidOrganizationIDsAreNeverSent.)
func TestClientEscapesPathSegmentsOnce(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.EscapedPath()
		w.WriteHeader(http.StatusNotFound)
	}))
	defer srv.Close()
	c, err := jmapcloud.New(jmapcloud.Options{BaseURL: srv.URL + "/my%20proxy/", Retry: jmapcloud.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetAPIKey(context.Background(), "o_1", "a~b.c:d"); !jmapcloud.IsNotFound(err) {
		t.Fatalf("GetAPIKey: %v, want a 404", err)
	}
	if want := "/my%20proxy/api/ss/rest/v1/organizations/o_1/api-keys/a~b.c:d"; got != want {
		t.Fatalf("request path %s, want %s", got, want)
	}
}

func TestNewRejectsBadURL(t *testing.T) {
	for _, u := range []string{"", "api.jmapcloud.io", "://x"} {
		if _, err := jmapcloud.New(jmapcloud.Options{BaseURL: u}); err == nil {
			t.Errorf("New(%q) accepted a bad URL", u)
		}
	}
}

// Concurrent requests that all meet an expired token spend one refresh token, not one each:
// the others see that the token they sent was already renewed.
func TestConcurrent401sSpendOneRefreshToken(t *testing.T) {
	ctx := context.Background()
	clock := newSandboxClock()
	sb, anon := newSandbox(t, sandbox.Options{Now: clock.Now})
	c, org, r := login(t, anon, sandbox.AdminEmail)
	keys, err := c.ListAPIKeys(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Hour)
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, len(keys))
	for _, k := range keys {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			<-start
			_, err := c.GetAPIKey(ctx, org, id)
			errs <- err
		}(k.ID)
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if r.spent != 1 {
		t.Fatalf("%d concurrent requests spent %d refresh tokens, want 1", len(keys), r.spent)
	}
	if reuse := sb.Stats().RefreshTokenReuse; reuse != 0 {
		t.Fatalf("the sandbox saw %d reused refresh tokens", reuse)
	}
}
