package jmapcloud

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// RetryPolicy bounds the retries of idempotent calls (GET, DELETE).
type RetryPolicy struct {
	MaxAttempts int           // including the first; 1 disables retries
	BaseDelay   time.Duration // first backoff; doubles each attempt, with jitter
	MaxDelay    time.Duration // cap of one wait, Retry-After included
}

// DefaultRetryPolicy: four attempts over about two seconds, longer when the server asks.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 4, BaseDelay: 250 * time.Millisecond, MaxDelay: 10 * time.Second}

// decide says whether to retry after attempt failed with err, and how long to wait.
func (p RetryPolicy) decide(ctx context.Context, attempt int, err error, resp response) (time.Duration, bool) {
	if attempt >= p.MaxAttempts || ctx.Err() != nil || !transient(err) {
		return 0, false
	}
	if s := StatusCode(err); s == http.StatusTooManyRequests || s == http.StatusServiceUnavailable {
		if wait, ok := retryAfter(resp.header); ok {
			if wait > p.MaxDelay {
				return 0, false // the server asks for more patience than a command should show
			}
			return wait, true
		}
	}
	backoff := p.BaseDelay << (attempt - 1)
	if backoff > p.MaxDelay {
		backoff = p.MaxDelay
	}
	// Full jitter in [backoff/2, backoff): concurrent clients do not retry in step.
	half := backoff / 2
	return half + time.Duration(rand.Int64N(int64(half)+1)), true
}

// transient errors may succeed when sent again.
func transient(err error) bool {
	var netErr *NetworkError
	var decErr *DecodeError
	switch {
	case errors.Is(err, context.Canceled):
		return false
	case errors.As(err, &netErr), errors.As(err, &decErr):
		return true
	}
	switch StatusCode(err) {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryAfter reads Retry-After as seconds or an HTTP date.
func retryAfter(h http.Header) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := time.Until(t)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
