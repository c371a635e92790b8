package jmapcloud

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
)

// listModes are the two ways of walking the key list, which must agree on every server:
// keeping the keys (ListAPIKeys) and giving them page by page (ListAPIKeyPages, through
// listByPages).
var listModes = []struct {
	name string
	list func(c *Client, ctx context.Context, limits listLimits) ([]APIKey, error)
}{
	{"keys", func(c *Client, ctx context.Context, limits listLimits) ([]APIKey, error) {
		return c.listAPIKeys(ctx, "org", limits)
	}},
	{"pages", listByPages},
}

var defaultLimits = listLimits{keys: maxListKeys, pages: maxListPages}

// listByPages is the key list as a command using ListAPIKeyPages makes it: a copy of each
// page given to read, the pages the walk says make the list put together in order. It fails
// the walk's contract where it sees it broken: page 0 not given first, a page given
// twice, a page of the list never given.
func listByPages(c *Client, ctx context.Context, limits listLimits) ([]APIKey, error) {
	var (
		mu     sync.Mutex
		pages  = map[int][]APIKey{}
		broken error
	)
	n, err := c.listAPIKeyPages(ctx, "org", limits, func(p KeyPage) {
		mu.Lock()
		switch _, again := pages[p.Index]; {
		case again:
			broken = fmt.Errorf("page %d given to read twice", p.Index)
		case p.Index == 0 && len(pages) > 0:
			broken = fmt.Errorf("page 0 given to read after other pages")
		case p.Index > 0 && pages[0] == nil:
			broken = fmt.Errorf("page %d given to read before page 0", p.Index)
		}
		pages[p.Index] = slices.Clone(p.Keys)
		mu.Unlock()
	})
	mu.Lock()
	defer mu.Unlock()
	if broken != nil {
		return nil, fmt.Errorf("ListAPIKeyPages broke its contract: %w", broken)
	}
	if err != nil {
		return nil, err
	}
	var keys []APIKey
	for i := range n {
		page, ok := pages[i]
		if !ok {
			return nil, fmt.Errorf("ListAPIKeyPages broke its contract: page %d of %d never given to read", i, n)
		}
		keys = append(keys, page...)
	}
	return keys, nil
}

// TestListByPagesLeavesOutPagesPastTheList: a page larger than page 0 brings the list to its
// stated total early; the prefetcher has asked for the pages after it, which exist on this
// server, and were given to read, but the list ends before them.
func TestListByPagesLeavesOutPagesPastTheList(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		switch page {
		case 0:
			fmt.Fprintf(w, `{"content":[%s],"totalElements":9}`, keysJSON(0, 3))
		case 1:
			fmt.Fprintf(w, `{"content":[%s],"totalElements":9}`, keysJSON(3, 9)) // twice page 0's size
		default:
			fmt.Fprintf(w, `{"content":[%s],"totalElements":9}`, keysJSON(100*page, 100*page+3))
		}
	}))
	defer srv.Close()
	c, err := New(Options{BaseURL: srv.URL, PageSize: 3, Retry: RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range listModes {
		t.Run(mode.name, func(t *testing.T) {
			keys, err := mode.list(c, context.Background(), defaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, k := range keys {
				ids = append(ids, k.ID)
			}
			if want := []string{"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8"}; !slices.Equal(ids, want) {
				t.Fatalf("keys %v, want %v", ids, want)
			}
		})
	}
}
