package jmapcloud

// idTable remembers, for each key ID the walk has read, where the key is in the list, by the
// ID's 64-bit hash: its low bits choose a slot, its high 32 bits are kept there. It is an
// open-addressed table of 8-byte slots, at most half full: on 100,000 keys the Go map it
// replaces was 7.6 % of the whole list command's CPU time, on the walk's own goroutine, as
// each page's IDs looked up and then inserted one random slot each (docs/performance.md).
type idTable struct {
	slots []idSlot // a power of two of them
	n     int
}

// idSlot is one key's place in the table: the high half of its ID's hash, and its index in
// the list plus one (0: an empty slot).
type idSlot struct {
	tag uint32
	at  int32
}

// newIDTable is a table with room for n IDs without growing.
func newIDTable(n int) *idTable {
	size := 8
	for size < 2*n {
		size *= 2
	}
	return &idTable{slots: make([]idSlot, size)}
}

// find returns the index of an ID stored with hash h that same says is the one looked for, or
// stores at with h and reports false. same compares the IDs themselves (keyWalk.repeated), so
// two IDs whose hashes agree on the slot and the high half are still told apart.
func (t *idTable) find(h uint64, at int, same func(at int) bool) (int, bool) {
	mask := uint64(len(t.slots) - 1)
	tag := uint32(h >> 32)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		switch {
		case s.at == 0:
			*s = idSlot{tag: tag, at: int32(at + 1)}
			t.n++
			return 0, false
		case s.tag == tag && same(int(s.at-1)):
			return int(s.at - 1), true
		}
	}
}

// fits reports whether n more IDs keep the table at most half full.
func (t *idTable) fits(n int) bool { return 2*(t.n+n) <= len(t.slots) }

// grown is a table with room for n IDs holding the entries of t.
func (t *idTable) grown(n int, hashAt func(at int) uint64) *idTable {
	g := newIDTable(n)
	distinct := func(int) bool { return false } // the entries of t are distinct IDs
	for _, s := range t.slots {
		if s.at != 0 {
			g.find(hashAt(int(s.at-1)), int(s.at-1), distinct)
		}
	}
	return g
}
