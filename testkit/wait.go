package testkit

import (
	"testing"
	"time"
)

// WaitFor polls cond every 10 ms until it holds, failing the test after 30 s:
// a bound for background work (jobs, reload loops) to catch up, not a timing
// assertion.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}
