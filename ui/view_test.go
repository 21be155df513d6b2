package ui

import (
	"math"
	"slices"
	"testing"

	"convlab/ui/digit"
	"convlab/ui/layout"
	"convlab/ui/widget"
)

// drag returns the frames' inputs of a finger dragged from (x, y) by dy
// units in steps, held still, and lifted.
func drag(x, y, dy float64) []Input {
	ev := func(k widget.EventKind, y float64) Input {
		return Input{Events: []widget.Event{{Kind: k, X: x, Y: y, ID: 3}}}
	}
	out := []Input{ev(widget.Press, y), ev(widget.Move, y+math.Copysign(12, dy))} // past the slop
	for i := 1; i <= 5; i++ {
		out = append(out, ev(widget.Move, y+math.Copysign(12, dy)+dy*float64(i)/5))
	}
	for range 20 {
		out = append(out, Input{}) // held still
	}
	return append(out, ev(widget.Release, y+math.Copysign(12, dy)+dy))
}

// On a phone, a finger dragged on a panel scrolls the dashboard by as far
// as it moved; status().layout reports where the panels are on the
// canvas then, and the whole dashboard, moved up by as much; a panel out
// of the window draws nothing.
func TestDragScrollsThePhonesDashboard(t *testing.T) {
	a := newTestApp(t, "")
	h := NewHandle(a)
	h.Resize(390, 844)
	h.Update(Input{})
	before := h.Status().Layout
	for _, in := range drag(100, 600, -300) {
		h.Update(in)
	}
	if got := a.scroll.Offset(); got != 300 {
		t.Fatalf("dragged 300 units up, the dashboard scrolled %g", got)
	}
	after := h.Status().Layout
	k := a.cssScale
	for name, r := range before {
		if got := after[name]; math.Abs(got.Y-(r.Y-300*k)) > 1e-9 || got.X != r.X || got.W != r.W || got.H != r.H {
			t.Errorf("%s at %+v after scrolling 300 units, was %+v", name, got, r)
		}
	}
	if d := after["dashboard"]; d.Y != -300*k || d.H != a.layout.Height*k || d.W != a.layout.Width*k {
		t.Errorf("status().layout.dashboard %+v, want the whole dashboard from %g", d, -300*k)
	}

	// Scrolled to the end, the pad is out of the window and draws nothing.
	for _, in := range drag(100, 700, -100000) {
		h.Update(in)
	}
	if a.scroll.Offset() != a.layout.Height-a.layout.ViewHeight {
		t.Errorf("dragged far up, the offset is %g, want the end %g", a.scroll.Offset(), a.layout.Height-a.layout.ViewHeight)
	}
	rec := &recorder{}
	h.Draw(rec)
	if rec.drew("Draw a digit") || !rec.drew("t-SNE after the last epoch") {
		t.Errorf("at the end of the dashboard, the pad drew %v and the last t-SNE %v; want only the t-SNE", rec.drew("Draw a digit"), rec.drew("t-SNE after the last epoch"))
	}
}

// A stroke on the pad draws and never scrolls; a drag from a button
// scrolls and never clicks it; a tap on it clicks it.
func TestStrokeDrawsAndDragScrolls(t *testing.T) {
	a := newTestApp(t, "")
	h := NewHandle(a)
	h.Resize(390, 844)
	h.Update(Input{})
	for _, e := range padEvents(a, []digit.Point{{X: 140, Y: 20}, {X: 140, Y: 150}, {X: 140, Y: 270}}) {
		h.Update(Input{Events: []widget.Event{e}, Ink: InkOf([]widget.Event{e})})
	}
	if h.Status().Pad.Empty || a.scroll.Offset() != 0 {
		t.Errorf("a stroke down the pad: pad empty %v, scrolled %g", h.Status().Pad.Empty, a.scroll.Offset())
	}
	start := a.onScreen(layoutSettings(panelInner(a.layout.Controls)).buttons[0])
	x, y := centre(start)
	for _, in := range drag(x, y, -40) {
		h.Update(in)
	}
	if st := h.Status().State; st != "idle" || a.scroll.Offset() != 40 {
		t.Errorf("a drag from Start: the run is %s, scrolled %g; want idle and 40", st, a.scroll.Offset())
	}
	x, y = centre(a.onScreen(layoutSettings(panelInner(a.layout.Controls)).buttons[0]))
	h.Update(Input{Events: []widget.Event{{Kind: widget.Press, X: x, Y: y, ID: 3}}})
	h.Update(Input{Events: []widget.Event{{Kind: widget.Release, X: x, Y: y, ID: 3}}})
	if st := h.Status().State; st == "idle" {
		t.Error("a tap on Start left the run idle")
	}
}

