// Package ink turns every pointer sample the browser reports into strokes,
// so that what the pad paints is the path the hand took whatever the
// frame rate. The page's pointer-event handlers push samples into a Queue
// as they arrive (coalesced ones included); once per frame the dashboard
// takes them, in order, and a Tracker turns them into segments to paint.
package ink

import "sync"

// Kind is what a sample reports.
type Kind int

// The kinds of sample.
const (
	Down Kind = iota // a button or finger went down
	Move             // the pointer moved while down
	Up               // the button or finger was lifted (or the pointer cancelled)
)

// Sample is one pointer report, in the dashboard's logical units.
type Sample struct {
	ID   int // the pointer: the mouse, or one finger
	Kind Kind
	X, Y float64
}

// MaxQueued bounds a Queue: at 1,000 samples a second (a fast pen with
// coalesced events) it holds several seconds of drawing, enough for the
// slowest frame, and a page that stops taking samples cannot grow it
// without end.
const MaxQueued = 4096

// Queue holds samples between their arrival and the next frame. Its zero
// value is ready to use. Push and Take may be called from different
// goroutines (a JavaScript callback may run while a frame is blocked).
type Queue struct {
	mu      sync.Mutex
	samples []Sample
	total   int // samples ever pushed
	dropped int // samples dropped because the queue was full
}

// Push adds a sample. When the queue is full the sample is dropped and
// counted, except that an Up always gets in (replacing the newest Move),
// so a stroke is never left open.
func (q *Queue) Push(s Sample) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.total++
	if len(q.samples) < MaxQueued {
		q.samples = append(q.samples, s)
		return
	}
	q.dropped++
	if s.Kind == Up {
		for i := len(q.samples) - 1; i >= 0; i-- {
			if q.samples[i].Kind == Move {
				q.samples = append(q.samples[:i], q.samples[i+1:]...)
				q.samples = append(q.samples, s)
				return
			}
		}
	}
}

// Take returns the samples pushed since the last Take, oldest first,
// appended to dst.
func (q *Queue) Take(dst []Sample) []Sample {
	q.mu.Lock()
	defer q.mu.Unlock()
	dst = append(dst, q.samples...)
	q.samples = q.samples[:0]
	return dst
}

// Counts returns how many samples were ever pushed and how many of them
// were dropped.
func (q *Queue) Counts() (total, dropped int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.total, q.dropped
}

// Segment is a straight piece of stroke from (X0, Y0) to (X1, Y1); a dot
// has both ends equal.
type Segment struct {
	ID             int // the pointer that drew it
	X0, Y0, X1, Y1 float64
}

// Tracker follows each pointer's stroke. Its zero value is ready to use.
type Tracker struct {
	last map[int][2]float64 // pointers with a stroke under way, at their last point
}

// Feed turns samples into segments. A Down starts a stroke with a dot if
// start accepts its point (the pad's surface); a Move continues its
// pointer's stroke with a segment from the previous point; an Up ends it
// with a segment to the release point. Each pointer has its own stroke,
// so two fingers never join theirs. Samples of a pointer with no stroke
// under way are ignored.
func (t *Tracker) Feed(dst []Segment, samples []Sample, start func(x, y float64) bool) []Segment {
	if t.last == nil {
		t.last = make(map[int][2]float64)
	}
	for _, s := range samples {
		p, drawing := t.last[s.ID]
		switch {
		case s.Kind == Down && start(s.X, s.Y):
			t.last[s.ID] = [2]float64{s.X, s.Y}
			dst = append(dst, Segment{ID: s.ID, X0: s.X, Y0: s.Y, X1: s.X, Y1: s.Y})
		case s.Kind == Down:
			delete(t.last, s.ID)
		case drawing:
			if s.X != p[0] || s.Y != p[1] {
				dst = append(dst, Segment{ID: s.ID, X0: p[0], Y0: p[1], X1: s.X, Y1: s.Y})
			}
			t.last[s.ID] = [2]float64{s.X, s.Y}
			if s.Kind == Up {
				delete(t.last, s.ID)
			}
		}
	}
	return dst
}

// Drawing reports whether any pointer has a stroke under way.
func (t *Tracker) Drawing() bool { return len(t.last) > 0 }

// Reset forgets the strokes under way (the pad was cleared).
func (t *Tracker) Reset() { clear(t.last) }
