package jmapcloud_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
)

const (
	echoPassword = `correct "horse" <battery>&staple`
	echoAccess   = "eyJhbGciOi.access.0123456789"
	echoRefresh  = "refresh.QWERTY.98765"
	echoSecret   = "jmc_secret_ABCDEFGHIJKLMNOP"
)

// echoServer answers every call by echoing the password and the tokens back: in odd field
// names, inside messages, in plain-text bodies, in a header and in a redirect target.
func echoServer(t *testing.T) string {
	mustJSON := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("X-Echo", "Bearer "+echoAccess)
		switch p := strings.TrimPrefix(r.URL.Path, "/api/ss/rest/v1"); {
		case p == "/authenticate":
			w.Write(mustJSON(map[string]string{
				"accessToken": echoAccess, "refreshToken": echoRefresh, "jwt": echoAccess, "access_token": echoAccess,
				"message": "hello, token " + echoAccess + " and password " + echoPassword,
			}))
		case p == "/organizations/o/api-keys" && r.Method == http.MethodPost:
			w.Write(mustJSON(map[string]string{"id": "k1", "title": "t", "apiKey": echoSecret, "note": "your key " + echoSecret}))
		case p == "/users/self":
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, "boom: Bearer "+echoAccess+", refresh "+echoRefresh+", password "+echoPassword+", secret "+echoSecret)
		case p == "/refresh-token":
			w.WriteHeader(http.StatusBadRequest)
			w.Write(mustJSON(map[string]any{
				"message": "refresh token " + echoRefresh + " rejected for " + echoPassword,
				"errors":  []any{map[string]string{"message": "jwt " + echoAccess}, "secret " + echoSecret},
			}))
		case p == "/organizations/o/members":
			http.Redirect(w, r, "http://127.0.0.1:9/elsewhere?t="+echoAccess, http.StatusTemporaryRedirect)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// leaks lists the secrets found in text, in any form a body, a header or a URL gives them.
func leaks(text string) []string {
	var found []string
	for _, s := range []string{echoPassword, echoAccess, echoRefresh, echoSecret} {
		quoted, _ := json.Marshal(s)
		for _, form := range []string{s, string(quoted[1 : len(quoted)-1]), url.QueryEscape(s), url.PathEscape(s)} {
			if strings.Contains(text, form) {
				found = append(found, form)
			}
		}
	}
	return found
}

// The password, the tokens and a new key's secret are redacted by value in the --debug trace
// and in errors built from server text, whatever the field or body they come back in.
func TestSecretsAreRedactedByValue(t *testing.T) {
	ctx := context.Background()
	var trace bytes.Buffer
	c, err := jmapcloud.New(jmapcloud.Options{BaseURL: echoServer(t), Trace: &trace, Retry: jmapcloud.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := c.Authenticate(ctx, "ann@example.com", echoPassword)
	if err != nil || tokens.AccessToken != echoAccess || tokens.RefreshToken != echoRefresh {
		t.Fatalf("authenticate: %+v, %v", tokens, err)
	}
	authed := c.WithTokens(jmapcloud.StaticToken(tokens.AccessToken))
	key, err := authed.CreateAPIKey(ctx, "o", jmapcloud.CreateAPIKeyRequest{Title: "t", Role: jmapcloud.RoleViewer})
	if err != nil || key.Secret != echoSecret {
		t.Fatalf("create: %+v, %v", key, err)
	}
	var errs []string
	if _, err := authed.UserSelf(ctx); err == nil {
		t.Fatal("users/self: no error")
	} else {
		errs = append(errs, err.Error())
	}
	_, err = c.RefreshToken(ctx, tokens.RefreshToken, "o")
	wantRefresh := "POST /api/ss/rest/v1/refresh-token: HTTP 400: refresh token [REDACTED] rejected for [REDACTED] (jwt [REDACTED]; secret [REDACTED])"
	if err == nil || err.Error() != wantRefresh {
		t.Errorf("refresh error:\n got %v\nwant %s", err, wantRefresh)
	}
	errs = append(errs, err.Error())
	_, err = authed.Members(ctx, "o")
	var redirect *jmapcloud.RedirectError
	if !errors.As(err, &redirect) || redirect.Location != "http://127.0.0.1:9/elsewhere?t=[REDACTED]" {
		t.Errorf("members: %v, want a redirect with the token redacted", err)
	}
	errs = append(errs, err.Error())

	for _, e := range errs {
		if l := leaks(e); len(l) > 0 {
			t.Errorf("error leaks %q: %s", l, e)
		}
	}
	got := trace.String()
	if l := leaks(got); len(l) > 0 {
		t.Errorf("trace leaks %q:\n%s", l, got)
	}
	for _, want := range []string{
		`"accessToken":"[REDACTED]","access_token":"[REDACTED]","jwt":"[REDACTED]","message":"hello, token [REDACTED] and password [REDACTED]","refreshToken":"[REDACTED]"`,
		`"apiKey":"[REDACTED]","id":"k1","note":"your key [REDACTED]","title":"t"`,
		"< boom: Bearer [REDACTED], refresh [REDACTED], password [REDACTED], secret [REDACTED]\n",
		"< X-Echo: Bearer [REDACTED]\n",
		"< Location: http://127.0.0.1:9/elsewhere?t=[REDACTED]\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("trace lacks %q:\n%s", want, got)
		}
	}
}

// Server text in the trace goes through sanitize.Text: a plain-text body or a header value
// cannot write the clipboard (OSC 52), ring the bell or reorder the line.
func TestTraceSanitisesServerText(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Evil", "a\u009b31mb\u202ec") // Go's client refuses C0 controls in headers
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, "bad\x1b]52;c;SGVsbG8=\x07gateway\u202e\r\n")
	}))
	defer srv.Close()
	var trace bytes.Buffer
	c, err := jmapcloud.New(jmapcloud.Options{BaseURL: srv.URL, Trace: &trace, Retry: jmapcloud.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WithTokens(jmapcloud.StaticToken("token-1234")).UserSelf(context.Background()); err == nil {
		t.Fatal("no error")
	}
	got := trace.String()
	for _, want := range []string{`< X-Evil: a\u009b31mb\u202ec` + "\n", `< bad\x1b]52;c;SGVsbG8=\x07gateway\u202e\r\n` + "\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("trace lacks %q:\n%s", want, got)
		}
	}
	if strings.ContainsAny(got, "\x1b\x07\r\u009b\u202e") {
		t.Errorf("trace holds raw control characters:\n%q", got)
	}
}

