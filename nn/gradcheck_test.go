package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Gradient checks compare each analytic gradient with a central finite
// difference, (L(x+h) − L(x−h)) / 2h, in float64 with h = 1e-6. The layers
// are piecewise linear, so away from kinks the difference is exact up to
// rounding (about 1e-16·|L|/h ≈ 1e-10), and the test demands a relative
// error below 1e-6. Fixed seeds keep inputs away from kinks run after run.
const (
	fdStep   = 1e-6
	fdMaxRel = 1e-6
)

func relErr(a, b float64) float64 {
	den := math.Abs(a) + math.Abs(b)
	if den < 1e-8 {
		return 0
	}
	return math.Abs(a-b) / den
}

func randomSlice(rng *rand.Rand, n int, scale float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = (2*rng.Float64() - 1) * scale
	}
	return s
}

// sampleIndices returns all of 0..n-1 when n is small, else k random ones.
func sampleIndices(rng *rand.Rand, n, k int) []int {
	if n <= k {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	idx := make([]int, k)
	for i := range idx {
		idx[i] = rng.IntN(n)
	}
	return idx
}

// checkGradient perturbs values[i] for each sampled i and compares the
// finite difference of loss with analytic[i].
func checkGradient(t *testing.T, what string, values, analytic []float64, loss func() float64, idx []int) {
	t.Helper()
	worst := 0.0
	for _, i := range idx {
		orig := values[i]
		values[i] = orig + fdStep
		up := loss()
		values[i] = orig - fdStep
		down := loss()
		values[i] = orig
		numeric := (up - down) / (2 * fdStep)
		if e := relErr(analytic[i], numeric); e > worst {
			worst = e
			if e > fdMaxRel {
				t.Errorf("%s[%d]: analytic %.10g, numeric %.10g, relative error %.2g", what, i, analytic[i], numeric, e)
			}
		}
	}
	t.Logf("%s: max relative error %.2g over %d entries", what, worst, len(idx))
}

func mustConv(t *testing.T, in Shape, outC, k int) Layer {
	c, err := NewConv2D("conv", in, outC, k)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustPool(t *testing.T, in Shape) Layer {
	p, err := NewMaxPool("pool", in)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustDense(t *testing.T, in Shape, out int) Layer {
	d, err := NewDense("dense", in, out)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestLayerGradients(t *testing.T) {
	tests := []struct {
		name  string
		layer func(t *testing.T) Layer
		batch int
	}{
		{"conv 1→3, 5×5 kernels on 6×7", func(t *testing.T) Layer { return mustConv(t, Shape{1, 6, 7}, 3, 5) }, 2},
		{"conv 2→3, 3×3 kernels on 5×4", func(t *testing.T) Layer { return mustConv(t, Shape{2, 5, 4}, 3, 3) }, 3},
		{"conv 2→3 on a batch too large to keep its patches", func(t *testing.T) Layer { return mustConv(t, Shape{2, 5, 4}, 3, 3) }, maxCachedBatch + 1},
		{"conv1 of the homework, 1→4 on 28×28", func(t *testing.T) Layer { return mustConv(t, Shape{1, 28, 28}, 4, 5) }, 2},
		{"conv2 of the homework, 4→4 on 14×14", func(t *testing.T) Layer { return mustConv(t, Shape{4, 14, 14}, 4, 5) }, 2},
		{"dense 196→49", func(t *testing.T) Layer { return mustDense(t, Shape{4, 7, 7}, 49) }, 3},
		{"dense 5→2", func(t *testing.T) Layer { return mustDense(t, Shape{5, 1, 1}, 2) }, 1},
		{"relu", func(t *testing.T) Layer { return NewReLU("relu", Shape{3, 4, 4}) }, 2},
		{"maxpool 2×2", func(t *testing.T) Layer { return mustPool(t, Shape{3, 6, 4}) }, 2},
		{"flatten", func(t *testing.T) Layer { return NewFlatten("flatten", Shape{2, 3, 3}) }, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 11))
			layer := tc.layer(t)
			for _, p := range layer.Params() {
				copy(p.Value, randomSlice(rng, len(p.Value), 0.5))
			}
			in := randomSlice(rng, tc.batch*layer.InShape().Size(), 1)
			weights := randomSlice(rng, tc.batch*layer.OutShape().Size(), 1)
			// L = Σ out·weights, so ∂L/∂out = weights.
			loss := func() float64 {
				out := layer.Forward(in, tc.batch)
				total := 0.0
				for i, v := range out {
					total += v * weights[i]
				}
				return total
			}
			for _, p := range layer.Params() {
				p.ZeroGrad()
			}
			loss()
			gradIn := append([]float64(nil), layer.Backward(weights, true)...)
			checkGradient(t, "input", in, gradIn, loss, sampleIndices(rng, len(in), 200))
			for _, p := range layer.Params() {
				grad := append([]float64(nil), p.Grad...)
				checkGradient(t, p.Name, p.Value, grad, loss, sampleIndices(rng, len(p.Value), 200))
			}
		})
	}
}

func TestCrossEntropyGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	labels := []int{2, 0, 9}
	logits := randomSlice(rng, len(labels)*NumClasses, 3)
	grad := make([]float64, len(logits))
	CrossEntropy(logits, labels, NumClasses, grad)
	loss := func() float64 { return CrossEntropy(logits, labels, NumClasses, nil) }
	checkGradient(t, "logits", logits, grad, loss, sampleIndices(rng, len(logits), 100))
}

// TestNetworkGradient checks the whole homework network and its loss end to
// end on a small random batch: every bias entry and a sample of weights.
func TestNetworkGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	net := NewHomework(42)
	for _, p := range net.Params() {
		if len(p.Shape) == 1 { // non-zero biases so their gradients are exercised
			copy(p.Value, randomSlice(rng, len(p.Value), 0.1))
		}
	}
	const batch = 3
	images := randomSlice(rng, batch*ImageSize, 0.5)
	for i := range images {
		images[i] += 0.5
	}
	labels := []int{3, 7, 1}
	grad := make([]float64, batch*NumClasses)
	loss := func() float64 {
		return CrossEntropy(net.Forward(images, batch), labels, NumClasses, nil)
	}
	net.ZeroGrad()
	CrossEntropy(net.Forward(images, batch), labels, NumClasses, grad)
	net.Backward(grad)
	for _, p := range net.Params() {
		analytic := append([]float64(nil), p.Grad...)
		checkGradient(t, p.Name, p.Value, analytic, loss, sampleIndices(rng, len(p.Value), 60))
	}
}
