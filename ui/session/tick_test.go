package session

import (
	"testing"
	"time"
)

// maxTicks bounds the ticks a test waits for a state: far more than any
// test's run takes (a few thousand ticks), so that a session that never
// gets there fails the test instead of hanging it.
const maxTicks = 100_000

// tickUntil ticks sess with budget until done reports true, and fails the
// test if that takes more than limit ticks.
func tickUntil(t testing.TB, sess *Session, budget time.Duration, limit int, what string, done func() bool) {
	t.Helper()
	for range limit {
		if done() {
			return
		}
		sess.Tick(budget)
	}
	if !done() {
		t.Fatalf("%s did not come within %d ticks of %v", what, limit, budget)
	}
}
