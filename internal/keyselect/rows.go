package keyselect

import (
	"runtime"
	"sync"
	"time"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
)

// Row turns an API key into the row every output format prints. A key whose expiry is
// unreadable has the status "unknown" (an empty expiry would mean "never expires").
func Row(k jmapcloud.APIKey, now time.Time) output.Key {
	status := output.KeyStatus(k.ExpirationDate, now)
	if k.Problems().ExpirationDate != "" {
		status = output.StatusUnknown
	}
	return output.NormalizeKey(output.Key{
		ID:      k.ID,
		Title:   k.Title,
		Role:    output.RoleName(k.Role),
		Creator: k.CreatedBy,
		Email:   k.Email,
		Created: k.CreationDate,
		Expires: k.ExpirationDate,
		Status:  status,
	}, now)
}

// FilterRows converts and filters in one pass, as output.FilterKeys over every converted key
// would, without a second slice of every key: on 100,000 keys that copy alone is 14 MB of the
// list command's peak memory (docs/performance.md). Malformed keys (see Malformed) are told
// to malformedKey, in the keys' order: kept ones with field "", left-out undecided ones with
// the field a filter needed.
//
// A long list is converted in parts at once, one per processor, each into its own part of
// the result, then the parts are moved together: on 100,000 keys the conversion was 23 ms of
// the list command's time after the last page, on one core of two (docs/performance.md).
func FilterRows(keys []jmapcloud.APIKey, filters []output.Filter, now time.Time, malformedKey func(k *jmapcloud.APIKey, field string)) []output.Key {
	parts := filterParts(len(keys))
	if parts <= 1 {
		rows := make([]output.Key, 0, len(keys))
		p := filterPart{}
		rows = p.filter(rows, keys, 0, filters, now)
		p.tell(keys, malformedKey)
		return rows
	}
	rows := make([]output.Key, len(keys))
	results := make([]filterPart, parts)
	var wg sync.WaitGroup
	for i := range parts {
		lo, hi := len(keys)*i/parts, len(keys)*(i+1)/parts
		wg.Go(func() {
			// Written first, each part by its own goroutine: fresh memory read first by the
			// collector is the kernel's zero page, and a first write there a copy-on-write
			// fault that flushes the other processors' TLBs (docs/performance.md).
			clear(rows[lo:hi])
			results[i].kept = len(results[i].filter(rows[lo:lo:hi], keys[lo:hi], lo, filters, now))
		})
	}
	wg.Wait()
	n, end := 0, 0
	for i := range results {
		lo := len(keys) * i / parts
		n += copy(rows[n:], rows[lo:lo+results[i].kept]) // moved down, never over a part not yet moved
		end = lo + results[i].kept
		results[i].tell(keys, malformedKey)
	}
	clear(rows[n:end]) // the moved rows' old places: nothing of a left-out key stays reachable
	return rows[:n]
}

// filterParts is how many parts FilterRows converts a list of n keys in.
func filterParts(n int) int {
	if n < filterPartsFrom {
		return 1
	}
	return min(runtime.GOMAXPROCS(0), 4, n/(filterPartsFrom/2))
}

// filterPartsFrom is the list length from which FilterRows converts in parts: shorter lists
// are not worth the goroutines.
const filterPartsFrom = 8192

// filterPart is what converting one part of the keys found: how many rows it kept, and its
// malformed keys, told to malformedKey once every part is done.
type filterPart struct {
	kept      int
	malformed []malformedAt
}

type malformedAt struct {
	index int
	field string
}

// filter appends to rows the rows of keys (which start at index from of the whole list) that
// every filter matches.
func (p *filterPart) filter(rows []output.Key, keys []jmapcloud.APIKey, from int, filters []output.Filter, now time.Time) []output.Key {
next:
	for i := range keys {
		row := Row(keys[i], now)
		if Malformed(&keys[i]) {
			keep, field := matchMalformed(&keys[i], row, filters)
			if keep || field != "" {
				p.malformed = append(p.malformed, malformedAt{from + i, field})
			}
			if keep {
				rows = append(rows, row)
			}
			continue
		}
		for _, f := range filters {
			if !f.Match(row) {
				continue next
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func (p *filterPart) tell(keys []jmapcloud.APIKey, malformedKey func(k *jmapcloud.APIKey, field string)) {
	for _, m := range p.malformed {
		malformedKey(&keys[m.index], m.field)
	}
}
