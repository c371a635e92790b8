//go:build unix

package compcache

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/completion"
)

// Completion reads its cache without a deadline: a FIFO that nobody writes in place of an
// entry is a cache miss at once, not a TAB that never returns; so is a directory.
func TestLoadRefusesWhatIsNotARegularFile(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := testStore(t, &now)
	scope := Scope{Profile: "default", API: "https://api.example", Org: "o1"}
	if err := s.SaveKeys(scope, []completion.Key{{ID: "k1", Title: "CI", Role: "ORG_EDITOR"}}); err != nil {
		t.Fatal(err)
	}
	path := s.path("keys", scope)
	if _, ok := s.LoadKeys(scope); !ok {
		t.Fatalf("the regular entry %s was not read", filepath.Base(path))
	}
	for _, c := range []struct {
		kind string
		fn   func(string) error
	}{
		{"FIFO", func(p string) error { return syscall.Mkfifo(p, 0o600) }},
		{"directory", func(p string) error { return os.Mkdir(p, 0o700) }},
	} {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		if err := c.fn(path); err != nil {
			t.Fatal(err)
		}
		done := make(chan bool, 1)
		go func() {
			_, ok := s.LoadKeys(scope)
			done <- ok
		}()
		select {
		case ok := <-done:
			if ok {
				t.Errorf("a %s was taken for a cache entry", c.kind)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("reading a %s in place of the cache entry blocked", c.kind)
		}
	}
}
