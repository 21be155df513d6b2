// Package scroll scrolls a view that is taller than the window, as a
// phone's page scrolls: a finger (or the mouse) dragged up or down moves
// it, and lifted while moving lets it glide on and slow down; the mouse
// wheel moves it too. It works on the widgets' pointer events, once per
// frame, and draws nothing.
//
// A drag and a tap begin alike, so the press of a pointer that may drag
// is held back until it is known which it is: released where it went
// down, it was a tap, and the press and the release are passed on
// together; moved more than Slop, it scrolls, and the widgets never see
// it (a drag that starts on a button or a picture scrolls the page
// without pressing either); held still for HoldFrames, it is passed on
// at once so that a button shows that it is held, and should it then
// move more than Slop after all, it scrolls and its press is ended where
// nothing can take it as a click.
package scroll

import (
	"math"

	"convlab/ui/widget"
)

// Gestures, in logical units and frames (60 a second).
const (
	// Slop is how far a pointer moves before its drag scrolls: a finger
	// that taps moves a little.
	Slop = 8.0
	// HoldFrames is how long a pointer held still waits before its press
	// is passed on: a tenth of a second or so.
	HoldFrames = 8
	// Friction is the share of its speed a gliding view keeps each frame.
	Friction = 0.95
	// MinSpeed is the speed, in units a frame, below which a view stops
	// gliding.
	MinSpeed = 0.25
)

// View is how far a view is scrolled, and the gesture under way. Its
// zero value is a view at the top that cannot scroll.
type View struct {
	offset float64 // how far the view is scrolled down
	max    float64 // the largest offset
	drag   drag
	speed  float64 // units a frame the view glides down
	out    []widget.Event
}

// drag follows the pointer that may scroll the view.
type drag struct {
	active    bool
	press     widget.Event         // where it went down
	from      float64              // the offset then
	scrolling bool                 // it moved more than Slop
	passed    bool                 // its press was passed on
	frames    int                  // Updates since it went down
	moved     float64              // the offset's change this Update
	recent    [speedFrames]float64 // the offset's change in the last Updates, a ring
	frame     int                  // Updates while scrolling, the ring's position
}

// speedFrames is how many Updates a drag's speed is averaged over when
// it is lifted: long enough that a frame without a touch event does not
// stop a flick, short enough that a finger that stopped before it lifted
// does not glide.
const speedFrames = 4

// Offset returns how far the view is scrolled down, from 0 to Max.
func (v *View) Offset() float64 { return v.offset }

// Max returns the largest offset.
func (v *View) Max() float64 { return v.max }

// Moving reports whether a drag or a glide is under way.
func (v *View) Moving() bool { return v.drag.scrolling || v.speed != 0 }

// SetRange sets the largest offset (the view's content height less the
// window's, or 0 when it fits) and scrolls to offset within it.
func (v *View) SetRange(max, offset float64) {
	v.max = math.Max(0, max)
	v.offset = v.clamp(offset)
	if v.max == 0 {
		v.speed = 0
	}
}

// ScrollTo scrolls to offset (within the range), ending a glide.
func (v *View) ScrollTo(offset float64) {
	v.offset, v.speed = v.clamp(offset), 0
}

func (v *View) clamp(offset float64) float64 {
	if !(offset > 0) { // NaN too
		return 0
	}
	return math.Min(offset, v.max)
}

// Update takes a frame's pointer events (in window coordinates) and how
// far the wheel asks to scroll down, scrolls, and returns the events the
// widgets should see, in order: all of them when the view cannot scroll.
// A press where grab reports false (a drawing surface) is never held back
// nor scrolls. The returned slice is reused by the next Update.
func (v *View) Update(events []widget.Event, wheel float64, grab func(x, y float64) bool) []widget.Event {
	v.out = v.out[:0]
	d := &v.drag
	d.moved = 0
	for _, e := range events {
		switch {
		case e.Kind == widget.Press:
			v.speed = 0 // a touch stops a glide
			if d.active || v.max == 0 || !grab(e.X, e.Y) {
				v.out = append(v.out, e)
				continue
			}
			*d = drag{active: true, press: e, from: v.offset}
		case !d.active || e.ID != d.press.ID:
			v.out = append(v.out, e)
		case e.Kind == widget.Move:
			v.follow(e)
		case e.Kind == widget.Release:
			v.release(e)
		}
	}
	if d.active {
		v.hold()
	}
	if wheel != 0 {
		v.ScrollTo(v.offset + wheel)
	}
	if !d.active && v.speed != 0 {
		v.glide()
	}
	return v.out
}

// follow moves the view with the dragging pointer once it has moved more
// than Slop from where it went down.
func (v *View) follow(e widget.Event) {
	d := &v.drag
	if !d.scrolling && math.Hypot(e.X-d.press.X, e.Y-d.press.Y) <= Slop {
		if d.passed {
			v.out = append(v.out, e)
		}
		return
	}
	if !d.scrolling { // from here on the view follows the pointer, without a jump
		d.scrolling, d.from, d.press.Y = true, v.offset, e.Y
		if d.passed { // ended where no widget is, so none takes it as a click
			v.out = append(v.out, widget.Event{Kind: widget.Release, X: math.NaN(), Y: math.NaN(), ID: e.ID})
		}
	}
	to := v.clamp(d.from - (e.Y - d.press.Y))
	d.moved += to - v.offset
	v.offset = to
}

// release ends the drag: a tap is passed on, a scroll glides on at its
// recent speed.
func (v *View) release(e widget.Event) {
	d := &v.drag
	switch {
	case d.scrolling:
		v.speed = d.moved // this Update's, not yet in the ring
		for _, m := range d.recent {
			v.speed += m
		}
		v.speed /= speedFrames + 1
		if math.Abs(v.speed) < MinSpeed {
			v.speed = 0
		}
	case d.passed:
		v.out = append(v.out, e)
	default:
		v.out = append(v.out, d.press, e)
	}
	*d = drag{}
}

// hold counts the frames of a drag under way: its speed while it
// scrolls, and, held still long enough, its press passed on.
func (v *View) hold() {
	d := &v.drag
	d.frames++
	if d.scrolling {
		d.recent[d.frame%speedFrames] = d.moved
		d.frame++
		return
	}
	if !d.passed && d.frames >= HoldFrames {
		d.passed = true
		v.out = append(v.out, d.press)
	}
}

// glide moves the view on at its speed, slowing down, and stops it at
// either end.
func (v *View) glide() {
	next := v.offset + v.speed
	v.offset = v.clamp(next)
	v.speed *= Friction
	if v.offset != next || math.Abs(v.speed) < MinSpeed {
		v.speed = 0
	}
}