// Turning a phone keeps the panel at the top of the screen there, and
// the drawing; as wide as a desktop, nothing scrolls.
func TestResizeKeepsThePanelInView(t *testing.T) {
	a := newTestApp(t, "")
	h := NewHandle(a)
	h.Resize(390, 844)
	h.Update(padStroke(a, []digit.Point{{X: 140, Y: 40}, {X: 140, Y: 240}}))
	input := h.Status().Pad.Input
	a.scroll.ScrollTo(a.layout.Curves.Y)
	for _, sz := range [][2]float64{{844, 390}, {390, 844}, {768, 1024}} {
		h.Resize(sz[0], sz[1])
		h.Update(Input{})
		if c := a.onScreen(a.layout.Curves); c.Y != 0 {
			t.Errorf("%v: the curves are %g units down the screen, want 0", sz, c.Y)
		}
		if st := h.Status().Pad; !slices.Equal(st.Input, input) {
			t.Errorf("%v: the drawing changed", sz)
		}
	}
	a.scroll.ScrollTo(a.layout.Curves.Y + 30)
	h.Resize(390, 844)
	if got, want := a.scroll.Offset(), a.layout.Curves.Y+30*a.layout.Curves.H/layout.Fit(768, 1024).Curves.H; math.Abs(got-want) > 1e-9 {
		t.Errorf("30 units into the curves on a tablet, the phone is scrolled to %g, want %g", got, want)
	}
	h.Resize(1280, 780)
	if a.layout.Flow || a.scroll.Offset() != 0 || a.scroll.Max() != 0 {
		t.Errorf("on a desktop: flow %v, offset %g of %g; want the desktop arrangement, unscrolled", a.layout.Flow, a.scroll.Offset(), a.scroll.Max())
	}
}

// The runs panel, in every arrangement: its toolbar's buttons apart and
// inside, columns at least 20 units wide, and in the flow arrangement six
// rows of the table inside, and in a phone's column rows and × large
// enough for a finger.
func TestRunsLayoutFits(t *testing.T) {
	p := newRunsPanel()
	n := len(p.presets) + 2
	for name, d := range testDashboards() {
		in := panelInner(d.Runs)
		l := layoutRuns(in, n)
		for i, b := range l.toolbar {
			if !inside(b, in) || b.W < 60 {
				t.Errorf("%s: button %d %+v is outside %+v or narrower than 60", name, i, b, in)
			}
			for _, c := range l.toolbar[i+1:] {
				if overlapping(b, c) {
					t.Errorf("%s: buttons %+v and %+v overlap", name, b, c)
				}
			}
		}
		if last := rowRect(in, l, 5); d.Flow && !inside(last, in) {
			t.Errorf("%s: the sixth row %+v leaves the panel's inside %+v", name, last, in)
		}
		shown := 0
		for _, c := range l.columns {
			if !c.Empty() {
				shown++
				if c.W < 20 { // "best" holds an epoch: two digits
					t.Errorf("%s: a column only %.0f wide", name, c.W)
				}
			}
		}
		if d.Flow && in.W < runsNarrow && (l.rowH < 24 || l.removeW < 24 || shown < 5) {
			t.Errorf("%s: rows %g high, × %g wide, %d columns", name, l.rowH, l.removeW, shown)
		}
	}
}
