package jmapcloud

import (
	"context"
	"sync"
	"sync/atomic"
)

// keyPageWorkers is how many pages of the key list are requested at once after the first.
// The list is most of what a command waits for on a large organization, and the server
// works on several pages at the same time: against the sandbox on 2 cores, `apikeys list`
// of 10,000 keys in pages of 1,000 took 93 ms with 1 request in flight, 73 ms with 2 and
// 72 ms with 4 or 8 (docs/performance.md).
const keyPageWorkers = 4

// keyPageWindow bounds the pages fetched ahead of the one the walk is reading, requests in
// flight included: whatever total a server states, the prefetcher holds at most this many
// pages.
const keyPageWindow = 2 * keyPageWorkers

// keyPrefetch fetches pages [from, end) of the key list in the background, at most
// keyPageWindow pages ahead of the one the walk waits for.
type keyPrefetch struct {
	from, end int
	// slots[(page-from)%len(slots)] receives page's result. A worker claims a page only once
	// it holds one of the len(slots) tokens, which wait gives back as it takes a page, so the
	// pages claimed and not taken are fewer than len(slots) after the one awaited: no two
	// share a slot, and no send blocks.
	slots  []chan keyPageResult
	tokens chan struct{}
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

type keyPageResult struct {
	page pageOf[APIKey]
	err  error
}

// prefetchKeyPages starts keyPageWorkers goroutines that fetch pages [from, end) in
// increasing order, each with fetch (keyPageFetcher), so that every request goes through the
// same retries and token refresh as a page fetched in line.
func prefetchKeyPages(ctx context.Context, from, end int, fetch func(context.Context, int) (pageOf[APIKey], error)) *keyPrefetch {
	if end <= from {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	window := min(keyPageWindow, end-from)
	f := &keyPrefetch{from: from, end: end, slots: make([]chan keyPageResult, window), tokens: make(chan struct{}, window), cancel: cancel}
	for i := range f.slots {
		f.slots[i] = make(chan keyPageResult, 1)
	}
	var next atomic.Int64
	next.Store(int64(from))
	for range min(keyPageWorkers, window) {
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			for {
				select {
				case f.tokens <- struct{}{}:
				case <-ctx.Done():
					return
				}
				page := int(next.Add(1) - 1)
				if page >= end {
					return
				}
				p, err := fetch(ctx, page)
				f.slots[(page-from)%len(f.slots)] <- keyPageResult{p, err}
			}
		}()
	}
	return f
}

// has reports whether page is among the prefetched ones.
func (f *keyPrefetch) has(page int) bool { return f != nil && page >= f.from && page < f.end }

// wait returns the prefetched page, or ctx's error if it ends first. Pages are waited for
// in increasing order.
func (f *keyPrefetch) wait(ctx context.Context, page int) (pageOf[APIKey], error) {
	select {
	case r := <-f.slots[(page-f.from)%len(f.slots)]:
		<-f.tokens
		return r.page, r.err
	case <-ctx.Done():
		return pageOf[APIKey]{}, ctx.Err()
	}
}

// stop cancels the requests still running and waits for the workers to end.
func (f *keyPrefetch) stop() {
	if f == nil {
		return
	}
	f.cancel()
	f.wg.Wait()
}
