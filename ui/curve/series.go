// Package curve holds the data of the dashboard's live curves: Series, a
// curve of any length kept in bounded memory, and EMA, the exponential
// moving average that smooths the mini-batch loss. It draws nothing; the
// run records its curves here and the charts read them.
package curve

import (
	"fmt"
	"math"
)

// Point is one stored point of a Series: the mean of N consecutive samples,
// with the smallest (Lo) and largest (Hi) of their values, so a chart can
// draw the mean as a line and Lo…Hi as a band.
type Point struct {
	X, Y   float64 // means of the samples' x and y
	Lo, Hi float64 // extremes of the samples' y
	N      int     // number of samples merged into this point
}

// merge returns the point summarising the samples of p and q.
func merge(p, q Point) Point {
	if p.N == 0 {
		return q
	}
	n := float64(p.N + q.N)
	return Point{
		X:  (p.X*float64(p.N) + q.X*float64(q.N)) / n,
		Y:  (p.Y*float64(p.N) + q.Y*float64(q.N)) / n,
		Lo: math.Min(p.Lo, q.Lo),
		Hi: math.Max(p.Hi, q.Hi),
		N:  p.N + q.N,
	}
}

// Series stores a curve of any length in bounded memory, for a loss curve
// over a run of unknown length. It keeps at most its capacity of points
// covering the whole history at uniform resolution: when full it merges
// neighbouring points pairwise, halving the number of points and doubling
// the stride (samples per point) for what follows. Samples are expected in
// increasing x, such as the mini-batch number.
type Series struct {
	capacity int
	stride   int
	points   []Point
	pending  Point // the bucket being filled, with fewer than stride samples
	count    int
}

// NewSeries returns an empty Series holding at most capacity points, an
// even number of at least 2. The capacity is the program's choice, never
// the user's, so any other value is a programming mistake and panics.
func NewSeries(capacity int) *Series {
	if capacity < 2 || capacity%2 != 0 {
		panic(fmt.Sprintf("curve: series capacity %d is not an even number ≥ 2", capacity))
	}
	return &Series{capacity: capacity, stride: 1, points: make([]Point, 0, capacity)}
}

// Add appends the sample (x, y). A non-finite x or y is rejected with an
// error and not stored.
func (s *Series) Add(x, y float64) error {
	if !finite(x) || !finite(y) {
		return fmt.Errorf("curve: series sample (%v, %v) is not finite", x, y)
	}
	s.count++
	s.pending = merge(s.pending, Point{X: x, Y: y, Lo: y, Hi: y, N: 1})
	if s.pending.N < s.stride {
		return nil
	}
	s.points = append(s.points, s.pending)
	s.pending = Point{}
	if len(s.points) == s.capacity {
		s.halve()
	}
	return nil
}

// halve merges neighbouring points pairwise and doubles the stride.
func (s *Series) halve() {
	half := len(s.points) / 2
	for i := range half {
		s.points[i] = merge(s.points[2*i], s.points[2*i+1])
	}
	s.points = s.points[:half]
	s.stride *= 2
}

// Points returns a copy of the stored points in order, followed by the
// partly filled bucket of the newest samples if there is one, so the latest
// value is always visible. It never returns more than the capacity.
func (s *Series) Points() []Point {
	out := make([]Point, len(s.points), len(s.points)+1)
	copy(out, s.points)
	if s.pending.N > 0 {
		out = append(out, s.pending)
	}
	return out
}

// Len returns the number of points Points would return.
func (s *Series) Len() int {
	if s.pending.N > 0 {
		return len(s.points) + 1
	}
	return len(s.points)
}

// Stride returns how many samples each stored point now merges.
func (s *Series) Stride() int { return s.stride }

// Count returns how many samples have been added in total.
func (s *Series) Count() int { return s.count }

// Capacity returns the maximum number of points.
func (s *Series) Capacity() int { return s.capacity }

// Bounds returns the range of x over the points' means and the range of y
// over their Lo…Hi bands, for fitting axes; ok is false when empty.
func (s *Series) Bounds() (xlo, xhi, ylo, yhi float64, ok bool) {
	pts := s.Points()
	if len(pts) == 0 {
		return 0, 0, 0, 0, false
	}
	xlo, xhi = math.Inf(1), math.Inf(-1)
	ylo, yhi = math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		xlo, xhi = min(xlo, p.X), max(xhi, p.X)
		ylo, yhi = min(ylo, p.Lo), max(yhi, p.Hi)
	}
	return xlo, xhi, ylo, yhi, true
}

// Reset removes every sample, keeping the capacity.
func (s *Series) Reset() {
	s.points = s.points[:0]
	s.pending = Point{}
	s.stride, s.count = 1, 0
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Restore returns a Series of the given capacity that holds points, as
// Points of such a series returned them, and goes on as that series
// would: every point but the last merges the series' stride of samples
// (a power of two), and the last merges as many, or fewer while its
// bucket fills. A session kept in the browser or a file shows its loss
// curve again with it. Points that no such series could have returned
// give an error.
func Restore(capacity int, points []Point) (*Series, error) {
	s := NewSeries(capacity)
	if len(points) > capacity {
		return nil, fmt.Errorf("curve: %d points in a series of %d", len(points), capacity)
	}
	for _, p := range points {
		if p.N < 1 || !finite(p.X) || !finite(p.Y) || !finite(p.Lo) || !finite(p.Hi) || p.Lo > p.Hi {
			return nil, fmt.Errorf("curve: point %+v is not a series point", p)
		}
		for s.stride < p.N {
			s.stride *= 2
		}
	}
	for i, p := range points {
		last := i == len(points)-1
		if p.N != s.stride && !(last && p.N < s.stride) || i > 0 && p.X < points[i-1].X {
			return nil, fmt.Errorf("curve: point %d (%d samples, x %v) does not follow a series of stride %d", i, p.N, p.X, s.stride)
		}
		s.count += p.N
		if p.N < s.stride {
			s.pending = p
		} else {
			s.points = append(s.points, p)
		}
	}
	if len(s.points) == capacity {
		return nil, fmt.Errorf("curve: a full series of %d points would have been halved", capacity)
	}
	return s, nil
}
