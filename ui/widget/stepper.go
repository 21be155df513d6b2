package widget

import (
	"convlab/ui/geom"

	"fmt"
	"math"
	"strconv"
)

// maxRangeSteps bounds the number of values of a range Stepper.
const maxRangeSteps = 1 << 40

// Stepper picks a number from an ordered set of allowed values with a
// minus and a plus button, such as the mini-batch size (1, 5, 10, 20, 50,
// 100) or a learning rate on a grid. The set is either an explicit list or
// a range lo, lo+step, … up to hi. The buttons sit at the ends: squares
// as tall as the stepper (see MinusRect, ValueRect, PlusRect). Clicks
// follow Button's rules; the value clamps at the ends rather than wrapping.
type Stepper struct {
	geom.Rect
	Enabled bool

	list     []float64 // allowed values, if given as a list
	lo, step float64   // range form: value k is lo + k·step
	count    int       // number of allowed values
	index    int       // the current value's position
	press    press
}

// Button targets of a Stepper.
const (
	minusButton = 0
	plusButton  = 1
)

// NewListStepper returns an enabled stepper over values, which must be
// finite and strictly increasing, starting at initial, which must be one
// of them.
func NewListStepper(r geom.Rect, values []float64, initial float64) (*Stepper, error) {
	if len(values) == 0 {
		return nil, fmt.Errorf("widget: stepper needs at least one value")
	}
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("widget: stepper value %d is %v", i, v)
		}
		if i > 0 && v <= values[i-1] {
			return nil, fmt.Errorf("widget: stepper values not strictly increasing at %d (%v after %v)", i, v, values[i-1])
		}
	}
	s := &Stepper{Rect: r, Enabled: true, list: append([]float64(nil), values...), count: len(values)}
	if err := s.SetValue(initial); err != nil {
		return nil, err
	}
	return s, nil
}

// NewRangeStepper returns an enabled stepper over lo, lo+step, … up to
// the last such value not above hi, starting at initial, which must be one
// of them. step must be positive and lo ≤ hi, all finite.
func NewRangeStepper(r geom.Rect, lo, hi, step, initial float64) (*Stepper, error) {
	for _, v := range [...]float64{lo, hi, step} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("widget: stepper range %v…%v step %v is not finite", lo, hi, step)
		}
	}
	if !(step > 0) || lo > hi {
		return nil, fmt.Errorf("widget: stepper range %v…%v step %v: need step > 0 and lo ≤ hi", lo, hi, step)
	}
	steps := math.Floor((hi-lo)/step + 1e-9)
	if steps >= maxRangeSteps {
		return nil, fmt.Errorf("widget: stepper range %v…%v step %v has too many values", lo, hi, step)
	}
	s := &Stepper{Rect: r, Enabled: true, lo: lo, step: step, count: int(steps) + 1}
	if err := s.SetValue(initial); err != nil {
		return nil, err
	}
	return s, nil
}

// at returns allowed value i.
func (s *Stepper) at(i int) float64 {
	if s.list != nil {
		return s.list[i]
	}
	return s.lo + float64(i)*s.step
}

// Value returns the current value.
func (s *Stepper) Value() float64 { return s.at(s.index) }

// Label returns the current value formatted for display, with at most 12
// significant digits so that float noise such as 0.30000000000000004
// shows as 0.3.
func (s *Stepper) Label() string {
	return strconv.FormatFloat(s.Value()+0, 'g', 12, 64)
}

// SetValue sets the value to v, whether or not the stepper is enabled. v
// must be one of the allowed values, up to a relative difference of 10⁻⁹
// (10⁻⁹ of the step for a range); otherwise the value is unchanged and the
// error says why.
func (s *Stepper) SetValue(v float64) error {
	if s.count == 0 {
		return fmt.Errorf("widget: stepper has no values; use NewListStepper or NewRangeStepper")
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("widget: stepper value %v is not finite", v)
	}
	if first, last := s.at(0), s.at(s.count-1); v < first-s.tolerance(first) || v > last+s.tolerance(last) {
		return fmt.Errorf("widget: stepper value %v outside [%v, %v]", v, first, last)
	}
	i := s.nearest(v)
	if math.Abs(s.at(i)-v) > s.tolerance(s.at(i)) {
		return fmt.Errorf("widget: stepper value %v is not an allowed value (nearest %v)", v, s.at(i))
	}
	s.index = i
	return nil
}

// tolerance returns how far from allowed value a a requested value may be.
func (s *Stepper) tolerance(a float64) float64 {
	if s.list == nil {
		return 1e-9 * s.step
	}
	return 1e-9 * math.Max(1, math.Abs(a))
}

// nearest returns the index of the allowed value closest to v, which lies
// within their span.
func (s *Stepper) nearest(v float64) int {
	if s.list == nil {
		k := int(math.Round((v - s.lo) / s.step))
		return min(max(k, 0), s.count-1)
	}
	best := 0
	for i, a := range s.list {
		if math.Abs(a-v) < math.Abs(s.list[best]-v) {
			best = i
		}
	}
	return best
}

// CanInc reports whether Inc would change the value.
func (s *Stepper) CanInc() bool { return s.Enabled && s.index < s.count-1 }

// CanDec reports whether Dec would change the value.
func (s *Stepper) CanDec() bool { return s.Enabled && s.index > 0 }

// Inc moves to the next larger value and reports whether the value
// changed: not at the largest value, nor while disabled.
func (s *Stepper) Inc() bool {
	if !s.CanInc() {
		return false
	}
	s.index++
	return true
}

// Dec moves to the next smaller value and reports whether the value
// changed: not at the smallest value, nor while disabled.
func (s *Stepper) Dec() bool {
	if !s.CanDec() {
		return false
	}
	s.index--
	return true
}

// MinusRect returns the minus button's area at the left end.
func (s *Stepper) MinusRect() geom.Rect {
	return geom.Rect{X: s.X, Y: s.Y, W: s.buttonSide(), H: s.H}
}

// PlusRect returns the plus button's area at the right end.
func (s *Stepper) PlusRect() geom.Rect {
	side := s.buttonSide()
	return geom.Rect{X: s.X + s.W - side, Y: s.Y, W: side, H: s.H}
}

// ValueRect returns the area between the buttons, where the value is
// shown.
func (s *Stepper) ValueRect() geom.Rect {
	side := s.buttonSide()
	return geom.Rect{X: s.X + side, Y: s.Y, W: s.W - 2*side, H: s.H}
}

// buttonSide returns the buttons' width: the stepper's height, or half its
// width if it is narrower than two squares.
func (s *Stepper) buttonSide() float64 {
	return math.Max(0, math.Min(s.H, s.W/2))
}

// Pressed returns −1 or +1 if the minus or plus button is held down,
// otherwise 0.
func (s *Stepper) Pressed() int {
	switch s.press.pressed() {
	case minusButton:
		return -1
	case plusButton:
		return 1
	}
	return 0
}

// Handle feeds one pointer event to the stepper and reports whether it
// changed the value.
func (s *Stepper) Handle(e Event) (changed bool) {
	switch s.press.handle(e, s.hit, s.Enabled) {
	case minusButton:
		return s.Dec()
	case plusButton:
		return s.Inc()
	}
	return false
}

// hit returns the button under (x, y), or −1.
func (s *Stepper) hit(x, y float64) int {
	switch {
	case s.MinusRect().Contains(x, y):
		return minusButton
	case s.PlusRect().Contains(x, y):
		return plusButton
	}
	return -1
}
