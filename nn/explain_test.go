package nn

import (
	"errors"
	"math"
	"slices"
	"testing"
)

// explainTrainer returns a trainer of the homework network on a small
// set with the given optimizer and mini-batches of 13 (two chunks).
func explainTrainer(t *testing.T, kind OptimizerKind) *Trainer {
	t.Helper()
	train, test := homeworkData(t, 5, 1)
	cfg := Config{Optimizer: DefaultOptimizer(kind), BatchSize: 13, Epochs: 2, Seed: 9}
	tr, err := NewTrainer(NewHomework(9), train, test, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// TestExplainStepFollowsTheUpdateRule checks each optimizer's report: the
// update is the rule applied to the reported gradient and state, the
// loss before is the batch's loss with the old weights, and the step
// lowers it.
func TestExplainStepFollowsTheUpdateRule(t *testing.T) {
	for _, kind := range OptimizerKinds() {
		t.Run(kind.String(), func(t *testing.T) {
			tr := explainTrainer(t, kind)
			first, err := tr.ExplainStep()
			if err != nil {
				t.Fatal(err)
			}
			r, err := tr.ExplainStep() // the second step: the state is no longer zero
			if err != nil {
				t.Fatal(err)
			}
			if r.Epoch != 1 || r.Batch != 2 || r.Images != 13 {
				t.Errorf("epoch %d batch %d of %d images, want epoch 1, batch 2 of 13", r.Epoch, r.Batch, r.Images)
			}
			if !(r.LossAfter < r.LossBefore) {
				t.Errorf("the step raised the batch's loss from %v to %v", r.LossBefore, r.LossAfter)
			}
			c := tr.cfg.Optimizer
			worst := 0.0
			for _, p := range tr.net.Params() {
				g, d := r.Gradient[p.Name], r.Update[p.Name]
				for j := range g {
					var want float64
					switch kind {
					case OptimizerSGD:
						want = -c.LearningRate * g[j]
					case OptimizerMomentum:
						want = c.Momentum*first.State[p.Name][j] - c.LearningRate*g[j]
						if v := r.State[p.Name][j]; v != want {
							t.Fatalf("%s[%d]: velocity %v, want α·v − η·g = %v", p.Name, j, v, want)
						}
					case OptimizerRMSProp:
						s := c.Rho*first.State[p.Name][j] + (1-c.Rho)*g[j]*g[j]
						if got := r.State[p.Name][j]; got != s {
							t.Fatalf("%s[%d]: mean square %v, want ρ·s + (1−ρ)·g² = %v", p.Name, j, got, s)
						}
						want = -c.LearningRate * g[j] / (math.Sqrt(s) + c.Epsilon)
					}
					// Δw is w+u−w, exact up to the rounding of w+u.
					e := math.Abs(d[j] - want)
					if e > 1e-15*math.Max(1, math.Abs(p.Value[j])) {
						t.Fatalf("%s[%d]: update %v, the rule gives %v", p.Name, j, d[j], want)
					}
					worst = max(worst, e)
				}
			}
			if names := map[OptimizerKind]string{OptimizerMomentum: "velocity", OptimizerRMSProp: "mean square"}; r.StateName != names[kind] {
				t.Errorf("state named %q, want %q", r.StateName, names[kind])
			}
			if r.First == nil || r.First.Target != r.FirstLabel || r.FirstLabel != tr.train.Labels[r.FirstIndex] {
				t.Errorf("first image: %+v, label %d, index %d", r.First != nil, r.FirstLabel, r.FirstIndex)
			}
			t.Logf("loss %.4f → %.4f; largest |Δw − rule| %.2g", r.LossBefore, r.LossAfter, worst)
		})
	}
}

// TestExplainStepTrainsAsWorkDoes checks that a run whose steps are
// explained goes on bit for bit as one trained by Work alone, and that
// the first image's backward pass used the weights before the step.
func TestExplainStepTrainsAsWorkDoes(t *testing.T) {
	plain, explained := explainTrainer(t, OptimizerMomentum), explainTrainer(t, OptimizerMomentum)
	var firsts []*StepReport
	for range 4 { // past the end of the first epoch (50 images, 4 batches)
		before := NewHomework(0)
		for i, p := range explained.net.Params() {
			copy(before.Params()[i].Value, p.Value)
		}
		r, err := explained.ExplainStep()
		if err != nil {
			t.Fatal(err)
		}
		want, err := before.Backprop(explained.train.Image(r.FirstIndex), r.FirstLabel)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(r.First.Input, want.Input) {
			t.Fatal("the first image's gradients are not those of the weights before the step")
		}
		if r.Indices[0] != r.FirstIndex || len(r.Indices) != r.Images {
			t.Fatalf("indices %v, first %d, %d images", r.Indices, r.FirstIndex, r.Images)
		}
		images := make([]float64, 0, len(r.Indices)*ImageSize)
		labels := make([]int, 0, len(r.Indices))
		for _, i := range r.Indices {
			images = append(images, explained.train.Image(i)...)
			labels = append(labels, explained.train.Labels[i])
		}
		// The trainer sums the loss chunk by chunk: equal up to rounding.
		if l := CrossEntropy(before.Forward(images, len(labels)), labels, NumClasses, nil); math.Abs(l-r.LossBefore) > 1e-12 {
			t.Errorf("LossBefore %v, the batch's loss with the weights before %v", r.LossBefore, l)
		}
		firsts = append(firsts, r)
		for u := (Unit{}); u.Trained == 0; {
			if u, err = plain.Work(); err != nil {
				t.Fatal(err)
			}
		}
	}
	runToEnd(t, plain)
	runToEnd(t, explained)
	for i, p := range plain.net.Params() {
		if !slices.Equal(p.Value, explained.net.Params()[i].Value) {
			t.Fatalf("%s differs after explained steps", p.Name)
		}
	}
	if _, err := explained.ExplainStep(); !errors.Is(err, ErrNotAtBatchStart) {
		t.Errorf("ExplainStep on a finished run: %v, want ErrNotAtBatchStart", err)
	}
	if firsts[3].Images != 11 {
		t.Errorf("the epoch's last batch had %d images, want 50 − 3·13 = 11", firsts[3].Images)
	}
}
