package widget

import (
	"convlab/ui/geom"

	"math"
	"testing"
)

var batchSizes = []float64{1, 5, 10, 20, 50, 100}

// The stepper spans [0, 200) × [0, 40): minus [0, 40), plus [160, 200).
func newBatchStepper(t *testing.T, initial float64) *Stepper {
	t.Helper()
	s, err := NewListStepper(geom.Rect{X: 0, Y: 0, W: 200, H: 40}, batchSizes, initial)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNewStepperValidates(t *testing.T) {
	r := geom.Rect{X: 0, Y: 0, W: 200, H: 40}
	bad := []struct {
		name string
		err  error
	}{
		{"empty list", second(NewListStepper(r, nil, 0))},
		{"not increasing", second(NewListStepper(r, []float64{1, 5, 5}, 1))},
		{"decreasing", second(NewListStepper(r, []float64{5, 1}, 1))},
		{"NaN value", second(NewListStepper(r, []float64{1, math.NaN()}, 1))},
		{"initial not allowed", second(NewListStepper(r, batchSizes, 7))},
		{"zero step", second(NewRangeStepper(r, 0, 1, 0, 0))},
		{"negative step", second(NewRangeStepper(r, 0, 1, -0.1, 0))},
		{"min above max", second(NewRangeStepper(r, 2, 1, 0.1, 1))},
		{"infinite max", second(NewRangeStepper(r, 0, math.Inf(1), 1, 0))},
		{"too many values", second(NewRangeStepper(r, 0, 1e300, 1e-300, 0))},
		{"initial off grid", second(NewRangeStepper(r, 0, 1, 0.1, 0.35))},
	}
	for _, tt := range bad {
		if tt.err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
}

func second(_ *Stepper, err error) error { return err }

func TestStepperClampsAtEnds(t *testing.T) {
	s := newBatchStepper(t, 50)
	tests := []struct {
		op      func() bool
		changed bool
		value   float64
	}{
		{s.Inc, true, 100},
		{s.Inc, false, 100}, // clamped at the top
		{s.Dec, true, 50},
		{s.Dec, true, 20},
		{s.Dec, true, 10},
		{s.Dec, true, 5},
		{s.Dec, true, 1},
		{s.Dec, false, 1}, // clamped at the bottom
	}
	for i, tt := range tests {
		if changed := tt.op(); changed != tt.changed || s.Value() != tt.value {
			t.Errorf("step %d: changed %v value %v, want %v %v", i, changed, s.Value(), tt.changed, tt.value)
		}
	}
	if s.CanDec() || !s.CanInc() {
		t.Errorf("at the bottom: CanDec %v CanInc %v", s.CanDec(), s.CanInc())
	}
}

func TestStepperSetValue(t *testing.T) {
	s := newBatchStepper(t, 10)
	tests := []struct {
		v    float64
		ok   bool
		want float64
	}{
		{20, true, 20},
		{7, false, 20},   // not in the list
		{200, false, 20}, // above the range
		{0, false, 20},   // below it
		{math.NaN(), false, 20},
		{100 + 1e-12, true, 100}, // float noise tolerated
	}
	for _, tt := range tests {
		err := s.SetValue(tt.v)
		if (err == nil) != tt.ok || s.Value() != tt.want {
			t.Errorf("SetValue(%v): err %v, value %v; want ok=%v value %v", tt.v, err, s.Value(), tt.ok, tt.want)
		}
	}
}

func TestRangeStepper(t *testing.T) {
	s, err := NewRangeStepper(geom.Rect{X: 0, Y: 0, W: 200, H: 40}, 0, 1, 0.1, 0.3)
	if err != nil {
		t.Fatal(err)
	}
	if s.Label() != "0.3" {
		t.Errorf("Label = %q, want 0.3", s.Label())
	}
	for range 20 {
		s.Inc()
	}
	if math.Abs(s.Value()-1) > 1e-12 || s.Label() != "1" {
		t.Errorf("after 20 Inc: value %v label %q, want 1", s.Value(), s.Label())
	}
	if err := s.SetValue(0.7); err != nil || s.Label() != "0.7" {
		t.Errorf("SetValue(0.7): %v, label %q", err, s.Label())
	}
	if err := s.SetValue(0.75); err == nil {
		t.Error("off-grid 0.75 accepted")
	}
	// A max that is not on the grid: the last value is the last step below it.
	odd, err := NewRangeStepper(geom.Rect{}, 1, 10, 4, 9)
	if err != nil || odd.Inc() || odd.Value() != 9 {
		t.Errorf("range 1…10 step 4: err %v, value %v, want top value 9", err, odd.Value())
	}
}

func TestStepperButtons(t *testing.T) {
	tests := []struct {
		name    string
		frames  [][]Pointer
		value   float64
		changes int
	}{
		{"plus", [][]Pointer{down(180, 20), up(180, 20)}, 20, 1},
		{"minus", [][]Pointer{down(0, 0), up(39, 39)}, 5, 1},
		{"minus right edge is the value area", [][]Pointer{down(40, 20), up(40, 20)}, 10, 0},
		{"value area", [][]Pointer{down(100, 20), up(100, 20)}, 10, 0},
		{"plus twice by touch", [][]Pointer{finger(170, 10), nil, finger(170, 10), nil}, 50, 2},
		{"press plus, slide to minus", [][]Pointer{down(180, 20), down(20, 20), up(20, 20)}, 10, 0},
	}
	for _, tt := range tests {
		s := newBatchStepper(t, 10)
		if n := play(tt.frames, s.Handle); n != tt.changes || s.Value() != tt.value {
			t.Errorf("%s: value %v after %d changes, want %v after %d", tt.name, s.Value(), n, tt.value, tt.changes)
		}
	}
	s := newBatchStepper(t, 100)
	if n := play([][]Pointer{down(180, 20), up(180, 20)}, s.Handle); n != 0 || s.Value() != 100 {
		t.Errorf("plus at the top: %d changes, value %v", n, s.Value())
	}
	s.Enabled = false
	if n := play([][]Pointer{down(20, 20), up(20, 20)}, s.Handle); n != 0 || s.Dec() || s.Value() != 100 {
		t.Error("disabled stepper changed")
	}
}

func TestStepperLayoutAndPressed(t *testing.T) {
	s := newBatchStepper(t, 10)
	if s.MinusRect() != (geom.Rect{X: 0, Y: 0, W: 40, H: 40}) || s.PlusRect() != (geom.Rect{X: 160, Y: 0, W: 40, H: 40}) || s.ValueRect() != (geom.Rect{X: 40, Y: 0, W: 120, H: 40}) {
		t.Errorf("layout %v %v %v", s.MinusRect(), s.ValueRect(), s.PlusRect())
	}
	var tr Tracker
	for _, e := range tr.Update(down(170, 20)) {
		s.Handle(e)
	}
	if s.Pressed() != 1 {
		t.Errorf("Pressed = %d, want 1 (plus)", s.Pressed())
	}
	narrow := Stepper{Rect: geom.Rect{X: 0, Y: 0, W: 30, H: 40}}
	if narrow.MinusRect().W != 15 || narrow.ValueRect().W != 0 {
		t.Errorf("narrow stepper: minus %v value %v", narrow.MinusRect(), narrow.ValueRect())
	}
}
