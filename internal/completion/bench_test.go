package completion

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// benchKeys are n keys shaped like the sandbox's (`sandbox reset --keys n`), in the order the
// completion cache keeps them.
func benchKeys(n int) []Key {
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	keys := make([]Key, n)
	for i := range keys {
		role := "ORG_VIEWER"
		if i%3 == 0 {
			role = "ORG_EDITOR"
		}
		keys[i] = Key{
			ID:      fmt.Sprintf("%08x-a2cc-4e7d-80b7-ec981423e89d", i*2654435761%(1<<32)),
			Title:   fmt.Sprintf("Batch loader #%d", i+1),
			Role:    role,
			Expires: t0.Add(time.Duration(i*7919) * time.Hour),
		}
	}
	slices.SortFunc(keys, CompareKeys)
	return keys
}

// BenchmarkKeys is one TAB on `apikeys show ` with 1,000 keys in the cache: what a completion
// does besides starting the process and reading the cache (bench/run.sh, step 4).
func BenchmarkKeys(b *testing.B) {
	keys := benchKeys(1000)
	now := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	for _, lang := range []l10n.Lang{l10n.English, l10n.French} {
		p := l10n.For(lang)
		b.Run(lang.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if got := Keys(p, keys, nil, "", now); len(got) != 2000 {
					b.Fatalf("%d candidates", len(got))
				}
			}
		})
	}
}

func BenchmarkKeysReference(b *testing.B) {
	keys := benchKeys(1000)
	now := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if got := keysReference(nil, keys, nil, "", now); len(got) != 2000 {
			b.Fatalf("%d candidates", len(got))
		}
	}
}
