package jmapcloud

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
	"unsafe"
)

// scanKeyPage reads body when it is a page object of the plain shape the service sends:
// {"content":[{…},…],"totalElements":N,…} with member names and strings free of escapes,
// control characters and invalid UTF-8, dates in the service's UTC form, whole totals, and
// other members holding a number, a plain string, true, false or null. It gives what the
// general decoder (decodeKeyPageGeneral) gives for the same body, read in one pass over the
// bytes: that decoder's tokenizer was most of the time of a 100,000-key list
// (docs/performance.md). ok is false, and nothing is decided, for any other body, valid or
// not: the general decoder then reads it, refuses it and words the error.
// FuzzScanKeyPageAgrees compares the two.
func scanKeyPage(body []byte, dst []APIKey, seen *unexpectedMembers) (pageOf[APIKey], bool) {
	fields := wireKeyFieldTable()
	if fields == nil {
		return pageOf[APIKey]{}, false
	}
	s := keyScanner{b: body}
	if !s.next('{') {
		return pageOf[APIKey]{}, false
	}
	var (
		list                wireKeys
		haveList, haveTotal bool
		total               int
		unknown             []byte // the page's other members, as the general decoder keeps them
		texts               textArena
		w                   wireKey
	)
	for more := !s.next('}'); more; {
		s.space()
		nameAt := s.i
		name, ok := s.plainString()
		if !ok || !s.next(':') {
			return pageOf[APIKey]{}, false
		}
		switch string(name) {
		case "content":
			if haveList {
				return pageOf[APIKey]{}, false
			}
			haveList = true
			if !s.keys(fields, &list, dst, &texts, &w) {
				return pageOf[APIKey]{}, false
			}
		case "totalElements":
			if haveTotal {
				return pageOf[APIKey]{}, false
			}
			haveTotal = true
			s.space()
			n, ok := s.wholeNumber()
			if !ok {
				return pageOf[APIKey]{}, false
			}
			total = n
		default:
			if pageMemberName(name) {
				return pageOf[APIKey]{}, false // items, total, result in any case: the general decoder decides
			}
			rawName := body[nameAt:s.nameEnd]
			v, ok := s.scalar()
			if !ok {
				return pageOf[APIKey]{}, false
			}
			unknown = appendMember(unknown, rawName, v)
		}
		if more, ok = s.after('}'); !ok {
			return pageOf[APIKey]{}, false
		}
	}
	s.space()
	if !haveList || s.i != len(body) {
		return pageOf[APIKey]{}, false
	}
	n, err := pageTotal(float64(total))
	if err != nil {
		return pageOf[APIKey]{}, false
	}
	if unknown != nil {
		unknown = append(unknown, '}')
	}
	seen.note("page", unknown) // only now: a body left to the general decoder is noted by it
	list.report(seen)
	return pageOf[APIKey]{Items: list.keys, Total: n, Paged: true}, true
}

// appendMember adds "name":value to the object of members obj holds so far ({ included).
func appendMember(obj, rawName, value []byte) []byte {
	return append(appendMemberName(obj, rawName), value...)
}

// appendMemberName adds the "name": of a member to obj, opening the object or going on
// after the member before.
func appendMemberName(obj, rawName []byte) []byte {
	if obj == nil {
		obj = append(obj, '{')
	} else {
		obj = append(obj, ',')
	}
	obj = append(obj, rawName...)
	return append(obj, ':')
}

// pageMemberName reports whether name is one the general decoder gives a meaning to in a page
// or its envelope, compared as it compares them: ignoring case, '_' and '-'. A name with any
// other byte than ASCII letters, digits, '_' and '-' counts as one: it is left to that decoder.
func pageMemberName(name []byte) bool {
	var folded [16]byte
	n := 0
	for _, c := range name {
		switch {
		case c == '_' || c == '-':
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
		default:
			return true
		}
		if n == len(folded) {
			return false // longer than any of those names
		}
		folded[n] = c
		n++
	}
	switch string(folded[:n]) {
	case "content", "items", "totalelements", "total", "result":
		return true
	}
	return false
}

// keyScanner reads JSON from b at i, byte by byte where it must and eight bytes at a time
// inside strings.
type keyScanner struct {
	b       []byte
	i       int
	nameEnd int // just past the closing quote of the last string read
}

