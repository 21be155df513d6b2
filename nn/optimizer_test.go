package nn

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func newTestRand() *rand.Rand { return rand.New(rand.NewPCG(99, 100)) }

// TestOptimizersByHand runs two steps on one weight w₀ = 1 with gradients
// g₁ = 0.5 then g₂ = −1, and compares with values worked out on paper.
func TestOptimizersByHand(t *testing.T) {
	const eta = 0.1
	// RMSProp with ρ = 0.9, ε = 1e-7:
	//   s₁ = 0.1·0.25 = 0.025;  w₁ = 1 − 0.1·0.5/(√0.025 + ε)
	//   s₂ = 0.9·0.025 + 0.1·1 = 0.1225 (√ = 0.35);  w₂ = w₁ + 0.1/(0.35 + ε)
	s1 := math.Sqrt(0.025)
	w1 := 1 - 0.05/(s1+1e-7)
	tests := []struct {
		name   string
		cfg    OptimizerConfig
		w1, w2 float64
	}{
		// w₁ = 1 − 0.1·0.5 = 0.95; w₂ = 0.95 + 0.1 = 1.05
		{"sgd", OptimizerConfig{Kind: OptimizerSGD, LearningRate: eta}, 0.95, 1.05},
		// v₁ = −0.05, w₁ = 0.95; v₂ = 0.9·(−0.05) + 0.1 = 0.055, w₂ = 1.005
		{"momentum", OptimizerConfig{Kind: OptimizerMomentum, LearningRate: eta, Momentum: 0.9}, 0.95, 1.005},
		{"rmsprop", OptimizerConfig{Kind: OptimizerRMSProp, LearningRate: eta, Rho: 0.9, Epsilon: 1e-7}, w1, w1 + 0.1/(0.35+1e-7)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opt, err := NewOptimizer(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			p := newParam("w", 1)
			p.Value[0] = 1
			for step, g := range []float64{0.5, -1} {
				p.Grad[0] = g
				opt.Step([]*Param{p})
				want := []float64{tc.w1, tc.w2}[step]
				if math.Abs(p.Value[0]-want) > 1e-12 {
					t.Errorf("after step %d: w = %.15g, want %.15g", step+1, p.Value[0], want)
				}
			}
		})
	}
}

func TestOptimizersUpdateEveryParameter(t *testing.T) {
	for _, kind := range OptimizerKinds() {
		net := NewHomework(1)
		before := make([][]float64, 0)
		for _, p := range net.Params() {
			before = append(before, append([]float64(nil), p.Value...))
			for i := range p.Grad {
				p.Grad[i] = 1
			}
		}
		opt, err := NewOptimizer(DefaultOptimizer(kind))
		if err != nil {
			t.Fatal(err)
		}
		opt.Step(net.Params())
		for i, p := range net.Params() {
			for j := range p.Value {
				if p.Value[j] == before[i][j] {
					t.Fatalf("%s did not change %s[%d]", kind, p.Name, j)
				}
			}
		}
	}
}

func TestOptimizerConfigValidation(t *testing.T) {
	good := DefaultOptimizer(OptimizerRMSProp)
	tests := []struct {
		name   string
		change func(*OptimizerConfig)
		want   string
	}{
		{"no kind", func(c *OptimizerConfig) { c.Kind = 0 }, "unknown optimizer"},
		{"unknown kind", func(c *OptimizerConfig) { c.Kind = OptimizerRMSProp + 1 }, "unknown optimizer"},
		{"zero rate", func(c *OptimizerConfig) { c.LearningRate = 0 }, "learning rate"},
		{"negative rate", func(c *OptimizerConfig) { c.LearningRate = -0.1 }, "learning rate"},
		{"NaN rate", func(c *OptimizerConfig) { c.LearningRate = math.NaN() }, "learning rate"},
		{"rho one", func(c *OptimizerConfig) { c.Rho = 1 }, "ρ"},
		{"rho negative", func(c *OptimizerConfig) { c.Rho = -0.5 }, "ρ"},
		{"epsilon zero", func(c *OptimizerConfig) { c.Epsilon = 0 }, "ε"},
		{"momentum one", func(c *OptimizerConfig) { c.Kind = OptimizerMomentum; c.Momentum = 1 }, "momentum"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := good
			tc.change(&c)
			_, err := NewOptimizer(c)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one mentioning %q", err, tc.want)
			}
		})
	}
	for _, kind := range OptimizerKinds() {
		if _, err := NewOptimizer(DefaultOptimizer(kind)); err != nil {
			t.Errorf("default %s rejected: %v", kind, err)
		}
	}
}

// An optimizer kind is written and read by its name, the spelling of URLs,
// settings objects and status(); a kind that names no optimizer cannot be
// written, and an unknown name says which are known.
func TestOptimizerKindText(t *testing.T) {
	names := map[OptimizerKind]string{OptimizerSGD: "sgd", OptimizerMomentum: "momentum", OptimizerRMSProp: "rmsprop"}
	if len(OptimizerKinds()) != len(names) {
		t.Fatalf("OptimizerKinds() = %v, want the %d kinds", OptimizerKinds(), len(names))
	}
	for _, k := range OptimizerKinds() {
		if k.String() != names[k] {
			t.Errorf("%d.String() = %q, want %q", k, k.String(), names[k])
		}
		if got, err := ParseOptimizerKind(names[k]); err != nil || got != k {
			t.Errorf("ParseOptimizerKind(%q) = %v, %v", names[k], got, err)
		}
		b, err := json.Marshal(OptimizerConfig{Kind: k})
		var back OptimizerConfig
		if err == nil {
			err = json.Unmarshal(b, &back)
		}
		if err != nil || back.Kind != k || !strings.Contains(string(b), `"kind":"`+names[k]+`"`) {
			t.Errorf("JSON of %v: %s, read back %v, %v", k, b, back.Kind, err)
		}
	}
	if _, err := ParseOptimizerKind("adam"); err == nil || !strings.Contains(err.Error(), "sgd, momentum, rmsprop") {
		t.Errorf("ParseOptimizerKind(adam): %v, want an error listing the kinds", err)
	}
	if _, err := json.Marshal(OptimizerConfig{}); err == nil {
		t.Error("a configuration without a kind was written")
	}
}
