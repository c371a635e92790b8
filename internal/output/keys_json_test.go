package output

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// The streamed JSON of PrintKeys is byte for byte what encoding the whole array gives.
func TestPrintKeysJSONStreamsTheSameBytes(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	for _, n := range []int{0, 1, 2, 57} {
		keys := make([]Key, n)
		for i := range keys {
			keys[i] = Key{
				ID: fmt.Sprintf("id-%d", i), Title: fmt.Sprintf("t <%d> & \"q\" é\n", i), Role: "editor",
				Creator: "Ada", Email: "k@x.io", Created: now.Add(-time.Duration(i) * time.Hour),
			}
			if i%3 != 0 {
				keys[i].Expires = now.AddDate(0, 0, i)
			}
		}
		for _, columns := range [][]string{KeyFieldNames(), {"status", "title"}} {
			ids, err := columnIDs(columns)
			if err != nil {
				t.Fatal(err)
			}
			norm := make([]Key, n)
			records := make([]keyRecord, n)
			for i := range keys {
				norm[i] = NormalizeKey(keys[i], now)
				records[i] = keyRecord{&norm[i], ids}
			}
			var want, got bytes.Buffer
			if err := PrintJSON(&want, records); err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				want.Reset()
				want.WriteString("[]\n")
			}
			if err := printKeysJSON(&got, norm, ids); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Fatalf("%d keys, columns %v:\n got %q\nwant %q", n, columns, got.String(), want.String())
			}
		}
	}
}
