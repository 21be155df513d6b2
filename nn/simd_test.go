package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// The SIMD kernels must give bit-identical results to the Go loops. These
// tests run only where the kernels are attached (WebAssembly, e.g. make
// wasmunit); natively they skip. Each builds a layer twice, one on each
// path, with the same parameters, feeds both the same random batch and
// gradient, and compares every output and gradient bit for bit.

// needSIMD skips the test unless the kernels are attached, or fails it when
// the environment says they must be (CONVLAB_SIMD_REQUIRED=1, set by make
// wasmunit, so that a broken loader cannot pass as a skip).
func needSIMD(t *testing.T) {
	t.Helper()
	if simdEnabled {
		return
	}
	if os.Getenv("CONVLAB_SIMD_REQUIRED") == "1" {
		t.Fatal("CONVLAB_SIMD_REQUIRED=1 but the SIMD kernels are not attached")
	}
	t.Skip("the SIMD kernels run only under WebAssembly with nn/simd/kernels.js attached")
}

// setSIMD switches a layer between the SIMD kernels and the Go loops.
func setSIMD(l Layer, on bool) {
	switch l := l.(type) {
	case *Conv2D:
		l.simd = on
	case *Dense:
		l.simd = on
	case *ReLU:
		l.simd = on
	case *MaxPool:
		l.simd = on
	}
}

// sparseSlice is randomSlice with about a fraction zero of its values set
// to zero, half of those −0, as ReLU and max-pooling leave gradients.
func sparseSlice(rng *rand.Rand, n int, scale, zero float64) []float64 {
	s := randomSlice(rng, n, scale)
	for i := range s {
		if rng.Float64() < zero {
			s[i] = 0
			if rng.IntN(2) == 0 {
				s[i] = math.Copysign(0, -1)
			}
		}
	}
	return s
}

// sameBits reports the first index where a and b differ in any bit.
func sameBits(t *testing.T, what string, a, b []float64) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: lengths %d (SIMD) and %d (Go)", what, len(a), len(b))
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("%s[%d]: SIMD %v (%#016x), Go %v (%#016x)", what, i,
				a[i], math.Float64bits(a[i]), b[i], math.Float64bits(b[i]))
		}
	}
}

// comparePaths runs two forward and backward passes of batch examples
// through layer pairs built by build, one pair on the SIMD kernels and one
// on the Go loops, and requires bit-identical outputs and gradients. The
// second pass uses another batch size (the last, partial chunk of a batch)
// and accumulates onto the first pass's parameter gradients.
func comparePaths(t *testing.T, rng *rand.Rand, build func() Layer, batches [2]int, zeroIn, zeroGrad float64) {
	t.Helper()
	fast, ref := build(), build()
	setSIMD(fast, true)
	setSIMD(ref, false)
	for i, p := range fast.Params() {
		copy(p.Value, randomSlice(rng, len(p.Value), 0.5))
		copy(ref.Params()[i].Value, p.Value)
		p.ZeroGrad()
		ref.Params()[i].ZeroGrad()
	}
	for pass, batch := range batches {
		in := sparseSlice(rng, batch*fast.InShape().Size(), 1, zeroIn)
		grad := sparseSlice(rng, batch*fast.OutShape().Size(), 1, zeroGrad)
		sameBits(t, fmt.Sprintf("pass %d output", pass), fast.Forward(in, batch), ref.Forward(in, batch))
		for _, want := range []bool{pass == 0, true} {
			gotIn, refIn := fast.Backward(grad, want), ref.Backward(grad, want)
			if want {
				sameBits(t, fmt.Sprintf("pass %d input gradient", pass), gotIn, refIn)
			} else if gotIn != nil || refIn != nil {
				t.Fatal("Backward(…, false) returned an input gradient")
			}
		}
		for i, p := range fast.Params() {
			sameBits(t, fmt.Sprintf("pass %d %s gradient", pass, p.Name), p.Grad, ref.Params()[i].Grad)
		}
	}
}

