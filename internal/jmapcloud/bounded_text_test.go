package jmapcloud_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
)

// Server text shown in an error or the trace is bounded: a 1 MiB message with 1,000 errors[],
// a 1 MiB redirect target, a 1 MiB header come out as a line of a few kilobytes that says how
// long the text was, instead of filling the terminal.
func TestServerTextInErrorsAndTraceIsBounded(t *testing.T) {
	big := strings.Repeat("m", 1<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/ss/rest/v1/users/self":
			details := make([]string, 1000)
			for i := range details {
				details[i] = fmt.Sprintf("e%d", i)
			}
			details[0] = big
			w.Header().Set("X-Big", big)
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]any{"message": "é" + big, "errors": details})
		default:
			w.Header().Set("Location", "https://elsewhere.example/"+big+r.URL.Path)
			w.WriteHeader(http.StatusTemporaryRedirect)
		}
	}))
	defer srv.Close()
	var trace bytes.Buffer
	c, err := jmapcloud.New(jmapcloud.Options{BaseURL: srv.URL, Trace: &trace, Retry: jmapcloud.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	c = c.WithTokens(jmapcloud.StaticToken("token-1234"))

	_, err = c.UserSelf(context.Background())
	got := fmt.Sprint(err)
	want := "GET /api/ss/rest/v1/users/self: HTTP 400: é" + strings.Repeat("m", 1022) + "… (1048578 bytes) (" +
		strings.Repeat("m", 1024) + "… (1048576 bytes); e1; e2; e3; e4; e5; e6; e7; e8; e9; and 990 more)"
	if got != want {
		t.Errorf("API error: %d bytes, want %d:\n%.300s…", len(got), len(want), got)
	}
	_, err = c.Members(context.Background(), "org-1")
	var redirect *jmapcloud.RedirectError
	if !errors.As(err, &redirect) || redirect.SuggestedURL != "" {
		t.Fatalf("members: %v, want a redirect error suggesting no URL", err)
	}
	want = "GET /api/ss/rest/v1/organizations/org-1/members: the server answered HTTP 307, a redirect to https://elsewhere.example/" +
		strings.Repeat("m", 1024-len("https://elsewhere.example/")) + "… (1048645 bytes); apikeys follows no redirect, since it would send credentials to another address"
	if got := err.Error(); got != want {
		t.Errorf("redirect error: %d bytes, want %d:\n%s", len(got), len(want), got[len(got)-150:])
	}
	if n := trace.Len(); n > 40<<10 {
		t.Errorf("trace of two exchanges is %d bytes, want under 40 KiB", n)
	}
	if !strings.Contains(trace.String(), "< X-Big: "+strings.Repeat("m", 4096)+"… (1048576 bytes)\n") {
		t.Errorf("trace lacks the clipped header:\n%.500s", trace.String())
	}
}
