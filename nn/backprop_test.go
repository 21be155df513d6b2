package nn

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// backpropSetup returns a homework network after a few mini-batches of
// training (so that biases are no longer zero) and test images with a
// little noise added: every pixel then differs from its neighbours and no
// conv output sits exactly at a ReLU's kink or ties in a pooling window,
// so the loss is differentiable at the image and finite differences are
// exact up to rounding.
func backpropSetup(t testing.TB) (*Network, *Data, [][]float64) {
	t.Helper()
	train, test := homeworkData(t, 10, 2)
	net := NewHomework(3)
	cfg := Config{Optimizer: DefaultOptimizer(OptimizerRMSProp), BatchSize: 10, Epochs: 1, Seed: 3}
	tr, err := NewTrainer(net, train, test, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for trained := 0; trained < 50; {
		u, err := tr.Work()
		if err != nil {
			t.Fatal(err)
		}
		trained += u.Trained
	}
	rng := rand.New(rand.NewPCG(5, 5))
	var images [][]float64
	for _, i := range []int{0, 7, 13} {
		img := append([]float64(nil), test.Image(i)...)
		for j := range img {
			img[j] = min(1, img[j]+0.05*rng.Float64())
		}
		images = append(images, img)
	}
	return net, test, images
}

// TestBackpropInputGradientMatchesFiniteDifferences checks the saliency
// map, every one of its 784 values, against central differences of
// −log p_target for three images, each for its label and another class.
func TestBackpropInputGradientMatchesFiniteDifferences(t *testing.T) {
	net, test, images := backpropSetup(t)
	for k, img := range images {
		label := test.Labels[[]int{0, 7, 13}[k]]
		for _, target := range []int{label, (label + 3) % NumClasses} {
			b, err := net.Backprop(img, target)
			if err != nil {
				t.Fatal(err)
			}
			loss := func() float64 {
				return CrossEntropy(net.Forward(img, 1), []int{target}, NumClasses, nil)
			}
			if l := loss(); l != b.Loss {
				t.Errorf("image %d target %d: Loss %v, the forward pass gives %v", k, target, b.Loss, l)
			}
			checkInputGradient(t, img, b.Input, loss)
			if rms(b.Input) == 0 {
				t.Errorf("image %d target %d: the input gradient is zero", k, target)
			}
		}
	}
}

// checkInputGradient compares every value of the input gradient with a
// central difference (L(x+h) − L(x−h)) / 2h, h = 1e-6. Away from kinks
// the loss is smooth, so the truncation error is O(h²) and negligible;
// the rounding of L (about 1e-16·L, L ≲ 10) divided by 2h gives up to
// about 1e-9, which dominates for the smallest gradients. Each value must
// agree within 1e-6 relative or 1e-9 absolute.
func checkInputGradient(t *testing.T, img, analytic []float64, loss func() float64) {
	t.Helper()
	worstRel, worstAbs := 0.0, 0.0
	for i := range img {
		orig := img[i]
		img[i] = orig + fdStep
		up := loss()
		img[i] = orig - fdStep
		down := loss()
		img[i] = orig
		numeric := (up - down) / (2 * fdStep)
		diff := math.Abs(analytic[i] - numeric)
		if diff > 1e-9 && relErr(analytic[i], numeric) > fdMaxRel {
			t.Errorf("∂L/∂x[%d]: analytic %.10g, numeric %.10g", i, analytic[i], numeric)
		}
		worstAbs, worstRel = max(worstAbs, diff), max(worstRel, relErr(analytic[i], numeric))
	}
	t.Logf("∂L/∂x: largest difference %.2g absolute, %.2g relative, over 784 pixels (largest |∂L/∂x| %.2g)", worstAbs, worstRel, absMax(analytic))
}

func absMax(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = max(m, math.Abs(x))
	}
	return m
}

// TestBackpropWinnersAreTheArgmax checks that the winners Backprop
// reports are each 2×2 window's first largest value in the maps the
// forward pass made, and that the gradient reached exactly those inputs
// with the pooled output's gradient.
func TestBackpropWinnersAreTheArgmax(t *testing.T) {
	net, _, images := backpropSetup(t)
	b, err := net.Backprop(images[0], 4)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		pool, relu string
		maps       []float64
		side       int
	}{
		{LayerPool1, LayerReLU1, b.Forward.Conv1, 28},
		{LayerPool2, LayerReLU2, b.Forward.Conv2, 14},
	} {
		winners := b.Winners[c.pool]
		if want := len(c.maps) / 4; len(winners) != want {
			t.Fatalf("%s: %d winners, want %d", c.pool, len(winners), want)
		}
		routed := make([]bool, len(c.maps))
		o := 0
		for ch := 0; ch < 4; ch++ {
			for y := 0; y < c.side; y += 2 {
				for x := 0; x < c.side; x += 2 {
					i0 := ch*c.side*c.side + y*c.side + x
					best := i0
					for _, i := range []int{i0 + 1, i0 + c.side, i0 + c.side + 1} {
						if c.maps[i] > c.maps[best] {
							best = i
						}
					}
					if int(winners[o]) != best {
						t.Errorf("%s output %d: winner %d, the window's argmax is %d", c.pool, o, winners[o], best)
					}
					routed[best] = true
					if got, want := b.Outputs[c.relu][best], b.Outputs[c.pool][o]; got != want {
						t.Errorf("%s: the winner %d got gradient %v, the pooled output had %v", c.pool, best, got, want)
					}
					o++
				}
			}
		}
		for i, g := range b.Outputs[c.relu] {
			if !routed[i] && g != 0 {
				t.Errorf("%s: input %d is no window's winner but got gradient %v", c.pool, i, g)
			}
		}
	}
}

