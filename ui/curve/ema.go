package curve

import (
	"fmt"
	"math"
)

// EMA is an exponential moving average for smoothing a noisy live signal
// such as the per-mini-batch loss. Each Add updates
//
//	m ← β·m + (1−β)·v
//
// and Value returns the bias-corrected m / (1 − βⁿ) after n values, as Adam
// does: without the correction the average starts near 0 (m starts at 0)
// and takes about 1/(1−β) values to catch up. With the correction the first
// Value equals the first input and every Value is a weighted mean of the
// inputs so far.
type EMA struct {
	beta  float64
	m     float64 // biased average
	decay float64 // βⁿ
	n     int
}

// NewEMA returns an empty EMA with smoothing factor beta in [0, 1): the
// weight kept from the past at each step. beta = 0.9 averages over roughly
// the last 10 values, 0.98 over the last 50; beta = 0 follows the input.
// The factor is the program's choice, so one outside [0, 1) panics.
func NewEMA(beta float64) *EMA {
	if !(beta >= 0 && beta < 1) {
		panic(fmt.Sprintf("curve: EMA smoothing factor %v outside [0, 1)", beta))
	}
	return &EMA{beta: beta, decay: 1}
}

// Add folds v into the average. NaN and ±Inf are ignored, so one diverged
// batch does not poison the curve for the rest of the run; Count does not
// include them.
func (e *EMA) Add(v float64) {
	if !finite(v) {
		return
	}
	e.m = e.beta*e.m + (1-e.beta)*v
	e.decay *= e.beta
	e.n++
}

// Value returns the bias-corrected average, and false if no value has been
// added yet.
func (e *EMA) Value() (float64, bool) {
	if e.n == 0 {
		return math.NaN(), false
	}
	return e.m / (1 - e.decay), true
}

// Count returns how many values have been added.
func (e *EMA) Count() int { return e.n }

// Reset forgets every value, keeping the smoothing factor.
func (e *EMA) Reset() { e.m, e.decay, e.n = 0, 1, 0 }
