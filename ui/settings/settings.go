// Package settings describes a training run's settings once: the Fields
// table gives each setting's URL key, label, accepted range, stepper
// choices and default, and drives URL parsing, the object that
// window.convlab.start() accepts, the dashboard's settings panel and the
// README's table.
//
// The ranges are the one set of limits on what a user may ask for, and
// they are checked once, where settings come in: Apply reads a URL's or a
// script's values and refuses those outside them, and the panel offers
// only values within them. Further in, nothing checks them again; nn
// checks only what training needs (a positive learning rate, α and ρ in
// [0, 1), a batch no larger than the training set), which every accepted
// value satisfies.
package settings

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

// Settings are the user's choices for one run.
type Settings struct {
	Optimizer     nn.OptimizerKind `json:"optimizer"`     // written "sgd", "momentum" or "rmsprop"
	LearningRate  float64          `json:"learningRate"`  // η
	Momentum      float64          `json:"momentum"`      // α, used by Momentum
	Rho           float64          `json:"rho"`           // ρ, used by RMSProp
	BatchSize     int              `json:"batchSize"`     // images per mini-batch
	Epochs        int              `json:"epochs"`        // passes over the training set
	TrainPerClass int              `json:"trainPerClass"` // training images per class
	TestPerClass  int              `json:"testPerClass"`  // test images per class
	Seed          uint64           `json:"seed"`          // initialisation and shuffling
}

// Defaults returns the homework's settings: Momentum, η = 0.001, α = 0.9
// (ρ = 0.9 for RMSProp), batches of 10, 15 epochs, 100 training and 10 test
// images per class, seed 1.
func Defaults() Settings {
	var s Settings
	for _, f := range Fields() {
		f.set(&s, f.Default)
	}
	return s
}

// TrainSize is the number of training images: ten classes' worth, or
// MNIST's 60,000 for "all" (assets.AllPerClass).
func (s Settings) TrainSize() int { return setSize(s.TrainPerClass, assets.FullTrain()) }

// TestSize is the number of test images: ten classes' worth, or MNIST's
// 10,000 for "all".
func (s Settings) TestSize() int { return setSize(s.TestPerClass, assets.FullTest()) }

// setSize is the size of a set of perClass images of each class of full.
func setSize(perClass int, full assets.FullSet) int {
	if perClass == assets.AllPerClass {
		return full.Size()
	}
	return nn.NumClasses * perClass
}

// PerClass writes a number of images per class as the panel, a URL and
// the report say it: the number, or "all" for assets.AllPerClass.
func PerClass(n int) string {
	if n == assets.AllPerClass {
		return allName
	}
	return strconv.Itoa(n)
}

// allName is how "every image of each class" is written.
const allName = "all"

// NeedsFullSet reports whether a run with settings s needs MNIST's full
// files: more images of a class than the bundle holds, of either set.
func (s Settings) NeedsFullSet() bool {
	return s.TrainPerClass > assets.MaxTrainPerClass || s.TestPerClass > assets.MaxTestPerClass
}

// TrainerConfig turns the settings into the trainer's configuration.
func (s Settings) TrainerConfig() nn.Config {
	opt := nn.DefaultOptimizer(s.Optimizer)
	opt.LearningRate, opt.Momentum, opt.Rho = s.LearningRate, s.Momentum, s.Rho
	return nn.Config{Optimizer: opt, BatchSize: s.BatchSize, Epochs: s.Epochs, Seed: s.Seed}
}

