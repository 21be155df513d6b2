package session

import "time"

// rate measures throughput over a sliding window of recent work.
type rate struct {
	images  [16]int
	times   [16]time.Duration
	next, n int
}

func (r *rate) add(images int, took time.Duration) {
	if images == 0 {
		return
	}
	r.images[r.next], r.times[r.next] = images, took
	r.next = (r.next + 1) % len(r.images)
	r.n = min(r.n+1, len(r.images))
}

func (r *rate) perSecond() float64 {
	var images int
	var took time.Duration
	for i := 0; i < r.n; i++ {
		images += r.images[i]
		took += r.times[i]
	}
	if took <= 0 {
		return 0
	}
	return float64(images) / took.Seconds()
}

// wallRate measures images per wall-clock second over the last couple of
// seconds of ticks.
type wallRate struct {
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
		return 0
	}
	newest := (w.next - 1 + len(w.times)) % len(w.times)
	oldest := (w.next - w.n + len(w.times)) % len(w.times)
	span := w.times[newest].Sub(w.times[oldest]).Seconds()
	if span <= 0 {
		return 0
	}
	return float64(w.counts[newest]-w.counts[oldest]) / span
}
