package jmapcloud

import (
	"fmt"
	"hash/maphash"
	"slices"
)

// The limits of one walk of the key list, whatever the server states or sends: ten times
// the largest organization measured (100,000 keys, docs/performance.md), and pages enough
// for it with a server that caps its pages at 100 keys. Past either, the walk is an error.
const (
	maxListKeys  = 1_000_000
	maxListPages = 10_000
)

// listLimits are the limits of one walk: maxListKeys and maxListPages, lower in tests.
type listLimits struct{ keys, pages int }

// maxKeysPrealloc caps the room reserved from a page's total, which the server states: enough
// for the largest organization measured, 21 MB of keys at most before a single one arrived.
const maxKeysPrealloc = 1 << 17

// PagingError is a key list whose pages cannot make one complete list: a page repeats keys
// already read (a server that ignores ?page=), the pages end before the total they state,
// or the list goes on past the walk's limits. The walk stops at the first such page.
type PagingError struct {
	Path   string
	Page   int
	Reason string
}

func (e *PagingError) Error() string {
	return fmt.Sprintf("GET %s (page %d): %s", e.Path, e.Page, e.Reason)
}

// keyWalk collects the pages of one key list and decides, page by page, whether the list
// is complete, goes on, or cannot be read as one list.
type keyWalk struct {
	path   string
	limits listLimits
	// keep says the walk collects the keys themselves (ListAPIKeys). Otherwise it keeps only
	// their IDs, which tell a repeated key (ListAPIKeyPages).
	keep      bool
	keys      []APIKey
	ids       []string
	pageStart []int // pageStart[p] is the index in keys of page p's first key
	firstSize int   // the keys on page 0: the server's page size
	total     int   // the total page 0 stated (0: none)
	// seen holds the hash of each key ID read and its index in keys. A hash, not the ID: on
	// 100,000 keys a map of IDs took half the time of the rest of the walk. IDs whose hashes
	// agree where the table looks are told apart by comparing the IDs themselves.
	seen *idTable
	seed maphash.Seed
	// shared says the prefetcher reads pages into keys' array past len(keys) (rooms): the
	// walk may no longer write there itself.
	shared bool
}

// keyPageRooms are the slots of one preallocated array that the pages of a list are read
// into, one page's keys after the other's: page p's slot starts at p × size. Filling them
// in place spares a new array per page grown by doubling (32 MB of garbage on 100,000 keys),
// then the copy of each page into the list (docs/performance.md).
type keyPageRooms struct {
	all  []APIKey
	size int
}

// of is page's slot, at most size keys long and capped there (a page with more keys than that
// is read into a new array, never over the next page's slot), or nil if all has no room for it.
func (r keyPageRooms) of(page int) []APIKey {
	start := page * r.size
	if r.size <= 0 || page < 0 || start >= len(r.all) {
		return nil
	}
	end := min(start+r.size, len(r.all))
	return r.all[start:end:end]
}

// rooms hands the room left in keys' array past page 0 to the prefetcher. From then on the
// walk writes there only by taking pages read in place.
func (w *keyWalk) rooms() keyPageRooms {
	w.shared = true
	return keyPageRooms{all: w.keys[:cap(w.keys)], size: w.firstSize}
}

// take appends a page's keys to keys: in place when the page was read where it belongs in
// keys' array (its room), else by copying them, into a new array once the prefetcher shares
// this one.
func (w *keyWalk) take(items []APIKey) {
	n, have := len(items), len(w.keys)
	if n > 0 && have+n <= cap(w.keys) && &w.keys[:have+1][have] == &items[0] {
		w.keys = w.keys[:have+n]
		return
	}
	if w.shared {
		w.keys = append(w.keys[:have:have], items...) // never over a slot a worker fills
		w.shared = false
		return
	}
	w.keys = append(w.keys, items...)
}

