package sandbox

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"
)

// keyIndex keeps, for each organization, the ids of its API keys in storage order, so a page
// of the api-keys list knows the total and seeks straight to its first key. bbolt has no
// positional access: without the index, counting the keys and finding key number page×size
// walked the organization's keys from the first one, on every page.
//
// The keys themselves stay in bbolt and every page reads them from there; the index is only
// where each page starts. It is built for an organization the first time one of its pages
// is asked for (so opening the store costs nothing), kept in step by key creations and
// deletions, and dropped by Reset.
//
// Invariant: while mu is held, for read or for write, an organization's entry lists exactly
// the keys of that organization in the committed store. A listing holds the read lock over
// its whole read transaction; a creation or deletion holds the write lock over its write
// transaction and the update of the index that follows the commit. Pages are therefore
// served in parallel with each other, never across a key mutation.
type keyIndex struct {
	mu   sync.RWMutex
	orgs sync.Map // org id → *orgKeyIDs; readers add entries under mu's read lock

	// stepped counts the stored keys the paged listing has read (to build the index or to
	// answer a page), so a test can check that a page reads its own keys and no others.
	stepped atomic.Int64
}

// orgKeyIDs is one organization's key ids, sorted as bbolt sorts their storage keys (the
// organization prefix is the same for all of them).
type orgKeyIDs struct {
	ids []string
}

// keyChange is what a committed write transaction did to an organization's keys.
type keyChange struct {
	orgID   string
	added   string // key id created, or ""
	removed string // key id deleted, or ""
}

// updateKeys runs fn in a write transaction that may create or delete keys; fn records what
// it did in *change. Listings wait until the transaction is over and the index agrees
// with it.
func (s *Sandbox) updateKeys(change *keyChange, fn func(tx *bolt.Tx) error) error {
	s.keyIndex.mu.Lock()
	defer s.keyIndex.mu.Unlock()
	if err := s.db.Update(fn); err != nil {
		return err
	}
	s.keyIndex.apply(*change)
	return nil
}

// viewKeys runs fn in a read transaction during which the index agrees with the store.
func (s *Sandbox) viewKeys(fn func(tx *bolt.Tx) error) error {
	s.keyIndex.mu.RLock()
	defer s.keyIndex.mu.RUnlock()
	return s.db.View(fn)
}

// apply brings a built organization entry in step with a committed change (under mu's
// write lock). An organization not built yet will be read from the store when it is.
func (x *keyIndex) apply(ch keyChange) {
	v, ok := x.orgs.Load(ch.orgID)
	if !ok {
		return
	}
	o := v.(*orgKeyIDs)
	if ch.added != "" {
		if i, found := slices.BinarySearch(o.ids, ch.added); !found {
			o.ids = slices.Insert(o.ids, i, ch.added)
		}
	}
	if ch.removed != "" {
		if i, found := slices.BinarySearch(o.ids, ch.removed); found {
			o.ids = slices.Delete(o.ids, i, i+1)
		}
	}
}

// reset drops every entry (under mu's write lock), for a store whose keys were replaced.
func (x *keyIndex) reset() { x.orgs.Clear() }

// ids returns the organization's key ids, reading them from tx the first time (under mu's
// read lock, so tx sees what the index would have been kept in step with). Two listings
// that build the same entry at once build the same list; the first one stored is kept.
func (x *keyIndex) ids(tx *bolt.Tx, orgID string) []string {
	if v, ok := x.orgs.Load(orgID); ok {
		return v.(*orgKeyIDs).ids
	}
	ids := scanKeyIDs(tx, orgID)
	x.stepped.Add(int64(len(ids)))
	v, _ := x.orgs.LoadOrStore(orgID, &orgKeyIDs{ids: ids})
	return v.(*orgKeyIDs).ids
}

// scanKeyIDs reads the organization's key ids from its storage keys, without decoding any
// record. The ids share one backing string, so 100,000 of them cost two allocations.
func scanKeyIDs(tx *bolt.Tx, orgID string) []string {
	prefix := []byte(orgID + "/")
	var all strings.Builder
	var ends []int
	c := tx.Bucket(bucketKeys).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		all.Write(k[len(prefix):])
		ends = append(ends, all.Len())
	}
	joined := all.String()
	ids := make([]string, len(ends))
	start := 0
	for i, end := range ends {
		ids[i], start = joined[start:end], end
	}
	return ids
}

// keyPage reads page (0-based) of size keys of the organization: the index gives the total
// and the first key's id, and one cursor reads the page's records from the store.
func (s *Sandbox) keyPage(tx *bolt.Tx, orgID string, page, size int) (pageJSON, error) {
	ids := s.keyIndex.ids(tx, orgID)
	total := len(ids)
	out := pageJSON{
		Content:       []apiKeyJSON{},
		TotalElements: total,
		TotalPages:    (total + size - 1) / size,
		Page:          page,
		Size:          size,
	}
	if page >= out.TotalPages { // also true of a huge ?page= whose page*size would overflow
		return out, nil
	}
	want := ids[page*size : min((page+1)*size, total)]
	out.Content = make([]apiKeyJSON, 0, len(want))
	prefix := []byte(orgID + "/")
	c := tx.Bucket(bucketKeys).Cursor()
	k, v := c.Seek(orgKey(orgID, want[0]))
	for _, id := range want {
		// The invariant makes this always true; checking it costs a comparison per key and
		// turns a broken index into an error instead of a silently wrong page.
		if !bytes.HasPrefix(k, prefix) || string(k[len(prefix):]) != id {
			return pageJSON{}, fmt.Errorf("api-key index out of step with the store at key %s", id)
		}
		var rec keyRecord
		if err := decode(v, &rec); err != nil {
			return pageJSON{}, err
		}
		out.Content = append(out.Content, keyJSON(rec))
		k, v = c.Next()
	}
	s.keyIndex.stepped.Add(int64(len(want)))
	return out, nil
}
