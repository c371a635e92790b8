package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/keyselect"
	"github.com/k2geospatial/apikeys/internal/output"
)

var listBenchNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// benchAPIKeys builds n keys as the client decodes them: both roles, expiries spread two
// years around listBenchNow, titles and creators repeating the way a large org's do.
func benchAPIKeys(n int) []jmapcloud.APIKey {
	keys := make([]jmapcloud.APIKey, n)
	var x uint64 = 0x9e3779b97f4a7c15
	for i := range keys {
		x ^= x << 13 // xorshift: reproducible without math/rand state
		x ^= x >> 7
		x ^= x << 17
		role := jmapcloud.RoleViewer
		if x&1 == 0 {
			role = jmapcloud.RoleEditor
		}
		keys[i] = jmapcloud.APIKey{
			ID:             fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(x), uint16(x>>32), x>>48&0xfff, i&0xfff, x>>8&0xffffffffffff),
			Title:          fmt.Sprintf("Sync agent #%d", x%10000),
			Role:           role,
			Email:          fmt.Sprintf("apikey-%08x@acme.example", uint32(x)),
			CreatedBy:      []string{"Oscar Ops", "Ada Admin", "Eve Editor"}[x%3],
			CreationDate:   listBenchNow.Add(-time.Duration(x%(365*24)) * time.Hour),
			ExpirationDate: listBenchNow.Add(time.Duration(int64(x>>20%(730*24))-365*24) * time.Hour),
		}
	}
	return keys
}

type staticKeys []jmapcloud.APIKey

func (s staticKeys) ListKeys(context.Context) ([]jmapcloud.APIKey, error) { return s, nil }

func (s staticKeys) ListKeyPages(_ context.Context, read func(jmapcloud.KeyPage)) (int, error) {
	return givePages(s, 1000, read), nil
}

// benchmarkRunList times `apikeys list` after the keys arrived: convert, filter, sort and
// print, as runList does them.
func benchmarkRunList(b *testing.B, n int, format string, args ...string) {
	keys := benchAPIKeys(n)
	streams, _, _, _ := iostreams.Test()
	streams.Out = io.Discard
	opts := &listOptions{
		IO:     streams,
		Now:    func() time.Time { return listBenchNow },
		Format: func() (output.Format, error) { return output.ParseFormat(format) },
		Keys: func(context.Context) (keyPageLister, error) {
			return staticKeys(keys), nil
		},
	}
	for i := 0; i < len(args); i += 2 {
		switch args[i] {
		case "--filter":
			opts.Filters = append(opts.Filters, args[i+1])
		case "--sort":
			opts.Sort = args[i+1]
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := runList(context.Background(), opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRunList10kEditorsCSV(b *testing.B) {
	benchmarkRunList(b, 10_000, "csv", "--filter", "role=editor", "--sort", "-expires")
}
func BenchmarkRunList100kEditorsCSV(b *testing.B) {
	benchmarkRunList(b, 100_000, "csv", "--filter", "role=editor", "--sort", "-expires")
}
func BenchmarkRunList100kCSV(b *testing.B)   { benchmarkRunList(b, 100_000, "csv") }
func BenchmarkRunList100kTable(b *testing.B) { benchmarkRunList(b, 100_000, "table") }
func BenchmarkRunList100kJSON(b *testing.B)  { benchmarkRunList(b, 100_000, "json") }

// TestPrintKeyRowsChunks: CSV and TSV printed a chunk at a time (on a terminal) are the bytes
// of one PrintKeys call, with and without headers; off a terminal, and in other formats, they
// go through in one call.
func TestPrintKeyRowsChunks(t *testing.T) {
	keys := benchAPIKeys(2*printChunk + 7)
	keys[5].Title = "comma, \"quote\"\nnewline\ttab" // quoting and escaping inside a chunk
	rows := filterOutputKeys(keys, nil, listBenchNow)
	for _, format := range []output.Format{output.CSV, output.TSV, output.Table, output.JSON} {
		for _, flags := range []struct{ noHeaders, tty bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
			noHeaders := flags.noHeaders
			opts := output.KeyPrintOptions{Format: format, NoHeaders: noHeaders, TTY: flags.tty, Columns: output.KeyFieldNames(), Now: listBenchNow}
			var whole, chunked bytes.Buffer
			if err := output.PrintKeys(&whole, rows, opts); err != nil {
				t.Fatal(err)
			}
			if err := printKeyRows(&chunked, rows, opts); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(whole.Bytes(), chunked.Bytes()) {
				t.Errorf("%s, no headers %v, terminal %v: chunked output differs from one call", format, noHeaders, flags.tty)
			}
		}
	}
}

// TestFilterOutputKeys: converting and filtering in one pass is output.FilterKeys over
// toOutputKeys.
func TestFilterOutputKeys(t *testing.T) {
	keys := benchAPIKeys(5000)
	var filters []output.Filter
	for _, e := range []string{"role=editor", "expires<90d", "title~agent #1"} {
		f, err := output.ParseFilter(e, listBenchNow)
		if err != nil {
			t.Fatal(err)
		}
		filters = append(filters, f)
		got := filterOutputKeys(keys, filters, listBenchNow)
		want := output.FilterKeys(toOutputKeys(keys, listBenchNow), filters)
		if len(got) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("after %q: %d rows, want %d", e, len(got), len(want))
		}
	}
}

// filterOutputKeys is keyselect.FilterRows without the malformed-key callback, as the benchmarks
// measure it.
func filterOutputKeys(keys []jmapcloud.APIKey, filters []output.Filter, now time.Time) []output.Key {
	return keyselect.FilterRows(keys, filters, now, func(*jmapcloud.APIKey, string) {})
}

// toOutputKeys converts every key, the second slice keyselect.FilterRows avoids.
func toOutputKeys(keys []jmapcloud.APIKey, now time.Time) []output.Key {
	rows := make([]output.Key, len(keys))
	for i, k := range keys {
		rows[i] = keyselect.Row(k, now)
	}
	return rows
}