// add takes page number page. done says the list is complete; an error, that the pages
// cannot make one.
func (w *keyWalk) add(page int, p pageOf[APIKey]) (done bool, err error) {
	fail := func(format string, args ...any) (bool, error) {
		return false, &PagingError{Path: w.path, Page: page, Reason: fmt.Sprintf(format, args...)}
	}
	if p.Total > w.limits.keys {
		return fail("the server states %d API keys, more than apikeys reads in one list (%d)", p.Total, w.limits.keys)
	}
	if page == 0 {
		w.firstSize, w.total = len(p.Items), p.Total
		room := min(max(p.Total, len(p.Items)), maxKeysPrealloc)
		if w.keep {
			w.keys = make([]APIKey, 0, room)
			// Written once here, before a collection can read it: fresh memory that the
			// collector scans first is mapped to the kernel's shared zero page, and each page's
			// first write by a worker is then a copy-on-write fault that flushes the other
			// processors' TLBs (a quarter of the CPU time of some runs on 100,000 keys;
			// docs/performance.md).
			clear(w.keys[:cap(w.keys)])
		} else {
			w.ids = make([]string, 0, room)
		}
		// A bare array is the whole list, but it may still hold one key twice.
		w.seen = newIDTable(room)
		w.seed = maphash.MakeSeed()
	}
	if page > 0 && w.total > 0 && p.Total > 0 && p.Total != w.total {
		// A total that moves is a list that changed while it was read, or a server whose
		// pages never end (a total grown by a page each time): the pages cannot make one
		// list, and reading on would only fill memory up to the limits.
		return fail("the key list changed while it was read: page 0 stated %d keys, page %d states %d\n"+
			"try again", w.total, page, p.Total)
	}
	if j, i, ok := w.repeated(p.Items); ok {
		if j >= w.read() {
			return fail("the key list holds key %s twice on page %d\n"+
				"the list may have changed while it was read: try again", quoteServerText(p.Items[i].ID), page)
		}
		first, found := slices.BinarySearch(w.pageStart, j)
		if !found {
			first--
		}
		return fail("the key list repeats itself: key %s is on page %d and again on page %d\n"+
			"the server ignores paging, or the list changed while it was read: try again", quoteServerText(p.Items[i].ID), first, page)
	}
	w.pageStart = append(w.pageStart, w.read())
	if w.keep {
		w.take(p.Items)
	} else {
		for i := range p.Items {
			w.ids = append(w.ids, p.Items[i].ID)
		}
	}
	if w.read() > w.limits.keys {
		return fail("the key list goes on past %d API keys, more than apikeys reads in one list", w.limits.keys)
	}
	switch {
	case !p.Paged:
		return true, nil // a bare array: a server that does not page answered everything
	case p.Total > 0 && w.read() >= p.Total:
		return true, nil
	case p.Total > 0 && len(p.Items) < w.firstSize:
		return fail("the key list ends early: the server states %d keys, but page %d holds %d where page 0 held %d, after %d keys in all\n"+
			"the list may have changed while it was read: try again", p.Total, page, len(p.Items), w.firstSize, w.read())
	case len(p.Items) == 0 && p.Total > 0:
		return fail("the key list ends early: the server states %d keys, but page %d is empty after %d\n"+
			"the list may have changed while it was read: try again", p.Total, page, w.read())
	case len(p.Items) == 0:
		// Without a stated total, only an empty page ends the walk: a server may cap its page
		// size below the one asked for, so a short page proves nothing.
		return true, nil
	case page+1 >= w.limits.pages:
		return fail("the key list goes on past %d pages, more than apikeys reads in one list", w.limits.pages)
	}
	return false, nil
}

// repeated finds the first of items whose ID was read before, at items[i], and where it
// was read: keys[j], or items[j-len(keys)] earlier on the same page. It records the others.
func (w *keyWalk) repeated(items []APIKey) (j, i int, ok bool) {
	read := w.read()
	idAt := func(j int) string {
		if j < read {
			return w.id(j)
		}
		return items[j-read].ID
	}
	if !w.seen.fits(len(items)) {
		// More keys than page 0's total announced (or than maxKeysPrealloc): every key in the
		// table is one already read, whose IDs give the hashes again.
		w.seen = w.seen.grown(2*(w.seen.n+len(items)), func(j int) uint64 { return maphash.String(w.seed, w.id(j)) })
	}
	for i := range items {
		id := items[i].ID
		if id == "" {
			continue // a key without an ID cannot repeat one; the limits still bound such pages
		}
		if j, ok := w.seen.find(maphash.String(w.seed, id), read+i, func(j int) bool { return idAt(j) == id }); ok {
			return j, i, true
		}
	}
	return 0, 0, false
}

// read is how many keys the walk has taken so far.
func (w *keyWalk) read() int {
	if w.keep {
		return len(w.keys)
	}
	return len(w.ids)
}

// id is the ID of the walk's key number j.
func (w *keyWalk) id(j int) string {
	if w.keep {
		return w.keys[j].ID
	}
	return w.ids[j]
}
