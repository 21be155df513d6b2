package curve

import (
	"math"
	"slices"
	"testing"
)

func TestNewSeriesPanicsOnBadCapacity(t *testing.T) {
	for _, c := range []int{-2, 0, 1, 3, 101} {
		if !panics(func() { NewSeries(c) }) {
			t.Errorf("NewSeries(%d) did not panic", c)
		}
	}
	if panics(func() { NewSeries(2) }) {
		t.Error("NewSeries(2) panicked")
	}
}

// panics reports whether f panics.
func panics(f func()) (did bool) {
	defer func() { did = recover() != nil }()
	f()
	return false
}

func TestSeriesKeepsEverySampleUntilFull(t *testing.T) {
	s := NewSeries(8)
	for i := range 7 {
		if err := s.Add(float64(i), float64(i*i)); err != nil {
			t.Fatal(err)
		}
	}
	pts := s.Points()
	if len(pts) != 7 || s.Stride() != 1 {
		t.Fatalf("%d points at stride %d, want 7 at stride 1", len(pts), s.Stride())
	}
	for i, p := range pts {
		if p != (Point{X: float64(i), Y: float64(i * i), Lo: float64(i * i), Hi: float64(i * i), N: 1}) {
			t.Errorf("point %d = %+v", i, p)
		}
	}
}

func TestSeriesHalvesWhenFull(t *testing.T) {
	s := NewSeries(4)
	ys := []float64{1, 3, 5, 7} // the fourth sample fills it
	for i, y := range ys {
		if err := s.Add(float64(i), y); err != nil {
			t.Fatal(err)
		}
	}
	want := []Point{
		{X: 0.5, Y: 2, Lo: 1, Hi: 3, N: 2},
		{X: 2.5, Y: 6, Lo: 5, Hi: 7, N: 2},
	}
	got := s.Points()
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || s.Stride() != 2 {
		t.Fatalf("after filling: %+v at stride %d, want %+v at stride 2", got, s.Stride(), want)
	}
	// The next sample waits in a partial bucket, shown as the last point.
	if err := s.Add(4, 10); err != nil {
		t.Fatal(err)
	}
	if got := s.Points(); len(got) != 3 || got[2] != (Point{X: 4, Y: 10, Lo: 10, Hi: 10, N: 1}) {
		t.Fatalf("partial bucket: %+v", got)
	}
}

// Over a long run the series never exceeds its capacity, accounts for
// every sample, preserves the overall mean and the extremes, and spans the
// whole history.
func TestSeriesBoundedOverLongRun(t *testing.T) {
	const capacity, samples = 64, 100_003
	s := NewSeries(capacity)
	sum, lo, hi := 0.0, math.Inf(1), math.Inf(-1)
	for i := range samples {
		y := math.Sin(float64(i)/50) + float64(i%7)/10
		sum += y
		lo, hi = min(lo, y), max(hi, y)
		if err := s.Add(float64(i), y); err != nil {
			t.Fatal(err)
		}
		if s.Len() > capacity {
			t.Fatalf("after %d samples Len = %d > capacity %d", i+1, s.Len(), capacity)
		}
	}
	pts := s.Points()
	n, weighted := 0, 0.0
	plo, phi := math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		n += p.N
		weighted += p.Y * float64(p.N)
		plo, phi = min(plo, p.Lo), max(phi, p.Hi)
	}
	if n != samples || s.Count() != samples {
		t.Errorf("points hold %d samples, Count %d, want %d", n, s.Count(), samples)
	}
	if math.Abs(weighted-sum) > 1e-6*math.Abs(sum) {
		t.Errorf("sum of means×N = %v, sum of samples = %v", weighted, sum)
	}
	if plo != lo || phi != hi {
		t.Errorf("envelope %v…%v, samples span %v…%v", plo, phi, lo, hi)
	}
	xlo, xhi, ylo, yhi, ok := s.Bounds()
	if !ok || xlo > float64(s.Stride()) || xhi < samples-1-float64(s.Stride()) || ylo != lo || yhi != hi {
		t.Errorf("Bounds = %v, %v, %v, %v, %v", xlo, xhi, ylo, yhi, ok)
	}
	if len(pts) < capacity/2 {
		t.Errorf("only %d points kept of %d", len(pts), capacity)
	}
}

func TestSeriesRejectsNonFiniteAndResets(t *testing.T) {
	s := NewSeries(4)
	if err := s.Add(0, math.NaN()); err == nil {
		t.Error("NaN sample accepted")
	}
	if err := s.Add(math.Inf(1), 1); err == nil {
		t.Error("infinite x accepted")
	}
	if s.Len() != 0 || s.Count() != 0 {
		t.Fatalf("rejected samples were stored: Len %d Count %d", s.Len(), s.Count())
	}
	if _, _, _, _, ok := s.Bounds(); ok {
		t.Error("empty series has bounds")
	}
	for i := range 9 {
		_ = s.Add(float64(i), 1)
	}
	s.Reset()
	if s.Len() != 0 || s.Count() != 0 || s.Stride() != 1 || s.Capacity() != 4 {
		t.Errorf("after Reset: Len %d Count %d Stride %d Capacity %d", s.Len(), s.Count(), s.Stride(), s.Capacity())
	}
}

// A series restored from its points holds what it held and goes on as it
// would have: after more samples, its points are the original's.
func TestRestoreGoesOnAsTheSeries(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 9, 100, 1000} {
		a := NewSeries(16)
		for i := range n {
			_ = a.Add(float64(i), math.Sin(float64(i)))
		}
		b, err := Restore(16, a.Points())
		if err != nil {
			t.Fatalf("%d samples: %v", n, err)
		}
		for i := n; i < n+300; i++ {
			_ = a.Add(float64(i), math.Cos(float64(i)))
			_ = b.Add(float64(i), math.Cos(float64(i)))
			if !slices.Equal(a.Points(), b.Points()) || a.Count() != b.Count() || a.Stride() != b.Stride() {
				t.Fatalf("%d samples, restored, then %d more: the series differ", n, i-n+1)
			}
		}
	}
}

// Points no series returns are refused.
func TestRestoreRefusesOtherPoints(t *testing.T) {
	for name, pts := range map[string][]Point{
		"no samples":       {{X: 0, Y: 1, Lo: 1, Hi: 1, N: 0}},
		"band upside down": {{X: 0, Y: 1, Lo: 2, Hi: 1, N: 1}},
		"x going back":     {{X: 1, Y: 1, Lo: 1, Hi: 1, N: 1}, {X: 0, Y: 1, Lo: 1, Hi: 1, N: 1}},
		"uneven strides":   {{X: 0, Y: 1, Lo: 1, Hi: 1, N: 1}, {X: 1, Y: 1, Lo: 1, Hi: 1, N: 2}, {X: 2, Y: 1, Lo: 1, Hi: 1, N: 2}},
		"NaN":              {{X: math.NaN(), Y: 1, Lo: 1, Hi: 1, N: 1}},
	} {
		if _, err := Restore(16, pts); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
