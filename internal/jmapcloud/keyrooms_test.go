package jmapcloud

import (
	"fmt"
	"testing"
)

func roomKeys(prefix string, n int) []APIKey {
	keys := make([]APIKey, n)
	for i := range keys {
		keys[i] = APIKey{ID: fmt.Sprintf("%s-%d", prefix, i)}
	}
	return keys
}

// TestPagesAreReadInPlace pins what the prefetched pages cost: a page decoded into its room
// is taken where it is, with no copy, and a page that does not fit its room is copied into
// a new array without writing over the next page's room, which a worker may be filling.
func TestPagesAreReadInPlace(t *testing.T) {
	w := keyWalk{path: "/keys", keep: true, limits: listLimits{keys: 100, pages: 100}}
	if _, err := w.add(0, pageOf[APIKey]{Items: roomKeys("p0", 3), Total: 12, Paged: true}); err != nil {
		t.Fatal(err)
	}
	rooms := w.rooms()
	room1 := rooms.of(1)
	if len(room1) != 3 || cap(room1) != 3 {
		t.Fatalf("room of page 1: len %d cap %d, want 3 and 3", len(room1), cap(room1))
	}
	body := []byte(`{"content":[{"id":"p1-0"},{"id":"p1-1"},{"id":"p1-2"}],"totalElements":12}`)
	p1, err := decodeKeyPageInto(body, nil, room1)
	if err != nil {
		t.Fatal(err)
	}
	if &p1.Items[0] != &room1[0] {
		t.Fatal("page 1 was not decoded into its room")
	}
	if _, err := w.add(1, p1); err != nil {
		t.Fatal(err)
	}
	if &w.keys[3] != &room1[0] {
		t.Fatal("page 1 was copied instead of taken in place")
	}

	// Page 2 holds more keys than its room: read into a new array, and copied from there.
	room2, room3 := rooms.of(2), rooms.of(3)
	copy(room3, roomKeys("worker", 3)) // what page 3's worker is writing meanwhile
	big, err := decodeKeyPageInto([]byte(`{"content":[{"id":"a"},{"id":"b"},{"id":"c"},{"id":"d"}],"totalElements":12}`), nil, room2)
	if err != nil {
		t.Fatal(err)
	}
	if len(big.Items) != 4 || &big.Items[0] == &room2[0] {
		t.Fatal("a page larger than its room must be read into a new array")
	}
	if rooms.of(4) != nil {
		t.Fatal("a room for page 4, past the stated total")
	}
	w.take(big.Items)
	for i, k := range room3 {
		if k.ID != fmt.Sprintf("worker-%d", i) {
			t.Fatalf("room 3 written over by the walk: %q", k.ID)
		}
	}
	if got := len(w.keys); got != 10 || w.keys[6].ID != "a" || w.keys[9].ID != "d" || w.keys[2].ID != "p0-2" || w.keys[5].ID != "p1-2" {
		t.Fatalf("keys after the copy: %d, %+v", got, w.keys)
	}
}

// TestOnlyTheFirstArrayUsesTheRoom: an answer holding two arrays of keys (content and items)
// reads the second one elsewhere, so the page read is intact whichever wins.
func TestOnlyTheFirstArrayUsesTheRoom(t *testing.T) {
	room := make([]APIKey, 2)
	p, err := decodeKeyPageInto([]byte(`{"items":[{"id":"i0"},{"id":"i1"}],"content":[{"id":"c0"},{"id":"c1"}],"total":2}`), nil, room)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 2 || p.Items[0].ID != "c0" || p.Items[1].ID != "c1" {
		t.Fatalf("page read: %+v, want content's keys", p.Items)
	}
}
