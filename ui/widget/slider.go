package widget

import (
	"math"

	"convlab/ui/geom"
)

// Slider picks a whole number from Min to Max along a horizontal track,
// such as an epoch of a run: a press on the track jumps to the nearest
// value, and dragging from there follows the pointer until it is
// released, wherever it goes (a drag is not cancelled by leaving the
// track, unlike a Button's press). Other pointers are ignored during a
// drag. Value k sits at ValueX(k); the values share the track's width
// evenly, Min at its left end and Max at its right.
//
// The zero Slider is ready to use: it has one value, 0, and an empty
// rectangle, so it takes no presses until it is given a place.
type Slider struct {
	geom.Rect
	Min, Max int
	Value    int

	dragging bool
	id       int // the pointer dragging
}

// ValueX returns where value v sits along the track: Min at the left
// edge, Max at the right, and the middle for a slider of one value.
func (s *Slider) ValueX(v int) float64 {
	if s.Max <= s.Min {
		return s.X + s.W/2
	}
	return s.X + s.W*float64(v-s.Min)/float64(s.Max-s.Min)
}

// valueAt returns the value nearest to x, within Min…Max.
func (s *Slider) valueAt(x float64) int {
	if s.Max <= s.Min || s.W <= 0 {
		return s.Min
	}
	v := s.Min + int(math.Round((x-s.X)/s.W*float64(s.Max-s.Min)))
	return min(max(v, s.Min), s.Max)
}

// Dragging reports whether a pointer holds the thumb, for drawing it
// pressed.
func (s *Slider) Dragging() bool { return s.dragging }

// Handle feeds one pointer event to the slider and reports whether it
// changed Value (a press on the track, or a drag to another value).
func (s *Slider) Handle(e Event) (changed bool) {
	switch e.Kind {
	case Press:
		if s.dragging || !s.Contains(e.X, e.Y) {
			return false
		}
		s.dragging, s.id = true, e.ID
	case Move:
		if !s.dragging || e.ID != s.id {
			return false
		}
	case Release:
		if !s.dragging || e.ID != s.id {
			return false
		}
		s.dragging = false
	default:
		return false
	}
	v := s.valueAt(e.X)
	changed = v != s.Value
	s.Value = v
	return changed
}
