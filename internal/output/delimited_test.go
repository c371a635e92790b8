package output

import (
	"bytes"
	"encoding/csv"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

// delimitedByRows is CSV or TSV as PrintKeys wrote it before it streamed: every key's row of
// strings (keyRow), then PrintDelimited.
func delimitedByRows(t *testing.T, keys []Key, columns []string, sep rune, noHeaders bool, now time.Time) []byte {
	t.Helper()
	ids, err := columnIDs(columns)
	if err != nil {
		t.Fatal(err)
	}
	headers := make([]string, len(ids))
	for i, id := range ids {
		headers[i] = id.name()
	}
	rows := make([][]string, len(keys))
	for i, k := range keys {
		n := NormalizeKey(k, now)
		rows[i] = keyRow(&n, ids, false, now, nil)
	}
	var b bytes.Buffer
	if err := PrintDelimited(&b, headers, rows, sep, noHeaders); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// hostileCells are texts CSV quotes and TSV escapes, and texts they leave alone that are
// close to those.
var hostileCells = []string{
	"", "plain", "a,b", `say "hi"`, `"`, `""`, "line\nbreak", "cr\rhere", "crlf\r\n", " lead", "\tlead",
	"\vlead", "\flead", "\u0085lead", "\u00a0lead", "\u2028lead", "trail ", `\.`, `\..`, `\`, `back\slash`,
	"tab\there", "\xff\xfe", "é,", "東京", "\x1b[31mred", "=1+1",
}

func TestPrintKeysDelimitedIsPrintDelimited(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	paris := time.FixedZone("Paris", 2*3600)
	dates := []time.Time{{}, now, time.Date(2026, 7, 1, 12, 30, 15, 999999999, paris), time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC)}
	var keys []Key
	for i, c := range hostileCells {
		keys = append(keys, Key{
			ID: c, Title: hostileCells[(i+1)%len(hostileCells)], Role: []string{"ORG_EDITOR", "viewer", c}[i%3],
			Creator: hostileCells[(i+2)%len(hostileCells)], Email: hostileCells[(i+3)%len(hostileCells)],
			Status: []string{"", StatusActive, c}[i%3], Created: dates[i%len(dates)], Expires: dates[(i+2)%len(dates)],
		})
	}
	for _, columns := range [][]string{KeyFieldNames(), DefaultKeyColumns(), {"expires"}, {"title"}, {"email", "id", "created", "status"}} {
		for _, format := range []Format{CSV, TSV} {
			for _, noHeaders := range []bool{false, true} {
				sep := ','
				if format == TSV {
					sep = '\t'
				}
				var got bytes.Buffer
				err := PrintKeys(&got, keys, KeyPrintOptions{Format: format, Columns: columns, ColumnsExplicit: true, NoHeaders: noHeaders, Now: now})
				if err != nil {
					t.Fatal(err)
				}
				if want := delimitedByRows(t, keys, columns, sep, noHeaders, now); !bytes.Equal(got.Bytes(), want) {
					t.Errorf("%s %v, no headers %v:\n got %q\nwant %q", format, columns, noHeaders, got.String(), want)
				}
			}
		}
	}
}

// appendCSVField writes a field as encoding/csv does.
func FuzzAppendCSVField(f *testing.F) {
	for _, c := range hostileCells {
		f.Add(c, "x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		var want bytes.Buffer
		cw := csv.NewWriter(&want)
		if err := cw.Write([]string{a, b}); err != nil {
			t.Fatal(err)
		}
		cw.Flush()
		got := appendCSVField(nil, a, ',')
		got = append(got, ',')
		got = append(appendCSVField(got, b, ','), '\n')
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("fields %q, %q:\n got %q\nwant %q", a, b, got, want.Bytes())
		}
		if tsv := appendTSVField(nil, a); string(tsv) != escapeTSV(a) {
			t.Fatalf("TSV of %q: got %q, want %q", a, tsv, escapeTSV(a))
		}
		if strings.ContainsAny(string(appendTSVField(nil, a)), "\t\n\r") {
			t.Fatalf("TSV of %q holds a tab or a line break", a)
		}
	})
}

// A list long enough to be formatted in blocks by several goroutines gives the bytes of the
// row path, in 1 to 5 processors, with a last block that is not full.
func TestPrintKeysDelimitedInBlocksIsPrintDelimited(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	keys := sandboxKeys(3 * (parallelPrintFrom + printBlock/2))
	for i := range keys {
		if i%97 == 0 {
			keys[i].Title = hostileCells[i%len(hostileCells)]
		}
	}
	if len(keys) < parallelPrintFrom || len(keys)%printBlock == 0 {
		t.Fatalf("%d keys do not end in a part of a block past parallelPrintFrom", len(keys))
	}
	for _, format := range []Format{CSV, TSV} {
		sep := ','
		if format == TSV {
			sep = '\t'
		}
		want := delimitedByRows(t, keys, DefaultKeyColumns(), sep, false, now)
		for _, procs := range []int{1, 2, 3, 5} {
			func() {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				if procs > 1 && printWorkers(len(keys)) < 2 {
					t.Fatalf("%d keys on %d processors are not printed in blocks", len(keys), procs)
				}
				var got bytes.Buffer
				if err := PrintKeys(&got, keys, KeyPrintOptions{Format: format, Now: now}); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), want) {
					t.Errorf("%s on %d processors: %d bytes differ from the row path's %d", format, procs, got.Len(), len(want))
				}
			}()
		}
	}
}

// failingWriter takes room bytes, then fails every write.
type failingWriter struct {
	room   int
	writes int
}

var errWriterFull = errors.New("the reader went away")

func (w *failingWriter) Write(p []byte) (int, error) {
	w.writes++
	if len(p) > w.room {
		n := w.room
		w.room = 0
		return n, errWriterFull
	}
	w.room -= len(p)
	return len(p), nil
}

// A write that fails (a reader that went away: `| head`) ends the printing in blocks with
// that error, whatever block it fails on, and no block is written after it.
func TestPrintKeysDelimitedInBlocksStopsAtAFailedWrite(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	keys := sandboxKeys(3 * 2 * parallelPrintFrom)
	for _, room := range []int{0, 10, 150_000, 1_000_000} {
		w := &failingWriter{room: room}
		err := PrintKeys(w, keys, KeyPrintOptions{Format: CSV, Now: testNow})
		if !errors.Is(err, errWriterFull) {
			t.Errorf("room %d: got %v, want the writer's error", room, err)
		}
		if w.writes > 2+room/(printBlock*50) {
			t.Errorf("room %d: %d writes; the writes went on after the failure", room, w.writes)
		}
	}
}
