package nn

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// ulps is the distance between two finite float64 of one sign in units in
// the last place: how many representable numbers lie between them.
func ulps(a, b float64) uint64 {
	ia, ib := orderedBits(a), orderedBits(b)
	if ia > ib {
		return uint64(ia - ib)
	}
	return uint64(ib - ia)
}

// orderedBits maps a float64 to an integer that orders like the number:
// consecutive float64 map to consecutive integers.
func orderedBits(x float64) int64 {
	magnitude := int64(math.Float64bits(x) &^ (1 << 63))
	if math.Signbit(x) {
		return -magnitude
	}
	return magnitude
}

// maxError is the documented accuracy of exp and log (see explog.go):
// below 1 ulp of the exact result, that is, faithfully rounded. The
// largest errors measured are about 0.61 ulp (exp) and 0.74 ulp (log).
const maxError = 1.0

// samples returns how many random arguments an accuracy test checks
// against the exact reference: many natively, fewer under the slower
// WebAssembly test run.
func samples() int {
	if testing.Short() {
		return 4_000
	}
	return 60_000
}

// expArgs returns random arguments over exp's whole finite range, a third
// of them in the softmax's range [−50, 0], a tenth giving subnormal results,
// and tiny arguments of every magnitude.
func expArgs(rng *rand.Rand, n int) []float64 {
	args := make([]float64, n)
	for i := range args {
		switch i % 10 {
		case 0, 1, 2:
			args[i] = -50 * rng.Float64()
		case 3:
			args[i] = -745.13 + (745.13-708.4)*rng.Float64()
		case 4:
			args[i] = math.Ldexp(rng.Float64()-0.5, -rng.IntN(1070))
		default:
			args[i] = expUnderflow + (expOverflow-expUnderflow)*rng.Float64()
		}
	}
	return args
}

// logArgs returns random positive finite arguments: half of them any
// float64 with every exponent equally likely (subnormals included), half
// near 1, where log x is small.
func logArgs(rng *rand.Rand, n int) []float64 {
	args := make([]float64, 0, n)
	for len(args) < n/2 {
		if x := math.Float64frombits(rng.Uint64() >> 1); x > 0 && x <= math.MaxFloat64 {
			args = append(args, x)
		}
	}
	for len(args) < n {
		args = append(args, 1+(rng.Float64()-0.5)*math.Ldexp(1, -rng.IntN(50)))
	}
	return args
}

// worstError returns the largest error of f over args in ulps of the exact
// result, and the argument where it occurred.
func worstError(args []float64, f func(float64) float64, exact func(float64) *big.Float) (worst, at float64) {
	for _, x := range args {
		if e := ulpError(f(x), exact(x)); e > worst {
			worst, at = e, x
		}
	}
	return worst, at
}

func TestExpAccuracy(t *testing.T) {
	ln2 := bigLn2()
	args := expArgs(rand.New(rand.NewPCG(1, 2)), samples())
	worst, at := worstError(args, exp, func(x float64) *big.Float { return exactExp(x, ln2) })
	t.Logf("exp: largest error %.3f ulp (at %v) over %d arguments", worst, at, len(args))
	if worst >= maxError {
		t.Errorf("exp(%v) = %v is %.3f ulp from e^x, want below %v", at, exp(at), worst, maxError)
	}
}

func TestLogAccuracy(t *testing.T) {
	ln2 := bigLn2()
	args := logArgs(rand.New(rand.NewPCG(3, 4)), samples())
	worst, at := worstError(args, log, func(x float64) *big.Float { return exactLog(x, ln2) })
	t.Logf("log: largest error %.3f ulp (at %v) over %d arguments", worst, at, len(args))
	if worst >= maxError {
		t.Errorf("log(%v) = %v is %.3f ulp from ln x, want below %v", at, log(at), worst, maxError)
	}
}

