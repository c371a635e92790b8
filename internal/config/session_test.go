package config

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func sampleSession() *Session {
	now := time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)
	return &Session{
		Profile:      "default",
		APIURL:       "http://127.0.0.1:8080",
		User:         SessionUser{Email: "admin@acme.example", Name: "Ada Admin"},
		Organization: SessionOrganization{ID: "76ba117c-63e9-4b5e-82ce-01862e86eebf", Name: "Acme"},
		Roles:        []string{"ORG_ADMIN"},
		AccessToken:  "access-1",
		RefreshToken: "refresh-1",
		ExpiresAt:    now.Add(time.Hour),
		IssuedAt:     now,
		LoggedInAt:   now,
	}
}

func TestSessionRoundTripAndPermissions(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "apikeys", "config.yaml")
	store := NewSessionFile(cfg, "qa")
	if want := filepath.Join(filepath.Dir(cfg), "sessions", "qa.json"); store.Path != want {
		t.Fatalf("path %q, want %q", store.Path, want)
	}
	if _, err := store.Load(); !errors.Is(err, ErrNoSession) {
		t.Fatalf("Load of nothing: %v", err)
	}
	in := sampleSession()
	if err := store.Save(in); err != nil {
		t.Fatal(err)
	}
	out, err := store.Load()
	if err != nil {
		t.Fatal(err)
	}
	in.Format = sessionFormat
	if fmt.Sprint(*out) != fmt.Sprint(*in) {
		t.Errorf("round trip:\n got %+v\nwant %+v", *out, *in)
	}
	if runtime.GOOS != "windows" {
		info, _ := os.Stat(store.Path)
		if info.Mode().Perm() != 0o600 {
			t.Errorf("session mode %v, want 0600", info.Mode().Perm())
		}
		dir, _ := os.Stat(filepath.Dir(store.Path))
		if dir.Mode().Perm() != 0o700 {
			t.Errorf("sessions dir mode %v, want 0700", dir.Mode().Perm())
		}
	}

	// A second save replaces the file whatever its mode was, and leaves no temporary file.
	if err := os.Chmod(store.Path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Dir(store.Path), 0o755); err != nil {
		t.Fatal(err)
	}
	in.RefreshToken = "refresh-2"
	if err := store.Save(in); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if info, _ := os.Stat(store.Path); info.Mode().Perm() != 0o600 {
			t.Errorf("after replace: mode %v, want 0600", info.Mode().Perm())
		}
		if dir, _ := os.Stat(filepath.Dir(store.Path)); dir.Mode().Perm() != 0o700 {
			t.Errorf("after replace: dir mode %v, want 0700", dir.Mode().Perm())
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(store.Path))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != "qa.json" {
		t.Errorf("sessions dir holds %v, want only qa.json", names)
	}

	if err := store.Remove(); err != nil {
		t.Fatal(err)
	}
	if err := store.Remove(); err != nil {
		t.Fatalf("second Remove: %v", err)
	}
	if _, err := store.Load(); !errors.Is(err, ErrNoSession) {
		t.Fatalf("Load after Remove: %v", err)
	}
	// Logging out of a profile that never logged in: not even the sessions directory exists.
	never := NewSessionFile(filepath.Join(t.TempDir(), "none", "config.yaml"), "default")
	if err := never.Remove(); err != nil {
		t.Fatalf("Remove without a sessions directory: %v", err)
	}
}

func TestSessionCorrupt(t *testing.T) {
	tests := map[string]string{
		"garbage":      "\x00\x01 not json",
		"truncated":    `{"format": 1, "apiUrl": "http://127.0.0.1:1", "accessToken": "a`,
		"empty":        "",
		"wrong format": `{"format": 99}`,
		"no tokens":    `{"format": 1, "apiUrl": "http://127.0.0.1:1", "organization": {"id": "o"}}`,
	}
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			store := NewSessionFile(filepath.Join(t.TempDir(), "config.yaml"), "default")
			writeFile(t, store.Path, content)
			_, err := store.Load()
			var se *SessionError
			if !errors.As(err, &se) || se.Path != store.Path {
				t.Fatalf("want a *SessionError naming %s, got %v", store.Path, err)
			}
		})
	}
}

func TestWriteFileAtomicConcurrentReaders(t *testing.T) {
	// Readers racing with writers must always see one whole version.
	path := filepath.Join(t.TempDir(), "f.json")
	a, b := strings.Repeat("a", 64<<10), strings.Repeat("b", 64<<10)
	if err := WriteFileAtomic(path, []byte(a), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ctx.Err() == nil; i++ {
			data := a
			if i%2 == 1 {
				data = b
			}
			if err := WriteFileAtomic(path, []byte(data), 0o600); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	reads := 0
	for ctx.Err() == nil {
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if s := string(got); s != a && s != b {
			t.Fatalf("torn read of %d bytes", len(got))
		}
		reads++
	}
	wg.Wait()
	t.Logf("%d whole reads", reads)
}

func TestLockExcludesAndHonoursContext(t *testing.T) {
	store := NewSessionFile(filepath.Join(t.TempDir(), "config.yaml"), "default")
	unlock, err := store.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := store.Lock(ctx); !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "another apikeys process") {
		t.Fatalf("second Lock while held: %v", err)
	}
	unlock()
	unlock2, err := store.Lock(context.Background())
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	unlock2()
}

// lockChildEnv makes the test binary a child process of TestLockAcrossProcesses.
const lockChildEnv = "APIKEYS_CONFIG_LOCK_CHILD"

// TestLockAcrossProcesses has several processes increment a counter file under the lock;
// without mutual exclusion increments would be lost.
func TestLockAcrossProcesses(t *testing.T) {
	if dir := os.Getenv(lockChildEnv); dir != "" {
		lockChild(t, dir)
		return
	}
	dir := t.TempDir()
	const procs, rounds = 4, 25
	if err := os.WriteFile(filepath.Join(dir, "counter"), []byte("0"), 0o600); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, procs)
	for range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestLockAcrossProcesses$")
			cmd.Env = append(os.Environ(), lockChildEnv+"="+dir, "ROUNDS="+strconv.Itoa(rounds))
			if out, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("child: %v\n%s", err, out)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "counter"))
	if string(got) != strconv.Itoa(procs*rounds) {
		t.Errorf("counter = %s, want %d: the lock let processes overlap", got, procs*rounds)
	}
}

func lockChild(t *testing.T, dir string) {
	store := NewSessionFile(filepath.Join(dir, "config.yaml"), "default")
	rounds, _ := strconv.Atoi(os.Getenv("ROUNDS"))
	counter := filepath.Join(dir, "counter")
	for range rounds {
		unlock, err := store.Lock(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(counter)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.Atoi(string(data))
		time.Sleep(time.Millisecond) // widen the window a missing lock would expose
		if err := WriteFileAtomic(counter, []byte(strconv.Itoa(n+1)), 0o600); err != nil {
			t.Fatal(err)
		}
		unlock()
	}
}