// A server whose answer Go's transport cannot parse has part of it quoted in the error (a
// header line without a colon, say): an Authorization header echoed there is redacted too,
// and the error is still a NetworkError.
func TestSecretsEchoedInAMalformedAnswerAreRedacted(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for range 2 { // one request, and one spare for a retry that should not happen
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			r := bufio.NewReader(conn)
			var auth string
			for {
				line, err := r.ReadString('\n')
				if err != nil || line == "\r\n" {
					break
				}
				if v, ok := strings.CutPrefix(line, "Authorization: "); ok {
					auth = strings.TrimSpace(v)
				}
			}
			io.WriteString(conn, "HTTP/1.1 200 OK\r\nYou sent "+auth+"\r\n\r\n")
			conn.Close()
		}
	}()
	c, err := jmapcloud.New(jmapcloud.Options{BaseURL: "http://" + ln.Addr().String(), Retry: jmapcloud.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.WithTokens(jmapcloud.StaticToken(echoAccess)).UserSelf(context.Background())
	var netErr *jmapcloud.NetworkError
	if !errors.As(err, &netErr) {
		t.Fatalf("got %v, want a NetworkError", err)
	}
	if l := leaks(err.Error()); len(l) > 0 {
		t.Errorf("error leaks %q: %v", l, err)
	}
	if !strings.Contains(err.Error(), `"You sent Bearer [REDACTED]"`) {
		t.Errorf("error does not quote the redacted line: %v", err)
	}
}
