package jmapcloud_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/sandbox"
)

// fastRetry keeps the tests quick while still exercising every retry path: its waits,
// Retry-After ones included, return at once.
var fastRetry = jmapcloud.RetryPolicy{MaxAttempts: 6, BaseDelay: 5 * time.Millisecond, MaxDelay: 2 * time.Second, Sleep: noSleep}

// noSleep is a RetryPolicy.Sleep that does not wait.
func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// sleepRecorder is a RetryPolicy.Sleep that records each wait asked for instead of waiting.
type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (r *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.waits = append(r.waits, d)
	return ctx.Err()
}

func (r *sleepRecorder) recorded() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.waits)
}

func TestRetriesIdempotentCallsThroughEveryFault(t *testing.T) {
	for _, kind := range []string{"500", "503", "429", "reset", "truncate", "garbage"} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			sb, anon := newSandbox(t, sandbox.Options{})
			anon = withRetry(t, anon, fastRetry)
			c, org, _ := login(t, anon, sandbox.AdminEmail)
			want, err := c.ListAPIKeys(ctx, org)
			if err != nil {
				t.Fatal(err)
			}
			if err := sb.SetFaults(sandbox.Faults{Rate: 0.5, Kinds: []string{kind}, Seed: 3}); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 5; i++ {
				got, err := c.ListAPIKeys(ctx, org)
				if err != nil {
					t.Fatalf("list %d under %s faults: %v", i, kind, err)
				}
				if len(got) != len(want) {
					t.Fatalf("list %d: %d keys, want %d", i, len(got), len(want))
				}
			}
			if sb.Stats().FaultsByKind[kind] == 0 {
				t.Fatalf("no %s fault was injected: the test proved nothing", kind)
			}
		})
	}
}

func TestCreateIsNeverSentTwice(t *testing.T) {
	for _, kind := range []string{"500", "503", "reset", "truncate", "garbage"} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			sb, anon := newSandbox(t, sandbox.Options{})
			anon = withRetry(t, anon, fastRetry)
			c, org, _ := login(t, anon, sandbox.AdminEmail)
			if err := sb.SetFaults(sandbox.Faults{Rate: 1, Kinds: []string{kind}}); err != nil {
				t.Fatal(err)
			}
			before := sb.Stats().Requests
			_, err := c.CreateAPIKey(ctx, org, jmapcloud.CreateAPIKeyRequest{Title: "once", Role: jmapcloud.RoleViewer, ExpirationDate: time.Now().Add(time.Hour)})
			if err == nil {
				t.Fatal("create succeeded through a certain fault")
			}
			if n := sb.Stats().Requests - before; n != 1 {
				t.Fatalf("create sent %d requests, want exactly 1", n)
			}
			var netErr *jmapcloud.NetworkError
			var decErr *jmapcloud.DecodeError
			ambiguous := errors.As(err, &netErr) || errors.As(err, &decErr)
			if (kind == "reset" || kind == "truncate" || kind == "garbage") != ambiguous {
				t.Fatalf("%s: error %T %v; ambiguous=%v", kind, err, err, ambiguous)
			}
		})
	}
}

func TestRetriedDeleteTreats404AsDone(t *testing.T) {
	ctx := context.Background()
	sb, anon := newSandbox(t, sandbox.Options{})
	anon = withRetry(t, anon, jmapcloud.RetryPolicy{MaxAttempts: 4, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second})
	c, org, _ := login(t, anon, sandbox.AdminEmail)
	k, err := c.CreateAPIKey(ctx, org, jmapcloud.CreateAPIKeyRequest{Title: "gone", Role: jmapcloud.RoleViewer, ExpirationDate: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	// truncate happens after the delete took effect: the retry meets a 404, which is success.
	if err := sb.SetFaults(sandbox.Faults{Rate: 1, Kinds: []string{"truncate"}}); err != nil {
		t.Fatal(err)
	}
	// Once the first attempt has deleted the key, the network heals for the retry.
	healed := make(chan struct{})
	go func() {
		defer close(healed)
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if sb.Stats().KeysDeleted == 1 {
				if err := sb.SetFaults(sandbox.Faults{}); err != nil {
					t.Error(err)
				}
				return
			}
		}
	}()
	defer func() { <-healed }()
	if err := c.DeleteAPIKey(ctx, org, k.ID, ""); err != nil {
		t.Fatalf("delete with a lost answer: %v", err)
	}
	if got := sb.Stats().KeysDeleted; got != 1 {
		t.Fatalf("keys deleted = %d, want 1", got)
	}
	// A first-attempt 404 stays an error.
	if err := c.DeleteAPIKey(ctx, org, k.ID, ""); !jmapcloud.IsNotFound(err) {
		t.Fatalf("deleting an unknown key: %v, want 404", err)
	}
}

func TestRetryHonoursRetryAfterAndGivesUp(t *testing.T) {
	ctx := context.Background()
	sb, anon := newSandbox(t, sandbox.Options{})
	var clock sleepRecorder
	anon = withRetry(t, anon, jmapcloud.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Second, Sleep: clock.sleep})
	c, org, _ := login(t, anon, sandbox.AdminEmail)
	if err := sb.SetFaults(sandbox.Faults{Rate: 1, Kinds: []string{"429"}}); err != nil {
		t.Fatal(err)
	}
	_, err := c.ListAPIKeys(ctx, org)
	if jmapcloud.StatusCode(err) != http.StatusTooManyRequests {
		t.Fatalf("err = %v, want the final 429", err)
	}
	if got := clock.recorded(); !slices.Equal(got, []time.Duration{time.Second}) {
		t.Fatalf("waits %v, want one of 1s (Retry-After: 1)", got)
	}
}

func TestCancelledContextStopsRetries(t *testing.T) {
	sb, anon := newSandbox(t, sandbox.Options{})
	anon = withRetry(t, anon, jmapcloud.RetryPolicy{MaxAttempts: 10, BaseDelay: time.Second, MaxDelay: time.Second})
	c, org, _ := login(t, anon, sandbox.AdminEmail)
	if err := sb.SetFaults(sandbox.Faults{Rate: 1, Kinds: []string{"503"}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.ListAPIKeys(ctx, org)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's deadline", err)
	}
}

func withRetry(t *testing.T, c *jmapcloud.Client, p jmapcloud.RetryPolicy) *jmapcloud.Client {
	t.Helper()
	nc, err := jmapcloud.New(jmapcloud.Options{BaseURL: c.BaseURL(), PageSize: 5, Retry: p, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return nc
}
