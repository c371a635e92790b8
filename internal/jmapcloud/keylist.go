package jmapcloud

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
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
	path      string
	limits    listLimits
	keys      []APIKey
	pageStart []int // pageStart[p] is the index in keys of page p's first key
	firstSize int   // the keys on page 0: the server's page size
	// seen maps the hash of each key ID read to its index in keys. A hash, not the ID: on
	// 100,000 keys the map of IDs took half the time of the rest of the walk. Two IDs of
	// the same hash are told apart by comparing the IDs themselves.
	seen map[uint64]int32
	seed maphash.Seed
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
		w.firstSize = len(p.Items)
		w.keys = make([]APIKey, 0, min(max(p.Total, len(p.Items)), maxKeysPrealloc))
		if p.Paged { // a bare array is the whole list: it has no pages to repeat keys of
			w.seen = make(map[uint64]int32, cap(w.keys))
			w.seed = maphash.MakeSeed()
		}
	}
	if w.seen != nil {
		if j, i, ok := w.repeated(p.Items); ok {
			first, found := slices.BinarySearch(w.pageStart, j)
			if !found {
				first--
			}
			if j >= len(w.keys) {
				first = page
			}
			return fail("the key list repeats itself: key %s is on page %d and again on page %d\n"+
				"the server ignores paging, or the list changed while it was read: try again", quoteServerText(p.Items[i].ID), first, page)
		}
	}
	w.pageStart = append(w.pageStart, len(w.keys))
	w.keys = append(w.keys, p.Items...)
	if len(w.keys) > w.limits.keys {
		return fail("the key list goes on past %d API keys, more than apikeys reads in one list", w.limits.keys)
	}
	switch {
	case !p.Paged:
		return true, nil // a bare array: a server that does not page answered everything
	case p.Total > 0 && len(w.keys) >= p.Total:
		return true, nil
	case p.Total > 0 && len(p.Items) < w.firstSize:
		return fail("the key list ends early: the server states %d keys, but page %d holds %d where page 0 held %d, after %d keys in all\n"+
			"the list may have changed while it was read: try again", p.Total, page, len(p.Items), w.firstSize, len(w.keys))
	case len(p.Items) == 0 && p.Total > 0:
		return fail("the key list ends early: the server states %d keys, but page %d is empty after %d\n"+
			"the list may have changed while it was read: try again", p.Total, page, len(w.keys))
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
	idAt := func(j int) string {
		if j < len(w.keys) {
			return w.keys[j].ID
		}
		return items[j-len(w.keys)].ID
	}
	for i := range items {
		id := items[i].ID
		if id == "" {
			continue // a key without an ID cannot repeat one; the limits still bound such pages
		}
		h := maphash.String(w.seed, id)
		if j, ok := w.seen[h]; ok {
			if idAt(int(j)) == id {
				return int(j), i, true
			}
			continue // another ID of the same hash: too rare to be worth a second map
		}
		w.seen[h] = int32(len(w.keys) + i)
	}
	return 0, 0, false
}

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
// increasing order. Every request goes through the same retries and token refresh as a
// page fetched in line.
func (c *Client) prefetchKeyPages(ctx context.Context, org string, from, end int) *keyPrefetch {
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
				p, err := c.listKeysPage(ctx, org, page)
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

// keyPage is one answer of the api-keys list. Its body is decoded by decodeKeyPage rather
// than by the general path (unwrapResult, pageOf, APIKey.UnmarshalJSON), which reads every
// key through a map of raw messages: about 12 µs and 48 allocations a key, two thirds of the
// time of `apikeys list` on 10,000 keys.
type keyPage struct{ pageOf[APIKey] }

// decodeBody decodes body with the single-pass reader when the body has one of the usual
// shapes, and otherwise with the general path, which then also words any error.
func (p *keyPage) decodeBody(body []byte) error {
	if fast, ok := decodeKeyPageFast(body); ok {
		p.pageOf = fast
		return nil
	}
	p.pageOf = pageOf[APIKey]{}
	return json.Unmarshal(unwrapResult(body), &p.pageOf)
}

// decodeKeyPageFast reads, in one pass and without reflection, the shapes the service is
// known or assumed to answer: a bare array of keys, or a page object (content or items,
// totalElements or total), either one possibly inside the {"message","result"} envelope.
// It gives up (ok false) on anything it is not sure to read exactly as the general path
// would: invalid JSON, an escaped or non-ASCII member name, a name that differs from a
// known one only in case (encoding/json would match it), a repeated known name, a value of
// an unexpected type, an unreadable date, a negative total. For every body it accepts, the
// result equals the general path's (FuzzKeyPageFastPathAgrees checks this).
func decodeKeyPageFast(body []byte) (p pageOf[APIKey], ok bool) {
	r := &jsonReader{b: body, creators: map[string]string{}}
	switch r.peek() {
	case '[':
		p.Items, ok = r.keyArray()
	case '{':
		p, ok = r.topObject()
	}
	if r.peek(); !ok || r.i != len(body) {
		return pageOf[APIKey]{}, false
	}
	return p, true
}

// jsonReader is a strict reader of JSON text held in memory.
type jsonReader struct {
	b []byte
	i int
	// creators interns creator names: thousands of keys share a handful of them.
	creators map[string]string
}

// maxSkipDepth bounds the nesting of skipped values; deeper text is left to the general path.
const maxSkipDepth = 64

// peek skips white space and returns the next byte, or 0 at the end.
func (r *jsonReader) peek() byte {
	for r.i < len(r.b) {
		switch c := r.b[r.i]; c {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return c
		}
	}
	return 0
}

// eat consumes c if it is the next byte after white space.
func (r *jsonReader) eat(c byte) bool {
	if r.peek() == c {
		r.i++
		return true
	}
	return false
}

// rawString reads a string and returns it with its quotes; plain says it has neither escapes
// nor bytes beyond ASCII, so its content can be used as it is.
func (r *jsonReader) rawString() (quoted []byte, plain, ok bool) {
	if r.peek() != '"' {
		return nil, false, false
	}
	start := r.i
	plain = true
	for j := start + 1; j < len(r.b); j++ {
		switch c := r.b[j]; {
		case c == '"':
			r.i = j + 1
			return r.b[start:r.i], plain, true
		case c < 0x20:
			return nil, false, false
		case c >= utf8.RuneSelf:
			plain = false
		case c == '\\':
			plain = false
			if j+1 >= len(r.b) {
				return nil, false, false
			}
			j++
			switch r.b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(r.b) {
					return nil, false, false
				}
				for _, h := range r.b[j+1 : j+5] {
					if !isHex(h) {
						return nil, false, false
					}
				}
				j += 4
			default:
				return nil, false, false
			}
		}
	}
	return nil, false, false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// str reads a string value as encoding/json would decode it.
func (r *jsonReader) str() (string, bool) {
	quoted, plain, ok := r.rawString()
	if !ok {
		return "", false
	}
	content := quoted[1 : len(quoted)-1]
	if plain || (!hasByte(content, '\\') && utf8.Valid(content)) {
		return string(content), true
	}
	var s string
	if json.Unmarshal(quoted, &s) != nil {
		return "", false
	}
	return s, true
}

func hasByte(b []byte, c byte) bool {
	for _, x := range b {
		if x == c {
			return true
		}
	}
	return false
}

// name reads a member name and its colon. Only plain names are accepted: encoding/json
// matches escaped and non-ASCII names in ways this reader does not imitate.
func (r *jsonReader) name() ([]byte, bool) {
	quoted, plain, ok := r.rawString()
	if !ok || !plain || !r.eat(':') {
		return nil, false
	}
	return quoted[1 : len(quoted)-1], true
}

// literal consumes lit (true, false or null).
func (r *jsonReader) literal(lit string) bool {
	if r.peek() != lit[0] || len(r.b)-r.i < len(lit) || string(r.b[r.i:r.i+len(lit)]) != lit {
		return false
	}
	r.i += len(lit)
	return true
}

// number consumes a number, strictly by the JSON grammar, and returns its text.
func (r *jsonReader) number() ([]byte, bool) {
	r.peek()
	b, j := r.b, r.i
	digits := func() bool {
		k := j
		for j < len(b) && '0' <= b[j] && b[j] <= '9' {
			j++
		}
		return j > k
	}
	if j < len(b) && b[j] == '-' {
		j++
	}
	switch {
	case j < len(b) && b[j] == '0':
		j++
	case !digits():
		return nil, false
	}
	if j < len(b) && b[j] == '.' {
		j++
		if !digits() {
			return nil, false
		}
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if !digits() {
			return nil, false
		}
	}
	text := b[r.i:j]
	r.i = j
	return text, true
}

// skip consumes any value, checking its syntax.
func (r *jsonReader) skip(depth int) bool {
	if depth > maxSkipDepth {
		return false
	}
	switch r.peek() {
	case '"':
		_, _, ok := r.rawString()
		return ok
	case '{':
		r.i++
		if r.eat('}') {
			return true
		}
		for {
			if _, _, ok := r.rawString(); !ok || !r.eat(':') || !r.skip(depth+1) {
				return false
			}
			if !r.eat(',') {
				return r.eat('}')
			}
		}
	case '[':
		r.i++
		if r.eat(']') {
			return true
		}
		for {
			if !r.skip(depth + 1) {
				return false
			}
			if !r.eat(',') {
				return r.eat(']')
			}
		}
	case 't':
		return r.literal("true")
	case 'f':
		return r.literal("false")
	case 'n':
		return r.literal("null")
	}
	_, ok := r.number()
	return ok
}

// members reads an object, calling member for each name with the reader on its value;
// member consumes the value and says whether to go on.
func (r *jsonReader) members(member func(name []byte) bool) bool {
	if !r.eat('{') {
		return false
	}
	if r.eat('}') {
		return true
	}
	for {
		name, ok := r.name()
		if !ok || !member(name) {
			return false
		}
		if !r.eat(',') {
			return r.eat('}')
		}
	}
}

// pageField reports whether name is one of the page object's fields, and whether it is
// spelt exactly so; encoding/json matches such names whatever their case.
func pageField(name []byte) (exact, folded bool) {
	switch string(name) {
	case "content", "items", "totalElements", "total":
		return true, true
	}
	for _, f := range [...]string{"content", "items", "totalElements", "total"} {
		if strings.EqualFold(string(name), f) {
			return false, true
		}
	}
	return false, false
}

// topObject reads a page object that may be the {"message","result"} envelope: like
// unwrapResult, a non-null "result" among at most three distinct names is the payload.
func (r *jsonReader) topObject() (pageOf[APIKey], bool) {
	start := r.i
	var names []string
	resultStart, resultEnd := -1, -1
	ok := r.members(func(name []byte) bool {
		for _, n := range names {
			if n == string(name) {
				return false // a repeated name: leave the rules of duplicates to the general path
			}
		}
		names = append(names, string(name))
		if string(name) != "result" {
			return r.skip(0)
		}
		r.peek()
		resultStart = r.i
		if !r.skip(0) {
			return false
		}
		resultEnd = r.i
		return true
	})
	if !ok {
		return pageOf[APIKey]{}, false
	}
	end := r.i
	if resultStart >= 0 && len(names) <= 3 && string(r.b[resultStart:resultEnd]) != "null" {
		inner := &jsonReader{b: r.b[:resultEnd], i: resultStart, creators: r.creators}
		var p pageOf[APIKey]
		switch inner.peek() {
		case '[':
			p.Items, ok = inner.keyArray()
		case '{':
			p, ok = inner.pageObject()
		default:
			ok = false
		}
		r.i = end
		return p, ok && inner.i == resultEnd
	}
	r.i = start
	p, ok := r.pageObject()
	return p, ok && r.i == end
}

// pageObject reads content or items, and totalElements or total, as pageOf does.
func (r *jsonReader) pageObject() (pageOf[APIKey], bool) {
	var content, items []APIKey
	var totalElements, total int
	var seen [4]bool
	ok := r.members(func(name []byte) bool {
		exact, folded := pageField(name)
		if !exact {
			return !folded && r.skip(0)
		}
		var idx int
		switch string(name) {
		case "content":
			idx = 0
		case "items":
			idx = 1
		case "totalElements":
			idx = 2
		case "total":
			idx = 3
		}
		if seen[idx] {
			return false
		}
		seen[idx] = true
		if r.literal("null") {
			return true // null leaves a slice nil and an int zero
		}
		switch idx {
		case 0, 1:
			keys, ok := r.keyArray()
			if idx == 0 {
				content = keys
			} else {
				items = keys
			}
			return ok
		}
		text, ok := r.number()
		if !ok {
			return false
		}
		f, err := strconv.ParseFloat(string(text), 64)
		if err != nil {
			return false // out of float64's range: the general path words the error
		}
		n, err := pageTotal(f)
		if err != nil {
			return false
		}
		if idx == 2 {
			totalElements = n
		} else {
			total = n
		}
		return true
	})
	if !ok || (content == nil && items == nil) {
		return pageOf[APIKey]{}, false // no list: the general path words the error
	}
	p := pageOf[APIKey]{Paged: true, Items: content, Total: totalElements}
	if p.Items == nil {
		p.Items = items
	}
	if p.Total == 0 {
		p.Total = total
	}
	return p, true
}

// keyArray reads an array of key objects; the result is never nil.
func (r *jsonReader) keyArray() ([]APIKey, bool) {
	if !r.eat('[') {
		return nil, false
	}
	keys := []APIKey{}
	if r.eat(']') {
		return keys, true
	}
	for {
		k, ok := r.key()
		if !ok {
			return nil, false
		}
		keys = append(keys, k)
		if !r.eat(',') {
			return keys, r.eat(']')
		}
	}
}

// The names APIKey.UnmarshalJSON reads, in its order of preference within each field.
const (
	wID = iota
	wUUID
	wTitle
	wName
	wRole
	wEmail
	wCreatedBy
	wCreator
	wCreationDate
	wCreatedAt
	wCreated
	wExpirationDate
	wExpiration
	wExpiresAt
	wAPIKey
	wKey
	wSecret
	wValue
	numWire
)

func wireField(name []byte) int {
	switch string(name) {
	case "id":
		return wID
	case "uuid":
		return wUUID
	case "title":
		return wTitle
	case "name":
		return wName
	case "role":
		return wRole
	case "email":
		return wEmail
	case "createdBy":
		return wCreatedBy
	case "creator":
		return wCreator
	case "creationDate":
		return wCreationDate
	case "createdAt":
		return wCreatedAt
	case "created":
		return wCreated
	case "expirationDate":
		return wExpirationDate
	case "expiration":
		return wExpiration
	case "expiresAt":
		return wExpiresAt
	case "apiKey":
		return wAPIKey
	case "key":
		return wKey
	case "secret":
		return wSecret
	case "value":
		return wValue
	}
	return -1
}

// key reads one key object with APIKey.UnmarshalJSON's rules: names are exact, the last of
// a repeated name wins, null counts as absent, the first present name of each field wins,
// "roles" gives the highest role when "role" is empty, and a value that is not a string, or
// not a date, leaves its field empty and named in Unreadable.
func (r *jsonReader) key() (APIKey, bool) {
	var vals [numWire]string
	var set [numWire]bool
	var bad [numWire]string   // why a present value is unreadable
	var names [numWire][]byte // the member names as the body spells them, for the problems
	var roles []string
	rolesSet := false
	ok := r.members(func(name []byte) bool {
		if string(name) == "roles" {
			roles, rolesSet = nil, false
			if r.literal("null") {
				return true
			}
			var ok bool
			roles, ok = r.stringArray()
			rolesSet = ok
			return ok
		}
		f := wireField(name)
		if f < 0 {
			return r.skip(0)
		}
		names[f] = name
		if r.literal("null") {
			vals[f], set[f], bad[f] = "", false, ""
			return true
		}
		if c := r.peek(); c != '"' {
			vals[f], set[f], bad[f] = "", true, notAString(string(name), c)
			return r.skip(0)
		}
		var s string
		var ok bool
		switch f {
		case wRole:
			s, ok = r.role()
		case wCreatedBy, wCreator:
			s, ok = r.interned()
		default:
			s, ok = r.str()
		}
		vals[f], set[f], bad[f] = s, true, ""
		return ok
	})
	if !ok {
		return APIKey{}, false
	}
	// pick is the first set of fields, -1 for none.
	pick := func(fields ...int) int {
		for _, f := range fields {
			if set[f] {
				return f
			}
		}
		return -1
	}
	var p KeyProblems
	str := func(problem *string, fields ...int) string {
		f := pick(fields...)
		if f < 0 {
			return ""
		}
		*problem = bad[f]
		return vals[f]
	}
	date := func(problem *string, fields ...int) time.Time {
		f := pick(fields...)
		if f < 0 {
			return time.Time{}
		}
		*problem = bad[f]
		if vals[f] == "" {
			return time.Time{}
		}
		t, err := ParseTime(vals[f])
		if err != nil {
			*problem = notADate(string(names[f]), vals[f])
		}
		return t
	}
	k := APIKey{
		ID:        str(&p.ID, wID, wUUID),
		Title:     str(&p.Title, wTitle, wName),
		Role:      str(&p.Role, wRole),
		Email:     str(&p.Email, wEmail),
		CreatedBy: str(&p.CreatedBy, wCreatedBy, wCreator),
	}
	if k.Role == "" && rolesSet {
		k.Role = HighestRole(roles)
	}
	if k.Role != "" {
		p.Role = "" // an unreadable role, but roles tells it
	}
	k.CreationDate = date(&p.CreationDate, wCreationDate, wCreatedAt, wCreated)
	k.ExpirationDate = date(&p.ExpirationDate, wExpirationDate, wExpiration, wExpiresAt)
	k.Secret = str(&p.Secret, wAPIKey, wKey, wSecret, wValue)
	if p.Any() {
		problems := p // allocated here only: p itself stays on the stack
		k.Unreadable = &problems
	}
	return k, true
}

// role reads a role string, sharing the common ones instead of allocating them.
func (r *jsonReader) role() (string, bool) {
	save := r.i
	quoted, plain, ok := r.rawString()
	if ok && plain {
		switch string(quoted[1 : len(quoted)-1]) {
		case RoleEditor:
			return RoleEditor, true
		case RoleViewer:
			return RoleViewer, true
		case RoleAdmin:
			return RoleAdmin, true
		}
	}
	r.i = save
	return r.str()
}

// interned reads a string that many keys repeat, allocating each distinct value once.
func (r *jsonReader) interned() (string, bool) {
	save := r.i
	quoted, plain, ok := r.rawString()
	if ok && plain {
		content := quoted[1 : len(quoted)-1]
		if s, found := r.creators[string(content)]; found {
			return s, true
		}
		s := string(content)
		if len(r.creators) < 1024 {
			r.creators[s] = s
		}
		return s, true
	}
	r.i = save
	return r.str()
}

// stringArray reads an array whose elements are all strings.
func (r *jsonReader) stringArray() ([]string, bool) {
	if !r.eat('[') {
		return nil, false
	}
	out := []string{}
	if r.eat(']') {
		return out, true
	}
	for {
		s, ok := r.str()
		if !ok {
			return nil, false
		}
		out = append(out, s)
		if !r.eat(',') {
			return out, r.eat(']')
		}
	}
}
