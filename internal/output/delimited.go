package output

import (
	"bufio"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
)

// printKeysDelimited writes keys as CSV (sep ',') or TSV (sep '\t') with the columns ids, the
// bytes PrintDelimited writes of their rows, one key at a time: a key is normalized into one
// reused Key and its line appended to a reused buffer, with no row of strings and no copy of
// the list (100,000 keys were about three allocations each, and a 14 MB copy). A long list
// is formatted in blocks by several goroutines and written in order (printBlocks).
func printKeysDelimited(w io.Writer, keys []Key, ids []fieldID, sep byte, noHeaders bool, now time.Time) error {
	f := delimitedFormat{ids: ids, sep: sep, now: now}
	var head []byte
	if !noHeaders {
		head = f.appendHeader(nil)
	}
	if workers := printWorkers(len(keys)); workers > 1 {
		return printBlocks(w, head, keys, workers, f.appendKeys)
	}
	bw := bufio.NewWriter(w)
	bw.Write(head) //nolint:errcheck // bufio keeps the first error for Flush
	var line []byte
	for i := range keys {
		line = f.appendKeys(line[:0], keys[i:i+1])
		bw.Write(line) //nolint:errcheck // as above
	}
	return bw.Flush()
}

// delimitedFormat writes the lines of CSV or TSV.
type delimitedFormat struct {
	ids []fieldID
	sep byte
	now time.Time
}

func (f delimitedFormat) field(b []byte, s string) []byte {
	if f.sep == '\t' {
		return appendTSVField(b, s)
	}
	return appendCSVField(b, s, f.sep)
}

// appendHeader appends the header line: the columns' names.
func (f delimitedFormat) appendHeader(b []byte) []byte {
	for i, id := range f.ids {
		if i > 0 {
			b = append(b, f.sep)
		}
		b = f.field(b, id.name())
	}
	return append(b, '\n')
}

// appendKeys appends the line of each key.
func (f delimitedFormat) appendKeys(b []byte, keys []Key) []byte {
	var k Key
	for i := range keys {
		k = NormalizeKey(keys[i], f.now)
		for j, id := range f.ids {
			if j > 0 {
				b = append(b, f.sep)
			}
			if id.kind() != kindDate {
				b = f.field(b, id.str(&k))
				continue
			}
			if t := id.date(&k); !t.IsZero() {
				// RFC 3339 of a UTC time: digits, '-', ':', 'T' and 'Z', which neither
				// format quotes nor escapes.
				b = t.AppendFormat(b, time.RFC3339)
			}
		}
		b = append(b, '\n')
	}
	return b
}

// printBlock is how many keys one goroutine formats at a time when a list is printed in
// blocks: about 100 KB of CSV, one write.
const printBlock = 1024

// parallelPrintFrom is the list length from which CSV and TSV are formatted by several
// goroutines: formatting the sandbox's 33,334 editors took 14-16 ms on one core, most of it
// waiting on memory for each key's texts (docs/performance.md).
const parallelPrintFrom = 8192

// printWorkers is how many goroutines format a list of n keys.
func printWorkers(n int) int {
	if n < parallelPrintFrom {
		return 1
	}
	return min(runtime.GOMAXPROCS(0), 4)
}

// printBlocks writes head, then the text format gives each block of printBlock keys, in the
// keys' order. workers goroutines format blocks while the caller's writes them: at most
// 2*workers blocks are formatted ahead of the writing, each into a buffer that is reused. A
// failed write stops the formatting of the blocks not yet begun, and is returned.
func printBlocks(w io.Writer, head []byte, keys []Key, workers int, format func([]byte, []Key) []byte) error {
	blocks := (len(keys) + printBlock - 1) / printBlock
	done := make([]chan []byte, blocks)
	for i := range done {
		done[i] = make(chan []byte, 1)
	}
	// A worker takes a buffer before it takes a block, so that each block taken has its
	// buffer: the block the writer waits for is always being formatted.
	buffers := make(chan []byte, 2*workers)
	for range cap(buffers) {
		buffers <- make([]byte, 0, printBlock*128) // a block of the default columns' lines
	}
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for buf := range buffers {
				i := int(next.Add(1) - 1)
				if i >= blocks {
					return
				}
				buf = buf[:0]
				if !failed.Load() {
					buf = format(buf, keys[i*printBlock:min((i+1)*printBlock, len(keys))])
				}
				done[i] <- buf
			}
		})
	}
	var err error
	if len(head) > 0 {
		if _, err = w.Write(head); err != nil {
			failed.Store(true)
		}
	}
	for i := range blocks {
		buf := <-done[i]
		if err == nil {
			if _, err = w.Write(buf); err != nil {
				failed.Store(true)
			}
		}
		buffers <- buf
	}
	close(buffers)
	wg.Wait()
	return err
}

// appendCSVField appends field as encoding/csv's Writer writes it with Comma sep (an ASCII
// separator) and UseCRLF false: quoted when it holds the separator, a quote, CR or LF, starts
// with a space character, or is `\.`, with each quote doubled.
func appendCSVField(b []byte, field string, sep byte) []byte {
	if !csvNeedsQuotes(field, sep) {
		return append(b, field...)
	}
	b = append(b, '"')
	for field != "" {
		i := strings.IndexByte(field, '"')
		if i < 0 {
			return append(append(b, field...), '"')
		}
		b = append(b, field[:i+1]...)
		b = append(b, '"')
		field = field[i+1:]
	}
	return append(b, '"')
}

// csvNeedsQuotes is encoding/csv's fieldNeedsQuotes for an ASCII separator.
func csvNeedsQuotes(field string, sep byte) bool {
	if field == "" {
		return false
	}
	if field == `\.` {
		return true
	}
	for i := 0; i < len(field); i++ {
		if c := field[i]; c == '\n' || c == '\r' || c == '"' || c == sep {
			return true
		}
	}
	if c := field[0]; c < utf8.RuneSelf {
		return c == ' ' || '\t' <= c && c <= '\r'
	}
	r, _ := utf8.DecodeRuneInString(field)
	return unicode.IsSpace(r)
}

// appendTSVField appends field as a TSV cell: a backslash, tab, newline and carriage return
// written \\, \t, \n and \r (escapeTSV is its text).
func appendTSVField(b []byte, field string) []byte {
	for i := 0; i < len(field); i++ {
		switch c := field[i]; c {
		case '\\':
			b = append(b, `\\`...)
		case '\t':
			b = append(b, `\t`...)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		default:
			b = append(b, c)
		}
	}
	return b
}
