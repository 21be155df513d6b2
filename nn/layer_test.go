package nn

import (
	"math"
	"slices"
	"testing"
)

func TestSamePaddingKeepsSize(t *testing.T) {
	net := NewHomework(1)
	want := map[string]Shape{
		LayerConv1: {4, 28, 28}, LayerPool1: {4, 14, 14}, LayerConv2: {4, 14, 14},
		LayerPool2: {4, 7, 7}, LayerFlatten: {196, 1, 1}, LayerHidden: {49, 1, 1}, LayerOutput: {10, 1, 1},
	}
	for name, shape := range want {
		if got := net.Layer(name).OutShape(); got != shape {
			t.Errorf("%s output shape %v, want %v", name, got, shape)
		}
	}
}

func TestConvComputesSamePaddedCorrelation(t *testing.T) {
	// A 3×3 input and a 3×3 kernel: the corner output sees only the 2×2
	// corner of the input, the centre sees all nine values.
	conv := mustConv(t, Shape{1, 3, 3}, 1, 3).(*Conv2D)
	copy(conv.Weight.Value, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9})
	conv.Bias.Value[0] = 0.5
	in := []float64{1, 0, 0, 0, 1, 0, 0, 0, 2}
	out := conv.Forward(in, 1)
	// top-left: kernel taps (1,1),(1,2),(2,1),(2,2) over in (0,0),(0,1),(1,0),(1,1) = 5·1 + 9·1.
	// centre: 1·1 + 5·1 + 9·2 = 24.
	want := map[int]float64{0: 0.5 + 5 + 9, 4: 0.5 + 1 + 5 + 18, 8: 0.5 + 1*1 + 5*2}
	for i, w := range want {
		if out[i] != w {
			t.Errorf("output %d = %g, want %g (all: %v)", i, out[i], w, out)
		}
	}
}

func TestConvIdentityKernel(t *testing.T) {
	conv := mustConv(t, Shape{1, 28, 28}, 1, 5).(*Conv2D)
	conv.Weight.Value[12] = 1 // centre tap
	in := randomSlice(newTestRand(), ImageSize, 1)
	if out := conv.Forward(in, 1); !slices.Equal(out, in) {
		t.Error("a centred unit kernel should reproduce the input")
	}
}

func TestMaxPoolRouting(t *testing.T) {
	tests := []struct {
		name    string
		in      []float64
		wantOut float64
		wantAt  int // which of the four inputs gets the gradient
	}{
		{"max bottom-right", []float64{1, 2, 3, 4}, 4, 3},
		{"max top-left", []float64{9, 2, 3, 4}, 9, 0},
		{"tie of all four goes to top-left", []float64{5, 5, 5, 5}, 5, 0},
		{"tie right and bottom goes to top-right", []float64{1, 7, 7, 2}, 7, 1},
		{"tie bottom row goes to bottom-left", []float64{-3, -2, -1, -1}, -1, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustPool(t, Shape{1, 2, 2})
			out := p.Forward(tc.in, 1)
			if out[0] != tc.wantOut {
				t.Fatalf("output %g, want %g", out[0], tc.wantOut)
			}
			grad := p.Backward([]float64{2.5}, true)
			for i, g := range grad {
				want := 0.0
				if i == tc.wantAt {
					want = 2.5
				}
				if g != want {
					t.Errorf("gradient %v, want 2.5 at %d only", grad, tc.wantAt)
					break
				}
			}
		})
	}
}

