package nn

import "math"

// This file gives nn its own exponential and logarithm, written in plain Go
// arithmetic (+, −, ×, ÷ and exact bit manipulation), so that they round
// the same way on every platform. The standard library's math.Exp and
// math.Log are amd64 assembly natively but portable Go under WebAssembly,
// and the two disagree in the last bit for some arguments; training in a
// Web Worker must reproduce a native run bit for bit, so the loss uses
// these instead.
//
// Accuracy: both are faithfully rounded, below 1 ulp from the exact
// result over the whole float64 range (explog_test.go measures against
// e^x and ln x computed to 160 bits: at most about 0.61 ulp for exp's
// normal results, 0.75 ulp for its subnormal ones, 0.74 ulp for log). They
// agree with math.Exp to 2 ulp and with math.Log to 1 ulp where those are
// right; natively math.Exp overflows from x ≈ 709.44 and math.Log is wrong
// for subnormal arguments, which these are not.

// Constants of the range reductions. ln2Hi holds the first 32 significant
// bits of ln 2, so k·ln2Hi is exact for every |k| < 2^21; ln2Lo is
// ln 2 − ln2Hi rounded to float64. explog_test.go checks both against
// ln 2 computed to 200 bits.
const (
	ln2Hi  = 6.93147180369123816490e-01 // 0x3fe62e42fee00000
	ln2Lo  = 1.90821492927058770002e-10 // 0x3dea39ef35793c76
	invLn2 = 1.44269504088896338700e+00 // 1/ln 2
)

// Outside (expUnderflow, expOverflow) exp's result is 0 or +Inf whatever
// the rounding: e^−746 is below half the smallest subnormal 2^−1074 and
// e^710 above the largest float64 (about e^709.78).
const (
	expOverflow  = 710.0
	expUnderflow = -746.0
)

// expTerms are 1/n! for n = 13 down to 2, the Taylor coefficients of e^r
// that a Horner evaluation needs after 1 + r. For |r| ≤ ln2/2 the first
// omitted term, r^14/14!, is below 5·10^−18, a twentieth of an ulp of
// e^r.
var expTerms = [...]float64{
	1.0 / 6227020800, // 13!
	1.0 / 479001600,  // 12!
	1.0 / 39916800,   // 11!
	1.0 / 3628800,    // 10!
	1.0 / 362880,     // 9!
	1.0 / 40320,      // 8!
	1.0 / 5040,       // 7!
	1.0 / 720,        // 6!
	1.0 / 120,        // 5!
	1.0 / 24,         // 4!
	1.0 / 6,          // 3!
	1.0 / 2,          // 2!
}

// exp returns e^x.
//
// Range reduction: x = k·ln 2 + t with k = round(x / ln 2) and
// |t| ≤ ln2/2, so e^x = 2^k · e^t. Following Cody and Waite, x − k·ln2Hi
// is exact; subtracting k·ln2Lo gives r, and c keeps what rounding r lost
// (t = r + c to about 2^−105). Then
//
//	e^t ≈ 1 + r + q + c·(1 + r),  q = r·(r/2! + r²/3! + … + r¹²/13!),
//
// q by Horner's rule. 1 + r is split into its rounded sum and the exact
// remainder, so every small term is added before the one rounding that
// matters; the power of two is applied exactly by scaleByPowerOfTwo.
func exp(x float64) float64 {
	switch {
	case x != x: // NaN
		return x
	case x > expOverflow:
		return math.Inf(1)
	case x < expUnderflow:
		return 0
	}
	k := math.Floor(x*invLn2 + 0.5) // exact integer-valued float64
	hi := x - k*ln2Hi               // exact
	lo := -k * ln2Lo
	r := hi + lo
	c := (hi - r) + lo // what r lost to rounding
	p := 0.0
	for _, coef := range expTerms {
		p = (p + coef) * r
	}
	q := r * p
	one := 1 + r
	oneLost := (1 - one) + r // exact, since |r| < 1
	return scaleByPowerOfTwo(one+(oneLost+(q+c*(1+r))), int(k))
}

// scaleByPowerOfTwo returns y·2^k for y in [0.5, 2] and k in
// [−1080, 1030], rounded once: large |k| is split into two exact
// multiplications and a last one that rounds only when the result is
// subnormal (or overflows to +Inf).
func scaleByPowerOfTwo(y float64, k int) float64 {
	switch {
	case k > 1000:
		y *= powerOfTwo(1000)
		k -= 1000
	case k < -1000:
		y *= powerOfTwo(-1000)
		k += 1000
	}
	return y * powerOfTwo(k)
}

// powerOfTwo returns 2^k for k in [−1022, 1023], built from its bits.
func powerOfTwo(k int) float64 {
	return math.Float64frombits(uint64(k+1023) << 52)
}

// logTerms are 2/(2n+1) for n = 10 down to 1: log(1+f) = 2·atanh(s) =
// 2s + s·Σ 2s^(2n)/(2n+1) with s = f/(2+f). For |s| ≤ 0.1716 (mantissas
// reduced to [√½, √2)) the first omitted term is below 10^−18 relative.
var logTerms = [...]float64{
	2.0 / 21, 2.0 / 19, 2.0 / 17, 2.0 / 15, 2.0 / 13,
	2.0 / 11, 2.0 / 9, 2.0 / 7, 2.0 / 5, 2.0 / 3,
}

// log returns the natural logarithm of x.
//
// Range reduction: x = 2^e · m with m in [√½, √2), so
// log x = e·ln 2 + log(1+f) with f = m − 1 (exact). With s = f/(2+f),
// log(1+f) = 2·atanh(s) = 2s + s·R, R = Σ 2s^(2n)/(2n+1). Since
// s·(2+f) = f, 2s = f − s·f and s·f = h − s·h with h = f²/2, so
//
//	log(1+f) = f − (h − s·(h + R)),
//
// which keeps the exact f as the leading term and rounds only small
// corrections. e·ln 2 is added in two parts (ln2Hi exactly, ln2Lo with the
// corrections).
func log(x float64) float64 {
	switch {
	case x != x || x < 0: // NaN, or no real logarithm
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	case x > math.MaxFloat64: // +Inf
		return x
	}
	e := 0
	if x < 0x1p-1022 { // subnormal: make it normal first
		x *= 0x1p52
		e = -52
	}
	bits := math.Float64bits(x)
	e += int(bits>>52) - 1023
	m := math.Float64frombits(bits&(1<<52-1) | 1023<<52) // in [1, 2)
	if m >= math.Sqrt2 {
		m /= 2
		e++
	}
	f := m - 1
	s := f / (2 + f)
	z := s * s
	R := 0.0
	for _, c := range logTerms {
		R = (R + c) * z
	}
	h := 0.5 * f * f
	k := float64(e)
	return k*ln2Hi + (f - (h - (s*(h+R) + k*ln2Lo)))
}
