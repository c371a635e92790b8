package jmapcloud

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// hostileRequestLimit is where a hostile key server stops answering pages: a client that
// gets that far would never have stopped on its own.
const hostileRequestLimit = 200

// hostileKeyServer serves the api-keys list with answer(page), counting requests. Past
// hostileRequestLimit it answers 400, so a client that does not stop fails instead of
// running forever.
func hostileKeyServer(t *testing.T, answer func(page int) string) (*Client, *atomic.Int64) {
	t.Helper()
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := requests.Add(1); n > hostileRequestLimit {
			http.Error(w, `{"message":"test server: too many requests"}`, http.StatusBadRequest)
			return
		}
		page, err := strconv.Atoi(r.URL.Query().Get("page"))
		if err != nil {
			http.Error(w, `{"message":"test server: no page"}`, http.StatusBadRequest)
			return
		}
		fmt.Fprint(w, answer(page))
	}))
	t.Cleanup(srv.Close)
	c, err := New(Options{BaseURL: srv.URL, PageSize: 3, Retry: RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return c, &requests
}

// keysJSON is the keys numbered [from, to) as a JSON list's elements.
func keysJSON(from, to int) string {
	var items []string
	for i := from; i < to; i++ {
		items = append(items, fmt.Sprintf(`{"id":"k%d","title":"t%d"}`, i, i))
	}
	return strings.Join(items, ",")
}

const keysPath = "GET /api/ss/rest/v1/organizations/org/api-keys"

// TestListStopsOnHostilePages: each way a server's pages can fail to end is an error after
// a bounded number of requests, saying what the pages did.
func TestListStopsOnHostilePages(t *testing.T) {
	repeat := "the key list repeats itself: key \"k0\" is on page 0 and again on page 1\n" +
		"the server ignores paging, or the list changed while it was read: try again"
	tests := []struct {
		name         string
		answer       func(page int) string
		want         string
		wantRequests int64 // exact, or at most this when maxRequests
		maxRequests  bool
	}{
		{
			name:         "ignores page, no total",
			answer:       func(int) string { return `{"content":[` + keysJSON(0, 3) + `]}` },
			want:         keysPath + " (page 1): " + repeat,
			wantRequests: 2,
		},
		{
			name:         "the same key forever",
			answer:       func(int) string { return `{"items":[{"id":"k0"}]}` },
			want:         keysPath + " (page 1): " + repeat,
			wantRequests: 2,
		},
		{
			// A server whose pages never end grows its total by a page each time: stopped at
			// the first page whose total moved, long before the key limit.
			name: "a total that grows with every page",
			answer: func(p int) string {
				return `{"content":[` + keysJSON(3*p, 3*p+3) + `],"total":` + strconv.Itoa(3*(p+2)) + `}`
			},
			want: keysPath + " (page 1): the key list changed while it was read: page 0 stated 6 keys, page 1 states 9\n" +
				"try again",
			wantRequests: 9,
			maxRequests:  true,
		},
		{
			name: "a page overlapping an earlier one",
			answer: func(p int) string {
				if p == 2 {
					return `{"content":[` + keysJSON(4, 7) + `]}`
				}
				return `{"content":[` + keysJSON(3*p, 3*p+3) + `]}`
			},
			want: keysPath + " (page 2): the key list repeats itself: key \"k4\" is on page 1 and again on page 2\n" +
				"the server ignores paging, or the list changed while it was read: try again",
			wantRequests: 3,
		},
		{
			// Page 0 states no total: the table of IDs is sized for its 3 keys and grows as
			// pages come; a key of page 0 is still found when it comes again.
			name: "a key of page 0 again after many pages",
			answer: func(p int) string {
				if p == 40 {
					return `{"content":[` + keysJSON(120, 122) + `,` + keysJSON(1, 2) + `]}`
				}
				return `{"content":[` + keysJSON(3*p, 3*p+3) + `]}`
			},
			want: keysPath + " (page 40): the key list repeats itself: key \"k1\" is on page 0 and again on page 40\n" +
				"the server ignores paging, or the list changed while it was read: try again",
			wantRequests: 41 + keyPageWindow,
			maxRequests:  true,
		},
		{
			name:   "a key twice on one page",
			answer: func(int) string { return `{"content":[` + keysJSON(0, 2) + `,` + keysJSON(1, 2) + `],"total":3}` },
			want: keysPath + " (page 0): the key list holds key \"k1\" twice on page 0\n" +
				"the list may have changed while it was read: try again",
			wantRequests: 1,
		},
		{
			// A bare array is the whole list, unpaged; one key in it twice is still refused.
			name:   "a key twice in a bare array",
			answer: func(int) string { return `[` + keysJSON(0, 2) + `,` + keysJSON(1, 2) + `]` },
			want: keysPath + " (page 0): the key list holds key \"k1\" twice on page 0\n" +
				"the list may have changed while it was read: try again",
			wantRequests: 1,
		},
		{
			// The total implies a million pages: the prefetcher asks for a window of them.
			name:         "ignores page, huge total",
			answer:       func(int) string { return `{"content":[` + keysJSON(0, 1) + `],"totalElements":1000000}` },
			want:         keysPath + " (page 1): " + repeat,
			wantRequests: 1 + keyPageWindow + 1,
			maxRequests:  true,
		},
		{
			name:         "total above the limit",
			answer:       func(p int) string { return `{"content":[` + keysJSON(3*p, 3*p+3) + `],"totalElements":1000000000}` },
			want:         keysPath + " (page 0): the server states 1000000000 API keys, more than apikeys reads in one list (1000000)",
			wantRequests: 1,
		},
		{
			// JSON allows a whole number in exponent form; 1e300 would overflow an int.
			name:         "total above the limit, exponent form",
			answer:       func(p int) string { return `{"content":[` + keysJSON(3*p, 3*p+3) + `],"totalElements":1e9}` },
			want:         keysPath + " (page 0): the server states 1000000000 API keys, more than apikeys reads in one list (1000000)",
			wantRequests: 1,
		},
		{
			name:         "total far above any int",
			answer:       func(p int) string { return `{"content":[` + keysJSON(3*p, 3*p+3) + `],"total":1e300}` },
			want:         keysPath + " (page 0): the server states 1099511627776 API keys, more than apikeys reads in one list (1000000)",
			wantRequests: 1,
		},
		{
			name: "empty page before the total",
			answer: func(p int) string {
				if p >= 2 {
					return `{"content":[],"total":9}`
				}
				return `{"content":[` + keysJSON(3*p, 3*p+3) + `],"total":9}`
			},
			want: keysPath + " (page 2): the key list ends early: the server states 9 keys, but page 2 holds 0 where page 0 held 3, after 6 keys in all\n" +
				"the list may have changed while it was read: try again",
			wantRequests: 3,
		},
		{
			name: "short page before the total",
			answer: func(p int) string {
				return `{"content":[` + keysJSON(3*p, 3*p+min(3, 3-p)) + `],"totalElements":30}`
			},
			want: keysPath + " (page 1): the key list ends early: the server states 30 keys, but page 1 holds 2 where page 0 held 3, after 5 keys in all\n" +
				"the list may have changed while it was read: try again",
			// The prefetcher may have asked for its window meanwhile, and one page more.
			wantRequests: 1 + keyPageWindow + 1,
			maxRequests:  true,
		},
	}
	for _, tt := range tests {
		for _, mode := range listModes {
			t.Run(tt.name+"/"+mode.name, func(t *testing.T) {
				c, requests := hostileKeyServer(t, tt.answer)
				keys, err := mode.list(c, context.Background(), defaultLimits)
				var pe *PagingError
				if !errors.As(err, &pe) {
					t.Fatalf("got %d keys and error %v, want a *PagingError", len(keys), err)
				}
				if err.Error() != tt.want {
					t.Errorf("error:\n%s\nwant:\n%s", err, tt.want)
				}
				if n := requests.Load(); n > tt.wantRequests || (!tt.maxRequests && n != tt.wantRequests) {
					t.Errorf("%d requests, want %s%d", n, map[bool]string{true: "at most "}[tt.maxRequests], tt.wantRequests)
				}
			})
		}
	}
}

// TestListStopsAtItsLimits: a server sending new keys forever, without a total, is stopped
// at the walk's key limit or its page limit, whichever comes first.
func TestListStopsAtItsLimits(t *testing.T) {
	endless := func(p int) string { return `{"content":[` + keysJSON(3*p, 3*p+3) + `]}` }
	tests := []struct {
		name     string
		limits   listLimits
		want     string
		requests int64
	}{
		{"pages", listLimits{keys: 1000, pages: 20}, keysPath + " (page 19): the key list goes on past 20 pages, more than apikeys reads in one list", 20},
		{"keys", listLimits{keys: 10, pages: 20}, keysPath + " (page 3): the key list goes on past 10 API keys, more than apikeys reads in one list", 4},
	}
	for _, tt := range tests {
		for _, mode := range listModes {
			t.Run(tt.name+"/"+mode.name, func(t *testing.T) {
				c, requests := hostileKeyServer(t, endless)
				_, err := mode.list(c, context.Background(), tt.limits)
				if err == nil || err.Error() != tt.want {
					t.Fatalf("error %v, want %s", err, tt.want)
				}
				if n := requests.Load(); n != tt.requests {
					t.Errorf("%d requests, want %d", n, tt.requests)
				}
			})
		}
	}
}

// TestListPrefetchStaysWithinItsWindow: while the page the walk waits for does not come,
// the prefetcher asks for no more than keyPageWindow pages, however many the stated total
// implies. The server holds page 1 until the client gives up, and the test gives up once
// the window is full.
func TestListPrefetchStaysWithinItsWindow(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var requests atomic.Int64
	var beyond atomic.Bool // a page past the window was asked for
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := requests.Add(1); n == 1+keyPageWindow {
			cancel()
		} else if n > hostileRequestLimit {
			http.Error(w, `{"message":"test server: too many requests"}`, http.StatusBadRequest)
			return
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page > keyPageWindow {
			beyond.Store(true)
		}
		if page == 1 {
			<-r.Context().Done()
			return
		}
		fmt.Fprintf(w, `{"content":[%s],"totalElements":1000000}`, keysJSON(page, page+1))
	}))
	defer srv.Close()
	c, err := New(Options{BaseURL: srv.URL, PageSize: 1, Retry: RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListAPIKeys(ctx, "org"); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want the cancellation", err)
	}
	if n := requests.Load(); n != 1+keyPageWindow || beyond.Load() {
		t.Fatalf("%d requests while page 1 was awaited (past page %d: %v), want page 0 and a window of %d", n, keyPageWindow, beyond.Load(), keyPageWindow)
	}
}

// TestListReadsCappedPagesWithATotal: a server that caps its page size below the one asked
// for and states its total has every page read, the last one short.
func TestListReadsCappedPagesWithATotal(t *testing.T) {
	const total, capSize = 20, 2
	for _, mode := range listModes {
		t.Run(mode.name, func(t *testing.T) {
			c, requests := hostileKeyServer(t, func(p int) string {
				return fmt.Sprintf(`{"content":[%s],"totalElements":%d}`, keysJSON(capSize*p, min(capSize*p+capSize, total)), total)
			})
			keys, err := mode.list(c, context.Background(), defaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if len(keys) != total {
				t.Fatalf("%d keys, want %d", len(keys), total)
			}
			for i, k := range keys {
				if k.ID != fmt.Sprintf("k%d", i) {
					t.Fatalf("key %d is %q: pages out of order", i, k.ID)
				}
			}
			if n := requests.Load(); n != total/capSize {
				t.Errorf("%d requests, want %d", n, total/capSize)
			}
		})
	}
}
