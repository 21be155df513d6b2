package nn

import (
	"fmt"
	"math"
	"strings"
)

// Optimizer updates parameters from their accumulated gradients.
type Optimizer interface {
	// Step applies one update to every parameter, using p.Grad.
	Step(params []*Param)
	// Kind says which optimizer it is.
	Kind() OptimizerKind
}

// OptimizerKind names one of the three optimizers. The zero value names
// none, so a configuration that forgot to choose is refused, not trained
// with a default.
type OptimizerKind uint8

// The optimizers.
const (
	OptimizerSGD      OptimizerKind = iota + 1 // vanilla stochastic gradient descent
	OptimizerMomentum                          // heavy-ball momentum
	OptimizerRMSProp                           // RMSProp
)

// OptimizerKinds lists every optimizer, in the order the dashboard shows
// them.
func OptimizerKinds() []OptimizerKind {
	return []OptimizerKind{OptimizerSGD, OptimizerMomentum, OptimizerRMSProp}
}

// String is the kind's name as URLs, settings objects and status() spell
// it: "sgd", "momentum" or "rmsprop".
func (k OptimizerKind) String() string {
	switch k {
	case OptimizerSGD:
		return "sgd"
	case OptimizerMomentum:
		return "momentum"
	case OptimizerRMSProp:
		return "rmsprop"
	}
	return fmt.Sprintf("OptimizerKind(%d)", uint8(k))
}