// Query encodes the settings as a URL query, for a link to share.
func (s Settings) Query() url.Values {
	q := url.Values{}
	for _, f := range Fields() {
		q.Set(f.Key, f.Format(f.get(s)))
	}
	return q
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

// FromQuery reads settings from a URL query over the defaults; see Apply.
func FromQuery(q url.Values) (Settings, []Problem) { return Apply(Defaults(), q) }

// Apply reads settings from a URL query over base. A value that is missing
// keeps base's; one that is invalid also keeps it and is reported as a
// Problem that names the accepted range. Fields are read in table order,
// so the batch size is checked against the training set the query asks
// for; a base batch size larger than that set is reduced to its size and
// reported. Unknown keys are ignored.
func Apply(base Settings, q url.Values) (Settings, []Problem) {
	s := base
	var problems []Problem
	for _, f := range Fields() {
		v, ok := q[f.Key]
		if !ok || len(v) == 0 {
			continue
		}
		raw := strings.TrimSpace(v[len(v)-1])
		x, err := f.Parse(raw)
		if err == nil {
			err = f.check(s, x)
		}
		if err != nil {
			problems = append(problems, Problem{Key: f.Key, Value: raw, Reason: err.Error(),
				Outcome: "keeping " + f.Format(f.get(s))})
			continue
		}
		f.set(&s, x)
	}
	if s.BatchSize > s.TrainSize() {
		problems = append(problems, Problem{Key: "batch", Value: strconv.Itoa(s.BatchSize),
			Reason:  fmt.Sprintf("larger than the %d training images", s.TrainSize()),
			Outcome: fmt.Sprintf("using %d", s.TrainSize())})
		s.BatchSize = s.TrainSize()
	}
	return s, problems
}

// Field describes one setting. Every value is held as a float64 (an
// optimizer as its index in Options; a seed up to MaxSeed is exact), so
// one stepper, parser and formatter serve them all.
type Field struct {
	Key     string           // URL query key, and key of start()'s settings object
	Label   string           // the settings panel's label
	Meaning string           // the README's description
	UsedBy  nn.OptimizerKind // the optimizer that uses the setting, 0 if every run does
	Options []string         // the accepted names of an enumerated setting
	Labels  []string         // how the panel shows Options
	Min     float64          // smallest accepted value (numeric settings)
	Max     float64          // largest accepted value; see MaxFor
	Integer bool             // only whole numbers are accepted
	All     bool             // "all" is accepted too, as assets.AllPerClass
	Choices []float64        // the stepper's values (a value from a link is added)
	Default float64

	get func(Settings) float64
	set func(*Settings, float64)
}

// MaxSeed is the largest seed: nine digits fit a stepper and a URL, and
// every such seed is exact as a float64.
const MaxSeed = 999_999_999

// Fields returns the settings table, in the order the panel shows them and
// the URL is read (the batch size comes after the training-set size it is
// limited by).
func Fields() []Field {
	return []Field{
		{Key: "opt", Label: "optimizer", Meaning: "optimizer", Options: optimizerNames(),
			Labels: []string{"SGD", "Momentum", "RMSProp"}, Max: 2, Integer: true, Default: 1,
			get: func(s Settings) float64 { return float64(slices.Index(nn.OptimizerKinds(), s.Optimizer)) },
			set: func(s *Settings, v float64) { s.Optimizer = nn.OptimizerKinds()[int(v)] }},
		{Key: "lr", Label: "learning rate η", Meaning: "learning rate η", Min: 1e-6, Max: 1,
			Choices: []float64{0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1}, Default: nn.DefaultLearningRate,
			get: func(s Settings) float64 { return s.LearningRate },
			set: func(s *Settings, v float64) { s.LearningRate = v }},
		{Key: "alpha", Label: "momentum α", Meaning: "Momentum's α (other optimizers ignore it)", UsedBy: nn.OptimizerMomentum, Min: 0, Max: 0.999,
			Choices: []float64{0, 0.5, 0.8, 0.9, 0.95, 0.99}, Default: nn.DefaultMomentum,
			get: func(s Settings) float64 { return s.Momentum },
			set: func(s *Settings, v float64) { s.Momentum = v }},
		{Key: "rho", Label: "RMSProp ρ", Meaning: "RMSProp's ρ (other optimizers ignore it)", UsedBy: nn.OptimizerRMSProp, Min: 0, Max: 0.999,
			Choices: []float64{0.5, 0.8, 0.9, 0.95, 0.99, 0.999}, Default: nn.DefaultRho,
			get: func(s Settings) float64 { return s.Rho },
			set: func(s *Settings, v float64) { s.Rho = v }},
		{Key: "perclass", Label: "train images/class", Meaning: fmt.Sprintf("training images per class; beyond the %d bundled, the page downloads MNIST's full files first (11 MB), and all is every training image (%d, unequal per class)", assets.MaxTrainPerClass, assets.FullTrain().Size()),
			Min: 10, Max: float64(assets.FullTrain().MinPerClass), Integer: true, All: true,
			Choices: []float64{10, 20, 50, 100, 200, 300, 500, 1000, 2000, 5000, assets.AllPerClass}, Default: assets.DefaultTrainPerClass,
			get: func(s Settings) float64 { return float64(s.TrainPerClass) },
			set: func(s *Settings, v float64) { s.TrainPerClass = int(v) }},
		{Key: "testper", Label: "test images/class", Meaning: fmt.Sprintf("test images per class; beyond the %d bundled, as for `perclass`, and all is every test image (%d)", assets.MaxTestPerClass, assets.FullTest().Size()),
			Min: 1, Max: float64(assets.FullTest().MinPerClass), Integer: true, All: true,
			Choices: []float64{1, 5, 10, 20, 50, 100, 500, assets.AllPerClass}, Default: assets.DefaultTestPerClass,
			get: func(s Settings) float64 { return float64(s.TestPerClass) },
			set: func(s *Settings, v float64) { s.TestPerClass = int(v) }},
		{Key: "batch", Label: "mini-batch size", Meaning: "mini-batch size", Min: 1, Integer: true,
			Choices: []float64{1, 5, 10, 20, 50, 100, 200, 500, 1000}, Default: 10,
			get: func(s Settings) float64 { return float64(s.BatchSize) },
			set: func(s *Settings, v float64) { s.BatchSize = int(v) }},
		{Key: "epochs", Label: "epochs", Meaning: "epochs", Min: 1, Max: 100, Integer: true,
			Choices: []float64{1, 2, 3, 5, 10, 15, 20, 30, 50, 100}, Default: 15,
			get: func(s Settings) float64 { return float64(s.Epochs) },
			set: func(s *Settings, v float64) { s.Epochs = int(v) }},
		{Key: "seed", Label: "seed", Meaning: "initialisation and shuffling", Min: 0, Max: MaxSeed, Integer: true,
			Default: 1,
			get:     func(s Settings) float64 { return float64(s.Seed) },
			set:     func(s *Settings, v float64) { s.Seed = uint64(v) }},
	}
}

// FieldByKey returns the field with URL key key.
func FieldByKey(key string) (Field, bool) {
	for _, f := range Fields() {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// Get returns the field's value in s.
func (f Field) Get(s Settings) float64 { return f.get(s) }

// Set returns s with the field set to v, unchecked.
func (f Field) Set(s Settings, v float64) Settings {
	f.set(&s, v)
	return s
}

// MaxFor is the largest value accepted in s: the batch size is limited by
// the training set, the other fields by Max.
func (f Field) MaxFor(s Settings) float64 {
	if f.Key == "batch" {
		return float64(s.TrainSize())
	}
	return f.Max
}

// Parse reads a value as written in a URL: an option's name (any case) or
// a number.
func (f Field) Parse(raw string) (float64, error) {
	if f.Options != nil {
		i := slices.Index(f.Options, strings.ToLower(raw))
		if i < 0 {
			return 0, fmt.Errorf("want one of %s", strings.Join(f.Options, ", "))
		}
		return float64(i), nil
	}
	if f.All && strings.EqualFold(raw, allName) {
		return assets.AllPerClass, nil
	}
	if f.Integer {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("want %s", f.Accepted())
		}
		return float64(n), nil
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("want %s", f.Accepted())
	}
	return v, nil
}

// Format writes a value as a URL holds it.
func (f Field) Format(v float64) string {
	if f.Options != nil {
		if i := int(v); i >= 0 && i < len(f.Options) && float64(i) == v {
			return f.Options[i]
		}
		return "?"
	}
	if f.All && v == assets.AllPerClass {
		return allName
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// Display writes a value as the settings panel shows it.
func (f Field) Display(v float64) string {
	if f.Labels != nil {
		if i := int(v); i >= 0 && i < len(f.Labels) {
			return f.Labels[i]
		}
	}
	return f.Format(v)
}

// Accepted describes the accepted values, as messages and the README say.
func (f Field) Accepted() string {
	switch {
	case f.Options != nil:
		return "one of " + strings.Join(f.Options, ", ")
	case f.Key == "batch":
		return "a whole number from 1 to the training-set size"
	case f.All:
		return fmt.Sprintf("a whole number from %s to %s, or %s", f.Format(f.Min), f.Format(f.Max), allName)
	case f.Integer:
		return fmt.Sprintf("a whole number from %s to %s", f.Format(f.Min), f.Format(f.Max))
	}
	return fmt.Sprintf("a number from %s to %s", f.Format(f.Min), f.Format(f.Max))
}

// check reports whether v is accepted for the field in s.
func (f Field) check(s Settings, v float64) error {
	if f.All && v == assets.AllPerClass {
		return nil
	}
	if math.IsNaN(v) || v < f.Min || v > f.MaxFor(s) || (f.Integer && v != math.Trunc(v)) {
		if f.Key == "batch" {
			return fmt.Errorf("want a whole number from 1 to the %d training images", s.TrainSize())
		}
		return fmt.Errorf("want %s", f.Accepted())
	}
	return nil
}

// optimizerNames lists the optimizers as URLs spell them, in the table's
// order.
func optimizerNames() []string {
	var names []string
	for _, k := range nn.OptimizerKinds() {
		names = append(names, k.String())
	}
	return names
}

// MarkdownTable is the README's table of URL parameters.
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| key | meaning | accepted | default |\n|---|---|---|---|\n")
	for _, f := range Fields() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.Key, f.Meaning, f.Accepted(), f.Format(f.Default))
	}
	return b.String()
}
