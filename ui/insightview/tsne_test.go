package insightview

import (
	"math"
	"testing"

	"convlab/ui/geom"
)

func TestFitPoints(t *testing.T) {
	r := geom.Rect{X: 100, Y: 50, W: 200, H: 100}
	const margin = 10
	// A 4×1 spread: x limits the scale, to 180/4 = 45 units per unit.
	pts := [][2]float64{{-2, 0}, {2, 1}, {0, 0.5}}
	got := FitPoints(pts, r, margin)
	want := [][2]float64{{110, 77.5}, {290, 122.5}, {200, 100}}
	for i := range want {
		if math.Abs(got[i][0]-want[i][0]) > 1e-9 || math.Abs(got[i][1]-want[i][1]) > 1e-9 {
			t.Errorf("point %d at %v, want %v", i, got[i], want[i])
		}
	}
	// A 1×4 spread: y limits it, to 80/4 = 20 units per unit, and x and y
	// keep the same scale.
	got = FitPoints([][2]float64{{0, 0}, {1, 4}}, r, margin)
	if dx, dy := got[1][0]-got[0][0], got[1][1]-got[0][1]; dx != 20 || dy != 80 {
		t.Errorf("tall spread mapped to %v × %v, want 20 × 80", dx, dy)
	}
}

func TestFitPointsDegenerate(t *testing.T) {
	r := geom.Rect{X: 0, Y: 0, W: 100, H: 60}
	nan := math.NaN()
	tests := []struct {
		name string
		pts  [][2]float64
		want [][2]float64
	}{
		{"one point goes to the centre", [][2]float64{{7, -3}}, [][2]float64{{50, 30}}},
		{"coinciding points too", [][2]float64{{1, 1}, {1, 1}}, [][2]float64{{50, 30}, {50, 30}}},
		{"a horizontal line fills the width", [][2]float64{{0, 5}, {2, 5}}, [][2]float64{{5, 30}, {95, 30}}},
		{"non-finite points are left out", [][2]float64{{0, 0}, {nan, 1}, {math.Inf(1), 0}, {2, 0}}, [][2]float64{{5, 30}, {nan, nan}, {nan, nan}, {95, 30}}},
	}
	for _, tc := range tests {
		got := FitPoints(tc.pts, r, 5)
		for i := range tc.want {
			for k := range 2 {
				g, w := got[i][k], tc.want[i][k]
				if !(g == w || math.IsNaN(g) && math.IsNaN(w)) {
					t.Errorf("%s: point %d = %v, want %v", tc.name, i, got[i], tc.want[i])
					break
				}
			}
		}
	}
	if got := FitPoints([][2]float64{{0, 0}, {0, 1}}, geom.Rect{W: 10, H: 10}, 5); got[0] != got[1] || got[0] != [2]float64{5, 5} {
		t.Errorf("no room inside the margin: %v, want both at the centre", got)
	}
}

func TestNearest(t *testing.T) {
	pts := [][2]float64{{0, 0}, {10, 0}, {math.NaN(), math.NaN()}, {10, 0}, {20, 20}}
	tests := []struct {
		name         string
		x, y, radius float64
		want         int
	}{
		{"on a point", 0, 0, 5, 0},
		{"closer to the second", 6, 0, 5, 1},
		{"tie goes to the first", 5, 0, 5, 0},
		{"duplicate point: the first", 10, 1, 5, 1},
		{"too far", 15, 10, 5, -1},
		{"on the radius", 20, 25, 5, 4},
	}
	for _, tc := range tests {
		if got := Nearest(pts, tc.x, tc.y, tc.radius); got != tc.want {
			t.Errorf("%s: Nearest(%v, %v, %v) = %d, want %d", tc.name, tc.x, tc.y, tc.radius, got, tc.want)
		}
	}
	if got := Nearest(nil, 0, 0, 100); got != -1 {
		t.Errorf("no points: %d, want -1", got)
	}
}

func TestPlaceTooltip(t *testing.T) {
	b := geom.Rect{X: 0, Y: 0, W: 200, H: 100}
	tests := []struct {
		name string
		x, y float64
		want geom.Rect
	}{
		{"below right", 20, 20, geom.Rect{X: 30, Y: 30, W: 60, H: 40}},
		{"flipped left", 180, 20, geom.Rect{X: 110, Y: 30, W: 60, H: 40}},
		{"flipped up", 20, 90, geom.Rect{X: 30, Y: 40, W: 60, H: 40}},
	}
	for _, tc := range tests {
		got := PlaceTooltip(tc.x, tc.y, 60, 40, b)
		if got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
		if !within(got, b) {
			t.Errorf("%s: %v outside %v", tc.name, got, b)
		}
	}
	low := geom.Rect{X: 0, Y: 0, W: 200, H: 50} // no room above or below
	if got, want := PlaceTooltip(100, 25, 60, 40, low), (geom.Rect{X: 110, Y: 0, W: 60, H: 40}); got != want {
		t.Errorf("clamped: %v, want %v", got, want)
	}
}
