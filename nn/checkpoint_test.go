package nn

import (
	"reflect"
	"strings"
	"testing"
)

// TestResumeIsBitIdentical trains runs of each optimizer straight through,
// and again stopping after every epoch to continue from a checkpoint in a
// fresh network and trainer; the metrics and weights must match bit for
// bit. The batch size does not divide the training set, so the last,
// smaller mini-batch of each epoch is covered too.
func TestResumeIsBitIdentical(t *testing.T) {
	train, test := homeworkData(t, 12, 5)
	for _, kind := range OptimizerKinds() {
		t.Run(kind.String(), func(t *testing.T) {
			cfg := Config{Optimizer: DefaultOptimizer(kind), BatchSize: 7, Epochs: 3, Seed: 5}
			straight, err := NewTrainer(NewHomework(cfg.Seed), train, test, cfg)
			if err != nil {
				t.Fatal(err)
			}
			runToEnd(t, straight)

			tr, err := NewTrainer(NewHomework(cfg.Seed), train, test, cfg)
			if err != nil {
				t.Fatal(err)
			}
			for tr.Phase() != PhaseFinished {
				trainEpoch(t, tr)
				cp, err := tr.Checkpoint()
				if err != nil {
					t.Fatal(err)
				}
				// A different seed's weights, overwritten by the checkpoint's.
				tr, err = ResumeTrainer(NewHomework(99), train, test, cfg, cp)
				if err != nil {
					t.Fatal(err)
				}
			}
			if !reflect.DeepEqual(tr.History(), straight.History()) {
				t.Errorf("metrics after resuming every epoch differ from a straight run:\n%+v\nwant\n%+v", tr.History(), straight.History())
			}
			for i, p := range tr.Network().Params() {
				if !reflect.DeepEqual(p.Value, straight.Network().Params()[i].Value) {
					t.Errorf("%s differs from the straight run's", p.Name)
				}
			}
		})
	}
}

// trainEpoch works until the trainer stands at the next epoch's end.
func trainEpoch(t *testing.T, tr *Trainer) {
	t.Helper()
	if _, err := tr.Work(); err != nil {
		t.Fatal(err)
	}
	for !tr.AtEpochEnd() {
		if _, err := tr.Work(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCheckpointOnlyBetweenEpochs(t *testing.T) {
	train, test := homeworkData(t, 5, 2)
	cfg := Config{Optimizer: DefaultOptimizer(OptimizerMomentum), BatchSize: 10, Epochs: 1, Seed: 1}
	tr, err := NewTrainer(NewHomework(1), train, test, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Checkpoint(); err != nil {
		t.Errorf("before training: %v, want a checkpoint", err)
	}
	if _, err := tr.Work(); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Checkpoint(); err == nil || !strings.Contains(err.Error(), "not between epochs") {
		t.Errorf("within an epoch: err = %v, want one saying it is not between epochs", err)
	}
}

func TestResumeRejectsMismatchedCheckpoints(t *testing.T) {
	train, test := homeworkData(t, 5, 2)
	cfg := Config{Optimizer: DefaultOptimizer(OptimizerRMSProp), BatchSize: 10, Epochs: 2, Seed: 1}
	tr, err := NewTrainer(NewHomework(1), train, test, cfg)
	if err != nil {
		t.Fatal(err)
	}
	trainEpoch(t, tr)
	good, err := tr.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, want string
		change     func(cp *Checkpoint)
		cfg        Config
	}{
		{"order too short", "training order of 49", func(cp *Checkpoint) { cp.Order = cp.Order[1:] }, cfg},
		{"order repeats", "not a permutation", func(cp *Checkpoint) { cp.Order[0] = cp.Order[1] }, cfg},
		{"weights short", "weights of conv1.weight", func(cp *Checkpoint) { cp.Weights[0] = cp.Weights[0][1:] }, cfg},
		{"state missing", "optimizer state: 0 tensors", func(cp *Checkpoint) { cp.OptimizerState = nil }, cfg},
		{"state for SGD", "optimizer that keeps none", func(*Checkpoint) {},
			Config{Optimizer: DefaultOptimizer(OptimizerSGD), BatchSize: 10, Epochs: 2, Seed: 1}},
		{"past the last epoch", "epoch 3 of a 2-epoch", func(cp *Checkpoint) { cp.Epoch = 3 }, cfg},
		{"history short", "holds 0 epochs", func(cp *Checkpoint) { cp.History = nil }, cfg},
		{"shuffle state", "shuffling state", func(cp *Checkpoint) { cp.Shuffle = cp.Shuffle[:3] }, cfg},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cp := cloneCheckpoint(good)
			tt.change(cp)
			_, err := ResumeTrainer(NewHomework(1), train, test, tt.cfg, cp)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func cloneCheckpoint(cp *Checkpoint) *Checkpoint {
	c := *cp
	c.Order = append([]int(nil), cp.Order...)
	c.Shuffle = append([]byte(nil), cp.Shuffle...)
	c.Weights = make([][]float64, len(cp.Weights))
	for i, w := range cp.Weights {
		c.Weights[i] = append([]float64(nil), w...)
	}
	c.History = append([]EpochMetrics(nil), cp.History...)
	return &c
}
