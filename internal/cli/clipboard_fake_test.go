package cli

import (
	"os"
	"sync"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/clipboard"
	"github.com/k2geospatial/apikeys/internal/testenv"
)

// TestMain unsets DISPLAY and WAYLAND_DISPLAY: command tests copy to a fakeClipboard, and
// whatever would slip past it finds no display rather than a clipboard other test packages
// use at the same time.
//
// It also keeps the commands off the session bus of whoever runs the tests
// (testenv.IsolateDBus): the keyring tests start a Secret Service of their own.
func TestMain(m *testing.M) {
	os.Unsetenv("DISPLAY")
	os.Unsetenv("WAYLAND_DISPLAY")
	if os.Getenv(authHelperEnv) != "1" {
		testenv.IsolateDBus() // a helper process is given its bus by its test
		// The tests read English: a developer's French locale (or APIKEYS_LANG) must not
		// change it. French tests give their commands the locale themselves.
		englishLocale()
	}
	code := m.Run()
	testenv.StopSharedSecretService()
	os.Exit(code)
}

// fakeClipboard records what commands copy and schedule for clearing; its System clipboard
// holds one text in memory and records what is written to it.
type fakeClipboard struct {
	mu        sync.Mutex
	method    string // what Copy reports; clipboard.MethodSystem when empty
	copyErr   error
	clearErr  error
	copies    []string
	clears    []scheduledClear
	text      string
	sysWrites []string
}

type scheduledClear struct {
	Text  string
	After time.Duration
}

func (f *fakeClipboard) Copy(text string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.copyErr != nil {
		return "", f.copyErr
	}
	f.copies = append(f.copies, text)
	if f.method == "" {
		return clipboard.MethodSystem, nil
	}
	return f.method, nil
}

func (f *fakeClipboard) ScheduleClear(text string, after time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.clearErr != nil {
		return f.clearErr
	}
	f.clears = append(f.clears, scheduledClear{text, after})
	return nil
}

func (f *fakeClipboard) System() clipboard.Clipboard { return fakeSystemClipboard{f} }

// fakeSystemClipboard is the fake's clipboard.Clipboard.
type fakeSystemClipboard struct{ f *fakeClipboard }

func (s fakeSystemClipboard) Write(text string) error {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	s.f.text = text
	s.f.sysWrites = append(s.f.sysWrites, text)
	return nil
}

func (s fakeSystemClipboard) Read() (string, error) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	return s.f.text, nil
}

// record is what the fake saw, for exact comparison.
type clipboardRecord struct {
	Copies    []string
	Clears    []scheduledClear
	SysWrites []string
}

func (f *fakeClipboard) record() clipboardRecord {
	f.mu.Lock()
	defer f.mu.Unlock()
	return clipboardRecord{Copies: f.copies, Clears: f.clears, SysWrites: f.sysWrites}
}

// englishLocale makes the tests' locale English and UTF-8 (C.UTF-8: less, which some tests
// run, shows UTF-8 as such), whatever the developer's: LC_ALL, LC_MESSAGES and APIKEYS_LANG
// unset.
func englishLocale() {
	os.Setenv("LANG", "C.UTF-8")
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "APIKEYS_LANG"} {
		os.Unsetenv(name)
	}
}
