package ui

import (
	"math"

	"convlab/ui/geom"
	"convlab/ui/layout"
	"convlab/ui/scroll"
)

// window is the App's window onto its layout. In the flow arrangement the
// dashboard can be taller than the window, and scrolls (package scroll):
// panels are laid out in the dashboard's coordinates and seen, hit-tested
// and drawn in the window's, which start Offset units further down. The
// App embeds it; its zero value is an empty layout, unscrolled.
type window struct {
	layout layout.Dashboard
	scroll scroll.View // how far the window is scrolled down the dashboard
}

// Sizes of the scroll bar shown at the window's right edge while the
// dashboard is taller than the window.
const (
	scrollBarW   = 4.0
	scrollBarMin = 24.0 // the thumb's least length
)

// onScreen returns where r, in the dashboard's coordinates, is in the
// window.
func (a *window) onScreen(r geom.Rect) geom.Rect {
	r.Y -= a.scroll.Offset()
	return r
}

// view is the window, in its own coordinates.
func (a *window) view() geom.Rect { return rect(0, 0, a.layout.Width, a.layout.ViewHeight) }

// bannerArea is the banner's rectangle (see banner): the window below
// the header, or all of it once the header has scrolled out.
func (a *window) bannerArea() geom.Rect {
	h := a.onScreen(a.layout.Header)
	top := max(0, h.Y+h.H)
	return rect(0, top, a.layout.Width, a.layout.ViewHeight-top)
}

// visible reports whether any of r (in the window's coordinates) is in
// the window.
func (a *window) visible(r geom.Rect) bool {
	v := a.view()
	return r.Y < v.Y+v.H && r.Y+r.H > v.Y
}

// padLayout is the pad panel's layout where it is in the window.
func (a *window) padLayout() padLayout {
	return layoutPad(panelInner(a.onScreen(a.layout.Pad)), a.layout.PadSide)
}

// grabbable reports whether a press at (x, y) may scroll the dashboard:
// anywhere but on the pad's drawing surface, where it draws.
func (a *window) grabbable(x, y float64) bool { return !a.padLayout().surface.Contains(x, y) }

// relayout lays the dashboard out anew as d, keeping in view what was:
// the panel that began nearest the window's top stays as near it, and as
// far into it (in proportion, should it have grown or shrunk).
func (a *window) relayout(d layout.Dashboard) {
	old, offset := a.layout, a.scroll.Offset()
	a.layout = d
	target := 0.0
	if top := topPanel(old, offset); top != "" {
		was, now := old.Panels()[top], d.Panels()[top]
		into := offset - was.Y
		if into > 0 && was.H > 0 {
			into *= now.H / was.H
		}
		target = now.Y + into
	}
	a.scroll.SetRange(d.Height-d.ViewHeight, target)
}

// topPanel names the panel of d in a window scrolled down by offset whose
// top is nearest the window's top, above or below, of those in the
// window (the first by name of equals), or "" if there is none.
func topPanel(d layout.Dashboard, offset float64) string {
	name, best := "", math.Inf(1)
	for n, r := range d.Panels() {
		dist := math.Abs(r.Y - offset)
		if r.Y+r.H > offset && r.Y < offset+d.ViewHeight && (dist < best || dist == best && n < name) {
			name, best = n, dist
		}
	}
	return name
}

// drawScrollBar draws, while the dashboard is taller than the window, a
// thin bar at the window's right edge: its thumb is the window's share
// of the dashboard, where the window is.
func (a *window) drawScrollBar(c *canvas) {
	d := a.layout
	if d.Height <= d.ViewHeight {
		return
	}
	v := a.view()
	h := max(scrollBarMin, v.H*v.H/d.Height)
	y := (v.H - h) * a.scroll.Offset() / (d.Height - d.ViewHeight)
	c.FillRect(rect(v.X+v.W-scrollBarW-1, y, scrollBarW, h), colMuted)
}
