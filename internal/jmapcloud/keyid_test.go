package jmapcloud_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
)

// A key ID that is not a plausible identifier is refused before a path is built: the server,
// which records every path, never sees DELETE …/api-keys/.. or any other of them.
func TestInvalidKeyIDsAreNeverSent(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.Method+" "+r.URL.EscapedPath())
		mu.Unlock()
		w.Write([]byte(`{"id":"x"}`))
	}))
	defer srv.Close()
	c, err := jmapcloud.New(jmapcloud.Options{BaseURL: srv.URL, Retry: jmapcloud.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	c = c.WithTokens(jmapcloud.StaticToken("token-1234"))
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
	if len(paths) != 0 {
		t.Errorf("the server received requests for invalid IDs:\n%s", strings.Join(paths, "\n"))
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
	if len(paths) != 4 || paths[1] != "DELETE /api/ss/rest/v1/organizations/org-1/api-keys/key_1.v2:a~b" {
		t.Errorf("valid IDs sent as:\n%s", strings.Join(paths, "\n"))
	}
}

// An organization ID is held to the same rule: it comes from users/self, a saved session or
// --org, and is part of every path but the security service's own.
func TestInvalidOrganizationIDsAreNeverSent(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.Method+" "+r.URL.EscapedPath())
		mu.Unlock()
		w.Write([]byte(`[]`))
	}))
	defer srv.Close()
	c, err := jmapcloud.New(jmapcloud.Options{BaseURL: srv.URL, Retry: jmapcloud.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	c = c.WithTokens(jmapcloud.StaticToken("token-1234"))
	ctx := context.Background()
	for _, org := range []string{"", "..", "a/../b", "org 1", "org\x1b[2J"} {
		for name, call := range map[string]func() error{
			"member self": func() error { _, err := c.MemberSelf(ctx, org); return err },
			"members":     func() error { _, err := c.Members(ctx, org); return err },
			"list":        func() error { _, err := c.ListAPIKeys(ctx, org); return err },
			"create": func() error {
				_, err := c.CreateAPIKey(ctx, org, jmapcloud.CreateAPIKeyRequest{Title: "t", Role: "ORG_VIEWER"})
				return err
			},
			"delete": func() error { return c.DeleteAPIKey(ctx, org, "key-1", "") },
		} {
			var invalid *jmapcloud.InvalidIDError
			if err := call(); !errors.As(err, &invalid) {
				t.Errorf("%s in %q: %v, want an InvalidIDError", name, org, err)
			}
		}
	}
	if len(paths) != 0 {
		t.Errorf("the server received requests for invalid organization IDs:\n%s", strings.Join(paths, "\n"))
	}
	_, err = c.Members(ctx, "..")
	want := `invalid organization ID ".." (from the server or the command line): an ID is 1 to 128 letters, digits or - _ . : ~, and not "." or ".."; nothing was sent`
	if err == nil || err.Error() != want {
		t.Errorf("message:\n got %v\nwant %s", err, want)
	}
	if _, err := c.Members(ctx, "org-1"); err != nil || len(paths) != 1 || paths[0] != "GET /api/ss/rest/v1/organizations/org-1/members" {
		t.Errorf("valid organization: %v, sent %q", err, paths)
	}
}
