package nn

import (
	"errors"
	"fmt"
	"math/rand/v2"
)

// Checkpoint is a trainer's whole state at the end of an epoch: enough to
// go on training later, in another process or another browser session,
// and get the same bits as a run that was never interrupted. Besides the
// weights that takes the optimizer's per-weight state (Momentum's
// velocities, RMSProp's running mean squares), the shuffling source's
// state and the order it left the training set in (each epoch shuffles
// the previous epoch's order, not a fresh one), and the metrics so far,
// which the stall detector judges against.
type Checkpoint struct {
	// Epoch is the number of completed epochs, 0 before training.
	Epoch int
	// Weights holds every parameter's values, in the order of
	// Network.Params.
	Weights [][]float64
	// OptimizerState holds the optimizer's per-weight state, one slice per
	// parameter in the same order: Momentum's v, RMSProp's s; empty for SGD.
	OptimizerState [][]float64
	// Shuffle is the shuffling source's state (rand.PCG's MarshalBinary).
	Shuffle []byte
	// Order is the training set's order as the last epoch shuffled it.
	Order []int
	// History holds the metrics of the completed epochs, oldest first.
	History []EpochMetrics
	// Stalled is the stall detector's judgement after the last epoch.
	Stalled *StallWarning
}

// AtEpochEnd reports whether the trainer stands between epochs (or before
// the first, or after the last), where Checkpoint can be taken.
func (t *Trainer) AtEpochEnd() bool {
	return (t.phase == PhaseTraining && t.pos == 0 && t.inBatch == 0) || t.phase == PhaseFinished
}

// Checkpoint returns a copy of the trainer's state. It is only defined
// between epochs (AtEpochEnd): within one, the gradients of a half-done
// mini-batch and a half-done evaluation would be state too.
func (t *Trainer) Checkpoint() (*Checkpoint, error) {
	if !t.AtEpochEnd() {
		return nil, fmt.Errorf("checkpoint: the trainer is %s within epoch %d, not between epochs", t.phase, t.epoch+1)
	}
	shuffle, err := t.shuffle.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	params := t.net.Params()
	cp := &Checkpoint{
		Epoch:   t.epoch,
		Weights: make([][]float64, len(params)),
		Shuffle: shuffle,
		Order:   append([]int(nil), t.order...),
		History: append([]EpochMetrics(nil), t.history...),
		Stalled: t.stalled,
	}
	for i, p := range params {
		cp.Weights[i] = append([]float64(nil), p.Value...)
	}
	if st := optimizerState(t.opt); st != nil {
		cp.OptimizerState = make([][]float64, len(params))
		for i, p := range params {
			cp.OptimizerState[i] = append(make([]float64, 0, len(p.Value)), state(st, p)...)
		}
	}
	return cp, nil
}

// ResumeTrainer returns a trainer that goes on from cp, training net on
// train and measuring on test with cfg, which must be the settings and
// data the checkpoint's run had (Order must be a permutation of the
// training set). It overwrites net's weights with cp's.
func ResumeTrainer(net *Network, train, test *Data, cfg Config, cp *Checkpoint) (*Trainer, error) {
	t, err := NewTrainer(net, train, test, cfg)
	if err != nil {
		return nil, err
	}
	if err := t.restore(cp); err != nil {
		return nil, fmt.Errorf("resuming from a checkpoint: %w", err)
	}
	return t, nil
}

// restore loads cp into a trainer fresh from NewTrainer.
func (t *Trainer) restore(cp *Checkpoint) error {
	switch {
	case cp == nil:
		return errors.New("no checkpoint")
	case cp.Epoch < 0 || cp.Epoch > t.cfg.Epochs:
		return fmt.Errorf("checkpoint after epoch %d of a %d-epoch run", cp.Epoch, t.cfg.Epochs)
	case len(cp.History) != cp.Epoch:
		return fmt.Errorf("checkpoint after epoch %d holds %d epochs of metrics", cp.Epoch, len(cp.History))
	}
	if err := checkPermutation(cp.Order, t.train.Len()); err != nil {
		return err
	}
	params := t.net.Params()
	if err := checkShapes("weights", cp.Weights, params, false); err != nil {
		return err
	}
	st := optimizerState(t.opt)
	if err := checkShapes("optimizer state", cp.OptimizerState, params, st == nil); err != nil {
		return err
	}
	if err := t.shuffle.UnmarshalBinary(cp.Shuffle); err != nil {
		return fmt.Errorf("shuffling state: %w", err)
	}
	for i, p := range params {
		copy(p.Value, cp.Weights[i])
		if st != nil {
			copy(state(st, p), cp.OptimizerState[i])
		}
	}
	copy(t.order, cp.Order)
	t.stats.restart() // the next epoch moves the restored weights
	t.epoch = cp.Epoch
	t.history = append([]EpochMetrics(nil), cp.History...)
	t.stalled = cp.Stalled
	if t.epoch == t.cfg.Epochs {
		t.phase = PhaseFinished
	}
	return nil
}

// optimizerState returns the map of per-weight state that o keeps, or nil
// for an optimizer without one (SGD).
func optimizerState(o Optimizer) *map[*Param][]float64 {
	switch o := o.(type) {
	case *Momentum:
		return &o.velocity
	case *RMSProp:
		return &o.meanSquare
	}
	return nil
}

// checkShapes checks that values holds one slice per parameter, each as
// long as the parameter, or nothing at all where mustBeEmpty.
func checkShapes(what string, values [][]float64, params []*Param, mustBeEmpty bool) error {
	if mustBeEmpty {
		if len(values) != 0 {
			return fmt.Errorf("%s given for an optimizer that keeps none", what)
		}
		return nil
	}
	if len(values) != len(params) {
		return fmt.Errorf("%s: %d tensors for %d parameters", what, len(values), len(params))
	}
	for i, p := range params {
		if len(values[i]) != len(p.Value) {
			return fmt.Errorf("%s of %s: %d values, want %d", what, p.Name, len(values[i]), len(p.Value))
		}
	}
	return nil
}

// checkPermutation checks that order holds each of 0..n−1 once.
func checkPermutation(order []int, n int) error {
	if len(order) != n {
		return fmt.Errorf("training order of %d images for a training set of %d", len(order), n)
	}
	seen := make([]bool, n)
	for _, i := range order {
		if i < 0 || i >= n || seen[i] {
			return fmt.Errorf("training order is not a permutation of the %d training images (index %d)", n, i)
		}
		seen[i] = true
	}
	return nil
}

// newShuffle returns the source a trainer seeded with seed shuffles from.
func newShuffle(seed uint64) *rand.PCG { return rand.NewPCG(seed, 0x73687566666c65) } // "shuffle"
