package config

import (
	"context"
	"os"
	"time"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// lockPoll bounds the wait between two attempts to take a busy lock. Polling with a
// non-blocking lock, rather than a blocking one, lets the wait end with its context.
const lockPoll = 25 * time.Millisecond

// lockFile takes an exclusive advisory lock on path (created with mode 0600), waiting until
// ctx is done. The lock belongs to the open file, so it is released by unlock, or by the
// system if the process dies: a crashed apikeys never leaves a stale lock behind.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, l10n.Errorf("opening the lock file: %w", err)
	}
	wait := time.Millisecond
	for {
		busy, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, l10n.Errorf("locking %s: %w", path, err)
		}
		if !busy {
			return func() {
				_ = unlockFile(f)
				_ = f.Close()
			}, nil
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			f.Close()
			return nil, l10n.Errorf("waiting for %s, held by another apikeys process: %w", path, ctx.Err())
		case <-timer.C:
		}
		if wait *= 2; wait > lockPoll {
			wait = lockPoll
		}
	}
}
