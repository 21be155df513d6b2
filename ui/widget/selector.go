package widget

import "convlab/ui/geom"

import "fmt"

// Selector chooses one of several options, shown side by side as
// segments, such as the settings panel's optimizer. Pointer clicks follow
// Button's rules per segment and are ignored while the selector is
// disabled. The zero Selector is disabled; NewSelector returns an enabled
// one.
type Selector struct {
	geom.Rect
	Options  []string
	Selected int // index into Options
	Enabled  bool
	press    press
}

// NewSelector returns an enabled selector. It needs
// at least one option, and selected must index one.
func NewSelector(r geom.Rect, options []string, selected int) (*Selector, error) {
	if len(options) == 0 {
		return nil, fmt.Errorf("widget: selector needs at least one option")
	}
	s := &Selector{Rect: r, Options: options, Enabled: true}
	if err := s.Select(selected); err != nil {
		return nil, err
	}
	return s, nil
}

// Select selects option i, whether or not the selector is enabled.
func (s *Selector) Select(i int) error {
	if i < 0 || i >= len(s.Options) {
		return fmt.Errorf("widget: option %d out of range [0, %d)", i, len(s.Options))
	}
	s.Selected = i
	return nil
}

// SegmentRects returns the rectangles of the options, left to right.
func (s *Selector) SegmentRects() []geom.Rect {
	return s.Cols(len(s.Options), 0)
}

// PressedSegment returns the option held down, or −1.
func (s *Selector) PressedSegment() int { return s.press.pressed() }

// Handle feeds one pointer event to the selector and reports whether it
// changed the selection.
func (s *Selector) Handle(e Event) (changed bool) {
	target := s.press.handle(e, s.hit, s.Enabled)
	if target < 0 {
		return false
	}
	if target >= len(s.Options) { // options shrank while pressed
		return false
	}
	old := s.Selected
	s.Selected = target
	return old != target
}

// hit returns the index of the segment under (x, y), or −1.
func (s *Selector) hit(x, y float64) int {
	for i, r := range s.SegmentRects() {
		if r.Contains(x, y) {
			return i
		}
	}
	return -1
}
