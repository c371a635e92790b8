package jmapcloud

import "testing"

// The table finds what it holds by the whole hash: slots chosen by the low bits, told apart
// by the high half; it stays at most half full, and a grown table holds the same entries.
func TestIDTable(t *testing.T) {
	table := newIDTable(4)
	if len(table.slots) != 8 {
		t.Fatalf("room for 4 IDs is %d slots, want 8", len(table.slots))
	}
	hashes := []uint64{
		0x00000001_00000003,
		0x00000002_00000003, // the same slot, another high half: probes on
		0x00000001_0000000b, // the same low 3 bits and high half as the first: one ID to the table
		0x00000003_00000007, // the last slot: probes wrap to the first
		0x00000004_00000007,
	}
	for i, want := range []struct {
		at    int
		found bool
	}{{0, false}, {0, false}, {0, true}, {0, false}, {0, false}} {
		at, found := table.find(hashes[i], i)
		if found != want.found || found && at != want.at {
			t.Errorf("find(%#x): %d %v, want %d %v", hashes[i], at, found, want.at, want.found)
		}
	}
	if table.n != 4 || !table.fits(0) || table.fits(1) {
		t.Errorf("4 IDs in 8 slots: n %d, fits(0) %v, fits(1) %v", table.n, table.fits(0), table.fits(1))
	}
	byIndex := map[int]uint64{0: hashes[0], 1: hashes[1], 3: hashes[3], 4: hashes[4]}
	grown := table.grown(100, func(at int) uint64 { return byIndex[at] })
	if len(grown.slots) != 256 || grown.n != 4 {
		t.Fatalf("grown for 100: %d slots, %d IDs", len(grown.slots), grown.n)
	}
	for at, h := range byIndex {
		if got, found := grown.find(h, 99); !found || got != at {
			t.Errorf("grown table: find(%#x) = %d %v, want %d", h, got, found, at)
		}
	}
	if _, found := grown.find(0x00000009_00000003, 5); found {
		t.Error("a hash the table never held was found")
	}
}
