package jmapcloud

import "testing"

// The table finds what it holds by hash and by the caller's comparison: slots chosen by the
// low bits, the high half kept; two IDs that agree on both are still told apart by same, and
// the second is stored, so that it too is found when it comes again. It stays at most half
// full, and a grown table holds the same entries.
func TestIDTable(t *testing.T) {
	table := newIDTable(4)
	if len(table.slots) != 8 {
		t.Fatalf("room for 4 IDs is %d slots, want 8", len(table.slots))
	}
	type entry struct {
		id   string
		hash uint64
	}
	var stored []entry // index: where the ID is in the list
	find := func(id string, h uint64) (int, bool) {
		at, found := table.find(h, len(stored), func(j int) bool { return stored[j].id == id })
		if !found {
			stored = append(stored, entry{id, h})
		}
		return at, found
	}
	for _, step := range []struct {
		id    string
		hash  uint64
		at    int
		found bool
	}{
		{"a", 0x00000001_00000003, 0, false},
		{"b", 0x00000002_00000003, 0, false}, // the same slot, another high half: probes on
		{"c", 0x00000001_0000000b, 0, false}, // the slot and high half of "a", another ID: stored
		{"a", 0x00000001_00000003, 0, true},
		{"c", 0x00000001_0000000b, 2, true}, // found past "a", whose hash it shares
		{"d", 0x00000003_00000007, 0, false},
		{"e", 0x00000004_00000007, 0, false}, // the last slot taken: probes wrap to the first
		{"e", 0x00000004_00000007, 4, true},
	} {
		at, found := find(step.id, step.hash)
		if found != step.found || found && at != step.at {
			t.Errorf("find(%q, %#x): %d %v, want %d %v", step.id, step.hash, at, found, step.at, step.found)
		}
	}
	if table.n != 5 || !table.fits(-1) || table.fits(0) {
		t.Errorf("5 IDs in 8 slots: n %d, fits(-1) %v, fits(0) %v", table.n, table.fits(-1), table.fits(0))
	}
	grown := table.grown(100, func(at int) uint64 { return stored[at].hash })
	if len(grown.slots) != 256 || grown.n != 5 {
		t.Fatalf("grown for 100: %d slots, %d IDs", len(grown.slots), grown.n)
	}
	for at, e := range stored {
		if got, found := grown.find(e.hash, 99, func(j int) bool { return stored[j].id == e.id }); !found || got != at {
			t.Errorf("grown table: find(%q) = %d %v, want %d", e.id, got, found, at)
		}
	}
	if _, found := grown.find(0x00000009_00000003, 5, func(int) bool { return true }); found {
		t.Error("a hash the table never held was found")
	}
}
