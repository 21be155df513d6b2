package nn

import "errors"

// StepReport explains one mini-batch update: what the batch's loss was
// before and after it, the gradient the optimizer was given, the update it
// made and the state it keeps, and the backward pass of the batch's first
// image.
type StepReport struct {
	Epoch, Batch int   // 1-based epoch and mini-batch within it
	Images       int   // images in the mini-batch
	Indices      []int // their indices in the training set, in the order trained
	// LossBefore and LossAfter are the batch's mean cross-entropy with
	// the weights before and after the update.
	LossBefore, LossAfter float64
	// Gradient holds, by parameter name, the batch's mean gradient: what
	// the optimizer was given.
	Gradient map[string][]float64
	// Update holds, by parameter name, the change the update made, Δw =
	// w_after − w_before.
	Update map[string][]float64
	// State holds, by parameter name, the optimizer's state after the
	// update: Momentum's velocity v or RMSProp's running mean of squares
	// s (see StateName); nil for SGD, which keeps none.
	State     map[string][]float64
	StateName string // "velocity", "mean square", or empty
	// First is the backward pass of the batch's first image for its
	// label, with the weights before the update.
	First      *Backprop
	FirstLabel int
	FirstIndex int // its index in the training set
}

// ErrNotAtBatchStart is returned by ExplainStep when the trainer is not at
// the start of a mini-batch of training.
var ErrNotAtBatchStart = errors.New("nn: a step can be explained only at the start of a mini-batch, while training")

// ExplainStep trains the next mini-batch, exactly as Work does unit by
// unit (so the run goes on bit for bit as it would have), and reports
// what the step did. It costs, besides the step, a forward pass of the
// batch for LossAfter and one backward pass for the first image.
func (t *Trainer) ExplainStep() (*StepReport, error) {
	if !t.AtBatchStart() {
		return nil, ErrNotAtBatchStart
	}
	params := t.net.Params()
	before := make([][]float64, len(params))
	for i, p := range params {
		before[i] = append([]float64(nil), p.Value...)
	}
	epoch, start := t.epoch, t.pos
	done, _ := t.BatchInEpoch()
	var u Unit
	for u.Trained == 0 {
		var err error
		if u, err = t.Work(); err != nil {
			return nil, err // a DivergedError, as Work's
		}
	}
	r := &StepReport{Epoch: epoch + 1, Batch: done + 1, Images: u.Trained, LossBefore: u.BatchLoss,
		Gradient: make(map[string][]float64), Update: make(map[string][]float64)}
	batch := t.order[start : start+u.Trained]
	r.Indices = append([]int(nil), batch...)
	r.LossAfter = t.batchLossNow(batch)
	for i, p := range params {
		r.Gradient[p.Name] = append([]float64(nil), p.Grad...)
		d := make([]float64, len(p.Value))
		for j, v := range p.Value {
			d[j] = v - before[i][j]
		}
		r.Update[p.Name] = d
	}
	r.State, r.StateName = stateCopy(t.opt, params)
	r.FirstIndex, r.FirstLabel = batch[0], t.train.Labels[batch[0]]
	var err error
	r.First, err = t.withWeights(before, func() (*Backprop, error) {
		return t.net.Backprop(t.train.Image(batch[0]), r.FirstLabel)
	})
	return r, err
}

// AtBatchStart reports whether the trainer will next train the first
// chunk of a mini-batch: where ExplainStep can explain a step.
func (t *Trainer) AtBatchStart() bool { return t.phase == PhaseTraining && t.inBatch == 0 }

// batchLossNow returns the mean loss of the training images indices with
// the current weights, in chunks of at most maxChunk images.
func (t *Trainer) batchLossNow(indices []int) float64 {
	total := 0.0
	for s := 0; s < len(indices); s += maxChunk {
		c := indices[s:min(s+maxChunk, len(indices))]
		t.gatherBatch(c)
		total += CrossEntropy(t.net.Forward(t.batchImages, len(c)), t.batchLabels, NumClasses, nil) * float64(len(c))
	}
	return total / float64(len(indices))
}

// withWeights runs f with the network's weights set to values, and puts
// the current ones back after.
func (t *Trainer) withWeights(values [][]float64, f func() (*Backprop, error)) (*Backprop, error) {
	params := t.net.Params()
	now := make([][]float64, len(params))
	for i, p := range params {
		now[i], p.Value = p.Value, values[i]
	}
	defer func() {
		for i, p := range params {
			p.Value = now[i]
		}
	}()
	return f()
}

// stateCopy copies the per-weight state an optimizer keeps
// (optimizerState), by parameter name, and names it.
func stateCopy(o Optimizer, params []*Param) (map[string][]float64, string) {
	st := optimizerState(o)
	if st == nil {
		return nil, ""
	}
	name := "velocity"
	if o.Kind() == OptimizerRMSProp {
		name = "mean square"
	}
	out := make(map[string][]float64, len(params))
	for _, p := range params {
		out[p.Name] = append([]float64(nil), (*st)[p]...)
	}
	return out, name
}