func TestCrossEntropyExtremeLogits(t *testing.T) {
	logits := []float64{1000, -1000, 0, 0, 0, 0, 0, 0, 0, -1000}
	grad := make([]float64, len(logits))
	for _, label := range []int{0, 1} {
		loss := CrossEntropy(logits, []int{label}, NumClasses, grad)
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			t.Fatalf("label %d: loss %g is not finite", label, loss)
		}
		for i, g := range grad {
			if math.IsNaN(g) || math.IsInf(g, 0) {
				t.Fatalf("label %d: gradient %d = %g", label, i, g)
			}
		}
		want := 0.0
		if label == 1 {
			want = 2000
		}
		if math.Abs(loss-want) > 1e-9 {
			t.Errorf("label %d: loss %g, want %g", label, loss, want)
		}
	}
	probs := make([]float64, len(logits))
	Softmax(logits, probs)
	if probs[0] != 1 || math.IsNaN(probs[1]) {
		t.Errorf("softmax of extreme logits = %v", probs)
	}
}

func TestLayerConstructorsRejectBadShapes(t *testing.T) {
	if _, err := NewConv2D("c", Shape{1, 4, 4}, 2, 4); err == nil {
		t.Error("even kernel accepted")
	}
	if _, err := NewConv2D("c", Shape{0, 4, 4}, 2, 3); err == nil {
		t.Error("empty input accepted")
	}
	if _, err := NewMaxPool("p", Shape{1, 5, 4}); err == nil {
		t.Error("odd height accepted")
	}
	if _, err := NewDense("d", Shape{3, 1, 1}, 0); err == nil {
		t.Error("zero outputs accepted")
	}
}

func TestInitializationIsSeededAndScaled(t *testing.T) {
	a, b, c := NewHomework(5), NewHomework(5), NewHomework(6)
	pa, pb, pc := a.Params(), b.Params(), c.Params()
	for i := range pa {
		if !slices.Equal(pa[i].Value, pb[i].Value) {
			t.Errorf("%s differs between two networks with one seed", pa[i].Name)
		}
	}
	if slices.Equal(pa[0].Value, pc[0].Value) {
		t.Error("different seeds gave the same conv1 weights")
	}
	for _, p := range pa {
		if len(p.Shape) == 1 {
			continue
		}
		fanIn := float64(len(p.Value) / p.Shape[0])
		limit := math.Sqrt(6 / fanIn)
		for _, v := range p.Value {
			if math.Abs(v) > limit {
				t.Fatalf("%s: weight %g beyond He limit %g", p.Name, v, limit)
			}
		}
	}
}

func TestPredictAndActivations(t *testing.T) {
	net := NewHomework(3)
	img := randomSlice(newTestRand(), ImageSize, 1)
	probs, err := net.Predict(img)
	if err != nil {
		t.Fatal(err)
	}
	if s := sum(probs); math.Abs(s-1) > 1e-12 {
		t.Errorf("probabilities sum to %g", s)
	}
	act, err := net.Activations(img)
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[string]int{"conv1": len(act.Conv1), "pool1": len(act.Pool1), "conv2": len(act.Conv2),
		"pool2": len(act.Pool2), "hidden": len(act.Hidden), "probs": len(act.Probs)}
	want := map[string]int{"conv1": 4 * 28 * 28, "pool1": 4 * 14 * 14, "conv2": 4 * 14 * 14, "pool2": 4 * 7 * 7, "hidden": 49, "probs": 10}
	for k, v := range want {
		if sizes[k] != v {
			t.Errorf("%s has %d values, want %d", k, sizes[k], v)
		}
	}
	if !slices.Equal(act.Probs, probs) {
		t.Error("Activations and Predict disagree on probabilities")
	}
	feats, err := net.Bottleneck(append(slices.Clone(img), img...), 1)
	if err != nil || len(feats) != 2 || !slices.Equal(feats[0], act.Hidden) || !slices.Equal(feats[1], act.Hidden) {
		t.Errorf("Bottleneck = %d features, err %v; want two copies of the hidden activations", len(feats), err)
	}
	if _, err := net.Predict(img[:10]); err == nil {
		t.Error("Predict accepted 10 values")
	}
	if _, err := net.Bottleneck(img[:10], 5); err == nil {
		t.Error("Bottleneck accepted a partial image")
	}
}
