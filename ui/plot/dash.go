package plot

import "math"

// Dashes cuts the polyline through (xs[i], ys[i]) into dashes: pieces of
// length on separated by gaps of length off, measured along the line, so
// the pattern runs on across its corners. Each dash is returned as its
// own polyline (a dash that turns a corner keeps the corner). A line
// shorter than one dash is returned whole. on and off must be positive.
func Dashes(xs, ys []float64, on, off float64) (dashX, dashY [][]float64) {
	n := min(len(xs), len(ys))
	if n < 2 || !(on > 0) || !(off > 0) {
		return nil, nil
	}
	period := on + off
	phase := 0.0 // distance along the pattern at the start of segment i
	var cx, cy []float64
	flush := func() {
		if len(cx) >= 2 {
			dashX, dashY = append(dashX, cx), append(dashY, cy)
		}
		cx, cy = nil, nil
	}
	for i := 1; i < n; i++ {
		x0, y0, x1, y1 := xs[i-1], ys[i-1], xs[i], ys[i]
		length := math.Hypot(x1-x0, y1-y0)
		at := func(d float64) (float64, float64) {
			if length == 0 {
				return x0, y0
			}
			return x0 + (x1-x0)*d/length, y0 + (y1-y0)*d/length
		}
		d := 0.0
		for d < length {
			p := math.Mod(phase+d, period)
			if p < on { // inside a dash: draw to its end or the segment's
				if len(cx) == 0 {
					x, y := at(d)
					cx, cy = append(cx, x), append(cy, y)
				}
				end := min(length, d+on-p)
				x, y := at(end)
				cx, cy = append(cx, x), append(cy, y)
				d = end
				if end < length {
					flush()
				}
			} else { // inside a gap: skip to its end
				d = min(length, d+period-p)
			}
		}
		phase = math.Mod(phase+length, period)
	}
	flush()
	return dashX, dashY
}
