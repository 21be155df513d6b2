package runner

import (
	"math"
	"testing"

	"convlab/nn"
)

// A step from the start of a mini-batch is explained, after its Progress:
// the loss falls, every tensor is reported, Momentum's first velocity is
// its update, and the first image's gradient reaches every stage.
func TestStepIsExplained(t *testing.T) {
	e := NewEngine(testLibrary(t))
	events := drive(t, e, 10, Configure{Run: 1, Settings: short(nn.OptimizerMomentum, 25, 1, 10)}, Step{})
	ex := eventsOf[StepExplained](events)
	if len(ex) != 1 {
		t.Fatalf("a step gave %d explanations, want 1", len(ex))
	}
	s := ex[0]
	if s.Epoch != 1 || s.Batch != 1 || s.Images != 25 || s.StateName != "velocity" {
		t.Errorf("explained epoch %d batch %d, %d images, state %q; want 1, 1, 25, velocity", s.Epoch, s.Batch, s.Images, s.StateName)
	}
	if p := eventsOf[Progress](events); len(p) != 1 || p[0].Batches[0].Loss != s.LossBefore {
		t.Errorf("progress %+v, want one batch of loss %v", p, s.LossBefore)
	}
	if !(s.LossAfter < s.LossBefore) {
		t.Errorf("the step raised the batch's loss from %v to %v", s.LossBefore, s.LossAfter)
	}
	if len(s.Tensors) != 8 || s.Tensors[0].Name != "conv1.weight" {
		t.Fatalf("tensors %+v, want the network's 8", s.Tensors)
	}
	for _, ts := range s.Tensors {
		// From zero, v = −η·g and w ← w + v: Δw is v up to rounding.
		if !(ts.Gradient > 0) || math.Abs(ts.Update-ts.State) > 1e-12*ts.State || math.Abs(ts.Update-0.001*ts.Gradient) > 1e-9*ts.Update {
			t.Errorf("%s: gradient %v, update %v, velocity %v; want update = velocity = η·gradient", ts.Name, ts.Gradient, ts.Update, ts.State)
		}
	}
	if len(s.FirstGradient) != 7 || s.FirstGradient[0].Stage != "input" || !(s.FirstGradient[6].RMS > 0) {
		t.Errorf("first image's gradients %+v", s.FirstGradient)
	}
}

// A step that finishes a mini-batch a pause interrupted is not explained:
// part of the batch's gradient was taken before it.
func TestStepMidBatchIsNotExplained(t *testing.T) {
	e := NewEngine(testLibrary(t))
	e.Handle(Configure{Run: 1, Settings: short(nn.OptimizerSGD, 25, 1, 10)})
	e.Handle(Start{})
	e.Work(0) // 10 images of the first mini-batch
	e.Handle(Pause{})
	e.TakeEvents()
	events := drive(t, e, 10, Step{})
	if ex := eventsOf[StepExplained](events); len(ex) != 0 {
		t.Errorf("the rest of an interrupted batch was explained: %+v", ex)
	}
	if p := eventsOf[Progress](events); len(p) != 1 || p[0].ImagesTrained != 25 {
		t.Errorf("progress %+v, want the batch of 25 completed", p)
	}
}
