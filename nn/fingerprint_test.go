package nn

import (
	"math"
	"runtime"
	"testing"
)

// TestFingerprint trains a short, fixed run twice and requires the two
// fingerprints (final losses and weight sums) to be bit-identical: a run is
// reproducible from its seed. It logs the fingerprint at full precision, so
// that make crosscheck can require a native run and one under WebAssembly
// to be bit-identical too (nn's arithmetic is the same on both: plain
// float64 operations, and its own exp and log instead of math.Exp and
// math.Log, which are amd64 assembly natively).
func TestFingerprint(t *testing.T) {
	first, second := fingerprint(t), fingerprint(t)
	for i := range first {
		if first[i] != second[i] {
			t.Fatalf("fingerprint %s differs between two runs with one seed: %.17g vs %.17g",
				first[i].name, first[i].value, second[i].value)
		}
	}
	for _, f := range first {
		t.Logf("fingerprint %s/%s %s %.17g", runtime.GOOS, runtime.GOARCH, f.name, f.value)
	}
}

type fingerprintEntry struct {
	name  string
	value float64
}

// fingerprint trains 2 epochs of RMSProp on 20 images per class and
// returns the final losses, each parameter's sum of absolute values and
// each layer's gradient RMS and update ratio in the last epoch.
func fingerprint(t *testing.T) []fingerprintEntry {
	train, test := homeworkData(t, 20, 5)
	cfg := Config{Optimizer: DefaultOptimizer(OptimizerRMSProp), BatchSize: 10, Epochs: 2, Seed: 3}
	tr, err := NewTrainer(NewHomework(cfg.Seed), train, test, cfg)
	if err != nil {
		t.Fatal(err)
	}
	runToEnd(t, tr)
	last := tr.History()[len(tr.History())-1]
	out := []fingerprintEntry{{"trainLoss", last.Train.Loss}, {"testLoss", last.Test.Loss}}
	for _, p := range tr.Network().Params() {
		s := 0.0
		for _, v := range p.Value {
			s += math.Abs(v)
		}
		out = append(out, fingerprintEntry{p.Name, s})
	}
	for _, l := range last.Layers {
		out = append(out, fingerprintEntry{l.Layer + ".gradRMS", l.GradRMS}, fingerprintEntry{l.Layer + ".updateRatio", l.UpdateRatio})
	}
	return out
}
