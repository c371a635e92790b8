package jmapcloud_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
)

// endless is a server whose every answer is a body that goes on until the client hangs up
// (or a hard stop well past the cap, so that a client without a cap still ends the test).
// It reports on written how many body bytes each answer managed to write.
type endless struct {
	statedLength int64 // > 0: a Content-Length header
	requests     int
	mu           sync.Mutex
	written      chan int64
}

// hardStop ends an answer a client without a cap would read whole.
const hardStop = 4 * jmapcloud.MaxBody

// socketBuffer is the size of both ends' socket buffers: set explicitly, because Linux grows
// a receive buffer on its own up to tcp_rmem's maximum (32 MiB on some machines), which
// would hold more than the slack below.
const socketBuffer = 128 << 10

// slack is what the kernel (twice each buffer set) and the HTTP layers' small buffers can
// hold between the server's writes and the client's reads: far below hardStop.
const slack = 4 << 20

// smallBuffers wraps a listener so that each accepted connection has a fixed send buffer.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(socketBuffer)
	}
	return c, err
}

// smallBufferClient dials with a fixed receive buffer.
func smallBufferClient() *http.Client {
	dialer := &net.Dialer{}
	return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dialer.DialContext(ctx, network, addr)
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetReadBuffer(socketBuffer)
		}
		return c, err
	}}}
}

func (e *endless) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	e.requests++
	e.mu.Unlock()
	if e.statedLength > 0 {
		w.Header().Set("Content-Length", strconv.FormatInt(e.statedLength, 10))
	}
	w.Header().Set("Content-Type", "application/json")
	chunk := bytes.Repeat([]byte(`{"id":"k","title":"t"},`), 64<<10/23)
	var n int64
	w.Write([]byte("["))
	for n < hardStop {
		m, err := w.Write(chunk)
		n += int64(m)
		if err != nil {
			break
		}
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
	e.written <- n
}

func newEndless(t *testing.T, statedLength int64) (*endless, string) {
	e := &endless{statedLength: statedLength, written: make(chan int64, 8)}
	srv := httptest.NewUnstartedServer(e)
	srv.Listener = smallBuffers{srv.Listener}
	srv.Start()
	t.Cleanup(srv.Close)
	return e, srv.URL
}

// An answer over the cap fails as too large after one request, having read at most the cap:
// the server could write no more than the cap plus what the sockets hold before the client
// hung up. With --debug the trace keeps a bounded prefix and does not read the body itself.
func TestAnswersAreBounded(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stated int64
		trace  bool
	}{
		{"streamed", 0, false},
		{"streamed, traced", 0, true},
		{"stated length over the cap", 1 << 40, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, url := newEndless(t, tc.stated)
			var trace bytes.Buffer
			opts := jmapcloud.Options{BaseURL: url, HTTPClient: smallBufferClient(), Retry: jmapcloud.RetryPolicy{MaxAttempts: 4, BaseDelay: 1e6, MaxDelay: 1e9}}
			if tc.trace {
				opts.Trace = &trace
			}
			c, err := jmapcloud.New(opts)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetAPIKey(context.Background(), "org-1", "k")
			var tooLarge *jmapcloud.TooLargeError
			if !errors.As(err, &tooLarge) {
				t.Fatalf("err = %v, want a TooLargeError", err)
			}
			want := "GET /api/ss/rest/v1/organizations/org-1/api-keys/k: the server's answer is larger than 32 MiB, the most apikeys reads from one answer; it was not used"
			if err.Error() != want {
				t.Errorf("message:\n got %s\nwant %s", err, want)
			}
			written := <-e.written // the handler ends once the client hung up
			t.Logf("the server wrote %d bytes (cap %d)", written, jmapcloud.MaxBody)
			if limit := int64(jmapcloud.MaxBody) + slack; written > limit {
				t.Errorf("the server wrote %d bytes before the client hung up, want at most %d", written, limit)
			}
			if e.requests != 1 {
				t.Errorf("%d requests, want 1: a too-large answer is not asked for again", e.requests)
			}
			if tc.trace {
				if trace.Len() > 16<<10 {
					t.Errorf("trace of %d bytes, want a bounded prefix", trace.Len())
				}
				if !strings.Contains(trace.String(), "< (body not read to its end: ") {
					t.Errorf("trace does not say the body was cut:\n%.2000s", trace.String())
				}
			}
		})
	}
}

// An answer of exactly the cap is read; one byte more is not.
func TestAnswerAtTheCap(t *testing.T) {
	for _, extra := range []int{0, 1} {
		t.Run(fmt.Sprint("cap+", extra), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				pad := jmapcloud.MaxBody + extra - len(`{"name":"","email":"a@b"}`)
				fmt.Fprintf(w, `{"name":"%s","email":"a@b"}`, strings.Repeat("n", pad))
			}))
			defer srv.Close()
			c, err := jmapcloud.New(jmapcloud.Options{BaseURL: srv.URL, Retry: jmapcloud.RetryPolicy{MaxAttempts: 1}})
			if err != nil {
				t.Fatal(err)
			}
			u, err := c.WithTokens(jmapcloud.StaticToken("t")).UserSelf(context.Background())
			var tooLarge *jmapcloud.TooLargeError
			switch {
			case extra == 0 && (err != nil || u.Email != "a@b"):
				t.Errorf("an answer of exactly the cap: %v", err)
			case extra == 1 && !errors.As(err, &tooLarge):
				t.Errorf("an answer one byte over the cap: %v, want a TooLargeError", err)
			}
		})
	}
}
