// Package plot holds the view-model arithmetic of the dashboard's charts
// and heatmaps: axis ticks and their labels, data-to-pixel scales, colour
// maps and normalisation. It draws nothing and does not import ebiten; the
// curves' data live in convlab/ui/curve.
package plot

import (
	"math"
	"strconv"
)

// MaxTicks caps the maxTicks argument of NiceTicks.
const MaxTicks = 1000

// NiceTicks returns evenly spaced "nice" tick values covering [lo, hi]:
// the step is 1, 2 or 5 times a power of ten, the first tick is ≤ lo, the
// last is ≥ hi, and there are at most maxTicks of them. maxTicks is
// clamped to [3, MaxTicks]: two ticks that are multiples of the step cannot
// cover a range that straddles 0. It picks the smallest such step, so the ticks
// are as dense as allowed. lo and hi may come in either order.
//
// Degenerate input is handled rather than rejected: when lo == hi (or they
// differ by less than one part in 10⁹) the range is widened to ±10 % of
// the value (±1 around 0) so a flat curve still gets an axis; NaN or an
// infinite bound, or a span too large for float64, gives nil.
func NiceTicks(lo, hi float64, maxTicks int) []float64 {
	if !finite(lo) || !finite(hi) {
		return nil
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if hi-lo <= 1e-9*max(math.Abs(lo), math.Abs(hi)) {
		pad := math.Abs(lo) * 0.1
		if pad == 0 {
			pad = 1
		}
		lo, hi = lo-pad, hi+pad
	}
	span := hi - lo
	if !finite(span) {
		return nil
	}
	maxTicks = min(max(maxTicks, 3), MaxTicks)

	exp := int(math.Floor(math.Log10(span / float64(maxTicks-1))))
	for {
		for _, mant := range [...]int64{1, 2, 5} {
			st := step{mant, exp}
			if !finite(st.value()) {
				return nil
			}
			first, last := st.cover(lo, hi)
			if last-first+1 <= int64(maxTicks) {
				return st.ticks(first, last)
			}
		}
		exp++
	}
}

// step is a tick step mant·10^exp, kept apart so ticks can be computed
// without accumulating rounding error.
type step struct {
	mant int64
	exp  int
}

func (s step) value() float64 { return float64(s.mant) * math.Pow(10, float64(s.exp)) }

// tick returns k·step. Multiplying by mant and then scaling by an exact
// power of ten (dividing for negative exponents) gives the float64 closest
// to the decimal tick, e.g. 0.3 rather than 0.30000000000000004.
func (s step) tick(k int64) float64 {
	p := math.Pow(10, math.Abs(float64(s.exp)))
	v := float64(k * s.mant)
	if math.IsInf(p, 0) { // beyond 1e308: only reachable with subnormal steps
		return v*math.Pow(10, float64(s.exp)) + 0
	}
	if s.exp < 0 {
		return v/p + 0 // +0 turns −0 into 0
	}
	return v*p + 0
}

// cover returns the multipliers of the first tick ≤ lo and the last tick
// ≥ hi. The division can round across a tick, so the computed ticks are
// checked and the ends widened where needed.
func (s step) cover(lo, hi float64) (first, last int64) {
	first = int64(math.Floor(lo / s.value()))
	if s.tick(first) > lo {
		first--
	}
	last = int64(math.Ceil(hi / s.value()))
	if s.tick(last) < hi {
		last++
	}
	return first, last
}

// ticks returns k·step for k in [first, last], or nil if a tick overflows
// float64 or precision runs out so that ticks no longer increase.
func (s step) ticks(first, last int64) []float64 {
	out := make([]float64, 0, last-first+1)
	for k := first; k <= last; k++ {
		v := s.tick(k)
		if !finite(v) || (len(out) > 0 && v <= out[len(out)-1]) {
			return nil
		}
		out = append(out, v)
	}
	return out
}

// FormatTick formats a tick value v for an axis whose ticks are step
// apart, with just enough decimals to tell neighbouring ticks apart
// (step 0.05 → "0.15", step 10 → "30"). Steps of 10⁶ and more or below
// 10⁻⁴ use exponent notation ("2e+06", "5e-05"). A non-positive or
// non-finite step formats v with the fewest digits that represent it.
func FormatTick(v, step float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	step = math.Abs(step)
	if step == 0 || !finite(step) {
		return strconv.FormatFloat(v+0, 'g', -1, 64)
	}
	if step >= 1e6 || step < 1e-4 {
		r := roundTo(v, step)
		if r == 0 {
			return "0"
		}
		e := exponent(step)
		prec := exponent(r) - e + decimals(step/math.Pow(10, float64(e)))
		return strconv.FormatFloat(r, 'e', max(0, prec), 64)
	}
	d := decimals(step)
	return strconv.FormatFloat(roundTo(v, step)+0, 'f', d, 64)
}

// FormatPercent formats a fraction v as a percentage ("0.25" → "25%") for
// an axis whose ticks are step apart in fraction units.
func FormatPercent(v, step float64) string {
	return FormatTick(v*100, step*100) + "%"
}

// decimals returns how many decimal places are needed to write step
// exactly, up to 15.
func decimals(step float64) int {
	for d := 0; d < 15; d++ {
		scaled := step * math.Pow(10, float64(d))
		if math.Abs(scaled-math.Round(scaled)) <= 1e-9*scaled {
			return d
		}
	}
	return 15
}

// roundTo rounds v to a tenth of step, hiding float noise such as
// 0.30000000000000004 and −0 before formatting.
func roundTo(v, step float64) float64 {
	q := step / 10
	r := math.Round(v/q) * q
	if math.Abs(r) < q/2 {
		return 0
	}
	return r
}

// exponent returns ⌊log10 |x|⌋ for x ≠ 0.
func exponent(x float64) int { return int(math.Floor(math.Log10(math.Abs(x)))) }

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
