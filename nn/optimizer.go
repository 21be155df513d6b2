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
	// Name is the optimizer's short name: "sgd", "momentum" or "rmsprop".
	Name() string
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

// OptimizerConfig selects and configures an optimizer. Kind is "sgd",
// "momentum" or "rmsprop"; Momentum is α (momentum only); Rho is ρ and
// Epsilon is ε (RMSProp only).
type OptimizerConfig struct {
	Kind         string  `json:"kind"`
	LearningRate float64 `json:"learningRate"`
	Momentum     float64 `json:"momentum,omitempty"`
	Rho          float64 `json:"rho,omitempty"`
	Epsilon      float64 `json:"epsilon,omitempty"`
}

// OptimizerKinds lists the accepted Kind values.
func OptimizerKinds() []string { return []string{"sgd", "momentum", "rmsprop"} }

// DefaultOptimizer returns the homework settings for kind: η = 0.001 and
// α = 0.9 or ρ = 0.9, ε = 1e-7.
func DefaultOptimizer(kind string) OptimizerConfig {
	return OptimizerConfig{Kind: kind, LearningRate: DefaultLearningRate,
		Momentum: DefaultMomentum, Rho: DefaultRho, Epsilon: DefaultEpsilon}
}

// Validate reports the first setting that is out of range.
func (c OptimizerConfig) Validate() error {
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case !finite(c.LearningRate) || c.LearningRate <= 0:
		return fmt.Errorf("learning rate must be a positive number, got %g", c.LearningRate)
	case c.Kind == "momentum" && (!finite(c.Momentum) || c.Momentum < 0 || c.Momentum >= 1):
		return fmt.Errorf("momentum α must be in [0, 1), got %g", c.Momentum)
	case c.Kind == "rmsprop" && (!finite(c.Rho) || c.Rho < 0 || c.Rho >= 1):
		return fmt.Errorf("RMSProp ρ must be in [0, 1), got %g", c.Rho)
	case c.Kind == "rmsprop" && (!finite(c.Epsilon) || c.Epsilon <= 0):
		return fmt.Errorf("RMSProp ε must be positive, got %g", c.Epsilon)
	}
	switch c.Kind {
	case "sgd", "momentum", "rmsprop":
		return nil
	}
	return fmt.Errorf("unknown optimizer %q (want one of %s)", c.Kind, strings.Join(OptimizerKinds(), ", "))
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
	case "momentum":
		return &Momentum{LearningRate: c.LearningRate, Alpha: c.Momentum}
	case "rmsprop":
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

// Name returns "sgd".
func (o *SGD) Name() string { return "sgd" }

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

// Name returns "momentum".
func (o *Momentum) Name() string { return "momentum" }

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

// Name returns "rmsprop".
func (o *RMSProp) Name() string { return "rmsprop" }

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
