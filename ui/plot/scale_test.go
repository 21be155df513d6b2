package plot

import (
	"math"
	"testing"
)

func TestScaleMapAndInvert(t *testing.T) {
	x := NewScale(0, 10, 100, 300) // x axis: left to right
	y := NewScale(0, 1, 400, 100)  // y axis: bottom pixel first
	flat := NewScale(5, 5, 0, 200) // empty data interval
	clamped := Scale{D0: 0, D1: 10, P0: 100, P1: 300, Clamp: true}
	tests := []struct {
		name     string
		s        Scale
		v, pixel float64
	}{
		{"x start", x, 0, 100},
		{"x middle", x, 5, 200},
		{"x end", x, 10, 300},
		{"x beyond, unclamped", x, 15, 400},
		{"y bottom", y, 0, 400},
		{"y top", y, 1, 100},
		{"y quarter", y, 0.25, 325},
		{"flat maps to middle", flat, 123, 100},
		{"clamped above", clamped, 15, 300},
		{"clamped below", clamped, -3, 100},
	}
	for _, tt := range tests {
		if got := tt.s.Map(tt.v); math.Abs(got-tt.pixel) > 1e-12 {
			t.Errorf("%s: Map(%v) = %v, want %v", tt.name, tt.v, got, tt.pixel)
		}
	}
}

func TestScaleRoundTrip(t *testing.T) {
	for _, s := range []Scale{
		NewScale(0, 10, 100, 300),
		NewScale(-2.5, 7.25, 480, 20),
		NewScale(1e-3, 2e-3, 0, 1920),
		NewScale(10, -10, 0, 50),
	} {
		for _, v := range []float64{s.D0, s.D1, (s.D0 + s.D1) / 2, s.D0 + 0.137*(s.D1-s.D0)} {
			if back := s.Invert(s.Map(v)); math.Abs(back-v) > 1e-12*math.Max(1, math.Abs(v)) {
				t.Errorf("%+v: Invert(Map(%v)) = %v", s, v, back)
			}
		}
	}
	clamped := Scale{D0: 0, D1: 1, P0: 0, P1: 100, Clamp: true}
	if got := clamped.Invert(150); got != 1 {
		t.Errorf("clamped Invert(150) = %v, want 1", got)
	}
	if got := NewScale(0, 1, 7, 7).Invert(7); got != 0.5 {
		t.Errorf("Invert on an empty pixel interval = %v, want the data middle 0.5", got)
	}
	if got := (Scale{}).Map(3); got != 0 {
		t.Errorf("zero Scale Map(3) = %v, want 0", got)
	}
}
