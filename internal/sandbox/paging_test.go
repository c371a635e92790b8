package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// pageQuery is the path of one page of the seeded organization's api-keys list.
func pageQuery(page, size int) string {
	return keysPath() + "?page=" + strconv.Itoa(page) + "&size=" + strconv.Itoa(size)
}

// page fetches one page; a status other than 200 fails the test.
func (e *env) page(a auth, page, size int) (pageJSON, result) {
	e.t.Helper()
	r := e.do("GET", pageQuery(page, size), a, nil)
	if r.status != http.StatusOK {
		e.t.Fatalf("page %d size %d: %d %s", page, size, r.status, r.body)
	}
	var p pageJSON
	r.json(e.t, &p)
	return p, r
}

// wantPageBody is the exact answer for page of size keys of all: the page object the
// sandbox has always answered, cut from the full list (which the unpaged call reads from the
// store directly, without the index).
func wantPageBody(all []apiKeyJSON, page, size int) []byte {
	total := len(all)
	content := []apiKeyJSON{}
	if from := page * size; page < (total+size-1)/size {
		content = all[from:min(from+size, total)]
	}
	rec := httptest.NewRecorder()
	writeJSON(rec, http.StatusOK, pageJSON{Content: content, TotalElements: total, TotalPages: (total + size - 1) / size, Page: page, Size: size})
	return rec.Body.Bytes()
}

// checkPagesConcatenate walks every page (and one past the end) for each size, and checks
// each answer byte for byte against the full list, so the pages concatenate to exactly the
// full list with the right totals.
func (e *env) checkPagesConcatenate(a auth, wantTotal int, sizes ...int) {
	e.t.Helper()
	all := e.listKeys(a)
	if len(all) != wantTotal {
		e.t.Fatalf("the full list has %d keys, want %d", len(all), wantTotal)
	}
	for _, size := range sizes {
		var joined []apiKeyJSON
		pages := (wantTotal + size - 1) / size
		for page := 0; page <= pages; page++ {
			p, r := e.page(a, page, size)
			if want := wantPageBody(all, page, size); !bytes.Equal(r.body, want) {
				e.t.Fatalf("size %d page %d of %d keys:\n got %.300s\nwant %.300s", size, page, wantTotal, r.body, want)
			}
			joined = append(joined, p.Content...)
		}
		if !slices.Equal(joined, all) {
			e.t.Fatalf("size %d: the pages concatenate to %d keys, not the %d of the full list", size, len(joined), len(all))
		}
	}
}

// TestPagesConcatenateAcrossMutations checks the pages of a large organization against the
// full list before the index exists, after creations and deletions it followed (the first
// key, the last key, keys in the middle, new keys), after a reset, and again after that.
func TestPagesConcatenateAcrossMutations(t *testing.T) {
	e := newEnv(t, Options{})
	admin := e.adminAuth()
	const generated = 5000
	if err := e.sb.Reset(generated); err != nil {
		t.Fatal(err)
	}
	total := generated + len(seedKeys)
	expires := e.clock.Now().Add(30 * day)

	// Mutations before any page was asked for: the index is built from the store later.
	e.createKey(admin, "before the first page", roleViewer, expires)
	e.deleteKey(admin, seedKeys[0].id)
	e.checkPagesConcatenate(admin, total, 1000, 7, maxPageSize)

	// Mutations the built index has to follow.
	all := e.listKeys(admin)
	for _, id := range []string{all[0].ID, all[len(all)-1].ID, all[len(all)/2].ID, all[1000].ID, all[999].ID} {
		e.deleteKey(admin, id)
	}
	for i := range 20 {
		e.createKey(admin, fmt.Sprintf("between pages %d", i), roleEditor, expires)
	}
	total += 20 - 5
	e.checkPagesConcatenate(admin, total, 1000, 7)

	// A key created and deleted again, and a deletion that fails, change nothing.
	gone := e.createKey(admin, "short-lived", roleViewer, expires)
	e.deleteKey(admin, gone.ID)
	if r := e.do("DELETE", keyPath(gone.ID), admin, nil); r.status != http.StatusNotFound {
		t.Fatalf("second delete: %d %s", r.status, r.body)
	}
	e.checkPagesConcatenate(admin, total, 1000)

	// A reset replaces every key: pages follow it, and the mutations after it.
	if err := e.sb.Reset(1500); err != nil {
		t.Fatal(err)
	}
	e.checkPagesConcatenate(admin, 1500+len(seedKeys), 1000, 13)
	e.createKey(admin, "after the reset", roleViewer, expires)
	e.deleteKey(admin, derivedUUID("key", 7))
	e.checkPagesConcatenate(admin, 1500+len(seedKeys), 1000, 13)
}

