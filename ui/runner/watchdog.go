package runner

import "time"

// Liveness of a run trained elsewhere (a Web Worker). The worker's loop
// posts something at least every Heartbeat: its events while it trains,
// and an empty heartbeat while it is idle, waits for data, or spends long
// in an evaluation without news. The page feeds every message it gets
// from the worker to a Watchdog and asks it once a frame whether the
// worker has gone silent.
const (
	// Heartbeat is how often a worker with nothing to report posts a
	// heartbeat.
	Heartbeat = time.Second

	// SilenceLimit is how long the page waits without a message before it
	// gives the worker up. A healthy worker is silent for at most
	// Heartbeat plus the longest stretch its loop runs without looking up:
	// one unit of work (at most 10 images of a mini-batch, or an
	// evaluation chunk: a few milliseconds), setting up a run (under
	// 0.1 s for 5,000 images) or assembling the second tier of the
	// training images (about 0.1 s), measured in headless Chromium on a
	// 2-core machine. Ten seconds leaves a device ten times slower, with
	// a busy main thread delaying the messages, far from a false alarm,
	// and still tells a visitor within seconds that training has stopped.
	SilenceLimit = 10 * time.Second
)

// Watchdog notices a worker that has stopped answering: one that closed
// itself, or hangs in a loop, or whose thread died without an error event.
// It reads no clock: the caller passes the time, so tests drive it with a
// fake one.
type Watchdog struct {
	limit  time.Duration
	heard  time.Time // the last message, or when the count (re)started
	looked time.Time // the last call to Silent
}

// NewWatchdog returns a watchdog that starts counting at now (when the
// worker was handed its program) and gives the worker up after limit of
// silence.
func NewWatchdog(limit time.Duration, now time.Time) *Watchdog {
	return &Watchdog{limit: limit, heard: now, looked: now}
}

// Heard records a message from the worker at now.
func (w *Watchdog) Heard(now time.Time) {
	if now.After(w.heard) {
		w.heard = now
	}
}

// Silent returns how long the worker has said nothing as of now, and
// whether that is longer than the limit. Time during which the page itself
// did not run is not held against the worker: when two calls are further
// apart than the limit (the tab was frozen in the background, the computer
// slept), the worker's messages may still be queued behind the page's
// own, so the count restarts at now.
func (w *Watchdog) Silent(now time.Time) (time.Duration, bool) {
	if now.Sub(w.looked) > w.limit {
		w.heard = now
	}
	w.looked = now
	silence := now.Sub(w.heard)
	return silence, silence > w.limit
}
