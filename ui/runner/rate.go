package runner

import "time"

// rate measures the training code's throughput over its most recent
// mini-batches, about the last second of training time.
type rate struct {
	images [256]int
	took   [256]time.Duration
	next   int
	n      int
}

// rateWindow is how much recent training time perSecond looks at.
const rateWindow = time.Second

// add records one mini-batch of images that took took to train.
func (r *rate) add(images int, took time.Duration) {
	r.images[r.next], r.took[r.next] = images, took
	r.next = (r.next + 1) % len(r.images)
	r.n = min(r.n+1, len(r.images))
}

// perSecond returns images per second over the newest mini-batches that
// together took about rateWindow (all of them, if they took less).
func (r *rate) perSecond() float64 {
	var images int
	var took time.Duration
	for i := 1; i <= r.n && took < rateWindow; i++ {
		k := (r.next - i + len(r.images)) % len(r.images)
		images += r.images[k]
		took += r.took[k]
	}
	if took <= 0 {
		return 0
	}
	return float64(images) / took.Seconds()
}
