package plot

import (
	"image/color"
	"math"
	"testing"
)

// lightness returns the CIE L* (0 black … 100 white) of an sRGB colour.
func lightness(c color.RGBA) float64 {
	y := Luminance(c)
	if y <= 216.0/24389 {
		return y * 24389.0 / 27
	}
	return 116*math.Cbrt(y) - 16
}

func TestViridisEndpointsAndClamping(t *testing.T) {
	tests := []struct {
		t    float64
		want color.RGBA
	}{
		{0, color.RGBA{68, 1, 84, 255}},    // #440154
		{1, color.RGBA{253, 231, 37, 255}}, // #fde725
		{128.0 / 255, color.RGBA{33, 145, 140, 255}},
		{-0.5, color.RGBA{68, 1, 84, 255}},
		{7, color.RGBA{253, 231, 37, 255}},
		{math.Inf(1), color.RGBA{253, 231, 37, 255}},
		{math.NaN(), color.RGBA{128, 128, 128, 255}},
	}
	for _, tt := range tests {
		if got := Viridis(tt.t); got != tt.want {
			t.Errorf("Viridis(%v) = %v, want %v", tt.t, got, tt.want)
		}
	}
}

// Viridis lightness rises with t. Fine samples may dip by a rounding step
// (a channel rounds down to the next uint8 before another rounds up); the
// dip stays below quantTol L*, and over steps of 1/64 lightness rises
// strictly.
func TestViridisLightnessRises(t *testing.T) {
	const quantTol = 0.25
	const n = 1000
	prev := lightness(Viridis(0))
	for i := 1; i <= n; i++ {
		l := lightness(Viridis(float64(i) / n))
		if l < prev-quantTol {
			t.Fatalf("L* falls from %.2f to %.2f at t = %v", prev, l, float64(i)/n)
		}
		prev = l
	}
	prev = lightness(Viridis(0))
	for i := 1; i <= 64; i++ {
		l := lightness(Viridis(float64(i) / 64))
		if l <= prev {
			t.Fatalf("L* does not rise from %.2f at t = %v to %.2f at t = %v", prev, float64(i-1)/64, l, float64(i)/64)
		}
		prev = l
	}
	if lo, hi := lightness(Viridis(0)), lightness(Viridis(1)); hi-lo < 60 {
		t.Errorf("L* rises only from %.1f to %.1f", lo, hi)
	}
}

func TestDivergingEndpoints(t *testing.T) {
	tests := []struct {
		t    float64
		want color.RGBA
	}{
		{-1, color.RGBA{5, 48, 97, 255}},    // dark blue
		{0, color.RGBA{247, 247, 247, 255}}, // near white
		{1, color.RGBA{103, 0, 31, 255}},    // dark red
		{-3, color.RGBA{5, 48, 97, 255}},
		{3, color.RGBA{103, 0, 31, 255}},
		{math.NaN(), color.RGBA{128, 128, 128, 255}},
	}
	for _, tt := range tests {
		if got := Diverging(tt.t); got != tt.want {
			t.Errorf("Diverging(%v) = %v, want %v", tt.t, got, tt.want)
		}
	}
}

// The diverging map is symmetric about its white centre: equal magnitudes
// have nearly equal lightness, each arm darkens monotonically away from 0,
// negative values are blue and positive ones red.
func TestDivergingSymmetricAroundWhite(t *testing.T) {
	const n = 200
	prevNeg, prevPos := lightness(Diverging(0)), lightness(Diverging(0))
	if prevPos < 95 {
		t.Errorf("centre L* = %.1f, want near white (≥ 95)", prevPos)
	}
	for i := 1; i <= n; i++ {
		v := float64(i) / n
		neg, pos := Diverging(-v), Diverging(v)
		ln, lp := lightness(neg), lightness(pos)
		if math.Abs(ln-lp) > 5 {
			t.Errorf("t = ±%.3f: L* %.1f (blue) vs %.1f (red), differ by more than 5", v, ln, lp)
		}
		if ln > prevNeg || lp > prevPos {
			t.Fatalf("lightness rises moving away from 0 at |t| = %.3f", v)
		}
		prevNeg, prevPos = ln, lp
		if neg.B <= neg.R || pos.R <= pos.B {
			t.Fatalf("t = ±%.3f: %v should be blue and %v red", v, neg, pos)
		}
	}
}
