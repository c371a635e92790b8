package session

import (
	"context"
	"errors"
	"testing"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/sandbox"
)

// underLock is the one way a saved session is changed: it holds the profile's lock, gives up
// as its context says while another holds it, and reads the file only once it holds it.
func TestUnderLockReadsTheFileOnceItHoldsTheLock(t *testing.T) {
	e := newEnv(t, 0)
	store := e.store()
	called := false
	err := underLock(t.Context(), store, func(disk *config.Session, err error) error {
		called = true
		if disk != nil || !errors.Is(err, config.ErrNoSession) {
			t.Errorf("nothing saved: %v, %v", disk, err)
		}
		return nil
	})
	if err != nil || !called {
		t.Fatalf("underLock: %v (fn called: %v)", err, called)
	}

	e.login(sandbox.AdminEmail)
	unlock, err := store.Lock(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	called = false
	if err := underLock(cancelled, store, func(*config.Session, error) error { called = true; return nil }); err == nil || called {
		t.Fatalf("with the lock held elsewhere and no time to wait: %v (fn called: %v)", err, called)
	}
	// What the holder saves before it unlocks is what the next one reads.
	held := e.saved()
	held.Roles = []string{"CHANGED_BY_THE_HOLDER"}
	if err := store.Save(held); err != nil {
		t.Fatal(err)
	}
	unlock()
	want := errors.New("fn's error")
	err = underLock(t.Context(), store, func(disk *config.Session, err error) error {
		if err != nil || len(disk.Roles) != 1 || disk.Roles[0] != "CHANGED_BY_THE_HOLDER" {
			t.Errorf("read under the lock: %+v, %v", disk, err)
		}
		return want
	})
	if err != want {
		t.Errorf("underLock returned %v, want fn's error", err)
	}
}
