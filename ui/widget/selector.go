package widget

import "convlab/ui/geom"

import "fmt"

// SelectorLayout chooses how a Selector shows its options.
type SelectorLayout int

const (
	// Segments shows every option side by side; clicking one selects it.
	Segments SelectorLayout = iota
	// Arrows shows the selected option between a previous and a next
	// arrow button, each a square as tall as the selector; clicking an
	// arrow cycles through the options.
	Arrows
)

// Arrow targets in the Arrows layout.
const (
	prevArrow = 0
	nextArrow = 1
)

// Selector chooses one of several options, such as the network
// architecture. Pointer clicks follow Button's rules per segment or arrow
// and are ignored while the selector is disabled; Next and Prev are for
// the keyboard and cycle, wrapping around at the ends. The zero Selector
// is disabled; NewSelector returns an enabled one.
type Selector struct {
	geom.Rect
	Options  []string
	Selected int // index into Options
	Enabled  bool
	Layout   SelectorLayout
	press    press
}

// NewSelector returns an enabled selector in the Segments layout. It needs
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

// Value returns the selected option, or "" if Selected is out of range.
func (s *Selector) Value() string {
	if s.Selected < 0 || s.Selected >= len(s.Options) {
		return ""
	}
	return s.Options[s.Selected]
}

// Next selects the following option, wrapping from the last to the first,
// and reports whether the selection changed. It does nothing while the
// selector is disabled.
func (s *Selector) Next() bool { return s.step(1) }

// Prev selects the preceding option, wrapping from the first to the last,
// and reports whether the selection changed. It does nothing while the
// selector is disabled.
func (s *Selector) Prev() bool { return s.step(-1) }

// step moves the selection by d options, wrapping around.
func (s *Selector) step(d int) bool {
	n := len(s.Options)
	if !s.Enabled || n == 0 {
		return false
	}
	old := s.Selected
	s.Selected = ((old+d)%n + n) % n
	return s.Selected != old
}

// SegmentRects returns the rectangles of the options in the Segments
// layout, left to right.
func (s *Selector) SegmentRects() []geom.Rect {
	return s.Cols(len(s.Options), 0)
}

// ArrowRects returns the previous arrow, the label area and the next arrow
// of the Arrows layout. The arrows are squares as tall as the selector, or
// half its width each if it is narrower than two of them.
func (s *Selector) ArrowRects() (prev, label, next geom.Rect) {
	side := min(s.H, s.W/2)
	if side < 0 {
		side = 0
	}
	prev = geom.Rect{X: s.X, Y: s.Y, W: side, H: s.H}
	next = geom.Rect{X: s.X + s.W - side, Y: s.Y, W: side, H: s.H}
	label = geom.Rect{X: s.X + side, Y: s.Y, W: s.W - 2*side, H: s.H}
	return prev, label, next
}

// PressedSegment returns the option held down in the Segments layout, or
// −1.
func (s *Selector) PressedSegment() int {
	if s.Layout != Segments {
		return -1
	}
	return s.press.pressed()
}

// PressedArrow returns −1 or +1 if the previous or next arrow of the
// Arrows layout is held down, otherwise 0.
func (s *Selector) PressedArrow() int {
	if s.Layout != Arrows {
		return 0
	}
	switch s.press.pressed() {
	case prevArrow:
		return -1
	case nextArrow:
		return 1
	}
	return 0
}

// Handle feeds one pointer event to the selector and reports whether it
// changed the selection.
func (s *Selector) Handle(e Event) (changed bool) {
	target := s.press.handle(e, s.hit, s.Enabled)
	if target < 0 {
		return false
	}
	if s.Layout == Arrows {
		if target == prevArrow {
			return s.Prev()
		}
		return s.Next()
	}
	if target >= len(s.Options) { // options shrank while pressed
		return false
	}
	old := s.Selected
	s.Selected = target
	return old != target
}

// hit returns the target under (x, y): the segment index in the Segments
// layout, prevArrow or nextArrow in the Arrows layout, or −1.
func (s *Selector) hit(x, y float64) int {
	if s.Layout == Arrows {
		prev, _, next := s.ArrowRects()
		switch {
		case prev.Contains(x, y):
			return prevArrow
		case next.Contains(x, y):
			return nextArrow
		}
		return -1
	}
	for i, r := range s.SegmentRects() {
		if r.Contains(x, y) {
			return i
		}
	}
	return -1
}
