package nn

import (
	"slices"
	"strings"
	"testing"
)

// trainEpochs runs tr to its end and returns Stalled() after each epoch.
func trainEpochs(t *testing.T, tr *Trainer) []*StallWarning {
	t.Helper()
	var warnings []*StallWarning
	for tr.Phase() == PhaseTraining || tr.Phase() == PhaseEvaluating {
		u, err := tr.Work()
		if err != nil {
			t.Fatal(err)
		}
		if u.EpochDone != nil {
			warnings = append(warnings, tr.Stalled())
		}
	}
	return warnings
}

// With η = 1 every optimizer kills a layer's ReLUs within two epochs and
// accuracy stays at chance; the trainer says so and trains on.
func TestStallWarningAtLearningRateOne(t *testing.T) {
	train, test := homeworkData(t, 20, 2)
	for _, kind := range OptimizerKinds() {
		t.Run(kind.String(), func(t *testing.T) {
			cfg := Config{Optimizer: DefaultOptimizer(kind), BatchSize: 10, Epochs: 4, Seed: 1}
			cfg.Optimizer.LearningRate = 1
			tr, err := NewTrainer(NewHomework(1), train, test, cfg)
			if err != nil {
				t.Fatal(err)
			}
			warnings := trainEpochs(t, tr)
			for i, w := range warnings {
				t.Logf("epoch %d: accuracy %.2f, %v", i+1, tr.History()[i].Train.Accuracy, w)
			}
			if tr.Phase() != PhaseFinished || len(tr.History()) != cfg.Epochs {
				t.Fatalf("phase %v after %d epochs: a stall must not stop training", tr.Phase(), len(tr.History()))
			}
			last := tr.History()[cfg.Epochs-1]
			w := tr.Stalled()
			if w == nil {
				t.Fatalf("no warning after %d epochs at %.0f%% training accuracy", cfg.Epochs, 100*last.Train.Accuracy)
			}
			msg := w.String()
			t.Logf("training accuracy %.0f%%; %s", 100*last.Train.Accuracy, msg)
			if warnings[1] == nil {
				t.Errorf("no warning after epoch 2")
			}
			if w.DeadLayer == "" || tr.Network().Layer(w.DeadLayer) == nil {
				t.Errorf("DeadLayer %q does not name a layer of the network", w.DeadLayer)
			}
			for _, want := range []string{"not learning", "after " + w.DeadLayer, "learning rate 1 ", "such as 0.1"} {
				if !strings.Contains(msg, want) {
					t.Errorf("warning %q does not contain %q", msg, want)
				}
			}
			if w.Epoch != cfg.Epochs || w.LearningRate != 1 {
				t.Errorf("warning for epoch %d at η %g, want epoch %d and η 1", w.Epoch, w.LearningRate, cfg.Epochs)
			}
		})
	}
}

