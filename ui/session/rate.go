package session

import "time"

// wallRate measures images per wall-clock second over the last couple of
// seconds of ticks.
type wallRate struct {
	kept   float64 // the rate of a restored run, until it measures its own
	times  [128]time.Time
	counts [128]int
	next   int
	n      int
}

func (w *wallRate) add(t time.Time, images int) {
	w.times[w.next], w.counts[w.next] = t, images
	w.next = (w.next + 1) % len(w.times)
	w.n = min(w.n+1, len(w.times))
}

func (w *wallRate) perSecond() float64 {
	if w.n < 2 {
		return w.kept
	}
	newest := (w.next - 1 + len(w.times)) % len(w.times)
	oldest := (w.next - w.n + len(w.times)) % len(w.times)
	span := w.times[newest].Sub(w.times[oldest]).Seconds()
	if span <= 0 {
		return 0
	}
	return float64(w.counts[newest]-w.counts[oldest]) / span
}

// runClock measures a run's wall-clock time, counting only while it runs.
type runClock struct {
	total   time.Duration // of the stretches of running that have ended
	since   time.Time     // when the current stretch began
	running bool
}

func (c *runClock) start(now time.Time) {
	if !c.running {
		c.since, c.running = now, true
	}
}

func (c *runClock) stop(now time.Time) {
	if c.running {
		c.total += now.Sub(c.since)
		c.running = false
	}
}

// elapsed returns the time counted so far, the current stretch included.
func (c *runClock) elapsed(now time.Time) time.Duration {
	if c.running {
		return c.total + now.Sub(c.since)
	}
	return c.total
}
