// Package workload is the fixed work that the browser benchmark
// (wasm/bench) measures and that the browser tests (wasm/browsertest) run
// in the page and natively to compare: the homework network on the first
// images of each class of the bundled MNIST subset, trained with Momentum
// from seed 1.
package workload

import (
	"fmt"
	"math"
	"time"

	"convlab/assets"
	"convlab/nn"
)

// Data returns the first trainPer training and testPer test images of each
// class of the bundled subset.
func Data(trainPer, testPer int) (train, test *nn.Data, err error) {
	train, err = subset(assets.Train, trainPer)
	if err != nil {
		return nil, nil, fmt.Errorf("training images: %w", err)
	}
	test, err = subset(assets.Test, testPer)
	if err != nil {
		return nil, nil, fmt.Errorf("test images: %w", err)
	}
	return train, test, nil
}

func subset(set func() (*assets.Dataset, error), perClass int) (*nn.Data, error) {
	all, err := set()
	if err != nil {
		return nil, err
	}
	sub, err := all.FirstPerClass(perClass)
	if err != nil {
		return nil, err
	}
	return nn.NewData(sub.Pixels, sub.Labels)
}

// config is the benchmark's training setup: the homework's Momentum
// (η = 0.001, α = 0.9), seed 1.
func config(batch, epochs int) nn.Config {
	return nn.Config{Optimizer: nn.DefaultOptimizer(nn.OptimizerMomentum), BatchSize: batch, Epochs: epochs, Seed: 1}
}

// Speed is one measurement of an epoch.
type Speed struct {
	Batch int `json:"batch"`
	// Train is the images per second of the epoch's training: forward,
	// backward and update, mini-batch by mini-batch, as the trainer does it.
	Train float64 `json:"train"`
	// Inference is the images per second of the end-of-epoch evaluation
	// that follows (forward only, training and test set).
	Inference float64 `json:"inference"`
	SIMD      bool    `json:"simd"` // whether the SIMD kernels ran
}

// Measure trains a fresh network for one epoch of train in mini-batches of
// batch images and evaluates it on train and test, timing both phases.
func Measure(train, test *nn.Data, batch int) (Speed, error) {
	tr, err := nn.NewTrainer(nn.NewHomework(1), train, test, config(batch, 1))
	if err != nil {
		return Speed{}, err
	}
	trainTime, err := timePhase(tr, nn.PhaseTraining)
	if err != nil {
		return Speed{}, err
	}
	evalTime, err := timePhase(tr, nn.PhaseEvaluating)
	if err != nil {
		return Speed{}, err
	}
	return Speed{
		Batch:     batch,
		Train:     float64(train.Len()) / trainTime.Seconds(),
		Inference: float64(train.Len()+test.Len()) / evalTime.Seconds(),
		SIMD:      nn.SIMD(),
	}, nil
}

// timePhase runs the trainer's units while it is in phase p.
func timePhase(tr *nn.Trainer, p nn.Phase) (time.Duration, error) {
	start := time.Now()
	for tr.Phase() == p {
		if _, err := tr.Work(); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}

// Epoch is what a run reports after each epoch. Its float64 fields carry
// IEEE bit patterns (math.Float64bits) so that two runs can be compared
// exactly whatever prints or transports them.
type Epoch struct {
	TrainLoss, TestLoss   uint64
	TrainError, TestError uint64
	Predicted             []int    // the predicted class of every test image
	WeightSums            []uint64 // Σ|w| of each parameter tensor, in order
}

// Run trains the network for epochs epochs of train in mini-batches of
// batch images and returns each epoch's results.
func Run(train, test *nn.Data, batch, epochs int) ([]Epoch, error) {
	tr, err := nn.NewTrainer(nn.NewHomework(1), train, test, config(batch, epochs))
	if err != nil {
		return nil, err
	}
	var out []Epoch
	for tr.Phase() == nn.PhaseTraining || tr.Phase() == nn.PhaseEvaluating {
		u, err := tr.Work()
		if err != nil {
			return nil, err
		}
		if m := u.EpochDone; m != nil {
			e := Epoch{
				TrainLoss: math.Float64bits(m.Train.Loss), TestLoss: math.Float64bits(m.Test.Loss),
				TrainError: math.Float64bits(m.Train.Error), TestError: math.Float64bits(m.Test.Error),
				Predicted: m.Test.Predicted,
			}
			for _, p := range tr.Network().Params() {
				s := 0.0
				for _, v := range p.Value {
					s += math.Abs(v)
				}
				e.WeightSums = append(e.WeightSums, math.Float64bits(s))
			}
			out = append(out, e)
		}
	}
	return out, nil
}
