package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// maxRecordedRequests bounds what one test's recording server answers.
const maxRecordedRequests = 200

// requestLog is what a recording server was asked, as "METHOD /path?query".
type requestLog struct {
	mu   sync.Mutex
	seen []string
}

func (l *requestLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	seen := l.seen
	l.seen = nil
	return seen
}

// recordRequests puts a recorder in front of the test sandbox: every request is noted, then
// served by the sandbox, up to maxRecordedRequests (then 500).
func recordRequests(ts *testSandbox) *requestLog {
	log := &requestLog{}
	next := ts.sb.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.mu.Lock()
		log.seen = append(log.seen, r.Method+" "+r.URL.RequestURI())
		n := len(log.seen)
		log.mu.Unlock()
		if n > maxRecordedRequests {
			http.Error(w, "too many requests for one test", http.StatusInternalServerError)
			return
		}
		next.ServeHTTP(w, r)
	}))
	ts.t.Cleanup(srv.Close)
	ts.url = srv.URL
	return log
}

// keyRequests keeps the requests under …/api-keys, the organization path and the query cut
// off.
func keyRequests(seen []string) []string {
	var keys []string
	for _, s := range orgRequests(seen) {
		if s, _, _ = strings.Cut(s, "?"); strings.Contains(s, " /api-keys") {
			keys = append(keys, s)
		}
	}
	return keys
}

// orgRequests keeps the requests for the organization's keys and members, the organization
// path cut off: "GET /members", "DELETE /api-keys/ID?transferTo=M".
func orgRequests(seen []string) []string {
	var kept []string
	for _, s := range seen {
		method, uri, _ := strings.Cut(s, " ")
		_, rest, ok := strings.Cut(uri, "/organizations/")
		if !ok {
			continue
		}
		if _, rest, ok = strings.Cut(rest, "/"); ok && (strings.HasPrefix(rest, "api-keys") || rest == "members") {
			kept = append(kept, method+" /"+rest)
		}
	}
	return kept
}

// TestKeyIDsAreFetchedNotListed: show and delete given a key ID fetch that key (GET
// …/api-keys/{id}) and never list the organization; a title, or an ID the server does not
// know (it may be a title), is still looked up in the list.
func TestKeyIDsAreFetchedNotListed(t *testing.T) {
	ts := newTestSandbox(t)
	qgis, legacy, partner := ts.keyID("QGIS plugin"), ts.keyID("Legacy ETL"), ts.keyID("Partner feed — CityData")
	log := recordRequests(ts)
	const unknownID = "00000000-0000-4000-8000-000000000000"
	for _, tc := range []struct {
		args   []string
		code   int
		want   []string // the requests under …/api-keys, in order
		stderr string   // exactly, when not empty
	}{
		{[]string{"show", qgis}, exitOK, []string{"GET /api-keys/" + qgis}, ""},
		{[]string{"show", "QGIS plugin"}, exitOK, []string{"GET /api-keys"}, ""},
		{[]string{"show", unknownID}, exitNotFound, []string{"GET /api-keys/" + unknownID, "GET /api-keys"},
			"Error: no API key with ID or title \"" + unknownID + "\"\nrun `apikeys list` to see the keys\n"},
		{[]string{"delete", "--dry-run", qgis, "-o", "json"}, exitOK, []string{"GET /api-keys/" + qgis, "GET /api-keys/" + qgis + "/resources"}, ""},
		{[]string{"delete", "--dry-run", "QGIS plugin", "-o", "json"}, exitOK, []string{"GET /api-keys", "GET /api-keys/" + qgis + "/resources"}, ""},
		{[]string{"delete", partner, "--yes"}, exitOK, []string{
			"GET /api-keys/" + partner, "GET /api-keys/" + partner + "/resources",
			"GET /api-keys/" + partner + "/resources", "DELETE /api-keys/" + partner,
		}, ""},
		{[]string{"delete", strings.ToUpper(legacy), qgis, "--dry-run", "--no-transfer"}, exitOK, []string{
			"GET /api-keys/" + strings.ToUpper(legacy), "GET /api-keys/" + qgis,
			"GET /api-keys/" + legacy + "/resources", "GET /api-keys/" + qgis + "/resources",
		}, ""},
		{[]string{"delete", unknownID, "--yes"}, exitNotFound, []string{"GET /api-keys/" + unknownID, "GET /api-keys"},
			"Error: no API key with ID or title \"" + unknownID + "\"; nothing was deleted\nrun `apikeys list` to see the keys\n"},
	} {
		log.take()
		code, _, errOut := ts.run(tc.args...)
		if code != tc.code {
			t.Errorf("%q: exit %d, want %d: %s", tc.args, code, tc.code, errOut)
		}
		if tc.stderr != "" && errOut != tc.stderr {
			t.Errorf("%q: stderr %q, want %q", tc.args, errOut, tc.stderr)
		}
		if got := keyRequests(log.take()); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%q asked:\n%s\nwant:\n%s", tc.args, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
	}
}
