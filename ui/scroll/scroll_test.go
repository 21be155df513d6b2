package scroll

import (
	"math"
	"slices"
	"testing"

	"convlab/ui/geom"
	"convlab/ui/widget"
)

func anywhere(x, y float64) bool { return true }

func ev(k widget.EventKind, x, y float64) widget.Event {
	return widget.Event{Kind: k, X: x, Y: y, ID: 1}
}

// frames feeds one event a frame and returns every event passed on.
func frames(v *View, events ...widget.Event) []widget.Event {
	var out []widget.Event
	for _, e := range events {
		out = append(out, v.Update([]widget.Event{e}, 0, anywhere)...)
	}
	return out
}

// A view that fits its window passes every event on at once and never
// scrolls.
func TestViewThatFitsPassesEverythingOn(t *testing.T) {
	var v View
	v.SetRange(-5, 30)
	in := []widget.Event{ev(widget.Press, 10, 100), ev(widget.Move, 10, 20), ev(widget.Release, 10, 20)}
	if got := v.Update(in, 40, anywhere); !slices.Equal(got, in) || v.Offset() != 0 {
		t.Errorf("passed %v, offset %g; want every event and offset 0", got, v.Offset())
	}
}

// A tap (press and release without moving) reaches the widgets, press
// and release together, once it is known not to be a drag.
func TestTapIsPassedOnWhenReleased(t *testing.T) {
	var v View
	v.SetRange(1000, 0)
	press, release := ev(widget.Press, 50, 100), ev(widget.Release, 53, 104) // within Slop
	if got := v.Update([]widget.Event{press}, 0, anywhere); len(got) != 0 {
		t.Fatalf("the press was passed on at once: %v", got)
	}
	if got := v.Update([]widget.Event{release}, 0, anywhere); !slices.Equal(got, []widget.Event{press, release}) {
		t.Errorf("passed %v, want the press and the release", got)
	}
	if v.Offset() != 0 {
		t.Errorf("a tap scrolled to %g", v.Offset())
	}
}

// A drag moves the view with the pointer, from where it passed Slop,
// and the widgets see none of it.
func TestDragScrollsWithoutPressing(t *testing.T) {
	var v View
	v.SetRange(1000, 100)
	got := frames(&v, ev(widget.Press, 50, 300), ev(widget.Move, 50, 290), ev(widget.Move, 50, 200), ev(widget.Move, 52, 150))
	if len(got) != 0 {
		t.Errorf("a drag passed %v on", got)
	}
	if want := 100 + (290 - 150.0); v.Offset() != want {
		t.Errorf("offset %g after dragging up 140 units past the slop, want %g", v.Offset(), want)
	}
	frames(&v, ev(widget.Move, 52, 2000))
	if v.Offset() != 0 {
		t.Errorf("dragged far down, the offset is %g, want 0 (the top)", v.Offset())
	}
}

// A press held still is passed on after HoldFrames, so a button shows
// it is held; should it then drag, it scrolls, and its press ends where
// no widget can take it as a click.
func TestHeldPressThatDragsIsEnded(t *testing.T) {
	var v View
	v.SetRange(1000, 0)
	press := ev(widget.Press, 50, 300)
	var got []widget.Event
	got = append(got, v.Update([]widget.Event{press}, 0, anywhere)...)
	for range HoldFrames - 1 {
		got = append(got, v.Update(nil, 0, anywhere)...)
	}
	if !slices.Equal(got, []widget.Event{press}) {
		t.Fatalf("after %d frames held, passed %v; want the press", HoldFrames, got)
	}
	small := ev(widget.Move, 52, 297)
	if got := v.Update([]widget.Event{small}, 0, anywhere); !slices.Equal(got, []widget.Event{small}) {
		t.Errorf("a move within the slop of a passed press: %v", got)
	}
	got = v.Update([]widget.Event{ev(widget.Move, 50, 250)}, 0, anywhere)
	if len(got) != 1 || got[0].Kind != widget.Release || !math.IsNaN(got[0].X) {
		t.Fatalf("the drag of a passed press gave %v, want one release nowhere", got)
	}
	b := &widget.Button{Rect: geom.Rect{X: 0, Y: 280, W: 100, H: 40}, Label: "OK", Enabled: true}
	for _, e := range []widget.Event{press, small, got[0]} {
		if b.Handle(e) {
			t.Errorf("the button under the press was clicked by %v", e)
		}
		if e == small && !b.Pressed() {
			t.Error("the button under a passed press does not look held")
		}
	}
	if b.Pressed() {
		t.Error("the button still looks held after the drag began")
	}
	if got := frames(&v, ev(widget.Move, 50, 200)); len(got) != 0 || v.Offset() != 50 {
		t.Errorf("the rest of the drag passed %v and scrolled to %g; want nothing and 50", got, v.Offset())
	}
	if got := frames(&v, ev(widget.Release, 50, 200)); len(got) != 0 {
		t.Errorf("the drag's release passed %v", got)
	}
}

