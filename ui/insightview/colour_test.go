package insightview

import (
	"image/color"
	"math"
	"testing"

	"convlab/ui/plot"
)

func TestActivationPalette(t *testing.T) {
	tests := []struct {
		name   string
		top, v float64
		want   color.RGBA
	}{
		{"zero is the darkest", 2, 0, plot.Viridis(0)},
		{"top is the brightest", 2, 2, plot.Viridis(1)},
		{"half way", 2, 1, plot.Viridis(0.5)},
		{"above top clamps", 2, 5, plot.Viridis(1)},
		{"negative clamps", 2, -1, plot.Viridis(0)},
		{"all-zero layer stays dark", 0, 0, plot.Viridis(0)},
		{"NaN top treated as 1", math.NaN(), 1, plot.Viridis(1)},
	}
	for _, tc := range tests {
		if got := Activation(tc.top)(tc.v); got != tc.want {
			t.Errorf("%s: Activation(%v)(%v) = %v, want %v", tc.name, tc.top, tc.v, got, tc.want)
		}
	}
}

func TestWeightPalette(t *testing.T) {
	tests := []struct {
		absMax, v float64
		want      color.RGBA
	}{
		{0.5, -0.5, plot.Diverging(-1)},
		{0.5, 0, plot.Diverging(0)},
		{0.5, 0.25, plot.Diverging(0.5)},
		{0.5, 2, plot.Diverging(1)},
		{0, 3, plot.Diverging(0)}, // all weights zero: everything neutral
	}
	for _, tc := range tests {
		if got := Weight(tc.absMax)(tc.v); got != tc.want {
			t.Errorf("Weight(%v)(%v) = %v, want %v", tc.absMax, tc.v, got, tc.want)
		}
	}
	if neg, pos := Weight(1)(-1), Weight(1)(1); neg.B <= neg.R || pos.R <= pos.B {
		t.Errorf("negative %v should be blue and positive %v red", neg, pos)
	}
}

func TestGrey(t *testing.T) {
	tests := []struct {
		v    float64
		want uint8
	}{{0, 0}, {1, 255}, {0.5, 128}, {-3, 0}, {7, 255}, {math.NaN(), 0}}
	for _, tc := range tests {
		if got := Grey(tc.v); got != (color.RGBA{tc.want, tc.want, tc.want, 255}) {
			t.Errorf("Grey(%v) = %v, want grey %d", tc.v, got, tc.want)
		}
	}
}

func TestLayerMax(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		xs   [][]float64
		want float64
	}{
		{"over all slices", [][]float64{{0, 1}, {3, 2}}, 3},
		{"skips NaN and Inf", [][]float64{{nan, 0.5, math.Inf(1)}}, 0.5},
		{"negative gives 0", [][]float64{{-2, -1}}, 0},
		{"nothing gives 0", nil, 0},
	}
	for _, tc := range tests {
		if got := LayerMax(tc.xs...); got != tc.want {
			t.Errorf("%s: LayerMax = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestInk(t *testing.T) {
	dark, light := color.RGBA{0x1f, 0x23, 0x29, 255}, color.RGBA{255, 255, 255, 255}
	tests := []struct {
		name string
		bg   color.RGBA
		want color.RGBA
	}{
		{"white cell", color.RGBA{255, 255, 255, 255}, dark},
		{"near-white zero of the diverging map", plot.Diverging(0), dark},
		{"dark blue diagonal", plot.Diverging(-1), light},
		{"dark red mistakes", plot.Diverging(1), light},
		{"bright viridis", plot.Viridis(1), dark},
		{"dark viridis", plot.Viridis(0), light},
	}
	for _, tc := range tests {
		if got := Ink(tc.bg, dark, light); got != tc.want {
			t.Errorf("%s: Ink(%v) = %v, want %v", tc.name, tc.bg, got, tc.want)
		}
	}
}
