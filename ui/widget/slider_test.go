package widget

import (
	"testing"

	"convlab/ui/geom"
)

// epochSlider is a slider over epochs 1 to 5 whose values sit 25 units
// apart: 1 at x = 100, 5 at x = 200.
func epochSlider() *Slider {
	return &Slider{Rect: geom.Rect{X: 100, Y: 10, W: 100, H: 20}, Min: 1, Max: 5, Value: 5}
}

func TestSliderPressJumpsToNearestValue(t *testing.T) {
	s := epochSlider()
	if !s.Handle(Event{Press, 126, 20, 0}) || s.Value != 2 {
		t.Fatalf("a press at x=126 gives %d, want 2 (at x=125)", s.Value)
	}
	if s.Handle(Event{Release, 126, 20, 0}) || s.Dragging() {
		t.Errorf("releasing where it was pressed changed the value or kept the drag")
	}
}

func TestSliderDragFollowsThePointerBeyondTheTrack(t *testing.T) {
	s := epochSlider()
	s.Handle(Event{Press, 101, 20, 7})
	if s.Value != 1 || !s.Dragging() {
		t.Fatalf("after the press: value %d, dragging %v", s.Value, s.Dragging())
	}
	if !s.Handle(Event{Move, 160, 300, 7}) || s.Value != 3 {
		t.Errorf("dragging to x=160 far below the track gives %d, want 3", s.Value)
	}
	if s.Handle(Event{Move, 900, 20, 8}) || s.Value != 3 {
		t.Errorf("another pointer moved the drag to %d", s.Value)
	}
	if !s.Handle(Event{Move, -50, 20, 7}) || s.Value != 1 {
		t.Errorf("dragging left of the track gives %d, want the first value, 1", s.Value)
	}
	if !s.Handle(Event{Release, 400, 20, 7}) || s.Value != 5 || s.Dragging() {
		t.Errorf("releasing right of the track gives %d (dragging %v), want the last value, 5", s.Value, s.Dragging())
	}
	if s.Handle(Event{Move, 100, 20, 7}) || s.Value != 5 {
		t.Errorf("a move after the release changed the value to %d", s.Value)
	}
}

func TestSliderIgnoresPressesOffTheTrack(t *testing.T) {
	s := epochSlider()
	if s.Handle(Event{Press, 150, 40, 0}) || s.Dragging() {
		t.Errorf("a press below the track started a drag")
	}
	var zero Slider
	if zero.Handle(Event{Press, 0, 0, 0}) || zero.Dragging() || zero.Value != 0 {
		t.Errorf("the zero slider took a press")
	}
}

func TestSliderValueX(t *testing.T) {
	s := epochSlider()
	for v, want := range map[int]float64{1: 100, 3: 150, 5: 200} {
		if got := s.ValueX(v); got != want {
			t.Errorf("ValueX(%d) = %v, want %v", v, got, want)
		}
	}
	one := Slider{Rect: geom.Rect{X: 0, W: 80, H: 10}, Min: 1, Max: 1, Value: 1}
	if got := one.ValueX(1); got != 40 {
		t.Errorf("the only value sits at %v, want the middle, 40", got)
	}
	if one.Handle(Event{Press, 70, 5, 0}) || one.Value != 1 {
		t.Errorf("a slider of one value moved to %d", one.Value)
	}
}
