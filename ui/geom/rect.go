// Package geom holds Rect, the rectangle every part of the dashboard is
// laid out, hit-tested and drawn in, with helpers that split one into
// rows and columns. It has no dependencies, so the layout, the widgets and
// the panels can share it without depending on each other.
package geom

import "math"

// Rect is an axis-aligned rectangle in screen units: X, Y is its top-left
// corner, W and H its size. It holds the points with X ≤ x < X+W and
// Y ≤ y < Y+H: left and top edges inclusive, right and bottom exclusive,
// so rectangles that share an edge never both claim a point. A rectangle
// with W ≤ 0 or H ≤ 0 is empty and holds nothing.
type Rect struct {
	X, Y, W, H float64
}

// Contains reports whether the point (x, y) lies in r (see Rect for which
// edges count).
func (r Rect) Contains(x, y float64) bool {
	return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H
}

// Empty reports whether r has no area.
func (r Rect) Empty() bool { return !(r.W > 0 && r.H > 0) }

// Center returns the centre of r.
func (r Rect) Center() (x, y float64) { return r.X + r.W/2, r.Y + r.H/2 }

// Inset returns r shrunk by d on every side (grown if d < 0). A side that
// would become negative collapses to 0 at r's centre.
func (r Rect) Inset(d float64) Rect {
	cx, cy := r.Center()
	w, h := math.Max(0, r.W-2*d), math.Max(0, r.H-2*d)
	return Rect{cx - w/2, cy - h/2, w, h}
}

// Rows splits r into n rows of equal height stacked top to bottom, gap
// apart. It returns nil if n < 1.
func (r Rect) Rows(n int, gap float64) []Rect {
	return r.SplitRows(gap, equalWeights(n)...)
}

// Cols splits r into n columns of equal width from left to right, gap
// apart. It returns nil if n < 1.
func (r Rect) Cols(n int, gap float64) []Rect {
	return r.SplitCols(gap, equalWeights(n)...)
}

// SplitRows splits r into rows, top to bottom, gap apart, with heights
// proportional to weights: SplitRows(8, 1, 3) gives a quarter and three
// quarters of the height left after the gap. It returns nil if there are
// no weights, any weight is negative or not finite, or all are zero. When
// the gaps would take more than the height they shrink to fit and the rows
// have zero height.
func (r Rect) SplitRows(gap float64, weights ...float64) []Rect {
	spans := split(r.Y, r.H, gap, weights)
	if spans == nil {
		return nil
	}
	out := make([]Rect, len(spans))
	for i, s := range spans {
		out[i] = Rect{r.X, s[0], r.W, s[1]}
	}
	return out
}

// SplitCols splits r into columns, left to right, gap apart, with widths
// proportional to weights, as SplitRows does for rows.
func (r Rect) SplitCols(gap float64, weights ...float64) []Rect {
	spans := split(r.X, r.W, gap, weights)
	if spans == nil {
		return nil
	}
	out := make([]Rect, len(spans))
	for i, s := range spans {
		out[i] = Rect{s[0], r.Y, s[1], r.H}
	}
	return out
}

// equalWeights returns n ones, or nil if n < 1.
func equalWeights(n int) []float64 {
	if n < 1 {
		return nil
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	return w
}

// split divides [start, start+length) into spans (start, size) with sizes
// proportional to weights and gap between neighbours. Each span starts
// where the cumulative weight puts it, so the last one ends exactly at
// start+length whatever the rounding.
func split(start, length, gap float64, weights []float64) [][2]float64 {
	total := 0.0
	for _, w := range weights {
		if !(w >= 0) || math.IsInf(w, 0) {
			return nil
		}
		total += w
	}
	if !(total > 0) {
		return nil
	}
	gap = math.Max(0, gap)
	if n := len(weights); n > 1 {
		gap = math.Min(gap, math.Max(0, length)/float64(n-1))
	}
	avail := math.Max(0, length-gap*float64(len(weights)-1))
	out := make([][2]float64, len(weights))
	cum := 0.0
	for i, w := range weights {
		from := start + avail*cum/total + gap*float64(i)
		cum += w
		to := start + avail*cum/total + gap*float64(i)
		out[i] = [2]float64{from, to - from}
	}
	return out
}
