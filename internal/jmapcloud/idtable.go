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

// find returns the index stored with hash h, or stores at with it and reports false. Two IDs
// whose hashes share the slot's bits and their high half are one ID to the table: the caller
// compares the IDs (keyWalk.repeated).
func (t *idTable) find(h uint64, at int) (int, bool) {
	mask := uint64(len(t.slots) - 1)
	tag := uint32(h >> 32)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		switch {
		case s.at == 0:
			*s = idSlot{tag: tag, at: int32(at + 1)}
			t.n++
			return 0, false
		case s.tag == tag:
			return int(s.at - 1), true
		}
	}
}

// fits reports whether n more IDs keep the table at most half full.
func (t *idTable) fits(n int) bool { return 2*(t.n+n) <= len(t.slots) }

// grown is a table with room for n IDs holding the entries of t.
func (t *idTable) grown(n int, hashAt func(at int) uint64) *idTable {
	g := newIDTable(n)
	for _, s := range t.slots {
		if s.at != 0 {
			g.find(hashAt(int(s.at-1)), int(s.at-1))
		}
	}
	return g
}