// ParseOptimizerKind reads a kind's name as String writes it.
func ParseOptimizerKind(name string) (OptimizerKind, error) {
	for _, k := range OptimizerKinds() {
		if k.String() == name {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown optimizer %q (want one of %s)", name, optimizerNames())
}

// MarshalText writes the kind's name, so JSON holds "sgd", not a number.
func (k OptimizerKind) MarshalText() ([]byte, error) {
	if !k.valid() {
		return nil, fmt.Errorf("nn: cannot write %v: not an optimizer", k)
	}
	return []byte(k.String()), nil
}

// UnmarshalText reads a kind's name.
func (k *OptimizerKind) UnmarshalText(text []byte) error {
	v, err := ParseOptimizerKind(string(text))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

func (k OptimizerKind) valid() bool { return k >= OptimizerSGD && k <= OptimizerRMSProp }

// optimizerNames lists the kinds' names for messages: "sgd, momentum, rmsprop".
func optimizerNames() string {
	var names []string
	for _, k := range OptimizerKinds() {
		names = append(names, k.String())
	}
	return strings.Join(names, ", ")
}

// Homework defaults for the optimizers.
const (
	DefaultLearningRate = 0.001
	DefaultMomentum     = 0.9
	DefaultRho          = 0.9
	// DefaultEpsilon keeps RMSProp's division finite when a gradient has
	// been zero; the same value as Keras' and TensorFlow.js' RMSProp, 1e-7.
	DefaultEpsilon = 1e-7
)

// OptimizerConfig selects and configures an optimizer: Momentum is α
// (Momentum only); Rho is ρ and Epsilon is ε (RMSProp only).
type OptimizerConfig struct {
	Kind         OptimizerKind `json:"kind"`
	LearningRate float64       `json:"learningRate"`
	Momentum     float64       `json:"momentum,omitempty"`
	Rho          float64       `json:"rho,omitempty"`
	Epsilon      float64       `json:"epsilon,omitempty"`
}

// DefaultOptimizer returns the homework settings for kind: η = 0.001 and
// α = 0.9 or ρ = 0.9, ε = 1e-7.
func DefaultOptimizer(kind OptimizerKind) OptimizerConfig {
	return OptimizerConfig{Kind: kind, LearningRate: DefaultLearningRate,
		Momentum: DefaultMomentum, Rho: DefaultRho, Epsilon: DefaultEpsilon}
}

// Validate reports the first setting for which the update rules below are
// undefined or cannot converge: η must be positive and finite, α and ρ in
// [0, 1) (at 1 the velocity or the mean square never forgets), ε positive.
// These are the mathematical preconditions, the only rules nn has; how far
// a user may go within them is the settings table's business
// (convlab/ui/settings), checked where settings come in.
func (c OptimizerConfig) Validate() error {
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	inUnit := func(v float64) bool { return finite(v) && v >= 0 && v < 1 }
	switch {
	case !c.Kind.valid():
		return fmt.Errorf("unknown optimizer %v (want one of %s)", c.Kind, optimizerNames())
	case !finite(c.LearningRate) || c.LearningRate <= 0:
		return fmt.Errorf("learning rate must be a positive number, got %g", c.LearningRate)
	case c.Kind == OptimizerMomentum && !inUnit(c.Momentum):
		return fmt.Errorf("momentum α must be in [0, 1), got %g", c.Momentum)
	case c.Kind == OptimizerRMSProp && !inUnit(c.Rho):
		return fmt.Errorf("RMSProp ρ must be in [0, 1), got %g", c.Rho)
	case c.Kind == OptimizerRMSProp && (!finite(c.Epsilon) || c.Epsilon <= 0):
		return fmt.Errorf("RMSProp ε must be positive, got %g", c.Epsilon)
	}
	return nil
}

// NewOptimizer validates c and returns the optimizer it describes.
func NewOptimizer(c OptimizerConfig) (Optimizer, error) {
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("optimizer: %w", err)
	}
	return buildOptimizer(c), nil
}

// buildOptimizer returns the optimizer c describes; c has been validated.
func buildOptimizer(c OptimizerConfig) Optimizer {
	switch c.Kind {
	case OptimizerMomentum:
		return &Momentum{LearningRate: c.LearningRate, Alpha: c.Momentum}
	case OptimizerRMSProp:
		return &RMSProp{LearningRate: c.LearningRate, Rho: c.Rho, Epsilon: c.Epsilon}
	default:
		return &SGD{LearningRate: c.LearningRate}
	}
}

// SGD is vanilla stochastic gradient descent:
//
//	w ← w − η·g
type SGD struct {
	LearningRate float64 // η
}

// Kind returns OptimizerSGD.
func (o *SGD) Kind() OptimizerKind { return OptimizerSGD }

// Step applies w ← w − η·g to every parameter.
func (o *SGD) Step(params []*Param) {
	for _, p := range params {
		for i, g := range p.Grad {
			p.Value[i] -= o.LearningRate * g
		}
	}
}

// Momentum is gradient descent with classical (heavy-ball) momentum, with
// one velocity v per weight, starting at zero:
//
//	v ← α·v − η·g
//	w ← w + v
type Momentum struct {
	LearningRate float64 // η
	Alpha        float64 // α
	velocity     map[*Param][]float64
}

// Kind returns OptimizerMomentum.
func (o *Momentum) Kind() OptimizerKind { return OptimizerMomentum }

// Step updates each velocity and moves each weight by it.
func (o *Momentum) Step(params []*Param) {
	for _, p := range params {
		v := state(&o.velocity, p)
		for i, g := range p.Grad {
			v[i] = o.Alpha*v[i] - o.LearningRate*g
			p.Value[i] += v[i]
		}
	}
}

// RMSProp divides each step by a running root-mean-square of that weight's
// gradients, with s starting at zero:
//
//	s ← ρ·s + (1 − ρ)·g²
//	w ← w − η·g / (√s + ε)
type RMSProp struct {
	LearningRate float64 // η
	Rho          float64 // ρ
	Epsilon      float64 // ε
	meanSquare   map[*Param][]float64
}

// Kind returns OptimizerRMSProp.
func (o *RMSProp) Kind() OptimizerKind { return OptimizerRMSProp }

// Step updates each running mean square and each weight.
func (o *RMSProp) Step(params []*Param) {
	for _, p := range params {
		s := state(&o.meanSquare, p)
		for i, g := range p.Grad {
			s[i] = o.Rho*s[i] + (1-o.Rho)*g*g
			p.Value[i] -= o.LearningRate * g / (math.Sqrt(s[i]) + o.Epsilon)
		}
	}
}

// state returns the per-weight optimizer state for p, creating it zeroed.
func state(m *map[*Param][]float64, p *Param) []float64 {
	if *m == nil {
		*m = make(map[*Param][]float64)
	}
	s, ok := (*m)[p]
	if !ok {
		s = make([]float64, len(p.Value))
		(*m)[p] = s
	}
	return s
}
