package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// benchOrg is a sandbox holding n generated keys plus the seed, and the admin's bearer
// header, for the paging benchmarks.
type benchOrg struct {
	sb     *Sandbox
	bearer string
	total  int
}

func openBenchOrg(b *testing.B, n int) *benchOrg {
	b.Helper()
	sb, err := Open(Options{Path: filepath.Join(b.TempDir(), "bench.db")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sb.Close() })
	if err := sb.Reset(n); err != nil {
		b.Fatal(err)
	}
	return &benchOrg{sb: sb, bearer: "Bearer " + adminToken(b, sb.Handler()), total: n + len(seedKeys)}
}

// adminToken logs the seeded admin in through h and returns an access token bound to the
// seeded organization.
func adminToken(b *testing.B, h http.Handler) string {
	b.Helper()
	call := func(path string, body map[string]string) string {
		data, err := json.Marshal(body)
		if err != nil {
			b.Fatal(err)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, apiPrefix+path, bytes.NewReader(data)))
		var env struct{ Result tokens }
		if err := json.Unmarshal(rec.Body.Bytes(), &env); rec.Code != http.StatusOK || err != nil {
			b.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
		return env.Result.RefreshToken + "\x00" + env.Result.AccessToken
	}
	refresh, _, _ := strings.Cut(call("/authenticate", map[string]string{"username": AdminEmail, "password": Password}), "\x00")
	_, access, _ := strings.Cut(call("/refresh-token", map[string]string{"refreshToken": refresh, "organizationId": seedOrg.ID}), "\x00")
	return access
}

// servePage calls the handler directly (no network) for one page and checks the status.
func (o *benchOrg) servePage(b *testing.B, page, size int) {
	req := httptest.NewRequest(http.MethodGet, keysPath()+"?page="+strconv.Itoa(page)+"&size="+strconv.Itoa(size), nil)
	req.Header.Set("Authorization", o.bearer)
	rec := httptest.NewRecorder()
	o.sb.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("page %d: %d %s", page, rec.Code, rec.Body)
	}
}

// BenchmarkListPage serves one page of 20 keys (the API's default page) or of 1,000 keys
// (the client's page) of an organization of 10,000 or 100,000 keys: the first and the last
// full page. A page should cost the same whatever the organization's size and whichever
// page it is.
func BenchmarkListPage(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		o := openBenchOrg(b, n)
		for _, size := range []int{20, 1000} {
			last := o.total/size - 1 // the last full page
			for _, p := range []struct {
				name string
				page int
			}{{"first", 0}, {"last", last}} {
				b.Run(strconv.Itoa(n/1000)+"k/size"+strconv.Itoa(size)+"/"+p.name, func(b *testing.B) {
					o.servePage(b, p.page, size) // builds the organization's index, once
					for b.Loop() {
						o.servePage(b, p.page, size)
					}
				})
			}
		}
	}
}

// BenchmarkListAllPages100k serves every page of 1,000 keys of a 100,000-key organization,
// in order, as a client listing the whole organization asks for them.
func BenchmarkListAllPages100k(b *testing.B) {
	const size = 1000
	o := openBenchOrg(b, 100000)
	pages := (o.total + size - 1) / size
	for b.Loop() {
		for p := range pages {
			o.servePage(b, p, size)
		}
	}
}
