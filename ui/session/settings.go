// Package session runs one ConvLab training session for the dashboard and
// the page's JavaScript handle: the settings (read from a URL query), the
// data subsets, the network and its trainer, time-sliced progress, the
// live loss curve, throughput, and the t-SNE maps of the bottleneck after
// the first and the last epoch. It draws nothing and never blocks for
// long, so the browser's single thread stays free for frames.
package session

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"convlab/assets"
	"convlab/nn"
)

// Settings are the user's choices for a run. The URL query keys are given
// in brackets.
type Settings struct {
	Optimizer     string  `json:"optimizer"`     // [opt] sgd, momentum or rmsprop
	LearningRate  float64 `json:"learningRate"`  // [lr] η
	BatchSize     int     `json:"batchSize"`     // [batch]
	Epochs        int     `json:"epochs"`        // [epochs]
	TrainPerClass int     `json:"trainPerClass"` // [perclass] training images per class
	TestPerClass  int     `json:"testPerClass"`  // [testper] test images per class
	Seed          uint64  `json:"seed"`          // [seed] initialisation and shuffling
}

// Accepted ranges. MaxEpochs is the dashboard's own limit, stricter than
// the trainer's nn.MaxEpochs.
const (
	MinLearningRate = 1e-6
	MaxLearningRate = 1.0
	MaxEpochs       = 100
	MinTrainPer     = 10
	MaxSeed         = 999_999_999
)

// Defaults returns the homework's settings: Momentum, η = 0.001, batches of
// 10, 15 epochs, 100 training and 10 test images per class, seed 1.
func Defaults() Settings {
	return Settings{Optimizer: "momentum", LearningRate: nn.DefaultLearningRate, BatchSize: 10,
		Epochs: 15, TrainPerClass: assets.DefaultTrainPerClass, TestPerClass: assets.DefaultTestPerClass, Seed: 1}
}

// Problem is one query value that could not be used as given.
type Problem struct {
	Key, Value, Reason string
	Outcome            string // what is used instead, such as "keeping 0.001"
}

// Error describes the problem: the key, its value, what is accepted and
// what is used instead.
func (p Problem) Error() string {
	return fmt.Sprintf("%s=%q: %s; %s", p.Key, p.Value, p.Reason, p.Outcome)
}

// FromQuery reads settings from a URL query over the defaults. A value
// that is missing keeps the default; one that is invalid also keeps the
// default and is reported as a Problem that names the accepted range.
// Unknown keys are ignored.
func FromQuery(q url.Values) (Settings, []Problem) {
	return Apply(Defaults(), q)
}

// Apply is FromQuery over the settings base instead of the defaults.
func Apply(base Settings, q url.Values) (Settings, []Problem) {
	s := base
	var problems []Problem
	set := func(key string, parse func(string) error) {
		v, ok := q[key]
		if !ok || len(v) == 0 {
			return
		}
		raw := strings.TrimSpace(v[len(v)-1])
		if err := parse(raw); err != nil {
			problems = append(problems, Problem{Key: key, Value: raw, Reason: err.Error(),
				Outcome: "keeping " + s.Query().Get(key)})
		}
	}
	set("opt", func(v string) error {
		v = strings.ToLower(v)
		if !slices.Contains(nn.OptimizerKinds(), v) {
			return fmt.Errorf("want one of %s", strings.Join(nn.OptimizerKinds(), ", "))
		}
		s.Optimizer = v
		return nil
	})
	set("lr", func(v string) error {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || f < MinLearningRate || f > MaxLearningRate {
			return fmt.Errorf("want a number from %g to %g", MinLearningRate, MaxLearningRate)
		}
		s.LearningRate = f
		return nil
	})
	set("perclass", intIn(&s.TrainPerClass, MinTrainPer, assets.MaxTrainPerClass))
	set("testper", intIn(&s.TestPerClass, 1, assets.MaxTestPerClass))
	set("epochs", intIn(&s.Epochs, 1, MaxEpochs))
	// The batch may be as large as the training set, which depends on perclass.
	set("batch", intIn(&s.BatchSize, 1, s.TrainSize()))
	set("seed", func(v string) error {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil || n > MaxSeed {
			return fmt.Errorf("want a whole number from 0 to %d", MaxSeed)
		}
		s.Seed = n
		return nil
	})
	if s.BatchSize > s.TrainSize() {
		problems = append(problems, Problem{Key: "batch", Value: strconv.Itoa(s.BatchSize),
			Reason:  fmt.Sprintf("larger than the %d training images", s.TrainSize()),
			Outcome: fmt.Sprintf("using %d", s.TrainSize())})
		s.BatchSize = s.TrainSize()
	}
	return s, problems
}

func intIn(dst *int, lo, hi int) func(string) error {
	return func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("want a whole number from %d to %d", lo, hi)
		}
		*dst = n
		return nil
	}
}

// Validate reports the first setting outside its accepted range.
func (s Settings) Validate() error {
	switch {
	case !slices.Contains(nn.OptimizerKinds(), s.Optimizer):
		return fmt.Errorf("optimizer %q is not one of %s", s.Optimizer, strings.Join(nn.OptimizerKinds(), ", "))
	case math.IsNaN(s.LearningRate) || s.LearningRate < MinLearningRate || s.LearningRate > MaxLearningRate:
		return fmt.Errorf("learning rate %g is not between %g and %g", s.LearningRate, MinLearningRate, MaxLearningRate)
	case s.TrainPerClass < MinTrainPer || s.TrainPerClass > assets.MaxTrainPerClass:
		return fmt.Errorf("training images per class %d is not between %d and %d", s.TrainPerClass, MinTrainPer, assets.MaxTrainPerClass)
	case s.TestPerClass < 1 || s.TestPerClass > assets.MaxTestPerClass:
		return fmt.Errorf("test images per class %d is not between 1 and %d", s.TestPerClass, assets.MaxTestPerClass)
	case s.Epochs < 1 || s.Epochs > MaxEpochs:
		return fmt.Errorf("epochs %d is not between 1 and %d", s.Epochs, MaxEpochs)
	case s.BatchSize < 1 || s.BatchSize > s.TrainSize():
		return fmt.Errorf("mini-batch size %d is not between 1 and the %d training images", s.BatchSize, s.TrainSize())
	case s.Seed > MaxSeed:
		return fmt.Errorf("seed %d is larger than %d", s.Seed, MaxSeed)
	}
	return nil
}

// TrainSize is the number of training images, ten classes' worth.
func (s Settings) TrainSize() int { return nn.NumClasses * s.TrainPerClass }

// Query encodes the settings as a URL query, for a link to share.
func (s Settings) Query() url.Values {
	return url.Values{
		"opt": {s.Optimizer}, "lr": {strconv.FormatFloat(s.LearningRate, 'g', -1, 64)},
		"batch": {strconv.Itoa(s.BatchSize)}, "epochs": {strconv.Itoa(s.Epochs)},
		"perclass": {strconv.Itoa(s.TrainPerClass)}, "testper": {strconv.Itoa(s.TestPerClass)},
		"seed": {strconv.FormatUint(s.Seed, 10)},
	}
}

// TrainerConfig turns the settings into the trainer's configuration, with
// the homework's α = 0.9 and ρ = 0.9.
func (s Settings) TrainerConfig() nn.Config {
	opt := nn.DefaultOptimizer(s.Optimizer)
	opt.LearningRate = s.LearningRate
	return nn.Config{Optimizer: opt, BatchSize: s.BatchSize, Epochs: s.Epochs, Seed: s.Seed}
}
