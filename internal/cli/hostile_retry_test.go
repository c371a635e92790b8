package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// A Retry-After in seconds too large for a time.Duration is the longest wait, so the command
// fails at once with the try-later hint; it once wrapped to a negative wait and the call was
// sent again at once, four times, against the server's wish.
func TestRateLimitWithAnOverflowingRetryAfterIsNotRetried(t *testing.T) {
	for _, retryAfter := range []string{"18446744073", "9223372036854775807", strings.Repeat("9", 40)} {
		t.Run(retryAfter, func(t *testing.T) {
			var requests atomic.Int32
			base := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				w.Header().Set("Retry-After", retryAfter)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusTooManyRequests)
				w.Write([]byte(`{"message":"slow down"}`))
			}))
			defer base.Close()
			code, out, errOut := runWithEnvLogin(t, base.URL, "list")
			want := "Error: POST /api/ss/rest/v1/authenticate: HTTP 429: slow down\n" +
				"Hint: the server is limiting requests and asked for a longer wait than apikeys makes; try again later\n"
			if code != exitError || out != "" || errOut != want || requests.Load() != 1 {
				t.Errorf("exit %d after %d requests, stdout %q, stderr:\n%s\nwant exit 1 after 1 and:\n%s", code, requests.Load(), out, errOut, want)
			}
		})
	}
}
