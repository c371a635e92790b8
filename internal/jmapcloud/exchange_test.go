package jmapcloud

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// refreshOnce is a token source whose refresh swaps the refused token for a new one.
type refreshOnce struct {
	token     atomic.Value
	refreshes atomic.Int32
}

func (r *refreshOnce) Token(context.Context) (string, error) { return r.token.Load().(string), nil }
func (r *refreshOnce) Refresh(context.Context, string) error {
	r.refreshes.Add(1)
	r.token.Store("fresh")
	return nil
}

// Exchange sends a call once as the client sends it, over TLS here, and returns the status,
// the Date header, the TLS version and the body; a 401 renews the session once and resends,
// any other status is returned as it came, unretried.
func TestExchange(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		switch {
		case r.Header.Get("Authorization") != "Bearer fresh":
			w.WriteHeader(http.StatusUnauthorized)
		case r.URL.Path == "/api/ss/rest/v1/organizations/o1/api-keys":
			if r.URL.Query().Get("size") != "25" || r.URL.Query().Get("page") != "0" {
				t.Errorf("query %s", r.URL.RawQuery)
			}
			w.Write([]byte(`[]`))
		default:
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	tokens := &refreshOnce{}
	tokens.token.Store("stale")
	c, err := New(Options{BaseURL: srv.URL, HTTPClient: srv.Client(), Tokens: tokens, PageSize: 25})
	if err != nil {
		t.Fatal(err)
	}
	call, err := KeyListCall("o1")
	if err != nil {
		t.Fatal(err)
	}
	ex, err := c.Exchange(context.Background(), call)
	if err != nil || ex.Status != 200 || string(ex.Body) != "[]" || ex.TLS == "" || ex.Date == "" || ex.PageSize != 25 || ex.At.IsZero() {
		t.Errorf("%v %+v", err, ex)
	}
	if call.Template != "/api/ss/rest/v1/organizations/{org}/api-keys" || tokens.refreshes.Load() != 1 || requests.Load() != 2 {
		t.Errorf("template %s, %d refreshes, %d requests", call.Template, tokens.refreshes.Load(), requests.Load())
	}
	call, _ = KeyCall("o1", "k1")
	ex, err = c.Exchange(context.Background(), call)
	if err != nil || ex.Status != http.StatusServiceUnavailable || requests.Load() != 3 || call.Template != "/api/ss/rest/v1/organizations/{org}/api-keys/{id}" {
		t.Errorf("503: %v %+v, %d requests, %s", err, ex, requests.Load(), call.Template)
	}
}
