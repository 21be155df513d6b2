package curve

import (
	"math"
	"testing"
)

func TestNewEMAPanicsOnBadBeta(t *testing.T) {
	for _, beta := range []float64{-0.1, 1, 1.5, math.NaN(), math.Inf(1)} {
		if !panics(func() { NewEMA(beta) }) {
			t.Errorf("NewEMA(%v) did not panic", beta)
		}
	}
	for _, beta := range []float64{0, 0.5, 0.999} {
		if panics(func() { NewEMA(beta) }) {
			t.Errorf("NewEMA(%v) panicked", beta)
		}
	}
}

func TestEMAValues(t *testing.T) {
	tests := []struct {
		name   string
		beta   float64
		inputs []float64
		want   []float64 // Value after each input
	}{
		// β = 0.5 on 1, 2, 3: biased m = 0.5, 1.25, 2.125 divided by
		// 1−0.5ⁿ = 0.5, 0.75, 0.875.
		{"half", 0.5, []float64{1, 2, 3}, []float64{1, 5.0 / 3, 17.0 / 7}},
		{"no smoothing follows input", 0, []float64{4, -1, 9}, []float64{4, -1, 9}},
		{"constant input stays constant", 0.98, []float64{2.3, 2.3, 2.3, 2.3}, []float64{2.3, 2.3, 2.3, 2.3}},
		{"non-finite ignored", 0.5, []float64{1, math.NaN(), math.Inf(1), 2}, []float64{1, 1, 1, 5.0 / 3}},
	}
	for _, tt := range tests {
		e := NewEMA(tt.beta)
		for i, v := range tt.inputs {
			e.Add(v)
			got, ok := e.Value()
			if !ok || math.Abs(got-tt.want[i]) > 1e-12 {
				t.Errorf("%s: Value after %v = %v, %v; want %v", tt.name, tt.inputs[:i+1], got, ok, tt.want[i])
			}
		}
	}
}

func TestEMAEmptyAndReset(t *testing.T) {
	e := NewEMA(0.9)
	if _, ok := e.Value(); ok {
		t.Error("empty EMA reports a value")
	}
	e.Add(math.NaN())
	if _, ok := e.Value(); ok || e.Count() != 0 {
		t.Error("EMA fed only NaN reports a value")
	}
	e.Add(5)
	e.Add(7)
	if e.Count() != 2 {
		t.Errorf("Count = %d, want 2", e.Count())
	}
	e.Reset()
	if _, ok := e.Value(); ok || e.Count() != 0 {
		t.Error("EMA not empty after Reset")
	}
	e.Add(3)
	if v, _ := e.Value(); v != 3 {
		t.Errorf("first value after Reset = %v, want 3", v)
	}
}

// After a step change the smoothed value approaches the new level with the
// expected time constant: after k steps the old level's weight is βᵏ (up to
// the bias correction, negligible after many samples).
func TestEMAStepResponse(t *testing.T) {
	e := NewEMA(0.9)
	for range 500 {
		e.Add(1)
	}
	for range 10 {
		e.Add(0)
	}
	got, _ := e.Value()
	if want := math.Pow(0.9, 10); math.Abs(got-want) > 1e-9 {
		t.Errorf("after step 1→0 and 10 samples: %v, want %v", got, want)
	}
}
