package plot

import (
	"image/color"
	"math"
	"testing"
)

func TestLuminance(t *testing.T) {
	tests := []struct {
		c    color.RGBA
		want float64
	}{
		{color.RGBA{0, 0, 0, 255}, 0},
		{color.RGBA{255, 255, 255, 255}, 1},
		{color.RGBA{255, 0, 0, 255}, 0.2126},
		{color.RGBA{0, 255, 0, 255}, 0.7152},
		{color.RGBA{128, 128, 128, 255}, 0.2158605}, // sRGB mid grey
	}
	for _, tc := range tests {
		if got := Luminance(tc.c); math.Abs(got-tc.want) > 1e-6 {
			t.Errorf("Luminance(%v) = %.7f, want %.7f", tc.c, got, tc.want)
		}
	}
}
