package llm

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ErrUnavailable is wrapped by every error of Complete that means "no
// complete reply from the LLM": the caller answers another way (the
// fallback). Only the caller's own cancellation and an error of its onDelta
// are returned without it.
var ErrUnavailable = errors.New("llm unavailable")

// Kinds of ErrUnavailable; a returned error may wrap several (a timeout on
// the last try wraps ErrTimeout and ErrRetriesExhausted).
var (
	// ErrCircuitOpen: the breaker is open (or half-open and already probing),
	// so the server was not called.
	ErrCircuitOpen = fmt.Errorf("%w: circuit breaker open", ErrUnavailable)
	// ErrTimeout: the call's timeout or a try's time-to-first-byte ran out.
	ErrTimeout = fmt.Errorf("%w: timed out", ErrUnavailable)
	// ErrRetriesExhausted: every try failed with a retryable error (429,
	// 5xx, connection error, time-to-first-byte).
	ErrRetriesExhausted = fmt.Errorf("%w: retries exhausted", ErrUnavailable)
	// ErrRejected: the server refused the request with a 4xx other than 429
	// (bad key, unknown model, prompt too long); it is not retried.
	ErrRejected = fmt.Errorf("%w: request rejected", ErrUnavailable)
	// ErrBadResponse: the answer could not be read (malformed stream or body).
	ErrBadResponse = fmt.Errorf("%w: malformed response", ErrUnavailable)
	// ErrInterrupted: the stream failed after some text was handed to
	// onDelta; that text stays delivered and is never sent again.
	ErrInterrupted = fmt.Errorf("%w: stream interrupted", ErrUnavailable)
)

// StatusError is a non-2xx answer from the server.
type StatusError struct {
	Status int
	// Message is the start of the server's error body.
	Message string
	// RetryAfter is the server's Retry-After, 0 when absent.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("llm: HTTP %d: %s", e.Status, e.Message)
}

// Unwrap classes the status: 4xx other than 429 is a rejection, the rest a
// plain unavailability.
func (e *StatusError) Unwrap() error {
	if e.Status >= 400 && e.Status < 500 && e.Status != http.StatusTooManyRequests {
		return ErrRejected
	}
	return ErrUnavailable
}

// retryable tells whether a try that failed with err (before any delta) may
// be tried again: 429, 5xx, connection errors and a missed first byte.
// Rejections, malformed answers and the call's own timeout are final.
func retryable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Status == http.StatusTooManyRequests || se.Status >= 500
	}
	var ce *connError
	return errors.As(err, &ce)
}

// connError is a transport failure of one try (refused, reset, cut, or the
// try's first byte not arriving in time).
type connError struct{ err error }

func (e *connError) Error() string   { return "llm: " + e.err.Error() }
func (e *connError) Unwrap() []error { return []error{ErrUnavailable, e.err} }

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s <= 0 {
			return 0
		}
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// backoff is the wait before retry n (1, 2, …): exponential from base,
// capped at max, with "equal jitter" (half fixed, half random) so clients
// that failed together do not retry together.
func backoff(n int, base, max time.Duration) time.Duration {
	d := base
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	d = min(d, max)
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(d-half)))
}
