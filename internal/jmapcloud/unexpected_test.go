package jmapcloud_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
)

// TestUnexpectedMembersAreListed: the members an answer holds that no wire struct reads are
// listed by name (never by value), per object, bounded in number and length.
func TestUnexpectedMembersAreListed(t *testing.T) {
	long := strings.Repeat("n", 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/api-keys"):
			fmt.Fprintf(w, `{"content":[{"id":"k1","title":"t","lastUsed":"SECRET-VALUE"},{"id":"k2","%s":1}],"totalElements":2,"totalPages":1}`, long)
		case strings.HasSuffix(r.URL.Path, "/members"):
			fmt.Fprint(w, `{"message":"ok","result":[{"id":"m","name":"n","email":"e","roles":[],"status":"ACTIVE"}]}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	var trace bytes.Buffer
	c, err := jmapcloud.New(jmapcloud.Options{BaseURL: srv.URL, Tokens: jmapcloud.StaticToken("t"), Trace: &trace})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.UnexpectedMembers(); len(got) != 0 {
		t.Fatalf("before any answer: %q", got)
	}
	ctx := context.Background()
	if _, err := c.ListAPIKeys(ctx, "org"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WithTokens(jmapcloud.StaticToken("u")).Members(ctx, "org"); err != nil {
		t.Fatal(err)
	}
	want := []string{"API key: lastUsed", "API key: " + long[:64], "member: status", "page: totalPages"}
	if got := c.UnexpectedMembers(); !reflect.DeepEqual(got, want) {
		t.Fatalf("unexpected members\n got %q\nwant %q", got, want)
	}
	// The --debug trace names each once, after the answer it came in, and never its value.
	var traced []string
	for _, line := range strings.Split(trace.String(), "\n") {
		if name, ok := strings.CutPrefix(line, "< (a member apikeys does not read: "); ok {
			traced = append(traced, strings.TrimSuffix(name, ")"))
		}
	}
	slices.Sort(traced)
	if !reflect.DeepEqual(traced, want) || strings.Count(trace.String(), "SECRET-VALUE") > 1 {
		t.Fatalf("traced %q, want %q; trace:\n%s", traced, want, trace.String())
	}
}

// TestUnexpectedMembersAreBounded: a server that sends a new name in every key cannot make
// the list grow past its bound.
func TestUnexpectedMembersAreBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var keys []string
		for i := range 500 {
			keys = append(keys, fmt.Sprintf(`{"id":"k%d","extra%d":true}`, i, i))
		}
		fmt.Fprintf(w, "[%s]", strings.Join(keys, ","))
	}))
	defer srv.Close()
	c, err := jmapcloud.New(jmapcloud.Options{BaseURL: srv.URL, Tokens: jmapcloud.StaticToken("t")})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := c.ListAPIKeys(context.Background(), "org")
	if err != nil || len(keys) != 500 {
		t.Fatalf("%d keys, %v", len(keys), err)
	}
	if got := c.UnexpectedMembers(); len(got) != 64 {
		t.Fatalf("%d unexpected members listed, want the bound, 64", len(got))
	}
}