// Against the standard library, on many more arguments: exp and log stay
// within 2 ulp of math.Exp and math.Log (each is within about 1 ulp of the
// exact result, in opposite directions at worst; natively math.Exp, amd64
// assembly, errs by up to 1.7 ulp). The arguments leave out where native
// math.Exp overflows early (above 709.4) and subnormal arguments of log,
// for which native math.Log is wrong (math.Log(5e-324) gives −709.09, not
// −744.44); TestExpAccuracy and TestLogAccuracy cover those.
func TestAgreesWithStandardLibrary(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n := 50 * samples()
	for _, c := range []struct {
		name    string
		f, ref  func(float64) float64
		args    []float64
		invalid func(float64) bool
	}{
		{"exp", exp, math.Exp, expArgs(rng, n), func(x float64) bool { return x > 709.4 }},
		{"log", log, math.Log, logArgs(rng, n), func(x float64) bool { return x < 0x1p-1022 }},
	} {
		var worst uint64
		var at float64
		same, compared := 0, 0
		for _, x := range c.args {
			if c.invalid(x) {
				continue
			}
			compared++
			d := ulps(c.f(x), c.ref(x))
			if d > worst {
				worst, at = d, x
			}
			if d == 0 {
				same++
			}
		}
		t.Logf("%s: %.2f%% of %d results identical to the standard library's, largest difference %d ulp (at %v)",
			c.name, 100*float64(same)/float64(compared), compared, worst, at)
		if worst > 2 {
			t.Errorf("%s(%v) = %v, the standard library gives %v: %d ulp apart, want at most 2", c.name, at, c.f(at), c.ref(at), worst)
		}
	}
}

func TestExpLogSpecialValues(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	smallest := math.SmallestNonzeroFloat64
	exactly := []struct {
		name    string
		f       func(float64) float64
		x, want float64
	}{
		{"exp", exp, 0, 1},
		{"exp", exp, math.Copysign(0, -1), 1},
		{"exp", exp, inf, inf},
		{"exp", exp, -inf, 0},
		{"exp", exp, 710, inf},
		{"exp", exp, 709.79, inf},
		{"exp", exp, -745.2, 0},
		{"exp", exp, -745.1, smallest},
		{"exp", exp, -1000, 0},
		{"log", log, 1, 0},
		{"log", log, 2, math.Ln2},
		{"log", log, 0, -inf},
		{"log", log, math.Copysign(0, -1), -inf},
		{"log", log, inf, inf},
	}
	for _, c := range exactly {
		if got := c.f(c.x); got != c.want {
			t.Errorf("%s(%v) = %v, want %v", c.name, c.x, got, c.want)
		}
	}
	// Edges of the range, within the documented accuracy of the exact
	// result.
	ln2 := bigLn2()
	for _, x := range []float64{709.78, 709.782712893384, -708.4, -708.39641853226408, -745.13, 1, math.Ln2, -1e-300} {
		if e := ulpError(exp(x), exactExp(x, ln2)); e >= maxError {
			t.Errorf("exp(%v) = %v is %.3f ulp from e^x", x, exp(x), e)
		}
	}
	for _, x := range []float64{math.MaxFloat64, smallest, 0x1p-1022, math.Nextafter(0x1p-1022, 0), math.E, math.Nextafter(1, 0), math.Nextafter(1, 2)} {
		if e := ulpError(log(x), exactLog(x, ln2)); e >= maxError {
			t.Errorf("log(%v) = %v is %.3f ulp from ln x", x, log(x), e)
		}
	}
	for _, x := range []float64{nan, -1, -smallest, -inf} {
		if got := log(x); !math.IsNaN(got) {
			t.Errorf("log(%v) = %v, want NaN", x, got)
		}
	}
	if got := exp(nan); !math.IsNaN(got) {
		t.Errorf("exp(NaN) = %v, want NaN", got)
	}
}

// exp and log invert each other up to rounding.
func TestLogOfExp(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 10000 {
		x := -700 + 1400*rng.Float64()
		if got := log(exp(x)); math.Abs(got-x) > 1e-15*math.Max(1, math.Abs(x)) {
			t.Fatalf("log(exp(%v)) = %v", x, got)
		}
	}
}

// The reduction constants: ln2Hi has at most 32 significant bits (so k·ln2Hi
// is exact for |k| < 2^21), ln2Hi + ln2Lo is ln 2 to within half an ulp of
// ln2Lo, and invLn2 is 1/ln 2 correctly rounded. ln 2 is computed to 300
// bits as 2·atanh(1/3) = 2·Σ 3^−(2n+1)/(2n+1).
func TestReductionConstants(t *testing.T) {
	const prec = 300
	newF := func(v float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(v) }
	third := new(big.Float).SetPrec(prec).Quo(newF(1), newF(3))
	ninth := new(big.Float).SetPrec(prec).Mul(third, third)
	ln2 := newF(0)
	power := new(big.Float).SetPrec(prec).Set(third)
	for n := 0; n < 320; n++ {
		ln2.Add(ln2, new(big.Float).SetPrec(prec).Quo(power, newF(float64(2*n+1))))
		power.Mul(power, ninth)
	}
	ln2.Mul(ln2, newF(2))

	if low := math.Float64bits(ln2Hi) & (1<<21 - 1); low != 0 {
		t.Errorf("ln2Hi has more than 32 significant bits (low bits %#x)", low)
	}
	rest := new(big.Float).SetPrec(prec).Sub(ln2, newF(ln2Hi))
	rest.Sub(rest, newF(ln2Lo))
	r, _ := rest.Float64()
	if math.Abs(r) > math.Nextafter(ln2Lo, 1)-ln2Lo {
		t.Errorf("ln 2 − ln2Hi − ln2Lo = %g, more than an ulp of ln2Lo", r)
	}
	inv, _ := new(big.Float).SetPrec(prec).Quo(newF(1), ln2).Float64()
	if inv != invLn2 {
		t.Errorf("invLn2 = %v, 1/ln 2 rounds to %v", invLn2, inv)
	}
}

