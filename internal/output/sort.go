package output

import (
	"cmp"
	"encoding/binary"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// SortKey is one item of a --sort list: a field of the key vocabulary and a
// direction.
type SortKey struct {
	Field string // a name from KeyFieldNames
	Desc  bool
}

// String gives the item back in --sort syntax ("-expires").
func (s SortKey) String() string {
	if s.Desc {
		return "-" + s.Field
	}
	return s.Field
}

// ParseSort reads a --sort list such as "-expires,title": comma-separated
// field names, each optionally prefixed by "-" (descending) or "+"
// (ascending, the default). Names are case-insensitive; empty items are
// ignored, so "" gives no keys (the default order). An unknown name is a
// *UsageError listing the valid ones.
func ParseSort(spec string) ([]SortKey, error) {
	var keys []SortKey
	for _, item := range splitList(spec) {
		name, desc := item, false
		if name[0] == '-' || name[0] == '+' {
			desc = name[0] == '-'
			name = strings.TrimSpace(name[1:])
		}
		if name == "" {
			return nil, usageErrorf("sort item %q has no field name (valid: %s)", item, validFieldList())
		}
		id, ok := lookupField(name)
		if !ok {
			return nil, usageErrorf("unknown sort key %q (valid: %s; prefix with - for descending)", name, validFieldList())
		}
		keys = append(keys, SortKey{Field: id.name(), Desc: desc})
	}
	return keys, nil
}

// SortKeys sorts keys in place, stably. It orders by each item of by in
// turn, then by the default order — expires ascending (soonest first: what
// needs attention), then title (case-insensitive, then case-sensitive), then
// id — so the output never depends on the order the API returned. An empty
// by gives just the default order. Items naming unknown fields are ignored
// (ParseSort rejects them).
//
// Fields compare as documented in the package comment; an unset expiry
// (never expires) sorts after every date, an unset creation date before.
func SortKeys(keys []Key, by []SortKey) {
	crit := sortCriteria(by)
	// The keys are sorted as small entries without pointers, holding what the first
	// criteria compare computed once per key, and the key's position, which is also the last
	// tiebreak, so the sort is stable: a date as seconds and nanoseconds (or a role's or
	// status's rank), and the first text criterion's leading bytes folded to lower case. The
	// comparison reads the keys themselves only when those do not decide. Following a pointer
	// to each key and reading its date, then folding titles, on every comparison was most of
	// the sort's time on 100,000 keys (docs/performance.md).
	type entry struct {
		sec    int64
		prefix [2]uint64
		nsec   int32
		pos    int32
		folded int8 // how many of prefix hold the text's folded leading bytes: 0, 1 or 2
	}
	first := crit[0]
	// from is the first criterion the compact values leave undecided when they are equal: a
	// date's are exact, a rank's are not (two spellings of one role).
	from := 0
	if first.id.kind() == kindDate {
		from = 1
	}
	text := -1 // the criterion whose prefix the entries hold
	if from < len(crit) && crit[from].id.kind() == kindString {
		text = from
	}
	entries := make([]entry, len(keys))
	fill := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			k := &keys[i]
			e := entry{pos: int32(i)}
			e.sec, e.nsec = compactKey(first.id, k)
			if first.desc {
				e.sec, e.nsec = -e.sec, -e.nsec
			}
			if text >= 0 {
				e.prefix, e.folded = foldedPrefix(crit[text].id.str(k))
			}
			entries[i] = e
		}
	}
	// The date's comparison is written out in compare and in firstSort below rather than
	// called: a call in the comparison made BenchmarkSortKeysSandbox a quarter slower or more.
	compare := func(a, b entry) int {
		switch {
		case a.sec != b.sec:
			return cmp.Compare(a.sec, b.sec)
		case a.nsec != b.nsec:
			return cmp.Compare(a.nsec, b.nsec)
		case a.folded > 0 && b.folded > 0 && a.prefix[0] != b.prefix[0]:
			if crit[text].desc {
				return cmp.Compare(b.prefix[0], a.prefix[0])
			}
			return cmp.Compare(a.prefix[0], b.prefix[0])
		case a.folded > 1 && b.folded > 1 && a.prefix[1] != b.prefix[1]:
			// The first 8 bytes are the same ASCII bytes, folded, in both: the next 8 are
			// compared as compareText would too. Titles of one kind share their first 8 bytes
			// ("Webhook relay #12"), and reading the keys to compare them was most of the time
			// of sorting the runs of one date (docs/performance.md).
			if crit[text].desc {
				return cmp.Compare(b.prefix[1], a.prefix[1])
			}
			return cmp.Compare(a.prefix[1], b.prefix[1])
		}
		ka, kb := &keys[a.pos], &keys[b.pos]
		for _, c := range crit[from:] {
			if r := compareField(c.id, ka, kb); r != 0 {
				if c.desc {
					return -r
				}
				return r
			}
		}
		return int(a.pos - b.pos)
	}
	// The position decides every tie, so compare is a total order: any sort of the entries
	// gives the same permutation, and sorting parts at once then merging them gives it too.
	//
	// A date first is sorted by the date (and position) alone, then each run of one date by
	// the rest. Dates tie often (an expiry is a day picked in the portal), and the keys of a
	// run are then read a few at a time, while they are in the cache, instead of across the
	// whole list at each comparison: on the sandbox's 33,334 editors the sort took 27 ms that
	// way, most of it waiting on memory (docs/performance.md).
	firstSort := compare
	if from > 0 {
		firstSort = func(a, b entry) int {
			switch {
			case a.sec != b.sec:
				return cmp.Compare(a.sec, b.sec)
			case a.nsec != b.nsec:
				return cmp.Compare(a.nsec, b.nsec)
			}
			return int(a.pos - b.pos)
		}
	}
	parts := sortParts(len(entries))
	if parts > 1 {
		entries = sortInParts(entries, parts, fill, firstSort)
	} else {
		fill(0, len(entries))
		slices.SortFunc(entries, firstSort)
	}
	if from > 0 {
		sortRuns(entries, parts, func(a, b entry) bool { return a.sec == b.sec && a.nsec == b.nsec }, compare)
	}
	// Apply the permutation in place, one cycle at a time: entries[j].pos is
	// where the key that belongs at j comes from; -1 marks a placed key.
	for i := range entries {
		if entries[i].pos < 0 || int(entries[i].pos) == i {
			continue
		}
		saved := keys[i]
		for j := i; ; {
			src := int(entries[j].pos)
			entries[j].pos = -1
			if src == i {
				keys[j] = saved
				break
			}
			keys[j] = keys[src]
			j = src
		}
	}
}