func TestSIMDConvMatchesGo(t *testing.T) {
	needSIMD(t)
	rng := rand.New(rand.NewPCG(21, 1))
	homework := []struct{ in Shape }{{Shape{1, 28, 28}}, {Shape{4, 14, 14}}}
	for _, hw := range homework {
		t.Run(hw.in.String(), func(t *testing.T) {
			comparePaths(t, rng, func() Layer { return mustConv(t, hw.in, 4, 5) }, [2]int{10, 3}, 0.6, 0.75)
		})
	}
	for i := range 40 {
		in := Shape{1 + rng.IntN(5), 1 + rng.IntN(17), 1 + rng.IntN(17)}
		outC, k := 1+rng.IntN(6), 1+2*rng.IntN(4)
		batches := [2]int{1 + rng.IntN(5), 1 + rng.IntN(5)}
		t.Run(fmt.Sprintf("%d: %v → %d@%dx%d, batches %v", i, in, outC, k, k, batches), func(t *testing.T) {
			comparePaths(t, rng, func() Layer { return mustConv(t, in, outC, k) }, batches, rng.Float64(), rng.Float64())
		})
	}
}

func TestSIMDDenseMatchesGo(t *testing.T) {
	needSIMD(t)
	rng := rand.New(rand.NewPCG(22, 1))
	t.Run("homework hidden", func(t *testing.T) {
		comparePaths(t, rng, func() Layer { return mustDense(t, Shape{4, 7, 7}, 49) }, [2]int{10, 7}, 0.5, 0.3)
	})
	t.Run("homework output", func(t *testing.T) {
		comparePaths(t, rng, func() Layer { return mustDense(t, Shape{49, 1, 1}, 10) }, [2]int{25, 1}, 0.5, 0)
	})
	for i := range 40 {
		n, m := 1+rng.IntN(40), 1+rng.IntN(20)
		batches := [2]int{1 + rng.IntN(12), 1 + rng.IntN(12)}
		t.Run(fmt.Sprintf("%d: %d → %d, batches %v", i, n, m, batches), func(t *testing.T) {
			comparePaths(t, rng, func() Layer { return mustDense(t, Shape{n, 1, 1}, m) }, batches, rng.Float64(), rng.Float64())
		})
	}
}

func TestSIMDReLUAndPoolMatchGo(t *testing.T) {
	needSIMD(t)
	rng := rand.New(rand.NewPCG(23, 1))
	for i := range 30 {
		shape := Shape{1 + rng.IntN(5), 2 * (1 + rng.IntN(8)), 2 * (1 + rng.IntN(8))}
		batches := [2]int{1 + rng.IntN(6), 1 + rng.IntN(6)}
		t.Run(fmt.Sprintf("relu %d: %v, batches %v", i, shape, batches), func(t *testing.T) {
			comparePaths(t, rng, func() Layer { return NewReLU("relu", shape) }, batches, 0.3, 0.3)
		})
		t.Run(fmt.Sprintf("pool %d: %v, batches %v", i, shape, batches), func(t *testing.T) {
			// Ties (many equal zeros after ReLU) must route like Go.
			comparePaths(t, rng, func() Layer { return mustPool(t, shape) }, batches, 0.5, 0.2)
		})
	}
}

// TestSIMDTrainingMatchesGo trains the homework network on both paths and
// requires bit-identical weights and per-epoch metrics.
func TestSIMDTrainingMatchesGo(t *testing.T) {
	needSIMD(t)
	train, test := homeworkData(t, 10, 3)
	run := func(simd bool) *Trainer {
		cfg := Config{Optimizer: DefaultOptimizer(OptimizerMomentum), BatchSize: 7, Epochs: 2, Seed: 5}
		net := NewHomework(cfg.Seed)
		for _, l := range net.Layers {
			setSIMD(l, simd)
		}
		tr, err := NewTrainer(net, train, test, cfg)
		if err != nil {
			t.Fatal(err)
		}
		runToEnd(t, tr)
		return tr
	}
	fast, ref := run(true), run(false)
	for i, p := range fast.Network().Params() {
		sameBits(t, p.Name, p.Value, ref.Network().Params()[i].Value)
	}
	for i, m := range fast.History() {
		r := ref.History()[i]
		if math.Float64bits(m.Train.Loss) != math.Float64bits(r.Train.Loss) || math.Float64bits(m.Test.Loss) != math.Float64bits(r.Test.Loss) ||
			m.Train.Confusion != r.Train.Confusion || m.Test.Confusion != r.Test.Confusion {
			t.Fatalf("epoch %d: SIMD train/test loss %.17g/%.17g, Go %.17g/%.17g (or confusion matrices differ)",
				m.Epoch, m.Train.Loss, m.Test.Loss, r.Train.Loss, r.Test.Loss)
		}
	}
}
