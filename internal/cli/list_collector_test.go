package cli

import (
	"runtime/debug"
	"testing"
)

// TestOverlappingListsRestoreTheCollector: two lists running at once in one process (tests
// do) leave the collector as it was before the first, whichever ends first. Not parallel:
// the settings are the process's.
func TestOverlappingListsRestoreTheCollector(t *testing.T) {
	before := debug.SetGCPercent(137)
	defer debug.SetGCPercent(before)
	limitBefore := debug.SetMemoryLimit(1 << 40)
	defer debug.SetMemoryLimit(limitBefore)

	limitA, releaseA := holdCollector()
	limitB, releaseB := holdCollector()
	if limitA != 1<<40 || limitB != 1<<40 {
		t.Errorf("the limit before the lists: %d and %d, want %d", limitA, limitB, int64(1<<40))
	}
	releaseA()
	if got := debug.SetGCPercent(walkGCPercent); got != walkGCPercent {
		t.Errorf("with one list still running the collector is at %d, want %d (off)", got, walkGCPercent)
	}
	releaseB()
	if got := debug.SetGCPercent(137); got != 137 {
		t.Errorf("after both lists the collector is at %d, want 137", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 1<<40 {
		t.Errorf("after both lists the memory limit is %d, want %d", got, int64(1<<40))
	}
}