// TestBackpropReLUStopsAtInactiveUnits checks that the gradient passes a
// ReLU unchanged where its output was positive and is 0 where it was not.
func TestBackpropReLUStopsAtInactiveUnits(t *testing.T) {
	net, _, images := backpropSetup(t)
	b, err := net.Backprop(images[1], 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		relu, before string
		out          []float64
	}{
		{LayerReLU1, LayerConv1, b.Forward.Conv1},
		{LayerReLU2, LayerConv2, b.Forward.Conv2},
		{LayerReLU3, LayerHidden, b.Forward.Hidden},
	} {
		stopped, passed := 0, 0
		for i, y := range c.out {
			above, below := b.Outputs[c.relu][i], b.Outputs[c.before][i]
			switch {
			case y > 0 && below != above:
				t.Errorf("%s unit %d is active but its gradient %v became %v", c.relu, i, above, below)
			case y <= 0 && below != 0:
				t.Errorf("%s unit %d is inactive but passed gradient %v", c.relu, i, below)
			case y <= 0 && above != 0:
				stopped++
			case y > 0 && above != 0:
				passed++
			}
		}
		if passed == 0 {
			t.Errorf("%s passed no gradient", c.relu)
		}
		t.Logf("%s: %d units passed a gradient, %d stopped one", c.relu, passed, stopped)
	}
}

// TestBackpropParamsAreOneImagesGradient checks that the parameter
// gradients are those a mini-batch of this one image accumulates, bit for
// bit, that the logits' gradient is p − onehot(target), and that the
// network's own accumulated gradients are left as they were.
func TestBackpropParamsAreOneImagesGradient(t *testing.T) {
	net, _, images := backpropSetup(t)
	for i, p := range net.Params() {
		for j := range p.Grad {
			p.Grad[j] = float64(i*1000 + j) // a trainer's half-accumulated batch
		}
	}
	b, err := net.Backprop(images[2], 7)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range net.Params() {
		for j, g := range p.Grad {
			if g != float64(i*1000+j) {
				t.Fatalf("Backprop changed %s's accumulated gradient at %d", p.Name, j)
			}
		}
	}
	net.ZeroGrad()
	logits := net.Forward(images[2], 1)
	grad := make([]float64, NumClasses)
	CrossEntropy(logits, []int{7}, NumClasses, grad)
	net.Backward(grad)
	for _, p := range net.Params() {
		got := b.Params[p.Name]
		if len(got) != len(p.Grad) {
			t.Fatalf("%s: %d gradient values, want %d", p.Name, len(got), len(p.Grad))
		}
		for j := range got {
			if got[j] != p.Grad[j] {
				t.Fatalf("%s[%d]: Backprop %v, a batch of one %v", p.Name, j, got[j], p.Grad[j])
			}
		}
	}
	for j, g := range b.Outputs[LayerOutput] {
		want := b.Forward.Probs[j]
		if j == 7 {
			want--
		}
		if math.Abs(g-want) > 1e-15 {
			t.Errorf("∂L/∂logit %d = %v, want p − onehot = %v", j, g, want)
		}
	}
	if want := -math.Log(b.Forward.Probs[7]); math.Abs(b.Loss-want) > 1e-12 {
		t.Errorf("Loss %v, want −log p = %v", b.Loss, want)
	}
}

func TestBackpropRejectsBadInput(t *testing.T) {
	net := NewHomework(1)
	for _, c := range []struct {
		image  []float64
		target int
		want   string
	}{
		{make([]float64, 10), 0, "784"},
		{make([]float64, ImageSize), -1, "target class -1"},
		{make([]float64, ImageSize), 10, "target class 10"},
	} {
		if _, err := net.Backprop(c.image, c.target); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Backprop(%d values, %d): error %v, want one mentioning %q", len(c.image), c.target, err, c.want)
		}
	}
}

func TestParamCount(t *testing.T) {
	net := NewHomework(1)
	total := 0
	want := map[string]int{LayerConv1: 104, LayerConv2: 404, LayerHidden: 9653, LayerOutput: 500, LayerPool1: 0, "nonesuch": 0}
	for name, n := range want {
		if got := net.ParamCount(name); got != n {
			t.Errorf("ParamCount(%s) = %d, want %d", name, got, n)
		}
		total += n
	}
	if total != 10661 {
		t.Errorf("total %d parameters, want 10,661", total)
	}
}

// BenchmarkBackprop measures what the dashboard pays to show one image's
// gradients: one forward and one backward pass with the input gradient.
// `go test -run '^$' -bench Backprop ./nn/`, and under Node.js as
// bench_test.go says. At commit b77a360 (2-core shared machine, Node.js
// 20): natively 0.54–0.84 ms, under WebAssembly 0.22 ms with the SIMD
// kernels and 1.6 ms with the Go loops (CONVLAB_SIMD=off).
func BenchmarkBackprop(b *testing.B) {
	net, _, images := backpropSetup(b)
	for b.Loop() {
		if _, err := net.Backprop(images[0], 3); err != nil {
			b.Fatal(err)
		}
	}
}

func rms(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s / float64(len(v)))
}