// A healthy run (the homework's Momentum, η = 0.001) gets no warning after
// any epoch.
func TestNoStallWarningWhenLearning(t *testing.T) {
	train, test := homeworkData(t, 20, 2)
	cfg := Config{Optimizer: DefaultOptimizer(OptimizerMomentum), BatchSize: 10, Epochs: 5, Seed: 1}
	tr, err := NewTrainer(NewHomework(1), train, test, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range trainEpochs(t, tr) {
		if w != nil {
			t.Errorf("epoch %d: %s", i+1, w)
		}
	}
	h := tr.History()
	t.Logf("training loss %.3f → %.3f", h[0].Train.Loss, h[len(h)-1].Train.Loss)
}

// A layer whose ReLUs cannot fire is named, and it is the first such layer:
// with conv1 dead, conv2's ReLUs get no input either.
func TestStallWarningNamesTheFirstDeadLayer(t *testing.T) {
	train, test := homeworkData(t, 2, 1)
	for _, layer := range []string{LayerConv1, LayerConv2, LayerHidden} {
		t.Run(layer, func(t *testing.T) {
			net := NewHomework(1)
			ps := net.Layer(layer).Params()
			clear(ps[0].Value) // weights
			for i := range ps[1].Value {
				ps[1].Value[i] = -1 // biases
			}
			cfg := Config{Optimizer: DefaultOptimizer(OptimizerSGD), BatchSize: 5, Epochs: 1, Seed: 1}
			tr, err := NewTrainer(net, train, test, cfg)
			if err != nil {
				t.Fatal(err)
			}
			trainEpochs(t, tr)
			w := tr.Stalled()
			if w == nil || w.DeadLayer != layer || w.Epoch != 1 {
				t.Fatalf("warning %+v, want layer %s dead in epoch 1", w, layer)
			}
			if w.FlatEpochs != 0 || strings.Contains(w.String(), "loss") {
				t.Errorf("after one epoch the loss cannot be flat, yet: %s", w)
			}
		})
	}
}

func TestFlatEpochs(t *testing.T) {
	tests := []struct {
		losses []float64
		want   int
	}{
		{[]float64{2.3}, 0},
		{[]float64{2.3, 2.2, 2.1}, 0},
		{[]float64{2.3, 2.4, 2.3}, 2},      // equal is not below
		{[]float64{2.3, 2.4, 2.2, 2.5}, 1}, // counts the latest run only
		{[]float64{2.3, 2.2, 2.4, 2.5, 2.6}, 3},
	}
	for _, tc := range tests {
		h := make([]EpochMetrics, len(tc.losses))
		for i, l := range tc.losses {
			h[i].Epoch, h[i].Train.Loss = i+1, l
		}
		if got := flatEpochs(h); got != tc.want {
			t.Errorf("flatEpochs(%v) = %d, want %d", tc.losses, got, tc.want)
		}
	}
}

// The loss sign alone warns once it has lasted flatEpochsToWarn epochs.
func TestStallWarningForAFlatLoss(t *testing.T) {
	d := &stallDetector{} // a network without ReLUs: only the loss counts
	var h []EpochMetrics
	for i, l := range []float64{2.3, 2.4, 2.35, 2.31, 2.2} {
		h = append(h, EpochMetrics{Epoch: i + 1})
		h[i].Train.Loss = l
		w := d.endEpoch(h, 0.5)
		flat := i >= flatEpochsToWarn && i < 4
		if (w != nil) != flat {
			t.Fatalf("after epoch %d (losses %v): warning %v, want one: %v", i+1, trainLosses(h), w, flat)
		}
		if w != nil {
			msg := w.String()
			for _, want := range []string{"not fallen below epoch 1's 2.300 in 3 epochs", "2.310 after epoch 4", "such as 0.05"} {
				if !strings.Contains(msg, want) {
					t.Errorf("warning %q does not contain %q", msg, want)
				}
			}
		}
	}
}

// trainLosses lists the training losses of a history.
func trainLosses(h []EpochMetrics) []float64 {
	var l []float64
	for _, m := range h {
		l = append(l, m.Train.Loss)
	}
	return l
}

// BenchmarkStallObserveDead measures the detector's worst case, a network
// whose every ReLU outputs 0, so each observation scans every output of a
// 10-image chunk. Compare its ns/image with BenchmarkTrainStepBatch10's
// time per image (images/s).
func BenchmarkStallObserveDead(b *testing.B) {
	net := NewHomework(1)
	for _, p := range net.Params() {
		for i := range p.Value {
			p.Value[i] = -1
		}
	}
	const chunk = 10
	net.Forward(make([]float64, chunk*ImageSize), chunk)
	d := newStallDetector(net)
	if d.observe(); slices.Contains(d.fired, true) {
		b.Fatalf("a ReLU of the dead network fired: %v", d.fired)
	}
	for b.Loop() {
		d.observe()
		clear(d.fired)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*chunk), "ns/image")
}
