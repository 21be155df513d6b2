package insightview

import (
	"math"

	"convlab/ui/geom"
)

// FitPoints maps points into r, centred, scaled equally in x and y (so a
// map's distances keep their proportions) to span r less margin on each
// side in its longer direction. Points that are not finite map to NaN
// and are left out of the fit; so is everything if no point is finite.
// A single point, or points that coincide, go to r's centre.
func FitPoints(pts [][2]float64, r geom.Rect, margin float64) [][2]float64 {
	lo := [2]float64{math.Inf(1), math.Inf(1)}
	hi := [2]float64{math.Inf(-1), math.Inf(-1)}
	for _, p := range pts {
		if finitePoint(p) {
			for k := range 2 {
				lo[k], hi[k] = min(lo[k], p[k]), max(hi[k], p[k])
			}
		}
	}
	w, h := max(0, r.W-2*margin), max(0, r.H-2*margin)
	k := math.Inf(1)
	for _, s := range [][2]float64{{w, hi[0] - lo[0]}, {h, hi[1] - lo[1]}} {
		if s[1] > 0 {
			k = min(k, s[0]/s[1])
		}
	}
	if math.IsInf(k, 0) { // no spread in either direction
		k = 0
	}
	cx, cy := r.Center()
	out := make([][2]float64, len(pts))
	for i, p := range pts {
		if !finitePoint(p) {
			out[i] = [2]float64{math.NaN(), math.NaN()}
			continue
		}
		out[i] = [2]float64{cx + k*(p[0]-(lo[0]+hi[0])/2), cy + k*(p[1]-(lo[1]+hi[1])/2)}
	}
	return out
}

func finitePoint(p [2]float64) bool {
	return !math.IsNaN(p[0]) && !math.IsNaN(p[1]) && !math.IsInf(p[0], 0) && !math.IsInf(p[1], 0)
}

// Nearest returns the index of the point closest to (x, y) no farther
// than radius, or −1. On a tie the earlier point wins; NaN points never
// match.
func Nearest(pts [][2]float64, x, y, radius float64) int {
	best, bestD := -1, radius*radius
	for i, p := range pts {
		if d := (p[0]-x)*(p[0]-x) + (p[1]-y)*(p[1]-y); d <= bestD && (best < 0 || d < bestD) {
			best, bestD = i, d
		}
	}
	return best
}

// PlaceTooltip returns a w×h box next to the point (x, y): below and to
// the right, flipped to the other side of the point where that side has
// no room, and then moved inside bounds if it still sticks out.
func PlaceTooltip(x, y, w, h float64, bounds geom.Rect) geom.Rect {
	const offset = 10
	bx, by := x+offset, y+offset
	if bx+w > bounds.X+bounds.W {
		bx = x - offset - w
	}
	if by+h > bounds.Y+bounds.H {
		by = y - offset - h
	}
	bx = max(bounds.X, min(bx, bounds.X+bounds.W-w))
	by = max(bounds.Y, min(by, bounds.Y+bounds.H-h))
	return geom.Rect{X: bx, Y: by, W: w, H: h}
}
