package session

import (
	"math"
	"reflect"
	"testing"
	"time"

	"convlab/nn"
	"convlab/ui/runner"
	"convlab/ui/settings"
)

// The session keeps the weights of every epoch's end, as the trainer had
// them, through the wire format; the latest epoch's checkpoint resumes a
// trainer that ends with the same bits as the run never interrupted.
func TestEveryEpochsWeightsAndTheCheckpointAreKept(t *testing.T) {
	lib, err := runner.LoadLibrary()
	if err != nil {
		t.Fatal(err)
	}
	s := testSettings(t, func(s *settings.Settings) { s.Optimizer, s.Epochs = nn.OptimizerMomentum, 3 })
	sess, err := New(lib, newWireBackend(t, lib), s)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := sess.EpochWeights(1); ok || sess.Checkpoint() != nil {
		t.Fatal("an untrained session has epoch weights or a checkpoint")
	}
	sess.Start()
	var afterOne *nn.Checkpoint
	for ticks := 0; sess.State() == runner.Running || afterOne == nil; ticks++ {
		if ticks == 100000 {
			t.Fatal("the run did not end")
		}
		sess.Tick(time.Millisecond)
		if afterOne == nil && len(sess.History()) == 1 {
			afterOne = sess.Checkpoint()
		}
	}
	runToEnd(t, sess)

	// The trainer, epoch by epoch, natively.
	train, test, err := lib.Sets(s)
	if err != nil {
		t.Fatal(err)
	}
	trainer, err := nn.NewTrainer(nn.NewHomework(s.Seed), train, test, s.TrainerConfig())
	if err != nil {
		t.Fatal(err)
	}
	for epoch := 1; epoch <= s.Epochs; epoch++ {
		for trainer.Epoch() < epoch || !trainer.AtEpochEnd() {
			if _, err := trainer.Work(); err != nil {
				t.Fatal(err)
			}
		}
		got, ok := sess.EpochWeights(epoch)
		if !ok || !sameWeights(got, trainer.Network()) {
			t.Errorf("epoch %d: the kept weights differ from the trainer's (kept: %v)", epoch, ok)
		}
	}
	if _, ok := sess.EpochWeights(s.Epochs + 1); ok {
		t.Error("weights of an epoch that never ran")
	}
	if _, ok := sess.EpochWeights(0); ok {
		t.Error("weights of epoch 0")
	}

	if afterOne == nil || afterOne.Epoch != 1 || len(afterOne.OptimizerState) == 0 {
		t.Fatalf("checkpoint after epoch 1: %+v", afterOne)
	}
	resumed, err := nn.ResumeTrainer(nn.NewHomework(0), train, test, s.TrainerConfig(), afterOne)
	if err != nil {
		t.Fatal(err)
	}
	for resumed.Phase() != nn.PhaseFinished {
		if _, err := resumed.Work(); err != nil {
			t.Fatal(err)
		}
	}
	if !sameWeights(sess.epochWeights[s.Epochs-1], resumed.Network()) {
		t.Error("resumed from epoch 1's checkpoint, the trainer ends with other weights")
	}
	for i, m := range resumed.History() {
		if !equalMetrics(m, sess.History()[i]) {
			t.Errorf("resumed from epoch 1's checkpoint, epoch %d's metrics differ", i+1)
		}
	}
	if cp := sess.Checkpoint(); cp == nil || cp.Epoch != s.Epochs || len(cp.History) != s.Epochs {
		t.Errorf("the finished run's checkpoint: %+v", cp)
	}
}

// sameWeights reports whether values hold net's parameters bit for bit.
func sameWeights(values [][]float64, net *nn.Network) bool {
	params := net.Params()
	if len(values) != len(params) {
		return false
	}
	for i, p := range params {
		if len(values[i]) != len(p.Value) {
			return false
		}
		for j, v := range p.Value {
			if math.Float64bits(v) != math.Float64bits(values[i][j]) {
				return false
			}
		}
	}
	return true
}

// equalMetrics compares two epochs' metrics bit for bit.
func equalMetrics(a, b nn.EpochMetrics) bool {
	return reflect.DeepEqual(a, b) && math.Float64bits(a.Train.Loss) == math.Float64bits(b.Train.Loss) &&
		math.Float64bits(a.Test.Loss) == math.Float64bits(b.Test.Loss)
}
