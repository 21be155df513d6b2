package nn

import (
	"math"
	"strings"
	"testing"
)

// The trainer's per-layer figures equal the ones computed here, from
// the gradients each update read and the weights at each epoch's end,
// by a second route: each layer's parameters found by their names'
// prefix, norms by math.Hypot rather than sums of squares.
func TestLayerStatsMatchGradientsAndWeights(t *testing.T) {
	train, test := homeworkData(t, 3, 1) // 30 training images
	for _, kind := range OptimizerKinds() {
		t.Run(kind.String(), func(t *testing.T) {
			cfg := Config{Optimizer: DefaultOptimizer(kind), BatchSize: 7, Epochs: 2, Seed: 3}
			cfg.Optimizer.LearningRate = 0.01
			net := NewHomework(cfg.Seed)
			tr, err := NewTrainer(net, train, test, cfg)
			if err != nil {
				t.Fatal(err)
			}
			start := snapshot(net)
			grads := map[string][][]float64{} // per layer, one flat gradient per mini-batch
			for tr.Phase() == PhaseTraining || tr.Phase() == PhaseEvaluating {
				u, err := tr.Work()
				if err != nil {
					t.Fatal(err)
				}
				if u.Trained > 0 {
					for layer, g := range byLayer(net, func(p *Param) []float64 { return p.Grad }) {
						grads[layer] = append(grads[layer], g)
					}
				}
				if u.EpochDone == nil {
					continue
				}
				end := snapshot(net)
				checkEpochStats(t, u.EpochDone, start, end, grads)
				start, grads = end, map[string][][]float64{}
			}
			if n := len(tr.History()); n != cfg.Epochs {
				t.Fatalf("%d epochs of metrics, want %d", n, cfg.Epochs)
			}
		})
	}
}

// checkEpochStats compares an epoch's LayerStats with the figures
// computed from its mini-batch gradients and its first and last weights.
func checkEpochStats(t *testing.T, m *EpochMetrics, start, end map[string][]float64, grads map[string][][]float64) {
	t.Helper()
	want := []string{LayerConv1, LayerConv2, LayerHidden, LayerOutput}
	if len(m.Layers) != len(want) {
		t.Fatalf("epoch %d: stats for %d layers, want %d", m.Epoch, len(m.Layers), len(want))
	}
	for i, s := range m.Layers {
		if s.Layer != want[i] {
			t.Fatalf("epoch %d: layer %d is %q, want %q", m.Epoch, i, s.Layer, want[i])
		}
		norm := 0.0
		for _, g := range grads[s.Layer] {
			norm = math.Hypot(norm, euclidean(g))
		}
		values := len(grads[s.Layer]) * len(start[s.Layer])
		rms := norm / math.Sqrt(float64(values))
		diff := make([]float64, len(start[s.Layer]))
		for k := range diff {
			diff[k] = end[s.Layer][k] - start[s.Layer][k]
		}
		ratio := euclidean(diff) / euclidean(start[s.Layer])
		if !closeTo(s.GradRMS, rms, 1e-12) || !closeTo(s.UpdateRatio, ratio, 1e-12) {
			t.Errorf("epoch %d, %s: gradient RMS %g, update ratio %g; computed from the gradients and weights %g, %g",
				m.Epoch, s.Layer, s.GradRMS, s.UpdateRatio, rms, ratio)
		}
		if rms == 0 || ratio == 0 {
			t.Errorf("epoch %d, %s: a zero figure (RMS %g, ratio %g) checks nothing", m.Epoch, s.Layer, rms, ratio)
		}
	}
}

// byLayer returns, per layer name, the concatenation of what get gives
// for each of its parameters ("conv1.weight", "conv1.bias" → "conv1").
func byLayer(n *Network, get func(p *Param) []float64) map[string][]float64 {
	out := map[string][]float64{}
	for _, p := range n.Params() {
		layer, _, _ := strings.Cut(p.Name, ".")
		out[layer] = append(out[layer], get(p)...)
	}
	return out
}

func snapshot(n *Network) map[string][]float64 {
	return byLayer(n, func(p *Param) []float64 { return p.Value })
}

// euclidean returns ‖v‖ by math.Hypot, which scales as it goes.
func euclidean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s = math.Hypot(s, x)
	}
	return s
}

func closeTo(a, b, rel float64) bool { return math.Abs(a-b) <= rel*math.Abs(b) }

// RMS is √(Σv²/n), 0 for no values.
func TestRMS(t *testing.T) {
	for _, c := range []struct {
		v    []float64
		want float64
	}{{nil, 0}, {[]float64{3, -4}, math.Sqrt(12.5)}, {[]float64{-2}, 2}} {
		if got := RMS(c.v); got != c.want {
			t.Errorf("RMS(%v) = %v, want %v", c.v, got, c.want)
		}
	}
}