// The exact reference: e^x and ln x to refPrec bits with math/big, so the
// accuracy tests measure the error itself rather than the distance to
// another approximation. (Natively, math.Exp is amd64 assembly that returns
// +Inf from about x = 709.44 although e^709.78 is finite, and math.Log is
// wrong for subnormal arguments; neither can serve as the reference there.)
const refPrec = 160

func bigF(v float64) *big.Float { return new(big.Float).SetPrec(refPrec).SetFloat64(v) }

// bigLn2 is ln 2 to refPrec bits, 2·atanh(1/3).
func bigLn2() *big.Float {
	return bigAtanhTimes2(new(big.Float).SetPrec(refPrec).Quo(bigF(1), bigF(3)))
}

// bigAtanhTimes2 returns 2·atanh(s) = 2·Σ s^(2n+1)/(2n+1) for |s| ≤ 1/3.
func bigAtanhTimes2(s *big.Float) *big.Float {
	s2 := new(big.Float).SetPrec(refPrec).Mul(s, s)
	sum := bigF(0)
	power := new(big.Float).SetPrec(refPrec).Set(s)
	for n := 0; power.Sign() != 0 && power.MantExp(nil)-s.MantExp(nil) > -refPrec-8; n++ {
		sum.Add(sum, new(big.Float).SetPrec(refPrec).Quo(power, bigF(float64(2*n+1))))
		power.Mul(power, s2)
	}
	return sum.Mul(sum, bigF(2))
}

// exactExp returns e^x rounded to nearest float64 (as a big.Float, so
// values beyond float64's range stay comparable).
func exactExp(x float64, ln2 *big.Float) *big.Float {
	k := math.Round(x / math.Ln2)
	r := new(big.Float).SetPrec(refPrec).Mul(bigF(k), ln2)
	r.Sub(bigF(x), r) // |r| < 0.35
	sum, term := bigF(1), bigF(1)
	for n := 1; term.Sign() != 0 && term.MantExp(nil) > -refPrec-8; n++ {
		term.Mul(term, r)
		term.Quo(term, bigF(float64(n)))
		sum.Add(sum, term)
	}
	return sum.SetMantExp(sum, int(k))
}

// exactLog returns ln x for a positive finite x.
func exactLog(x float64, ln2 *big.Float) *big.Float {
	m := new(big.Float).SetPrec(refPrec)
	e := bigF(x).MantExp(m) // x = m·2^e, m in [0.5, 1)
	num := new(big.Float).SetPrec(refPrec).Sub(m, bigF(1))
	den := new(big.Float).SetPrec(refPrec).Add(m, bigF(1))
	sum := bigAtanhTimes2(num.Quo(num, den))
	return sum.Add(sum, new(big.Float).SetPrec(refPrec).Mul(bigF(float64(e)), ln2))
}

// ulpError returns |got − exact| in units of the last place of exact's
// float64 neighbourhood (the gap between float64 at exact's magnitude,
// subnormals included).
func ulpError(got float64, exact *big.Float) float64 {
	nearest, _ := exact.Float64()
	if got == nearest {
		return 0 // also when both overflow to ±Inf
	}
	if math.IsInf(nearest, 0) {
		nearest = math.Copysign(math.MaxFloat64, nearest)
	}
	ulp := math.Nextafter(math.Abs(nearest), math.Inf(1)) - math.Abs(nearest)
	if math.IsInf(ulp, 0) {
		ulp = math.Abs(nearest) - math.Nextafter(math.Abs(nearest), 0)
	}
	diff := new(big.Float).SetPrec(refPrec).Sub(bigF(got), exact)
	e, _ := diff.Quo(diff, bigF(ulp)).Float64() // in big.Float: diff may be far below float64's range
	return math.Abs(e)
}