// space skips JSON whitespace.
func (s *keyScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// next skips whitespace and then c, reporting whether c was there.
func (s *keyScanner) next(c byte) bool {
	s.space()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// after reads what follows a member or an element: a comma (more is true) or the closing
// byte end (more is false). ok is false for anything else, a trailing comma included.
func (s *keyScanner) after(end byte) (more, ok bool) {
	switch {
	case s.next(','):
		if s.peek() == end {
			return false, false
		}
		return true, true
	case s.next(end):
		return false, true
	}
	return false, false
}

// peek is the next byte after whitespace, 0 at the end.
func (s *keyScanner) peek() byte {
	s.space()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// plainString reads a string at i whose content needs no decoding: no escape, no control
// character, valid UTF-8. It gives the content, which is body's own bytes.
func (s *keyScanner) plainString() ([]byte, bool) {
	b := s.b
	if s.i >= len(b) || b[s.i] != '"' {
		return nil, false
	}
	start := s.i + 1
	i := start
	for {
		// Eight bytes at a time up to the first that is a quote, a backslash, a control
		// character or the start of a multi-byte character.
		for i+8 <= len(b) {
			if m := specialBytes(binary.LittleEndian.Uint64(b[i:])); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		if i >= len(b) {
			return nil, false
		}
		switch c := b[i]; {
		case c == '"':
			s.i, s.nameEnd = i+1, i+1
			return b[start:i], true
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 {
				return nil, false
			}
			i += size
		default:
			i++ // the last bytes of the body, fewer than eight
		}
	}
}

// specialBytes has the high bit of the first byte of x (in memory order) that is '"', '\',
// below 0x20 or above 0x7f set, and no bit below it; 0 when there is none. (Bits above the
// first may be set wrongly: a borrow carries upwards.)
func specialBytes(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote := x ^ (ones * '"')
	backslash := x ^ (ones * '\\')
	return (x | (quote-ones) & ^quote | (backslash-ones) & ^backslash | (x-ones*0x20) & ^x) & highs
}

// wholeNumber reads a number written as 1 to 15 digits, without sign, fraction or exponent:
// exactly a float64, as the general decoder reads it.
func (s *keyScanner) wholeNumber() (int, bool) {
	b, start := s.b, s.i
	n := 0
	for s.i < len(b) && '0' <= b[s.i] && b[s.i] <= '9' {
		n = n*10 + int(b[s.i]-'0')
		s.i++
	}
	digits := s.i - start
	if digits == 0 || digits > 15 || (digits > 1 && b[start] == '0') || s.endsNumber() {
		return 0, false
	}
	return n, true
}

// endsNumber reports whether a number just read goes on (a fraction, an exponent or other
// bytes the general decoder would read as part of it).
func (s *keyScanner) endsNumber() bool {
	if s.i >= len(s.b) {
		return false
	}
	switch s.b[s.i] {
	case '.', 'e', 'E', '+', '-':
		return true
	}
	return s.b[s.i] >= '0' && s.b[s.i] <= '9'
}

// scalar reads a member the page or a key does not name: a plain string, a whole number
// (optionally negative), true, false or null. It gives the value as written.
func (s *keyScanner) scalar() ([]byte, bool) {
	s.space()
	start := s.i
	switch c := s.peek(); {
	case c == '"':
		if _, ok := s.plainString(); !ok {
			return nil, false
		}
	case c == '-' || '0' <= c && c <= '9':
		if c == '-' {
			s.i++
		}
		if _, ok := s.wholeNumber(); !ok {
			return nil, false
		}
	default:
		for _, lit := range [...]string{"true", "false", "null"} {
			if len(s.b)-s.i >= len(lit) && string(s.b[s.i:s.i+len(lit)]) == lit {
				s.i += len(lit)
				break
			}
		}
		if s.i == start {
			return nil, false
		}
		if s.i < len(s.b) && isLetterOrDigit(s.b[s.i]) {
			return nil, false // nullx: not a literal
		}
	}
	return s.b[start:s.i], true
}

func isLetterOrDigit(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// keys reads the array of keys into list, in dst's room when it has some, as
// wireKeys.decodeInto does.
func (s *keyScanner) keys(fields *keyFieldTable, list *wireKeys, dst []APIKey, texts *textArena, w *wireKey) bool {
	if !s.next('[') {
		return false
	}
	*list = wireKeys{keys: []APIKey{}}
	if dst != nil {
		list.keys = dst[:0]
	}
	for more := !s.next(']'); more; {
		*w = wireKey{}
		if !s.key(fields, w, texts) {
			return false
		}
		list.keys = append(list.keys, w.apiKey())
		if len(w.Unknown) > 0 && len(list.unknown) < maxUnexpected {
			list.unknown = append(list.unknown, w.Unknown)
		}
		var ok bool
		if more, ok = s.after(']'); !ok {
			return false
		}
	}
	return true
}

// key reads one key object into w, as decodeWireKeyIn does: a text member's string into
// texts, a date in the service's UTC form, any other member kept in w.Unknown. A member of
// another kind of value (a roles array, a number where a text goes, a date in another form)
// is left to the general decoder, which words what it makes of it.
func (s *keyScanner) key(fields *keyFieldTable, w *wireKey, texts *textArena) bool {
	if !s.next('{') {
		return false
	}
	var unknown []byte
	for more := !s.next('}'); more; {
		s.space()
		nameAt := s.i
		name, ok := s.plainString()
		if !ok || !s.next(':') {
			return false
		}
		f, known := fields.find(name)
		if !known {
			rawName := s.b[nameAt:s.nameEnd]
			v, ok := s.scalar()
			if !ok {
				return false
			}
			unknown = appendMember(unknown, rawName, v)
		} else if !s.knownMember(f, w, texts) {
			return false
		}
		if more, ok = s.after('}'); !ok {
			return false
		}
	}
	if unknown != nil {
		unknown = append(unknown, '}')
		w.Unknown = unknown
	}
	return true
}

// knownMember reads the value of a member wireKey names into its field f of w.
func (s *keyScanner) knownMember(f keyField, w *wireKey, texts *textArena) bool {
	s.space()
	v, ok := s.plainString()
	if !ok {
		return false
	}
	field := unsafe.Add(unsafe.Pointer(w), f.offset)
	switch f.kind {
	case keyFieldText:
		if shared, ok := sharedText(s.b[s.i-len(v)-2 : s.i]); ok {
			*(*wireText)(field) = readText(shared)
		} else {
			*(*wireText)(field) = readText(texts.text(v))
		}
	case keyFieldDate:
		t, ok := utcDate(v)
		if !ok {
			return false
		}
		*(*wireDate)(field) = wireDate{text: readText(""), time: t}
	default:
		return false
	}
	return true
}
