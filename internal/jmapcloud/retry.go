package jmapcloud

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"
)

// RetryPolicy bounds the retries of the calls that may be sent again (see resendable).
type RetryPolicy struct {
	MaxAttempts int           // including the first; 1 disables retries
	BaseDelay   time.Duration // first backoff; doubles each attempt, with jitter
	MaxDelay    time.Duration // cap of one wait, Retry-After included
	// Sleep waits d, or until ctx is done (then it returns ctx's error). nil is a real
	// timer; tests pass one that returns at once, so a Retry-After: 8 costs them nothing.
	Sleep func(ctx context.Context, d time.Duration) error
}

// DefaultRetryPolicy: four attempts over about two seconds, longer when the server asks.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 4, BaseDelay: 250 * time.Millisecond, MaxDelay: 10 * time.Second}

// orDefault is p, or DefaultRetryPolicy (keeping p's Sleep) when p sets no attempts.
func (p RetryPolicy) orDefault() RetryPolicy {
	if p.MaxAttempts > 0 {
		return p
	}
	d := DefaultRetryPolicy
	d.Sleep = p.Sleep
	return d
}

// sleep waits d with p.Sleep, or a timer.
func (p RetryPolicy) sleep(ctx context.Context, d time.Duration) error {
	if p.Sleep != nil {
		if err := p.Sleep(ctx, d); err != nil {
			return err
		}
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

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

// callKind is how much a call may be sent again.
type callKind int

const (
	// callSafe spends nothing: GET, DELETE (a retried DELETE meeting 404 is done), and
	// authenticate, which only opens one more session.
	callSafe callKind = iota
	// callSingleUse spends a single-use refresh token (refresh-token, revoke-token): resent
	// only when the server certainly did not process it.
	callSingleUse
	// callOnce creates something (create): never sent twice.
	callOnce
)

// kindOf classifies a request by its method and path.
func kindOf(method, path string) callKind {
	switch {
	case method == http.MethodGet, method == http.MethodDelete, path == pathAuthenticate():
		return callSafe
	case path == pathRefreshToken(), path == pathRevokeToken():
		return callSingleUse
	}
	return callOnce
}

// resendable says whether a call of kind k that failed with err may be sent again.
func (k callKind) resendable(err error) bool {
	switch k {
	case callSafe:
		return true // decide still checks that err is transient
	case callSingleUse:
		return NotProcessed(err)
	}
	return false
}

// NotProcessed reports failures that prove the server did not act on the request: a 429 or
// 503 answer, or a connection that could not be made, so nothing was sent. A lost answer,
// a 500, 502 or 504 prove nothing: a refresh token sent may be spent. The retries of
// single-use calls and the CLI's session rules both decide by it.
func NotProcessed(err error) bool {
	switch StatusCode(err) {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return true
	}
	return isDialError(err)
}

// isDialError reports a failure to connect (refused, unreachable, dial timeout).
func isDialError(err error) bool {
	var netErr *NetworkError
	var opErr *net.OpError
	return errors.As(err, &netErr) && netErr.Status == 0 && errors.As(err, &opErr) && opErr.Op == "dial"
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
	if isDecimal(v) {
		return retryAfterSeconds(v), true
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

// retryAfterSeconds reads a Retry-After of decimal digits. A number of seconds past what a
// time.Duration holds is the longest wait, not an overflow: time.Duration(secs)*time.Second
// would wrap to a negative wait, and the call would be sent again at once, against the
// server's wish.
func retryAfterSeconds(v string) time.Duration {
	const longest = time.Duration(math.MaxInt64)
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil || secs > int64(longest/time.Second) {
		return longest
	}
	return time.Duration(secs) * time.Second
}

// isDecimal reports whether v is one or more ASCII digits.
func isDecimal(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return v != ""
}
