package keyselect

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"
	"unsafe"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
)

// rowsTestKeys is n keys of both roles and various expiries, every 97th malformed (no ID, or
// an unreadable role or expiry).
func rowsTestKeys(n int) []jmapcloud.APIKey {
	keys := make([]jmapcloud.APIKey, n)
	for i := range keys {
		k := jmapcloud.APIKey{
			ID:             fmt.Sprintf("id-%06d", i),
			Title:          fmt.Sprintf("Key %d", i%1000),
			Role:           []string{jmapcloud.RoleEditor, jmapcloud.RoleViewer, jmapcloud.RoleAdmin}[i%3],
			CreatedBy:      "Ada",
			CreationDate:   now.Add(-time.Duration(i%400) * time.Hour),
			ExpirationDate: now.Add(time.Duration(i%900-300) * time.Hour),
		}
		switch i % 97 {
		case 1:
			k.ID = ""
		case 2:
			k.Role = ""
			k.Unreadable = &jmapcloud.KeyProblems{Role: "role: a number, not a string"}
		case 3:
			k.ExpirationDate = time.Time{}
			k.Unreadable = &jmapcloud.KeyProblems{ExpirationDate: `expirationDate: not a date: "soon"`}
		}
		keys[i] = k
	}
	return keys
}

// TestFilterRowsInPartsMatchesOnePass: converting a long list in parts at once gives the rows
// and the malformed keys, in order, of one pass over it.
func TestFilterRowsInPartsMatchesOnePass(t *testing.T) {
	keys := rowsTestKeys(30_011)
	for _, exprs := range [][]string{nil, {"role=editor"}, {"expires<10d"}, {"role!=viewer", "status=active"}, {"title~key 99"}} {
		filters := testFilters(t, exprs)
		type told struct {
			index int
			field string
		}
		run := func(procs int) ([]output.Key, []told) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			var seen []told
			rows := FilterRows(keys, filters, now, func(k *jmapcloud.APIKey, field string) {
				i := int((uintptr(unsafe.Pointer(k)) - uintptr(unsafe.Pointer(&keys[0]))) / unsafe.Sizeof(keys[0]))
				if i < 0 || i >= len(keys) || k != &keys[i] {
					t.Fatalf("malformedKey got a copy of a key, not the key itself")
				}
				seen = append(seen, told{i, field})
			})
			return rows, seen
		}
		wantRows, wantTold := run(1)
		if len(wantTold) == 0 {
			t.Fatalf("filters %q: no malformed key told", exprs)
		}
		for _, procs := range []int{2, 3, 4} {
			rows, seen := run(procs)
			if !slices.Equal(rows, wantRows) {
				t.Errorf("filters %q, %d processors: %d rows, want the %d of one pass", exprs, procs, len(rows), len(wantRows))
			}
			if !slices.Equal(seen, wantTold) {
				t.Errorf("filters %q, %d processors: malformed keys told differ from one pass", exprs, procs)
			}
			if cap(rows) != len(keys) {
				t.Errorf("cap %d, want %d", cap(rows), len(keys))
			}
			for _, r := range rows[len(rows):cap(rows)] {
				if r != (output.Key{}) {
					t.Fatalf("filters %q: a left-out row stays past the result: %+v", exprs, r)
				}
			}
		}
	}
}

// BenchmarkFilterRows100k converts and filters 100,000 keys as list does (role=editor), in
// parts at once when there are several processors (-cpu 1 for one pass).
func BenchmarkFilterRows100k(b *testing.B) {
	keys := rowsTestKeys(100_000)
	f, err := output.ParseFilter("role=editor", now)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		FilterRows(keys, []output.Filter{f}, now, func(*jmapcloud.APIKey, string) {})
	}
}

// testFilters parses --filter expressions at now.
func testFilters(t *testing.T, exprs []string) []output.Filter {
	t.Helper()
	var filters []output.Filter
	for _, e := range exprs {
		f, err := output.ParseFilter(e, now)
		if err != nil {
			t.Fatal(err)
		}
		filters = append(filters, f)
	}
	return filters
}