// parallelSortFrom is the list length from which SortKeys sorts parts of the list at once,
// one per processor (at most maxSortParts): 100,000 keys took 26 ms to sort on one core of
// two, about half of that in two parts and their merge (docs/performance.md). Shorter lists
// are not worth the goroutines.
const (
	parallelSortFrom = 8192
	maxSortParts     = 4
)

// sortParts is how many parts a list of n entries is sorted in.
func sortParts(n int) int {
	if n < parallelSortFrom {
		return 1
	}
	return min(runtime.GOMAXPROCS(0), maxSortParts, n/(parallelSortFrom/2))
}

// sortInParts fills and sorts parts of entries at once, each in its own goroutine, then
// merges them two at a time; it returns the sorted entries (in entries or in a buffer of the
// same length).
func sortInParts[E any](entries []E, parts int, fill func(lo, hi int), compare func(a, b E) int) []E {
	bounds := make([]int, parts+1)
	for i := range bounds {
		bounds[i] = len(entries) * i / parts
	}
	var wg sync.WaitGroup
	for p := range parts {
		wg.Go(func() {
			fill(bounds[p], bounds[p+1])
			slices.SortFunc(entries[bounds[p]:bounds[p+1]], compare)
		})
	}
	wg.Wait()
	buf := make([]E, len(entries))
	for len(bounds) > 2 {
		var next []int
		for i := 0; i+1 < len(bounds); i += 2 {
			lo := bounds[i]
			if i+2 >= len(bounds) { // an odd part out: copied as it is
				copy(buf[lo:], entries[lo:])
				next = append(next, lo)
				continue
			}
			mid, hi := bounds[i+1], bounds[i+2]
			wg.Go(func() { mergeInto(buf[lo:hi], entries[lo:mid], entries[mid:hi], compare) })
			next = append(next, lo)
		}
		next = append(next, len(entries))
		wg.Wait()
		entries, buf, bounds = buf, entries, next
	}
	return entries
}

