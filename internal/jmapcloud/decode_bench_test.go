package jmapcloud

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// benchKeyJSON builds n keys the way the sandbox (and, as far as API.md knows, the service)
// spells them: millisecond dates with a +00:00 offset, both roles, varied titles.
func benchKeyJSON(n int) []map[string]string {
	base := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	keys := make([]map[string]string, n)
	var x uint64 = 0x9e3779b97f4a7c15
	for i := range keys {
		x ^= x << 13 // xorshift: reproducible without math/rand state
		x ^= x >> 7
		x ^= x << 17
		role := RoleViewer
		if x&1 == 0 {
			role = RoleEditor
		}
		keys[i] = map[string]string{
			"id":             fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(x), uint16(x>>32), x>>48&0xfff, i&0xfff, x>>8&0xffffffffffff),
			"title":          fmt.Sprintf("Sync agent #%d", x%10000),
			"role":           role,
			"email":          fmt.Sprintf("apikey-%08x@acme-geospatial.sandbox.jmapcloud.io", uint32(x)),
			"createdBy":      "Oscar Ops",
			"creationDate":   base.Add(-time.Duration(x%(365*24)) * time.Hour).Format("2006-01-02T15:04:05.000-07:00"),
			"expirationDate": base.Add(time.Duration(x>>20%(730*24)) * time.Hour).Format("2006-01-02T15:04:05.000-07:00"),
		}
	}
	return keys
}

// keyServer answers the api-keys path like the sandbox: a bare array without ?page=&size=,
// page objects (size capped at 2000) with them. Every body is encoded before the server
// starts, so a benchmark measures the client alone. It returns the server's URL and the
// size of the bare array.
func keyServer(b *testing.B, n int) (string, int) {
	b.Helper()
	keys := benchKeyJSON(n)
	bare, err := json.Marshal(keys)
	if err != nil {
		b.Fatal(err)
	}
	pages := map[string][]byte{}
	for _, size := range []int{1000, 2000} {
		for page := 0; page*size < n; page++ {
			lo, hi := page*size, min(page*size+size, n)
			body, err := json.Marshal(map[string]any{
				"content": keys[lo:hi], "totalElements": n, "totalPages": (n + size - 1) / size, "page": page, "size": size,
			})
			if err != nil {
				b.Fatal(err)
			}
			pages[strconv.Itoa(page)+"/"+strconv.Itoa(size)] = body
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		w.Header().Set("Content-Type", "application/json")
		if !q.Has("page") && !q.Has("size") {
			w.Write(bare)
			return
		}
		size, _ := strconv.Atoi(q.Get("size"))
		body, ok := pages[q.Get("page")+"/"+strconv.Itoa(min(size, 2000))]
		if !ok {
			http.Error(w, `{"message":"no such page in the benchmark server"}`, http.StatusBadRequest)
			return
		}
		w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv.URL, len(bare)
}

// benchmarkListAPIKeys times ListAPIKeys over loopback against a server that only writes
// prepared bytes: what is left is the client's request, read and decode path.
func benchmarkListAPIKeys(b *testing.B, n, pageSize int) {
	url, size := keyServer(b, n)
	c, err := New(Options{BaseURL: url, PageSize: pageSize, Tokens: StaticToken("t")})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		keys, err := c.ListAPIKeys(ctx, "org")
		if err != nil {
			b.Fatal(err)
		}
		if len(keys) != n {
			b.Fatalf("got %d keys, want %d", len(keys), n)
		}
	}
}

// The default page size (1000) and the sandbox's cap (2000).
func BenchmarkListAPIKeys10k(b *testing.B)          { benchmarkListAPIKeys(b, 10_000, 0) }
func BenchmarkListAPIKeys100k(b *testing.B)         { benchmarkListAPIKeys(b, 100_000, 0) }
func BenchmarkListAPIKeys10kSize2000(b *testing.B)  { benchmarkListAPIKeys(b, 10_000, 2000) }
func BenchmarkListAPIKeys100kSize2000(b *testing.B) { benchmarkListAPIKeys(b, 100_000, 2000) }

// benchmarkDecodeKeys times decoding one bare array of n keys as the list does
// (response.result and decodeKeyPage, with github.com/go-json-experiment/json), or, with v1,
// encoding/json v1 into the same wire structs (wireKeys.UnmarshalJSON). No HTTP.
func benchmarkDecodeKeys(b *testing.B, n int, v1 bool) {
	body, err := json.Marshal(benchKeyJSON(n))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var keys []APIKey
		if v1 {
			var l wireKeys
			if err := json.Unmarshal(body, &l); err != nil {
				b.Fatal(err)
			}
			keys = l.keys
		} else {
			var p pageOf[APIKey]
			if err := (response{status: http.StatusOK, body: body}).result(http.MethodGet, "/keys", keyPageAnswer(&p, nil), nil); err != nil {
				b.Fatal(err)
			}
			keys = p.Items
		}
		if len(keys) != n {
			b.Fatalf("decoded %d keys, want %d", len(keys), n)
		}
	}
}

func BenchmarkDecodeKeys10k(b *testing.B)     { benchmarkDecodeKeys(b, 10_000, false) }
func BenchmarkDecodeKeys100k(b *testing.B)    { benchmarkDecodeKeys(b, 100_000, false) }
func BenchmarkDecodeKeysV1_10k(b *testing.B)  { benchmarkDecodeKeys(b, 10_000, true) }
func BenchmarkDecodeKeysV1_100k(b *testing.B) { benchmarkDecodeKeys(b, 100_000, true) }

// benchmarkDecodePage times one page object of 1,000 keys, as the service sends them, read by
// the scanner (scanKeyPage) or by the general decoder (decodeKeyPageGeneral). No HTTP.
func benchmarkDecodePage(b *testing.B, general bool) {
	page := map[string]any{"content": benchKeyJSON(1000), "totalElements": 100_000, "totalPages": 100, "page": 3, "size": 1000}
	body, err := json.Marshal(page)
	if err != nil {
		b.Fatal(err)
	}
	room := make([]APIKey, 1000)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var p pageOf[APIKey]
		if general {
			p, err = decodeKeyPageGeneral(body, nil, room[:0:1000])
		} else {
			var ok bool
			if p, ok = scanKeyPage(body, room[:0:1000], nil); !ok {
				err = fmt.Errorf("left to the general decoder")
			}
		}
		if err != nil || len(p.Items) != 1000 {
			b.Fatalf("decoded %d keys: %v", len(p.Items), err)
		}
	}
}

func BenchmarkDecodePageScanner(b *testing.B) { benchmarkDecodePage(b, false) }
func BenchmarkDecodePageGeneral(b *testing.B) { benchmarkDecodePage(b, true) }
