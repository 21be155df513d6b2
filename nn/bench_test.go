package nn

import (
	"testing"
	"time"
)

// The forward and backward pass of one image costs about 0.42 M
// multiply-adds. These benchmarks report images per second for one
// training step (forward, loss, backward, Momentum update) and for the
// prediction of one image.
//
// Natively they run the Go loops: `make bench` (one core). Under
// WebAssembly they run the SIMD kernels, or the Go loops with
// CONVLAB_SIMD=off: `make kernels && GOOS=js GOARCH=wasm go test
// -exec="$PWD/nn/simd/node_exec" -run '^$' -bench . ./nn/`. Recorded in the
// README at commit bbec2d5 (2-core shared machine, Node.js 20): natively
// about 5,500–6,000 images/s at batch 10 and 50; under Node.js, SIMD
// kernels / Go loops, batch 10 about 12,500 / 1,700 images/s and
// BenchmarkEvaluate about 33,000 / 3,600 images/s.

func benchmarkTrainingStep(b *testing.B, batch int) {
	train, test := homeworkData(b, 100, 10)
	cfg := Config{Optimizer: DefaultOptimizer(OptimizerMomentum), BatchSize: batch, Epochs: 1, Seed: 1}
	tr, err := NewTrainer(NewHomework(1), train, test, cfg)
	if err != nil {
		b.Fatal(err)
	}
	images := 0
	start := time.Now()
	for b.Loop() {
		// Repeat the epoch's first mini-batch; Work never reaches the
		// end-of-epoch evaluation, which is not part of a training step.
		for {
			u, err := tr.Work()
			if err != nil {
				b.Fatal(err)
			}
			if u.Trained > 0 {
				break
			}
		}
		tr.pos = 0
		images += batch
	}
	b.ReportMetric(float64(images)/time.Since(start).Seconds(), "images/s")
}

func BenchmarkTrainStepBatch10(b *testing.B) { benchmarkTrainingStep(b, 10) }
func BenchmarkTrainStepBatch50(b *testing.B) { benchmarkTrainingStep(b, 50) }

func BenchmarkPredict(b *testing.B) {
	train, _ := homeworkData(b, 1, 1)
	net := NewHomework(1)
	img := train.Image(0)
	start := time.Now()
	n := 0
	for b.Loop() {
		if _, err := net.Predict(img); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "images/s")
}

// BenchmarkEvaluate reports images per second of the end-of-epoch
// evaluation of 1,100 images, in the trainer's chunks of 25.
func BenchmarkEvaluate(b *testing.B) {
	train, test := homeworkData(b, 100, 10)
	net := NewHomework(1)
	start := time.Now()
	n := 0
	for b.Loop() {
		Evaluate(net, train, evalChunk)
		Evaluate(net, test, evalChunk)
		n += train.Len() + test.Len()
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "images/s")
}

// BenchmarkLayerStats reports the time the trainer's per-layer figures
// add to one mini-batch: a pass over every gradient (observe), and one
// epoch's end (epochEnd, a pass over the weights and a copy of them)
// spread over the homework epoch's 100 mini-batches. Compare with
// BenchmarkTrainStepBatch10's time per mini-batch.
func BenchmarkLayerStats(b *testing.B) {
	net := NewHomework(1)
	for _, p := range net.Params() {
		for i := range p.Grad {
			p.Grad[i] = float64(i%7) - 3
		}
	}
	m := newLayerStatsMeter(net)
	const batchesPerEpoch = 100
	for b.Loop() {
		for range batchesPerEpoch {
			m.observe()
		}
		m.epochEnd()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batchesPerEpoch), "ns/mini-batch")
}