// sortRuns sorts each run of entries that same finds equal with compare, the runs shared
// out among parts goroutines; the entries are in order of what same compares.
func sortRuns[E any](entries []E, parts int, same func(a, b E) bool, compare func(a, b E) int) {
	sortRunsIn := func(lo, hi int) { // [lo, hi) starts and ends with a run
		for i := lo; i < hi; {
			j := i + 1
			for j < hi && same(entries[i], entries[j]) {
				j++
			}
			if j-i > 1 {
				slices.SortFunc(entries[i:j], compare)
			}
			i = j
		}
	}
	if parts <= 1 {
		sortRunsIn(0, len(entries))
		return
	}
	// Each goroutine sorts the runs of its share, which starts at a run's start and ends at
	// the next share's: it reads no entry another goroutine moves.
	bounds := make([]int, parts+1)
	for p := range bounds {
		b := len(entries) * p / parts
		for b > 0 && b < len(entries) && same(entries[b-1], entries[b]) {
			b++
		}
		bounds[p] = max(b, bounds[max(p-1, 0)])
	}
	bounds[parts] = len(entries)
	var wg sync.WaitGroup
	for p := range parts {
		wg.Go(func() { sortRunsIn(bounds[p], bounds[p+1]) })
	}
	wg.Wait()
}

// mergeInto merges the sorted a and b into dst, of their total length; of two equal entries
// a's comes first.
func mergeInto[E any](dst, a, b []E, compare func(a, b E) int) {
	i, j, k := 0, 0, 0
	for i < len(a) && j < len(b) {
		if compare(b[j], a[i]) < 0 {
			dst[k] = b[j]
			j++
		} else {
			dst[k] = a[i]
			i++
		}
		k++
	}
	k += copy(dst[k:], a[i:])
	copy(dst[k:], b[j:])
}

// foldedPrefix is s's first 16 bytes lower-cased, as two big-endian words, zero-padded when
// s is shorter, and how many of the words are such bytes: only while those bytes are ASCII
// (a second word only after a first whole one). Two words that differ, the first ones or the
// second ones after equal first ones, order their texts as compareText does (the first
// difference is within both words, or one text ends first and its padding is lower); equal
// ones decide nothing.
func foldedPrefix(s string) (p [2]uint64, words int8) {
	for w := range p {
		var b [8]byte
		copy(b[:], s[min(8*w, len(s)):])
		x := binary.BigEndian.Uint64(b[:])
		if x&0x8080808080808080 != 0 {
			return p, words // unicode.ToLower may map such a byte's rune below 0x80 (the Kelvin sign is k)
		}
		// Eight ASCII bytes at once: adding 0x3f sets a byte's high bit from 'A' up, adding
		// 0x25 from past 'Z' up (no byte carries into the next, each being under 0x80); the
		// bits that differ mark the capitals, which 0x20 more folds.
		upper := ((x + 0x3f3f3f3f3f3f3f3f) ^ (x + 0x2525252525252525)) & 0x8080808080808080
		p[w] = x | upper>>2
		words++
	}
	return p, words
}

// criterion is one field of the order and its direction.
type criterion struct {
	id   fieldID
	desc bool
}

// sortCriteria is by, then the default order (expires, title, id), each field once: a field
// that comes again later can never decide between keys the first time found equal.
func sortCriteria(by []SortKey) []criterion {
	crit := make([]criterion, 0, len(by)+3)
	var seen [numFields]bool
	add := func(id fieldID, desc bool) {
		if !seen[id] {
			seen[id] = true
			crit = append(crit, criterion{id, desc})
		}
	}
	for _, s := range by {
		if id, ok := lookupField(s.Field); ok {
			add(id, s.Desc)
		}
	}
	for _, id := range [...]fieldID{fieldExpires, fieldTitle, fieldIDKey} {
		add(id, false)
	}
	return crit
}

// compactKey is what id's comparison orders k by first, as two numbers compared in turn: a
// date's seconds and nanoseconds (as comparableTime places it), a role's or status's rank.
// A text field has none (0, 0): its keys are all equal here and compareField decides.
func compactKey(id fieldID, k *Key) (int64, int32) {
	switch id.kind() {
	case kindDate:
		t := comparableTime(id, id.date(k))
		return t.Unix(), int32(t.Nanosecond())
	case kindRole:
		return int64(roleRank(k.Role)), 0
	case kindStatus:
		return int64(statusRank(k.Status)), 0
	}
	return 0, 0
}

// compareField compares one field of two keys by the field's meaning.
func compareField(id fieldID, a, b *Key) int {
	switch id.kind() {
	case kindDate:
		ta, tb := comparableTime(id, id.date(a)), comparableTime(id, id.date(b))
		return ta.Compare(tb)
	case kindRole:
		if c := roleRank(a.Role) - roleRank(b.Role); c != 0 {
			return sign(c)
		}
	case kindStatus:
		if c := statusRank(a.Status) - statusRank(b.Status); c != 0 {
			return sign(c)
		}
	}
	return compareText(id.str(a), id.str(b))
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
