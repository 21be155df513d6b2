package plot

import (
	"math"
	"testing"
)

func TestMinMaxSkipsNonFinite(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		xs     []float64
		lo, hi float64
		ok     bool
	}{
		{[]float64{3, -1, 2}, -1, 3, true},
		{[]float64{nan, 5, nan, 4}, 4, 5, true},
		{[]float64{-inf, 1, inf}, 1, 1, true},
		{[]float64{nan, inf}, 0, 0, false},
		{nil, 0, 0, false},
	}
	for _, tt := range tests {
		lo, hi, ok := MinMax(tt.xs)
		if lo != tt.lo || hi != tt.hi || ok != tt.ok {
			t.Errorf("MinMax(%v) = %v, %v, %v; want %v, %v, %v", tt.xs, lo, hi, ok, tt.lo, tt.hi, tt.ok)
		}
	}
}

func TestAbsMax(t *testing.T) {
	if got := AbsMax([]float64{0.5, -2, math.NaN(), 1, math.Inf(-1)}); got != 2 {
		t.Errorf("AbsMax = %v, want 2", got)
	}
	if got := AbsMax(nil); got != 0 {
		t.Errorf("AbsMax(nil) = %v, want 0", got)
	}
}

func TestUnitAndSigned(t *testing.T) {
	tests := []struct {
		name      string
		got, want float64
	}{
		{"unit middle", Unit(5, 0, 10), 0.5},
		{"unit clamps high", Unit(20, 0, 10), 1},
		{"unit clamps low", Unit(-1, 0, 10), 0},
		{"unit flat range", Unit(3, 3, 3), 0.5},
		{"signed half", Signed(-1, 2), -0.5},
		{"signed clamps", Signed(5, 2), 1},
		{"signed zero range", Signed(5, 0), 0},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if !math.IsNaN(Unit(math.NaN(), 0, 1)) || !math.IsNaN(Signed(math.NaN(), 1)) {
		t.Error("NaN did not stay NaN")
	}
}
