package keyselect

import (
	"sync"
	"time"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
)

// PageRows converts and filters the key list page by page, as jmapcloud's ListAPIKeyPages
// gives the pages to Read, while the next ones arrive; Rows then gives the rows of the pages
// that make the list: those FilterRows gives for the whole list, in the same order, with the
// malformed keys told alike. The keys themselves are never held whole: on 100,000 keys that
// spares the list's 15 MB array and the conversion after the last page (docs/performance.md).
//
// Each page's rows are written into its own room of one array, page p's from p × the size of
// page 0, and moved down together at the end, as FilterRows moves its parts.
type PageRows struct {
	filters []output.Filter
	now     time.Time

	rows []output.Key // the rooms, allocated when page 0 comes
	size int          // page 0's keys: the size of a room

	mu    sync.Mutex
	pages []pageResult // by page index
}

// pageResult is what converting one page gave.
type pageResult struct {
	keys      int          // the page's keys
	rows      []output.Key // its rows, in its room or, when they do not fit, in their own array
	inRoom    bool
	malformed []malformedKey
}

// malformedKey is a copy of a malformed key of a page, whose array the walk reads into again,
// and what FilterRows would tell of it.
type malformedKey struct {
	key   jmapcloud.APIKey
	field string
}

// maxRowsPrealloc caps the rooms made from page 0's stated total, the server's word.
const maxRowsPrealloc = 1 << 17

// NewPageRows converts pages to rows that every filter matches, at now.
func NewPageRows(filters []output.Filter, now time.Time) *PageRows {
	return &PageRows{filters: filters, now: now}
}

// Read converts a page; ListAPIKeyPages calls it, for page 0 first, then for several pages at
// once.
func (r *PageRows) Read(p jmapcloud.KeyPage) {
	if p.Index == 0 {
		// Alone: no other page is read until page 0's Read has returned. The array is not
		// written here: the rooms a filter leaves partly empty are never touched, so never
		// given memory.
		r.size = len(p.Keys)
		r.rows = make([]output.Key, min(max(p.Total, len(p.Keys)), maxRowsPrealloc))
	}
	res := pageResult{keys: len(p.Keys)}
	malformed := func(k *jmapcloud.APIKey, field string) {
		res.malformed = append(res.malformed, malformedKey{*k, field})
	}
	if room := r.room(p.Index, len(p.Keys)); room != nil && filterParts(len(p.Keys)) <= 1 {
		var part filterPart
		res.rows = part.filter(room, p.Keys, 0, r.filters, r.now)
		res.inRoom = true
		part.tell(p.Keys, malformed)
	} else {
		// A page with no room (past the total page 0 stated, or larger than page 0), or one
		// long enough to be converted in parts: a server that does not page sends the whole
		// list at once.
		res.rows = FilterRows(p.Keys, r.filters, r.now, malformed)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if p.Index >= len(r.pages) {
		r.pages = append(r.pages, make([]pageResult, p.Index+1-len(r.pages))...)
	}
	r.pages[p.Index] = res
}

// room is the empty start of page's room, for the rows of its n keys, or nil if it has none:
// a page larger than page 0, or past the array (the last room may be short).
func (r *PageRows) room(page, n int) []output.Key {
	start := page * r.size
	if n > r.size || start+n > len(r.rows) {
		return nil
	}
	return r.rows[start:start:min(start+r.size, len(r.rows))]
}

// Rows are the rows of pages [0, pages), in order, the list ListAPIKeyPages read; keys is how
// many keys those pages held. The malformed keys are told to malformedKey in the list's
// order, as FilterRows tells them. Rows is called once, after the walk.
func (r *PageRows) Rows(pages int, malformedKey func(k *jmapcloud.APIKey, field string)) (rows []output.Key, keys int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	pages = min(pages, len(r.pages))
	kept, inPlace := 0, true
	for i := range r.pages[:pages] {
		kept += len(r.pages[i].rows)
		inPlace = inPlace && r.pages[i].inRoom
	}
	if inPlace {
		// Moved down in page order: page p's rows go to where the rows before it end, never
		// past its own room's start, so never over a page not moved yet.
		rows = r.rows[:0]
		for i := range r.pages[:pages] {
			page := r.pages[i].rows
			if n := len(rows); len(page) > 0 && &r.rows[n] != &page[0] {
				copy(r.rows[n:], page)
			}
			rows = r.rows[:len(rows)+len(page)]
		}
		// The moved rows' old places, past the list's end: nothing of a left-out key stays
		// reachable. Only what was written is cleared: the rest of the rooms was never touched.
		for i := range r.pages[:pages] {
			start := i * r.size
			if end := start + len(r.pages[i].rows); end > len(rows) {
				clear(r.rows[max(start, len(rows)):end])
			}
		}
	} else {
		rows = make([]output.Key, 0, kept)
		for i := range r.pages[:pages] {
			rows = append(rows, r.pages[i].rows...)
		}
	}
	for i := range r.pages[:pages] {
		res := &r.pages[i]
		keys += res.keys
		for j := range res.malformed {
			malformedKey(&res.malformed[j].key, res.malformed[j].field)
		}
	}
	r.pages, r.rows = nil, nil
	return rows, keys
}
