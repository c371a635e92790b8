package jmapcloud_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
)

// A key ID that is not a plausible identifier is refused before a path is built: the server,
// which records every path, never sees DELETE …/api-keys/.. or any other of them.
func TestInvalidKeyIDsAreNeverSent(t *testing.T) {
	c, sent := recordingClient(t)
	var err error
	ctx := context.Background()
	bad := []string{"", ".", "..", "a/b", "../x", `a\b`, "a?b", "a#b", "%2e%2e", "a%2Fb", "a b", "a\x1bb", "a\x00b", "a\u009bb",
		"é", "a\u202eb", strings.Repeat("a", 129)}
	for _, id := range bad {
		for name, call := range map[string]func() error{
			"delete":    func() error { return c.DeleteAPIKey(ctx, "org-1", id, "") },
			"get":       func() error { _, err := c.GetAPIKey(ctx, "org-1", id); return err },
			"resources": func() error { _, err := c.APIKeyResources(ctx, "org-1", id); return err },
		} {
			var invalid *jmapcloud.InvalidIDError
			if err := call(); !errors.As(err, &invalid) {
				t.Errorf("%s %q: %v, want an InvalidIDError", name, id, err)
			}
		}
	}
	if len(sent()) != 0 {
		t.Errorf("the server received requests for invalid IDs:\n%s", strings.Join(sent(), "\n"))
	}

	err = c.DeleteAPIKey(ctx, "org-1", "..", "")
	want := `invalid API key ID ".." (from the server or the command line): an ID is 1 to 128 letters, digits or - _ . : ~, and not "." or ".."; nothing was sent`
	if err == nil || err.Error() != want {
		t.Errorf("message:\n got %v\nwant %s", err, want)
	}
	err = c.DeleteAPIKey(ctx, "org-1", "x\x1b]52;c;SGk=\x07"+strings.Repeat("y", 100), "")
	want = `invalid API key ID "x\x1b]52;c;SGk=\x07` + strings.Repeat("y", 51) + `…" (113 bytes) (from the server or the command line): an ID is 1 to 128 letters, digits or - _ . : ~, and not "." or ".."; nothing was sent`
	if err == nil || err.Error() != want {
		t.Errorf("message:\n got %v\nwant %s", err, want)
	}

	for _, id := range []string{"0b6f9c1e-4d2a-4f8e-9a51-3c7d2e8f1a90", "key_1.v2:a~b", strings.Repeat("a", 128), "..."} {
		if err := c.DeleteAPIKey(ctx, "org-1", id, ""); err != nil {
			t.Errorf("delete %q: %v", id, err)
		}
	}
	if len(sent()) != 4 || sent()[1] != "DELETE /api/ss/rest/v1/organizations/org-1/api-keys/key_1.v2:a~b" {
		t.Errorf("valid IDs sent as:\n%s", strings.Join(sent(), "\n"))
	}
}

// An organization ID is a path segment too, and it comes from the server (users/self, saved at
// login): one that is not a plausible identifier is refused by every call that would put it in
// a path, and by the refresh that would bind a session to it, before anything is sent.
func TestInvalidOrganizationIDsAreNeverSent(t *testing.T) {
	c, sent := recordingClient(t)
	var err error
	ctx := context.Background()
	for _, org := range []string{"", ".", "..", "a/../b", "%2e%2e", "a%2Fb", "a;b", "a b", "a\x1bb", "\u2024\u2024"} {
		for name, call := range map[string]func() error{
			"member-self": func() error { _, err := c.MemberSelf(ctx, org); return err },
			"members":     func() error { _, err := c.Members(ctx, org); return err },
			"list":        func() error { _, err := c.ListAPIKeys(ctx, org); return err },
			"create": func() error {
				_, err := c.CreateAPIKey(ctx, org, jmapcloud.CreateAPIKeyRequest{Title: "t"})
				return err
			},
			"get":       func() error { _, err := c.GetAPIKey(ctx, org, "key-1"); return err },
			"resources": func() error { _, err := c.APIKeyResources(ctx, org, "key-1"); return err },
			"delete":    func() error { return c.DeleteAPIKey(ctx, org, "key-1", "") },
		} {
			var invalid *jmapcloud.InvalidIDError
			if err := call(); !errors.As(err, &invalid) {
				t.Errorf("%s with organization %q: %v, want an InvalidIDError", name, org, err)
			}
		}
		// An empty organization is an unbound refresh (authenticate's token), not an ID.
		if _, err := c.RefreshToken(ctx, "refresh-1234", org); org != "" && !errors.As(err, new(*jmapcloud.InvalidIDError)) {
			t.Errorf("refresh with organization %q: %v, want an InvalidIDError", org, err)
		}
	}
	if len(sent()) != 1 || sent()[0] != "POST /api/ss/rest/v1/refresh-token" {
		t.Errorf("the server received requests for invalid organization IDs:\n%s", strings.Join(sent(), "\n"))
	}
	_, err = c.ListAPIKeys(ctx, "..")
	want := `invalid organization ID ".." (from the server or the command line): an ID is 1 to 128 letters, digits or - _ . : ~, and not "." or ".."; nothing was sent`
	if err == nil || err.Error() != want {
		t.Errorf("message:\n got %v\nwant %s", err, want)
	}
	if err := c.DeleteAPIKey(ctx, "0b8a3c1e-5d2f-4e6a-9b7c-1f2e3d4c5b6a", "key-1", ""); err != nil {
		t.Errorf("a UUID organization: %v", err)
	}
}

// recordingClient is a client of a server that records every request's method and path and
// answers {"id":"x"}; sent returns what it recorded.
func recordingClient(t *testing.T) (c *jmapcloud.Client, sent func() []string) {
	t.Helper()
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.Method+" "+r.URL.EscapedPath())
		mu.Unlock()
		w.Write([]byte(`{"id":"x"}`))
	}))
	t.Cleanup(srv.Close)
	c, err := jmapcloud.New(jmapcloud.Options{BaseURL: srv.URL, Retry: jmapcloud.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return c.WithTokens(jmapcloud.StaticToken("token-1234")), func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(paths)
	}
}
