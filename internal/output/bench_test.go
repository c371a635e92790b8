package output

import (
	"fmt"
	"io"
	"testing"
	"time"
)

// benchKeys builds n varied keys deterministically: mixed-case titles with
// shared prefixes (so comparisons go past the first byte), both roles, and
// expiries spread two years around testNow.
func benchKeys(n int) []Key {
	keys := make([]Key, n)
	var x uint64 = 0x9e3779b97f4a7c15
	next := func() uint64 { // xorshift: reproducible without math/rand state
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		return x
	}
	prefixes := []string{"Prod", "prod", "Staging", "dev", "CI", "Été"}
	roles := []string{RoleEditor, RoleViewer}
	for i := range keys {
		r := next()
		k := Key{
			ID:      fmt.Sprintf("%016x", r),
			Title:   fmt.Sprintf("%s key %d", prefixes[r%uint64(len(prefixes))], r%5000),
			Role:    roles[(r>>8)%2],
			Creator: fmt.Sprintf("User %d", (r>>16)%300),
			Email:   fmt.Sprintf("user%d@example.com", (r>>16)%300),
			Created: testNow.Add(-time.Duration((r>>24)%(730*24)) * time.Hour),
			Expires: testNow.Add(time.Duration(int64((r>>32)%(730*24))-365*24) * time.Hour),
		}
		k.Status = KeyStatus(k.Expires, testNow)
		keys[i] = k
	}
	return keys
}

func benchmarkFilterSort(b *testing.B, n int) {
	keys := benchKeys(n)
	var filters []Filter
	for _, e := range []string{"expires<90d", "title~key", "role!=viewer"} {
		f, err := ParseFilter(e, testNow)
		if err != nil {
			b.Fatal(err)
		}
		filters = append(filters, f)
	}
	by, err := ParseSort("-expires,title")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		rows := FilterKeys(keys, filters)
		SortKeys(rows, by)
	}
}

func BenchmarkFilterSort10k(b *testing.B)  { benchmarkFilterSort(b, 10_000) }
func BenchmarkFilterSort100k(b *testing.B) { benchmarkFilterSort(b, 100_000) }

func BenchmarkPrintCSV10k(b *testing.B) {
	keys := benchKeys(10_000)
	opts := KeyPrintOptions{Format: CSV, Columns: KeyFieldNames(), Now: testNow}
	b.ReportAllocs()
	for b.Loop() {
		if err := PrintKeys(io.Discard, keys, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPrintTable10k(b *testing.B) {
	keys := benchKeys(10_000)
	for _, tty := range []bool{false, true} {
		name := "plain"
		if tty {
			name = "terminal"
		}
		b.Run(name, func(b *testing.B) {
			opts := KeyPrintOptions{Format: Table, TTY: tty, Color: tty, Now: testNow}
			b.ReportAllocs()
			for b.Loop() {
				if err := PrintKeys(io.Discard, keys, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSortKeys sorts 10,000 and 100,000 keys by -expires (few ties) and by title
// (many ties, broken by the default order), with SortKeys and with stableSortKeys, the
// plain slices.SortStableFunc over the keys that SortKeys must agree with. Each iteration
// first copies the unsorted keys back, which the copy sub-benchmark times alone.
func BenchmarkSortKeys(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		keys := benchKeys(n)
		work := make([]Key, n)
		b.Run(fmt.Sprintf("%dk/copy", n/1000), func(b *testing.B) {
			for b.Loop() {
				copy(work, keys)
			}
		})
		for _, spec := range []string{"-expires", "title"} {
			by, err := ParseSort(spec)
			if err != nil {
				b.Fatal(err)
			}
			for _, sorter := range []struct {
				name string
				sort func([]Key, []SortKey)
			}{{"SortKeys", SortKeys}, {"SortStableFunc", stableSortKeys}} {
				b.Run(fmt.Sprintf("%dk/%s/%s", n/1000, spec, sorter.name), func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						copy(work, keys)
						sorter.sort(work, by)
					}
				})
			}
		}
	}
}
