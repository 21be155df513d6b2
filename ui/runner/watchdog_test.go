package runner

import (
	"testing"
	"time"
)

// clock is a fake clock for the watchdog: it moves only when told.
type clock struct{ now time.Time }

func (c *clock) advance(d time.Duration) time.Time {
	c.now = c.now.Add(d)
	return c.now
}

// frames calls Silent once every frame for d, as the page does, and
// returns the first time it reported the worker silent beyond its limit
// (zero if it never did).
func frames(w *Watchdog, c *clock, d time.Duration) (gaveUp time.Duration) {
	const frame = 16 * time.Millisecond
	for t := time.Duration(0); t < d; t += frame {
		if _, over := w.Silent(c.advance(frame)); over && gaveUp == 0 {
			gaveUp = t + frame
		}
	}
	return gaveUp
}

func TestWatchdogKeepsAWorkerThatPostsEveryHeartbeat(t *testing.T) {
	c := &clock{now: time.Unix(1000, 0)}
	w := NewWatchdog(SilenceLimit, c.now)
	for range 120 { // two minutes of heartbeats, the page looking every frame
		if gaveUp := frames(w, c, Heartbeat); gaveUp != 0 {
			t.Fatalf("gave up a worker that posts every %v", Heartbeat)
		}
		w.Heard(c.now)
	}
	if silence, over := w.Silent(c.now); silence != 0 || over {
		t.Errorf("right after a message: silent %v, over %v", silence, over)
	}
}

func TestWatchdogGivesUpASilentWorkerAfterTheLimit(t *testing.T) {
	c := &clock{now: time.Unix(1000, 0)}
	w := NewWatchdog(SilenceLimit, c.now)
	frames(w, c, 3*time.Second)
	w.Heard(c.now) // its last message
	gaveUp := frames(w, c, 2*SilenceLimit)
	if gaveUp <= SilenceLimit || gaveUp > SilenceLimit+20*time.Millisecond {
		t.Errorf("gave up %v after the last message, want just after %v", gaveUp, SilenceLimit)
	}
	if silence, over := w.Silent(c.now); !over || silence < 2*SilenceLimit-time.Second {
		t.Errorf("later: silent %v, over %v; want the whole silence, over", silence, over)
	}
}

// A worker that never answers at all, not even that it is ready, is given
// up as well: the count starts when it was handed its program.
func TestWatchdogGivesUpAWorkerThatNeverAnswers(t *testing.T) {
	c := &clock{now: time.Unix(1000, 0)}
	w := NewWatchdog(SilenceLimit, c.now)
	if gaveUp := frames(w, c, SilenceLimit+time.Second); gaveUp == 0 {
		t.Error("kept a worker that never answered")
	}
}

// A page that did not run for a while (a frozen background tab, a sleeping
// computer) does not hold that time against the worker, whose messages may
// wait behind the page's own: the count restarts when the page runs again,
// and a worker that stays silent is still given up a limit later.
func TestWatchdogForgivesTimeThePageWasAsleep(t *testing.T) {
	c := &clock{now: time.Unix(1000, 0)}
	w := NewWatchdog(SilenceLimit, c.now)
	frames(w, c, time.Second)
	w.Heard(c.now)
	if _, over := w.Silent(c.advance(10 * time.Minute)); over {
		t.Fatal("gave up the worker after the page itself slept for 10 minutes")
	}
	if gaveUp := frames(w, c, SilenceLimit/2); gaveUp != 0 {
		t.Fatal("gave up the worker within half the limit of the page waking")
	}
	w.Heard(c.now) // the worker's queued messages arrive
	if gaveUp := frames(w, c, 2*SilenceLimit); gaveUp <= SilenceLimit || gaveUp > SilenceLimit+20*time.Millisecond {
		t.Errorf("a worker silent after the page woke was given up %v after its last message, want just after %v", gaveUp, SilenceLimit)
	}
}

// A message stamped before the latest one (clocks read out of order) does
// not move the last message back.
func TestWatchdogHeardNeverGoesBack(t *testing.T) {
	c := &clock{now: time.Unix(1000, 0)}
	w := NewWatchdog(SilenceLimit, c.now)
	w.Heard(c.advance(5 * time.Second))
	w.Heard(c.now.Add(-4 * time.Second))
	if silence, _ := w.Silent(c.advance(time.Second)); silence != time.Second {
		t.Errorf("silent %v after a message 1 s ago and an older one, want 1s", silence)
	}
}