// A press where grab says no (the pad) passes at once and its moves never
// scroll; other pointers pass while one drags.
func TestUngrabbedAndOtherPointersPass(t *testing.T) {
	var v View
	v.SetRange(1000, 0)
	notHere := func(x, y float64) bool { return x > 100 }
	stroke := []widget.Event{ev(widget.Press, 50, 300), ev(widget.Move, 50, 100), ev(widget.Release, 50, 50)}
	for _, e := range stroke {
		if got := v.Update([]widget.Event{e}, 0, notHere); !slices.Equal(got, []widget.Event{e}) {
			t.Errorf("a stroke's %v gave %v", e, got)
		}
	}
	if v.Offset() != 0 {
		t.Errorf("a stroke scrolled to %g", v.Offset())
	}
	v.Update([]widget.Event{ev(widget.Press, 150, 300)}, 0, notHere)
	other := widget.Event{Kind: widget.Press, X: 150, Y: 100, ID: 2}
	if got := v.Update([]widget.Event{other}, 0, notHere); !slices.Equal(got, []widget.Event{other}) {
		t.Errorf("a second finger's press gave %v", got)
	}
}

// Lifted while moving, the view glides on, slowing down, and stops; a
// press stops it at once. The wheel scrolls too, within the range.
func TestGlideAndWheel(t *testing.T) {
	var v View
	v.SetRange(10000, 0)
	y := 500.0
	frames(&v, ev(widget.Press, 50, y))
	for range 10 {
		y -= 20
		frames(&v, ev(widget.Move, 50, y))
	}
	frames(&v, ev(widget.Release, 50, y))
	at := v.Offset()
	v.Update(nil, 0, anywhere)
	if d := v.Offset() - at; d < 10 || d > 20 {
		t.Errorf("one frame after a 20-units-a-frame drag, the view moved %g, want about 20", d)
	}
	for i := 0; v.Moving(); i++ {
		if i > 1000 {
			t.Fatal("the glide never stopped")
		}
		v.Update(nil, 0, anywhere)
	}
	glided := v.Offset() - at
	if want := 20 / (1 - Friction); glided < want/2 || glided > want {
		t.Errorf("glided %g, want about %g", glided, want)
	}

	frames(&v, ev(widget.Press, 50, 300), ev(widget.Move, 50, 200), ev(widget.Move, 50, 100))
	v.Update([]widget.Event{ev(widget.Release, 50, 100)}, 0, anywhere)
	at = v.Offset()
	v.Update([]widget.Event{ev(widget.Press, 10, 10)}, 0, anywhere)
	if v.Moving() || v.Offset() != at {
		t.Errorf("a press did not stop the glide: offset %g, was %g", v.Offset(), at)
	}

	v.SetRange(300, 0)
	v.Update(nil, 120, anywhere)
	v.Update(nil, 240, anywhere)
	if v.Offset() != 300 {
		t.Errorf("wheel: offset %g, want 300 (the end)", v.Offset())
	}
	v.Update(nil, -1000, anywhere)
	if v.Offset() != 0 {
		t.Errorf("wheel up: offset %g, want 0", v.Offset())
	}
}
