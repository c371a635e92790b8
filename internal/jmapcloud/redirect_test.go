package jmapcloud_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
)

// recorder is a loopback server that records every request it receives, whole.
type recorder struct {
	mu       sync.Mutex
	requests []string // method, URL, headers and body of each request
}

func (r *recorder) record(req *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", req.Method, req.URL.RequestURI())
	req.Header.Write(&b)
	b.Write(body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, b.String())
}

func (r *recorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.requests...)
}

// listenOn serves h on a loopback address of our choice (127.0.0.2 is "another host").
func listenOn(t *testing.T, addr string, h http.Handler) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen on %s: %v", addr, err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: h}}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

const (
	redirPassword = "hunter2-Pa55"
	redirRefresh  = "refresh-0123456789abcdef"
	redirBearer   = "bearer-fedcba9876543210"
)

// A server answering any redirect, to another scheme, host, port or only another path, gets
// a RedirectError naming the target: the target receives nothing, so the password, the
// refresh token and the Bearer token reach the base server only.
func TestRedirectsAreNeverFollowed(t *testing.T) {
	target := &recorder{}
	targetHandler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target.record(r)
		w.Write([]byte(`{"accessToken":"x","refreshToken":"y"}`))
	})
	plainTarget := listenOn(t, "127.0.0.1:0", targetHandler)
	otherHost := listenOn(t, "127.0.0.2:0", targetHandler)

	type hostile struct {
		name    string
		tls     bool
		target  func(base string) string // where the hostile base server redirects to
		suggest bool                     // the target is offered as --api-url (same host, no downgrade)
	}
	cases := []hostile{
		{"https to http on another port", true, func(string) string { return plainTarget.URL }, false},
		{"to another host", false, func(string) string { return otherHost.URL }, false},
		{"to another port", false, func(string) string { return plainTarget.URL }, true},
		{"to the same server", false, func(base string) string { return base + "/moved" }, true},
	}
	calls := []struct {
		name, method, path string
		call               func(ctx context.Context, c *jmapcloud.Client) error
	}{
		{"authenticate", "POST", "/api/ss/rest/v1/authenticate", func(ctx context.Context, c *jmapcloud.Client) error {
			_, err := c.Authenticate(ctx, "ann@example.com", redirPassword)
			return err
		}},
		{"refresh", "POST", "/api/ss/rest/v1/refresh-token", func(ctx context.Context, c *jmapcloud.Client) error {
			_, err := c.RefreshToken(ctx, redirRefresh, "org-1")
			return err
		}},
		{"revoke", "POST", "/api/ss/rest/v1/revoke-token", func(ctx context.Context, c *jmapcloud.Client) error {
			return c.RevokeToken(ctx, redirRefresh)
		}},
		{"bearer GET", "GET", "/api/ss/rest/v1/users/self", func(ctx context.Context, c *jmapcloud.Client) error {
			_, err := c.WithTokens(jmapcloud.StaticToken(redirBearer)).UserSelf(ctx)
			return err
		}},
	}
	for _, hc := range cases {
		for _, status := range []int{301, 302, 307, 308} {
			for _, call := range calls {
				t.Run(fmt.Sprintf("%s/%d/%s", hc.name, status, call.name), func(t *testing.T) {
					base := &recorder{}
					var baseURL string
					h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						base.record(r)
						http.Redirect(w, r, hc.target(baseURL)+r.URL.Path, status)
					})
					opts := jmapcloud.Options{Retry: jmapcloud.RetryPolicy{MaxAttempts: 4, BaseDelay: 1e6, MaxDelay: 1e9}}
					if hc.tls {
						srv := httptest.NewTLSServer(h)
						t.Cleanup(srv.Close)
						baseURL, opts.HTTPClient = srv.URL, srv.Client()
					} else {
						srv := httptest.NewServer(h)
						t.Cleanup(srv.Close)
						baseURL = srv.URL
					}
					opts.BaseURL = baseURL
					c, err := jmapcloud.New(opts)
					if err != nil {
						t.Fatal(err)
					}
					before := len(target.seen())
					err = call.call(context.Background(), c)

					var redirect *jmapcloud.RedirectError
					if !errors.As(err, &redirect) {
						t.Fatalf("err = %v, want a RedirectError", err)
					}
					to := hc.target(baseURL) + call.path
					want := fmt.Sprintf("%s %s: the server answered HTTP %d, a redirect to %s; apikeys follows no redirect, since it would send credentials to another address",
						call.method, call.path, status, to)
					if err.Error() != want {
						t.Errorf("message:\n got %s\nwant %s", err, want)
					}
					wantBase := ""
					if hc.suggest {
						wantBase = hc.target(baseURL)
					}
					if redirect.SuggestedURL != wantBase {
						t.Errorf("suggested URL %q, want %q", redirect.SuggestedURL, wantBase)
					}
					if got := target.seen()[before:]; len(got) != 0 {
						t.Errorf("the redirect target received %d requests:\n%s", len(got), strings.Join(got, "\n"))
					}
					if n := len(base.seen()); n != 1 {
						t.Errorf("the base server received %d requests, want 1 (a redirect is not retried)", n)
					}
				})
			}
		}
	}
	for _, r := range target.seen() {
		for _, secret := range []string{redirPassword, redirRefresh, redirBearer} {
			if strings.Contains(r, secret) {
				t.Errorf("a secret reached the redirect target:\n%s", r)
			}
		}
	}
}

