package widget

import "convlab/ui/geom"

import "testing"

func newSelector(t *testing.T) *Selector {
	t.Helper()
	// Three segments of 100 px: [0,100), [100,200), [200,300).
	s, err := NewSelector(geom.Rect{X: 0, Y: 0, W: 300, H: 40}, []string{"MLP", "LeNet", "Deep"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNewSelectorValidates(t *testing.T) {
	if _, err := NewSelector(geom.Rect{}, nil, 0); err == nil {
		t.Error("selector without options accepted")
	}
	for _, sel := range []int{-1, 3} {
		if _, err := NewSelector(geom.Rect{}, []string{"a", "b", "c"}, sel); err == nil {
			t.Errorf("selected %d of 3 accepted", sel)
		}
	}
}

func TestSelectorSegmentClicks(t *testing.T) {
	tests := []struct {
		name     string
		frames   [][]Pointer
		selected int
		changes  int
	}{
		{"click second", [][]Pointer{down(150, 20), up(150, 20)}, 1, 1},
		{"click third on its left edge", [][]Pointer{down(200, 20), up(200, 20)}, 2, 1},
		{"click the selected one", [][]Pointer{down(50, 20), up(50, 20)}, 0, 0},
		{"press second, release on third", [][]Pointer{down(150, 20), down(250, 20), up(250, 20)}, 0, 0},
		{"tap third with a finger", [][]Pointer{finger(299, 39), nil}, 2, 1},
		{"outside", [][]Pointer{down(300, 20), up(300, 20)}, 0, 0},
	}
	for _, tt := range tests {
		s := newSelector(t)
		if n := play(tt.frames, s.Handle); n != tt.changes || s.Selected != tt.selected {
			t.Errorf("%s: selected %d after %d changes, want %d after %d", tt.name, s.Selected, n, tt.selected, tt.changes)
		}
	}
}

func TestSelectorPressedSegment(t *testing.T) {
	s := newSelector(t)
	var tr Tracker
	for _, e := range tr.Update(down(250, 10)) {
		s.Handle(e)
	}
	if got := s.PressedSegment(); got != 2 {
		t.Errorf("PressedSegment = %d, want 2", got)
	}
}

func TestDisabledSelector(t *testing.T) {
	s := newSelector(t)
	s.Enabled = false
	if n := play([][]Pointer{down(150, 20), up(150, 20)}, s.Handle); n != 0 || s.Selected != 0 {
		t.Error("a disabled selector changed on a click")
	}
	if err := s.Select(1); err != nil || s.Selected != 1 {
		t.Errorf("Select(1) on disabled selector: %v, selected %d", err, s.Selected)
	}
	if err := s.Select(3); err == nil {
		t.Error("Select(3) of 3 options accepted")
	}
}
