package plot

import "math"

// MinMax returns the smallest and largest finite values in xs, skipping
// NaN and ±Inf. ok is false if xs holds no finite value.
func MinMax(xs []float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range xs {
		if finite(v) {
			lo, hi = min(lo, v), max(hi, v)
			ok = true
		}
	}
	if !ok {
		return 0, 0, false
	}
	return lo, hi, true
}

// AbsMax returns the largest |v| over the finite values in xs, skipping NaN
// and ±Inf, or 0 if there is none. It is the symmetric range [−m, m] to
// use when colouring signed data such as weights, so that 0 stays at the
// centre of a diverging map.
func AbsMax(xs []float64) float64 {
	m := 0.0
	for _, v := range xs {
		if finite(v) {
			m = max(m, math.Abs(v))
		}
	}
	return m
}

// Unit maps v from [lo, hi] to [0,1], clamping. When lo == hi every value
// maps to 0.5. NaN stays NaN so that colour maps can show it as missing.
func Unit(v, lo, hi float64) float64 {
	if math.IsNaN(v) {
		return v
	}
	if lo == hi {
		return 0.5
	}
	return max(0, min(1, (v-lo)/(hi-lo)))
}

// Signed maps v from [−absMax, absMax] to [−1,1], clamping. A non-positive
// absMax maps every value to 0. NaN stays NaN.
func Signed(v, absMax float64) float64 {
	if math.IsNaN(v) {
		return v
	}
	if !(absMax > 0) {
		return 0
	}
	return max(-1, min(1, v/absMax))
}
