package widget

import "convlab/ui/geom"

import "testing"

// play feeds frames of pointer states through a fresh Tracker to handle
// and returns how many events handle reported true for.
func play(frames [][]Pointer, handle func(Event) bool) int {
	var tr Tracker
	n := 0
	for _, ps := range frames {
		for _, e := range tr.Update(ps) {
			if handle(e) {
				n++
			}
		}
	}
	return n
}

// Shorthands for one pointer's frame: the mouse (ID −1) or finger 1.
func down(x, y float64) []Pointer   { return []Pointer{{X: x, Y: y, Down: true, ID: -1}} }
func up(x, y float64) []Pointer     { return []Pointer{{X: x, Y: y, ID: -1}} }
func finger(x, y float64) []Pointer { return []Pointer{{X: x, Y: y, Down: true, ID: 1}} }

func TestButtonClickSemantics(t *testing.T) {
	// The button spans [100, 200) × [100, 140).
	tests := []struct {
		name   string
		frames [][]Pointer
		clicks int
	}{
		{"press and release inside", [][]Pointer{down(150, 120), up(150, 120)}, 1},
		{"release elsewhere inside", [][]Pointer{down(101, 101), down(190, 130), up(199, 139)}, 1},
		{"press on left edge", [][]Pointer{down(100, 120), up(100, 120)}, 1},
		{"press on right edge (outside)", [][]Pointer{down(200, 120), up(200, 120)}, 0},
		{"press outside, release inside", [][]Pointer{down(50, 120), down(150, 120), up(150, 120)}, 0},
		{"press inside, release outside", [][]Pointer{down(150, 120), up(250, 120)}, 0},
		{"moving out cancels even if it comes back", [][]Pointer{
			down(150, 120), down(150, 160), down(150, 120), up(150, 120),
		}, 0},
		{"hover only", [][]Pointer{up(150, 120), up(160, 120)}, 0},
		{"touch tap (finger vanishes)", [][]Pointer{finger(150, 120), nil}, 1},
		{"touch slides off", [][]Pointer{finger(150, 120), finger(150, 300), nil}, 0},
		{"two taps", [][]Pointer{down(150, 120), up(150, 120), finger(120, 110), nil}, 2},
		{"second finger cannot steal the click", [][]Pointer{
			finger(150, 120),
			append(finger(150, 120), Pointer{X: 160, Y: 120, Down: true, ID: 2}),
			finger(150, 120), // finger 2 lifts: no click
			nil,              // finger 1 lifts: click
		}, 1},
	}
	for _, tt := range tests {
		b := &Button{Rect: geom.Rect{X: 100, Y: 100, W: 100, H: 40}, Label: "Train", Enabled: true}
		if got := play(tt.frames, b.Handle); got != tt.clicks {
			t.Errorf("%s: %d clicks, want %d", tt.name, got, tt.clicks)
		}
	}
}

func TestButtonDisabled(t *testing.T) {
	b := &Button{Rect: geom.Rect{X: 0, Y: 0, W: 10, H: 10}, Label: "Stop", Enabled: true}
	b.Enabled = false
	if n := play([][]Pointer{down(5, 5), up(5, 5)}, b.Handle); n != 0 {
		t.Errorf("disabled button clicked %d times", n)
	}
	var zero Button
	zero.Rect = geom.Rect{X: 0, Y: 0, W: 10, H: 10}
	if n := play([][]Pointer{down(5, 5), up(5, 5)}, zero.Handle); n != 0 {
		t.Errorf("zero Button (disabled) clicked %d times", n)
	}
	// Disabled between press and release: no click.
	b.Enabled = true
	var tr Tracker
	clicked := false
	for i, ps := range [][]Pointer{down(5, 5), up(5, 5)} {
		if i == 1 {
			b.Enabled = false
		}
		for _, e := range tr.Update(ps) {
			clicked = clicked || b.Handle(e)
		}
	}
	if clicked {
		t.Error("button disabled mid-press still clicked")
	}
}

func TestButtonPressedState(t *testing.T) {
	b := &Button{Rect: geom.Rect{X: 0, Y: 0, W: 10, H: 10}, Label: "Go", Enabled: true}
	var tr Tracker
	steps := []struct {
		ps      []Pointer
		pressed bool
	}{
		{up(5, 5), false},
		{down(5, 5), true},
		{down(6, 6), true},
		{down(20, 6), false}, // moved out: cancelled
		{down(5, 5), false},  // back in: stays cancelled
		{up(5, 5), false},
	}
	for i, s := range steps {
		for _, e := range tr.Update(s.ps) {
			b.Handle(e)
		}
		if b.Pressed() != s.pressed {
			t.Errorf("step %d: Pressed = %v, want %v", i, b.Pressed(), s.pressed)
		}
	}
}
