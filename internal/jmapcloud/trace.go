package jmapcloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Redacted replaces every credential and secret in a debug trace.
const Redacted = "[REDACTED]"

// TraceTransport writes a request/response trace (for --debug) to W with credentials and
// secrets replaced by Redacted: the Authorization, Api-Key and Cookie headers, the apiKey
// query parameter, and JSON fields such as password, tokens and the key secret.
type TraceTransport struct {
	Next http.RoundTripper
	W    io.Writer
	mu   sync.Mutex
}

var secretHeaders = map[string]bool{"Authorization": true, "Api-Key": true, "Cookie": true, "Set-Cookie": true}

// secretFields are JSON keys whose values are never traced, in any object, at any depth.
var secretFields = map[string]bool{
	"password": true, "accesstoken": true, "refreshtoken": true, "apikey": true, "secret": true,
	"key": true, "value": true, "token": true,
}

// RoundTrip traces one exchange. Bodies are read fully and handed on unchanged.
func (t *TraceTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	next := t.Next
	if next == nil {
		next = http.DefaultTransport
	}
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	start := time.Now()
	var b strings.Builder
	fmt.Fprintf(&b, "> %s %s\n", req.Method, redactURL(req.URL))
	writeHeaders(&b, "> ", req.Header)
	if len(reqBody) > 0 {
		fmt.Fprintf(&b, "> %s\n", RedactJSON(reqBody))
	}
	res, err := next.RoundTrip(req)
	if err != nil {
		fmt.Fprintf(&b, "< error after %s: %v\n", time.Since(start).Round(time.Millisecond), err)
		t.write(b.String())
		return nil, err
	}
	resBody, rerr := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(resBody))
	if rerr != nil {
		res.Body = io.NopCloser(io.MultiReader(bytes.NewReader(resBody), errReader{rerr}))
	}
	fmt.Fprintf(&b, "< %s (%s)\n", res.Status, time.Since(start).Round(time.Millisecond))
	writeHeaders(&b, "< ", res.Header)
	if len(resBody) > 0 {
		const limit = 4096
		body := RedactJSON(resBody)
		if len(body) > limit {
			body = body[:limit] + fmt.Sprintf("… (%d bytes in all)", len(resBody))
		}
		fmt.Fprintf(&b, "< %s\n", body)
	}
	t.write(b.String())
	return res, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func (t *TraceTransport) write(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	io.WriteString(t.W, s)
}

func writeHeaders(b *strings.Builder, prefix string, h http.Header) {
	for name, values := range h {
		v := strings.Join(values, ", ")
		if secretHeaders[http.CanonicalHeaderKey(name)] {
			v = Redacted
		}
		fmt.Fprintf(b, "%s%s: %s\n", prefix, name, v)
	}
}

func redactURL(u *url.URL) string {
	cp := *u
	q := cp.Query()
	for name := range q {
		if secretFields[strings.ToLower(name)] {
			q.Set(name, Redacted)
		}
	}
	cp.RawQuery = q.Encode()
	cp.User = nil
	return cp.String()
}

// tokenish matches a secret field's string value, or what is left of it when the body
// breaks off inside it (no closing quote, perhaps a lone backslash): a cut token is still
// most of a token.
var tokenish = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)("(?:password|accessToken|refreshToken|apiKey|secret|key|value|token)"\s*:\s*)"(?:[^"\\]|\\.)*(?:"|\\?$)`)
})

// RedactJSON returns body with secret fields replaced. Unparseable bodies are redacted by
// pattern, so a truncated answer cannot leak a token either.
func RedactJSON(body []byte) string {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return tokenish().ReplaceAllString(string(body), `$1"`+Redacted+`"`)
	}
	out, err := json.Marshal(redactValue(v))
	if err != nil {
		return Redacted
	}
	return string(out)
}

func redactValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if secretFields[strings.ToLower(k)] {
				x[k] = Redacted
			} else {
				x[k] = redactValue(val)
			}
		}
	case []any:
		for i := range x {
			x[i] = redactValue(x[i])
		}
	}
	return v
}