// A redirect without a Location still fails, and names no target.
func TestRedirectWithoutTarget(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusFound)
	}))
	defer srv.Close()
	c, err := jmapcloud.New(jmapcloud.Options{BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.UserSelf(context.Background())
	want := "GET /api/ss/rest/v1/users/self: the server answered HTTP 302, a redirect without naming a target; apikeys follows no redirect, since it would send credentials to another address"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
}

// The https-or-loopback rule holds for the base URL and, in the transport, for every request:
// plain http to another host is refused before anything is dialled.
func TestPlainHTTPOnlyToLoopback(t *testing.T) {
	for _, u := range []string{"http://api.jmapcloud.io", "http://10.0.0.1:8080", "ftp://127.0.0.1"} {
		_, err := jmapcloud.New(jmapcloud.Options{BaseURL: u})
		var refused *jmapcloud.InsecureURLError
		if !errors.As(err, &refused) {
			t.Errorf("New(%q) = %v, want an InsecureURLError", u, err)
		}
	}
	for _, u := range []string{"https://api.jmapcloud.io", "http://127.0.0.1:8080", "http://localhost", "http://[::1]:9"} {
		if _, err := jmapcloud.New(jmapcloud.Options{BaseURL: u}); err != nil {
			t.Errorf("New(%q): %v", u, err)
		}
	}

	var dialled int
	var mu sync.Mutex
	inner := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		mu.Lock()
		dialled++
		mu.Unlock()
		return nil, errors.New("no network in this test")
	}}}
	hc := jmapcloud.PolicyClient(inner)
	req, _ := http.NewRequest(http.MethodPost, "http://api.example.com/api/ss/rest/v1/authenticate?x=1", strings.NewReader(`{"password":"p"}`))
	_, err := hc.Do(req)
	var refused *jmapcloud.InsecureURLError
	if !errors.As(err, &refused) {
		t.Fatalf("err = %v, want an InsecureURLError", err)
	}
	want := "refusing to send a request to http://api.example.com/api/ss/rest/v1/authenticate: only https is allowed, or plain http to a loopback address such as a local sandbox"
	if refused.Error() != want {
		t.Errorf("message:\n got %s\nwant %s", refused, want)
	}
	if dialled != 0 {
		t.Errorf("dialled %d times", dialled)
	}
}

// A redirect whose target cannot be parsed is still a refused redirect, sent once, and not a
// network failure retried four times; a target on another host (an attacker's, maybe) or one
// apikeys would refuse is named but not suggested as --api-url, and a suggestion drops the
// credentials a target carries.
func TestRedirectToAnOddTarget(t *testing.T) {
	for _, tc := range []struct {
		location, shown, suggested string
	}{
		{"https://evil.example%0d%0aX:y/api/ss/rest/v1/users/self", "https://evil.example%0d%0aX:y/api/ss/rest/v1/users/self", ""},
		{"//evil.example/api/ss/rest/v1/users/self", "http://evil.example/api/ss/rest/v1/users/self", ""},
		{"https://ann:pw@good.example/v2/api/ss/rest/v1/users/self", "https://good.example/v2/api/ss/rest/v1/users/self", ""},
		{"http://ann:pw@127.0.0.1:1/v2/api/ss/rest/v1/users/self", "http://127.0.0.1:1/v2/api/ss/rest/v1/users/self", "http://127.0.0.1:1/v2"},
		// A credential in the target's query, which the client never sent: redacted as --debug
		// redacts URLs; other parameters kept.
		{"https://evil.example/login?next=%2Fkeys&password=hunter2&access_token=abc", "https://evil.example/login?access_token=%5BREDACTED%5D&next=%2Fkeys&password=%5BREDACTED%5D", ""},
	} {
		var requests int
		var mu sync.Mutex
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			requests++
			mu.Unlock()
			w.Header().Set("Location", tc.location)
			w.WriteHeader(http.StatusFound)
		}))
		c, err := jmapcloud.New(jmapcloud.Options{BaseURL: srv.URL, Retry: jmapcloud.RetryPolicy{MaxAttempts: 4, BaseDelay: 1e6, MaxDelay: 1e9}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.UserSelf(context.Background())
		srv.Close()
		var redirect *jmapcloud.RedirectError
		if !errors.As(err, &redirect) {
			t.Errorf("%s: %v, want a RedirectError", tc.location, err)
			continue
		}
		if redirect.Location != tc.shown || redirect.SuggestedURL != tc.suggested || requests != 1 {
			t.Errorf("%s: target %q, suggested %q after %d requests; want %q, %q after 1", tc.location, redirect.Location, redirect.SuggestedURL, requests, tc.shown, tc.suggested)
		}
	}
}
