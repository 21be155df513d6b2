package geom

import (
	"math"
	"testing"
)

func TestRectContains(t *testing.T) {
	r := Rect{X: 10, Y: 20, W: 100, H: 50}
	tests := []struct {
		name string
		r    Rect
		x, y float64
		want bool
	}{
		{"inside", r, 50, 40, true},
		{"top-left corner (inclusive)", r, 10, 20, true},
		{"left edge (inclusive)", r, 10, 45, true},
		{"top edge (inclusive)", r, 60, 20, true},
		{"right edge (exclusive)", r, 110, 45, false},
		{"bottom edge (exclusive)", r, 60, 70, false},
		{"just inside right edge", r, 109.999, 45, true},
		{"left of it", r, 9.999, 45, false},
		{"above it", r, 60, 19.999, false},
		{"zero width holds nothing", Rect{10, 20, 0, 50}, 10, 30, false},
		{"negative size holds nothing", Rect{10, 20, -5, -5}, 8, 18, false},
		{"NaN point", r, math.NaN(), 40, false},
	}
	for _, tt := range tests {
		if got := tt.r.Contains(tt.x, tt.y); got != tt.want {
			t.Errorf("%s: Contains(%v, %v) = %v, want %v", tt.name, tt.x, tt.y, got, tt.want)
		}
	}
}

// Neighbouring columns share their edges without overlapping: every point
// along a row belongs to exactly one column.
func TestColsPartitionThePlane(t *testing.T) {
	cols := Rect{0, 0, 300, 10}.Cols(7, 0)
	for x := 0.0; x < 300; x += 0.25 {
		n := 0
		for _, c := range cols {
			if c.Contains(x, 5) {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("x = %v lies in %d columns", x, n)
		}
	}
}

func TestInset(t *testing.T) {
	tests := []struct {
		name string
		r    Rect
		d    float64
		want Rect
	}{
		{"shrink", Rect{0, 0, 100, 50}, 5, Rect{5, 5, 90, 40}},
		{"grow", Rect{10, 10, 20, 20}, -2, Rect{8, 8, 24, 24}},
		{"collapse height at centre", Rect{0, 0, 100, 10}, 8, Rect{8, 5, 84, 0}},
	}
	for _, tt := range tests {
		if got := tt.r.Inset(tt.d); got != tt.want {
			t.Errorf("%s: %v.Inset(%v) = %v, want %v", tt.name, tt.r, tt.d, got, tt.want)
		}
	}
	if !(Rect{0, 0, 10, 10}.Inset(6)).Empty() {
		t.Error("over-inset rect is not empty")
	}
}

func TestRowsColsAndSplits(t *testing.T) {
	r := Rect{X: 0, Y: 0, W: 400, H: 300}
	tests := []struct {
		name string
		got  []Rect
		want []Rect
	}{
		{"three rows with gaps", r.Rows(3, 15), []Rect{
			{0, 0, 400, 90}, {0, 105, 400, 90}, {0, 210, 400, 90},
		}},
		{"two columns", r.Cols(2, 0), []Rect{{0, 0, 200, 300}, {200, 0, 200, 300}}},
		{"weighted columns", r.SplitCols(0, 1, 2, 1), []Rect{
			{0, 0, 100, 300}, {100, 0, 200, 300}, {300, 0, 100, 300},
		}},
		{"weighted rows with gap", r.SplitRows(20, 1, 3), []Rect{
			{0, 0, 400, 70}, {0, 90, 400, 210},
		}},
		{"zero weight gives an empty slot", r.SplitCols(0, 1, 0, 1), []Rect{
			{0, 0, 200, 300}, {200, 0, 0, 300}, {200, 0, 200, 300},
		}},
		{"gaps too large shrink to fit", Rect{0, 0, 10, 10}.Cols(3, 50), []Rect{
			{0, 0, 0, 10}, {5, 0, 0, 10}, {10, 0, 0, 10},
		}},
		{"no rows", r.Rows(0, 5), nil},
		{"negative count", r.Cols(-3, 5), nil},
		{"no weights", r.SplitCols(0), nil},
		{"negative weight", r.SplitCols(0, 1, -1), nil},
		{"NaN weight", r.SplitRows(0, math.NaN()), nil},
		{"all zero weights", r.SplitRows(0, 0, 0), nil},
	}
	for _, tt := range tests {
		if len(tt.got) != len(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
			continue
		}
		for i := range tt.want {
			if !rectNear(tt.got[i], tt.want[i]) {
				t.Errorf("%s: rect %d = %v, want %v", tt.name, i, tt.got[i], tt.want[i])
			}
		}
	}
}

func rectNear(a, b Rect) bool {
	const eps = 1e-9
	return math.Abs(a.X-b.X) < eps && math.Abs(a.Y-b.Y) < eps &&
		math.Abs(a.W-b.W) < eps && math.Abs(a.H-b.H) < eps
}

// With awkward sizes the last column still ends exactly at the right edge.
func TestSplitEndsExactlyAtEdge(t *testing.T) {
	r := Rect{X: 0.1, Y: 0, W: 1000.0 / 3, H: 1}
	cols := r.Cols(7, 0.7)
	last := cols[len(cols)-1]
	if last.X+last.W != r.X+r.W {
		t.Errorf("last column ends at %v, rect at %v", last.X+last.W, r.X+r.W)
	}
}
