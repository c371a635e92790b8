package keyselect

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
)

// TestPageRowsMatchFilterRows: the rows PageRows makes of a list read page by page, the pages
// after page 0 read at once in any order, are FilterRows' rows of the whole list, with the
// malformed keys told in the same order, whatever the pages: all of page 0's size, a short
// last one, one larger than page 0 (no room), more pages than page 0's total announced (past
// the rooms), pages read that are not the list's, and a list sent in one page. Nothing of a
// left-out key stays in the array past the rows.
func TestPageRowsMatchFilterRows(t *testing.T) {
	keys := rowsTestKeys(20_011)
	type layout struct {
		name  string
		sizes []int // each page's keys; their sum is the list
		total int   // what page 0 states
		extra int   // pages read past the list
	}
	pagesOf := func(size, n int) []int {
		var s []int
		for ; n > 0; n -= size {
			s = append(s, min(size, n))
		}
		return s
	}
	layouts := []layout{
		{"even pages", pagesOf(1000, len(keys)), len(keys), 0},
		{"pages read past the list", pagesOf(1000, len(keys)), len(keys), 3},
		{"a page larger than page 0", append([]int{500, 2000}, pagesOf(500, len(keys)-2500)...), len(keys), 0},
		{"more pages than the total said", pagesOf(700, len(keys)), 5000, 1},
		{"no total", pagesOf(333, len(keys)), 0, 0},
		{"one page", []int{len(keys)}, 0, 0},
		{"an empty list", []int{0}, 0, 0},
	}
	for _, exprs := range [][]string{nil, {"role=editor"}, {"expires<10d"}, {"role!=viewer", "status=active"}} {
		filters := testFilters(t, exprs)
		for _, l := range layouts {
			list := keys[:0:0]
			var pages [][]jmapcloud.APIKey
			at := 0
			for _, n := range l.sizes {
				pages = append(pages, keys[at:at+n])
				list = append(list, keys[at:at+n]...)
				at += n
			}
			for range l.extra {
				pages = append(pages, rowsTestKeys(50))
			}
			var wantTold, gotTold []string
			tell := func(told *[]string) func(*jmapcloud.APIKey, string) {
				return func(k *jmapcloud.APIKey, field string) { *told = append(*told, fmt.Sprintf("%+v %s", *k, field)) }
			}
			want := FilterRows(list, filters, now, tell(&wantTold))

			r := NewPageRows(filters, now)
			r.Read(jmapcloud.KeyPage{Index: 0, Keys: slices.Clone(pages[0]), Total: l.total})
			order := rand.New(rand.NewPCG(1, uint64(len(l.sizes)))).Perm(len(pages) - 1)
			var wg sync.WaitGroup
			for _, p := range order {
				wg.Go(func() {
					r.Read(jmapcloud.KeyPage{Index: p + 1, Keys: slices.Clone(pages[p+1]), Total: l.total})
				})
			}
			wg.Wait()
			got, n := r.Rows(len(l.sizes), tell(&gotTold))
			if n != len(list) {
				t.Errorf("%v, %s: %d keys, want %d", exprs, l.name, n, len(list))
			}
			if !slices.Equal(got, want) {
				t.Errorf("%v, %s: %d rows differ from FilterRows' %d", exprs, l.name, len(got), len(want))
			}
			for i, row := range got[len(got):cap(got)] {
				if row != (output.Key{}) {
					t.Fatalf("%v, %s: row %d past the list's end still holds %q", exprs, l.name, len(got)+i, row.ID)
				}
			}
			if !slices.Equal(gotTold, wantTold) {
				t.Errorf("%v, %s: malformed keys told %d, want %d, or in another order", exprs, l.name, len(gotTold), len(wantTold))
			}
		}
	}
}
