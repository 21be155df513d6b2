package nn

import (
	"math"
	"runtime"
	"testing"
)

// TestFingerprint trains a short, fixed run and logs its final loss and
// weight sums at full precision. Run natively and under WebAssembly
// (make crosscheck) it measures how far the two builds drift apart:
// math.Exp and gonum's BLAS run assembly on amd64 and portable Go under
// WebAssembly, so the results may differ in the last bits.
func TestFingerprint(t *testing.T) {
	train, test := homeworkData(t, 20, 5)
	cfg := Config{Optimizer: DefaultOptimizer("rmsprop"), BatchSize: 10, Epochs: 2, Seed: 3}
	tr, err := NewTrainer(NewHomework(cfg.Seed), train, test, cfg)
	if err != nil {
		t.Fatal(err)
	}
	runToEnd(t, tr)
	last := tr.History()[len(tr.History())-1]
	t.Logf("fingerprint %s/%s trainLoss %.17g", runtime.GOOS, runtime.GOARCH, last.Train.Loss)
	t.Logf("fingerprint %s/%s testLoss %.17g", runtime.GOOS, runtime.GOARCH, last.Test.Loss)
	for _, p := range tr.Network().Params() {
		s := 0.0
		for _, v := range p.Value {
			s += math.Abs(v)
		}
		t.Logf("fingerprint %s/%s %s %.17g", runtime.GOOS, runtime.GOARCH, p.Name, s)
	}
}
