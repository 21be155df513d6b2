package plot

// Scale maps a data interval linearly onto a pixel interval. The pixel end
// points may be given in either order: for a y axis pass the bottom pixel
// as P0 and the top as P1 so that larger values are drawn higher.
//
// The zero Scale maps everything to 0.
type Scale struct {
	D0, D1 float64 // data values mapped to P0 and P1
	P0, P1 float64 // pixel positions
	Clamp  bool    // if set, Map and Invert never leave their output interval
}

// NewScale returns a Scale from data [d0, d1] to pixels [p0, p1] without
// clamping.
func NewScale(d0, d1, p0, p1 float64) Scale {
	return Scale{D0: d0, D1: d1, P0: p0, P1: p1}
}

// Map returns the pixel position of data value v. If the data interval is
// empty (D0 == D1) every value maps to the middle of the pixel interval.
// NaN maps to NaN.
func (s Scale) Map(v float64) float64 {
	return lerpMap(v, s.D0, s.D1, s.P0, s.P1, s.Clamp)
}

// Invert returns the data value at pixel position p; it undoes Map. If the
// pixel interval is empty every position maps to the middle of the data
// interval. NaN maps to NaN.
func (s Scale) Invert(p float64) float64 {
	return lerpMap(p, s.P0, s.P1, s.D0, s.D1, s.Clamp)
}

// lerpMap maps v from [a0, a1] onto [b0, b1], clamping to [b0, b1] if asked.
func lerpMap(v, a0, a1, b0, b1 float64, clamp bool) float64 {
	if a0 == a1 {
		return (b0 + b1) / 2
	}
	t := (v - a0) / (a1 - a0)
	if clamp {
		t = max(0, min(1, t))
	}
	return b0 + t*(b1-b0)
}
