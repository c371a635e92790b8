package output

import (
	"github.com/k2geospatial/apikeys/internal/l10n"

	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
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

// BenchmarkPrintTable10k renders 10,000 keys as the plain table (a pipe) and as the terminal
// table (colour, 150 columns), into io.Discard and into a pseudo-terminal whose other end is
// read as a terminal emulator would: there every write call costs a system call and the
// terminal's line discipline. writes/op counts the write calls the table made.
func BenchmarkPrintTable10k(b *testing.B) {
	keys := benchKeys(10_000)
	for _, sink := range []string{"discard", "pty"} {
		for _, tty := range []bool{false, true} {
			name := "plain"
			if tty {
				name = "terminal"
			}
			b.Run(sink+"/"+name, func(b *testing.B) {
				w := io.Discard
				if sink == "pty" {
					w = benchPTY(b)
				}
				counted := &countingWriter{w: w}
				opts := KeyPrintOptions{Format: Table, TTY: tty, Color: tty, Width: 150, Now: testNow}
				b.ReportAllocs()
				for b.Loop() {
					if err := PrintKeys(counted, keys, opts); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(counted.writes)/float64(b.N), "writes/op")
			})
		}
	}
}

// countingWriter counts the write calls made through it.
type countingWriter struct {
	w      io.Writer
	writes int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.writes++
	return c.w.Write(p)
}

// benchPTY is the terminal end of a pseudo-terminal whose other end is drained until the
// benchmark ends.
func benchPTY(b *testing.B) *os.File {
	ptmx, tty, err := pty.Open()
	if err != nil {
		b.Skip("no pseudo-terminal:", err)
	}
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 50, Cols: 150}); err != nil {
		b.Fatal(err)
	}
	drained := make(chan struct{})
	go func() {
		io.Copy(io.Discard, ptmx) //nolint:errcheck // ends with an error when tty closes
		close(drained)
	}()
	b.Cleanup(func() {
		tty.Close()
		<-drained
		ptmx.Close()
	})
	return tty
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

// BenchmarkPrintTable10kFrench is the terminal's table of 10,000 keys in English and in
// French, whose relative dates, roles and statuses are looked up in the catalog.
func BenchmarkPrintTable10kFrench(b *testing.B) {
	keys := benchKeys(10_000)
	for _, lang := range []l10n.Lang{l10n.English, l10n.French} {
		b.Run(lang.String(), func(b *testing.B) {
			opts := KeyPrintOptions{Format: Table, Columns: KeyFieldNames(), TTY: true, Color: true, Width: 150, Now: testNow, Printer: l10n.For(lang)}
			b.ReportAllocs()
			for b.Loop() {
				if err := PrintKeys(io.Discard, keys, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPrintTerminalTable100k renders 100,000 keys as the terminal table into io.Discard,
// 80 columns wide (columns hidden, cells cut) and 200 (every cell whole): B/op is what the
// table adds to the list command's peak memory.
func BenchmarkPrintTerminalTable100k(b *testing.B) {
	keys := benchKeys(100_000)
	for _, width := range []int{80, 200} {
		b.Run(fmt.Sprint(width), func(b *testing.B) {
			opts := KeyPrintOptions{Format: Table, TTY: true, Color: true, Width: width, Now: testNow}
			b.ReportAllocs()
			for b.Loop() {
				if err := PrintKeys(io.Discard, keys, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// sandboxKeys are the editors among n keys generated as `apikeys sandbox reset --keys n` does
// (internal/sandbox/seed.go), in the sandbox's order (by ID): expiries on 800 days, all at
// one time of day, so that the dates of about 40 editors tie, and titles of eight kinds
// numbered, which share their first 14 or more bytes. This is what
// `list --filter role=editor --sort -expires` sorts in bench/run.sh.
func sandboxKeys(n int) []Key {
	kinds := []string{"Batch loader", "Sensor gateway", "Report job", "Tile cache", "Mobile app", "Sync agent", "Import bot", "Webhook relay"}
	t0 := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
	var keys []Key
	for i := 0; i < n; i += 3 {
		days := (i*37)%800 - 60
		if days == 0 {
			days = 1
		}
		k := Key{
			ID:      fmt.Sprintf("%08x-%04x-4000-8000-%012x", uint32(i*2654435761), i%65536, i),
			Title:   fmt.Sprintf("%s #%d", kinds[i%len(kinds)], i+1),
			Role:    RoleEditor,
			Creator: "Ada Admin",
			Email:   fmt.Sprintf("key-%d@acme.example", i),
			Created: t0.AddDate(0, 0, -(i*7)%700-1),
			Expires: t0.AddDate(0, 0, days),
		}
		k.Status = KeyStatus(k.Expires, testNow)
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b Key) int { return strings.Compare(a.ID, b.ID) })
	return keys
}

// BenchmarkSortKeysSandbox sorts the 33,334 editors of 100,000 sandbox keys by -expires.
func BenchmarkSortKeysSandbox(b *testing.B) {
	keys := sandboxKeys(100_000)
	work := make([]Key, len(keys))
	by, err := ParseSort("-expires")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		copy(work, keys)
		SortKeys(work, by)
	}
}

// BenchmarkPrintCSVSandbox prints the sandbox's 33,334 editors of 100,000 keys as CSV with the
// default columns, as `list --filter role=editor --sort -expires -o csv` does.
func BenchmarkPrintCSVSandbox(b *testing.B) {
	keys := sandboxKeys(100_000)
	opts := KeyPrintOptions{Format: CSV, Now: testNow}
	b.ReportAllocs()
	for b.Loop() {
		if err := PrintKeys(io.Discard, keys, opts); err != nil {
			b.Fatal(err)
		}
	}
}
