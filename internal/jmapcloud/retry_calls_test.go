package jmapcloud_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/sandbox"
)

// tokensBody is a refresh-token or authenticate answer.
const tokensBody = `{"message":"ok","result":{"accessToken":"access-2","refreshToken":"refresh-2","accessTokenExpireAt":"2030-01-01T00:00:00Z"}}`

// fault is how the hostile server answers one request.
type fault func(w http.ResponseWriter)

func status(code int) fault {
	return func(w http.ResponseWriter) {
		if code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable {
			w.Header().Set("Retry-After", "3")
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"message":"injected %d","status":%d}`, code, code)
	}
}

// lostAnswer processes the request but the connection breaks before the answer arrives.
func lostAnswer(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

// truncated announces the full answer and sends half of it.
func truncated(w http.ResponseWriter) {
	w.Header().Set("Content-Length", fmt.Sprint(len(tokensBody)))
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(tokensBody[:len(tokensBody)/2]))
}

func garbled(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte("<html>bad gateway</html>"))
}

// hostileServer answers its first requests with faults, then with tokens; it counts requests
// and refuses more than limit.
func hostileServer(t *testing.T, limit int, faults ...fault) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1))
		switch {
		case i > limit:
			t.Errorf("request %d to %s: more than the %d expected", i, r.URL.Path, limit)
			http.Error(w, "too many requests in this test", http.StatusTeapot)
		case i <= len(faults):
			faults[i-1](w)
		default:
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(tokensBody))
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// singleUseCalls are the calls that spend a refresh token.
var singleUseCalls = map[string]func(*jmapcloud.Client) error{
	"refresh-token": func(c *jmapcloud.Client) error {
		_, err := c.RefreshToken(context.Background(), "refresh-1", "org")
		return err
	},
	"revoke-token": func(c *jmapcloud.Client) error {
		return c.RevokeToken(context.Background(), "refresh-1")
	},
}

// refresh-token and revoke-token are sent again only when the server said it did not
// process them (429, 503), honouring Retry-After.
func TestSingleUseCallsRetryOnlyWhenNotProcessed(t *testing.T) {
	for name, call := range singleUseCalls {
		t.Run(name+"/429 then 503", func(t *testing.T) {
			srv, n := hostileServer(t, 3, status(http.StatusTooManyRequests), status(http.StatusServiceUnavailable))
			var clock sleepRecorder
			c := newTestClient(t, srv.URL, nil, clock.sleep)
			if err := call(c); err != nil {
				t.Fatalf("%s through a 429 and a 503: %v", name, err)
			}
			if n.Load() != 3 {
				t.Fatalf("%d requests, want 3", n.Load())
			}
			if got := clock.recorded(); len(got) != 2 || got[0] != 3*time.Second || got[1] != 3*time.Second {
				t.Fatalf("waits %v, want Retry-After's 3s twice", got)
			}
		})
		for kind, f := range map[string]fault{
			"500": status(http.StatusInternalServerError), "502": status(http.StatusBadGateway),
			"504": status(http.StatusGatewayTimeout), "lost answer": lostAnswer,
			"truncated": truncated, "garbage": garbled,
		} {
			t.Run(name+"/"+kind, func(t *testing.T) {
				srv, n := hostileServer(t, 1, f)
				c := newTestClient(t, srv.URL, nil, noSleep)
				if err := call(c); err == nil && kind != "garbage" {
					t.Fatalf("%s succeeded through %s", name, kind)
				}
				if n.Load() != 1 {
					t.Fatalf("%s sent %d times after %s, want once: the token may be spent", name, n.Load(), kind)
				}
			})
		}
	}
}

// A connection refused sent nothing: refresh-token and revoke-token are sent again; create
// still is not.
func TestRefusedConnectionIsRetriedForSingleUseCalls(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refusedAddr := closed.Addr().String()
	closed.Close()
	for name, call := range singleUseCalls {
		t.Run(name, func(t *testing.T) {
			srv, n := hostileServer(t, 1)
			var dials atomic.Int64
			c := newTestClient(t, srv.URL, refuseFirstDial(refusedAddr, &dials), noSleep)
			if err := call(c); err != nil {
				t.Fatalf("%s after a refused connection: %v", name, err)
			}
			if dials.Load() < 2 || n.Load() != 1 {
				t.Fatalf("%d dials and %d requests, want a second dial and one request", dials.Load(), n.Load())
			}
		})
	}
	t.Run("create", func(t *testing.T) {
		srv, n := hostileServer(t, 1)
		var dials atomic.Int64
		c := newTestClient(t, srv.URL, refuseFirstDial(refusedAddr, &dials), noSleep).WithTokens(jmapcloud.StaticToken("t"))
		_, err := c.CreateAPIKey(context.Background(), "org", jmapcloud.CreateAPIKeyRequest{Title: "x", Role: jmapcloud.RoleViewer, ExpirationDate: time.Now().Add(time.Hour)})
		var netErr *jmapcloud.NetworkError
		if !errors.As(err, &netErr) || dials.Load() != 1 || n.Load() != 0 {
			t.Fatalf("create: %v after %d dials and %d requests, want the refused connection and no resend", err, dials.Load(), n.Load())
		}
	})
}

// authenticate spends nothing: it is retried through every fault, lost answers included.
func TestAuthenticateIsRetriedLikeAGet(t *testing.T) {
	for _, kind := range []string{"500", "503", "429", "reset", "truncate", "garbage"} {
		t.Run(kind, func(t *testing.T) {
			sb, anon := newSandbox(t, sandbox.Options{})
			anon = withRetry(t, anon, fastRetry)
			if err := sb.SetFaults(sandbox.Faults{Rate: 0.5, Kinds: []string{kind}, Seed: 5}); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 5; i++ {
				if _, err := anon.Authenticate(context.Background(), sandbox.AdminEmail, sandbox.Password); err != nil {
					t.Fatalf("authenticate %d under %s faults: %v", i, kind, err)
				}
			}
			if sb.Stats().FaultsByKind[kind] == 0 {
				t.Fatalf("no %s fault was injected: the test proved nothing", kind)
			}
		})
	}
}

// refuseFirstDial is a transport whose first connection goes to a closed port.
func refuseFirstDial(refusedAddr string, dials *atomic.Int64) http.RoundTripper {
	var d net.Dialer
	return &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) == 1 {
			addr = refusedAddr
		}
		return d.DialContext(ctx, network, addr)
	}}
}

func newTestClient(t *testing.T, url string, rt http.RoundTripper, sleep func(context.Context, time.Duration) error) *jmapcloud.Client {
	t.Helper()
	if rt == nil {
		rt = &http.Transport{}
	}
	c, err := jmapcloud.New(jmapcloud.Options{
		BaseURL:    url,
		HTTPClient: &http.Client{Transport: rt, Timeout: 5 * time.Second},
		Retry:      jmapcloud.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Second, Sleep: sleep},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("test server %s is not on loopback", url)
	}
	return c
}