// deleteKey deletes a key, failing the test unless the answer is 204.
func (e *env) deleteKey(a auth, id string) {
	e.t.Helper()
	if r := e.do("DELETE", keyPath(id), a, nil); r.status != http.StatusNoContent {
		e.t.Fatalf("delete %s: %d %s", id, r.status, r.body)
	}
}

// TestPageReadsOnlyItsKeys pins the cost of a page: once the organization's index is built
// (one pass over its keys, on the first page asked for), a page reads from the store the
// keys it answers and no others. Listing every page of N keys reads 2N stored keys, where
// walking the keys from the first one on every page read about N per page.
func TestPageReadsOnlyItsKeys(t *testing.T) {
	e := newEnv(t, Options{})
	admin := e.adminAuth()
	const generated = 20000
	if err := e.sb.Reset(generated); err != nil {
		t.Fatal(err)
	}
	total := generated + len(seedKeys)
	const size = 1000
	start := e.sb.keyIndex.stepped.Load()
	for page := range (total + size - 1) / size {
		e.page(admin, page, size)
	}
	if got := e.sb.keyIndex.stepped.Load() - start; got != 2*int64(total) {
		t.Errorf("listing %d keys in pages of %d read %d stored keys, want %d (one pass to index them, one to answer them)", total, size, got, 2*total)
	}
	for _, tc := range []struct{ page, size, want int }{
		{0, 20, 20},
		{total/20 - 1, 20, 20},
		{total / size, size, total % size},
		{total, size, 0}, // past the end
	} {
		before := e.sb.keyIndex.stepped.Load()
		p, _ := e.page(admin, tc.page, tc.size)
		if got := e.sb.keyIndex.stepped.Load() - before; got != int64(tc.want) || len(p.Content) != tc.want {
			t.Errorf("page %d of size %d read %d stored keys and answered %d, want %d", tc.page, tc.size, got, len(p.Content), tc.want)
		}
	}
}

// TestConcurrentPagingAndMutations pages through an organization from 8 clients at once (as
// the client's prefetcher does) while keys are created and deleted. Each answer must be one
// consistent snapshot: ids in increasing order, as many as its totals promise. At the end
// the pages agree with the full list again.
func TestConcurrentPagingAndMutations(t *testing.T) {
	e := newEnv(t, Options{})
	admin := e.adminAuth()
	const generated = 2000
	if err := e.sb.Reset(generated); err != nil {
		t.Fatal(err)
	}
	const readers, walks, size, mutations = 8, 3, 97, 40
	expires := e.clock.Now().Add(30 * day)
	errs := make(chan error, readers*walks*50+2*mutations)
	var wg sync.WaitGroup
	for range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range walks {
				for page := 0; ; page++ {
					r, err := e.try("GET", pageQuery(page, size), admin, nil)
					if err == nil && r.status != http.StatusOK {
						err = fmt.Errorf("%d %s", r.status, r.body)
					}
					if err != nil {
						errs <- fmt.Errorf("page %d: %v", page, err)
						return
					}
					var p pageJSON
					if err := json.Unmarshal(r.body, &p); err != nil {
						errs <- fmt.Errorf("page %d: %v", page, err)
						return
					}
					if err := consistentPage(p, page, size); err != nil {
						errs <- err
					}
					if page >= p.TotalPages {
						break
					}
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range mutations {
			body := map[string]string{"title": fmt.Sprintf("concurrent %d", i), "role": roleViewer, "expirationDate": expires.Format(time.RFC3339)}
			if r, err := e.try("POST", keysPath(), admin, body); err != nil || r.status != http.StatusCreated {
				errs <- fmt.Errorf("create %d: %v %d %s", i, err, r.status, r.body)
			}
			if r, err := e.try("DELETE", keyPath(derivedUUID("key", i)), admin, nil); err != nil || r.status != http.StatusNoContent {
				errs <- fmt.Errorf("delete generated key %d: %v %d %s", i, err, r.status, r.body)
			}
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	e.checkPagesConcatenate(admin, generated+len(seedKeys), size)
}

// consistentPage checks what a single answer promises about itself.
func consistentPage(p pageJSON, page, size int) error {
	want := 0
	if page < p.TotalPages {
		want = min(size, p.TotalElements-page*size)
	}
	switch {
	case p.Page != page || p.Size != size || p.TotalPages != (p.TotalElements+size-1)/size:
		return fmt.Errorf("page %d: header %+v", page, p)
	case len(p.Content) != want:
		return fmt.Errorf("page %d of %d keys: %d keys, want %d", page, p.TotalElements, len(p.Content), want)
	}
	for i := 1; i < len(p.Content); i++ {
		if p.Content[i-1].ID >= p.Content[i].ID {
			return fmt.Errorf("page %d: ids out of order at %d: %s, %s", page, i, p.Content[i-1].ID, p.Content[i].ID)
		}
	}
	return nil
}
