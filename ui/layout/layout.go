// Package layout places the dashboard's panels, in one of two
// arrangements, and chooses the scale from logical units to CSS pixels.
//
// The desktop arrangement is three columns on a design canvas of at least
// 1280×780 units: a larger or differently shaped window gets a canvas of
// the same aspect, with the extra room shared among the panels, scaled to
// fit the window.
//
// A window that is taller than wide (a phone or a tablet held upright),
// or so small that the desktop arrangement's text would be hard to read,
// gets the flow arrangement instead: the panels in one column, or side by
// side in as many columns as fit, at ReadableScale, so that the design's
// text is at least 12 CSS pixels tall, in the order a visitor on a phone
// uses them: the pad, the settings and the training curves, then the
// runs, the insight panels and the t-SNE maps. The dashboard is then
// taller than the window and scrolls (see Dashboard.ViewHeight).
//
// The dashboard scales logical units to device pixels (HiDPI included)
// when it draws.
package layout

import "convlab/ui/geom"

// Design size of the dashboard in logical units.
const (
	DesignWidth  = 1280.0
	DesignHeight = 780.0
)

// Margin between panels, in logical units.
const Margin = 8.0

// HeaderHeight is the height of the title and status line.
const HeaderHeight = 36.0

// DesktopPadSide is the largest side of the pad's drawing surface in the
// desktop arrangement, where a mouse draws.
const DesktopPadSide = 200.0

// Readability of the two arrangements.
const (
	// BodyText is the size of the design's smallest common text (labels,
	// notes, axis ticks), in logical units.
	BodyText = 11.0
	// ReadableText is how tall, in CSS pixels, BodyText is shown in the
	// flow arrangement: readable on a phone held at arm's length.
	ReadableText = 12.0
	// ReadableScale is the flow arrangement's CSS pixels per logical
	// unit: BodyText at ReadableText.
	ReadableScale = ReadableText / BodyText
	// MinDesktopScale is the smallest scale at which a landscape window
	// keeps the desktop arrangement: BodyText at 8.25 CSS pixels. A
	// 1024×768 window (0.8) reads well; an 844×390 phone on its side
	// (0.5) or an 800×600 one (0.625) does not.
	MinDesktopScale = 0.75
)

// Dashboard is where each panel goes, in logical units.
type Dashboard struct {
	// Width, Height is the whole dashboard. In the flow arrangement it
	// is taller than the window when its panels need the room, and
	// scrolls.
	Width, Height float64
	// ViewHeight is the window's height: Height in the desktop
	// arrangement, at most Height in the flow one.
	ViewHeight float64
	// Scale is CSS pixels per logical unit (Fit sets it; 1 from Compute
	// and Flow).
	Scale float64
	// Flow reports the flow arrangement.
	Flow bool
	// PadSide is the largest side of the pad's drawing surface:
	// DesktopPadSide where a mouse draws; in the flow arrangement as
	// large as the pad's column allows, for a finger, but never taller
	// than the window.
	PadSide float64

	Header      geom.Rect
	Controls    geom.Rect
	Pad         geom.Rect // draw-to-classify
	Curves      geom.Rect // error curves and the live loss of every run
	Runs        geom.Rect // the experiment's runs: presets and the results table
	Confusion   geom.Rect
	Activations geom.Rect // maps and kernels of the selected image
	TSNEFirst   geom.Rect
	TSNELast    geom.Rect
}

// Fit lays the dashboard out for a window of w×h CSS pixels, in the
// desktop arrangement when it is at least as wide as tall and shows the
// design at MinDesktopScale or more, else in the flow arrangement.
// Dashboard.Scale is then the CSS pixels per logical unit. A window with
// no area is taken to be the design size.
func Fit(w, h float64) Dashboard {
	if !(w > 0 && h > 0) {
		w, h = DesignWidth, DesignHeight
	}
	s := min(w/DesignWidth, h/DesignHeight)
	var d Dashboard
	if h <= w && s >= MinDesktopScale {
		d = Compute(w/s, h/s)
		d.Scale = s
	} else {
		d = Flow(w/ReadableScale, h/ReadableScale)
		d.Scale = ReadableScale
	}
	return d
}

// Compute lays out the desktop arrangement on a logical canvas of w×h
// units (at least the design size is assumed; smaller values are raised
// to it).
func Compute(w, h float64) Dashboard {
	w, h = max(w, DesignWidth), max(h, DesignHeight)
	d := Dashboard{Width: w, Height: h, ViewHeight: h, Scale: 1, PadSide: DesktopPadSide}
	d.Header = geom.Rect{X: 0, Y: 0, W: w, H: HeaderHeight}
	top := HeaderHeight + Margin
	bodyH := h - top - Margin
	// Three columns: controls and pad | curves and confusion | insight.
	left := 296.0 + (w-DesignWidth)*0.2
	middle := 452.0 + (w-DesignWidth)*0.35
	right := w - left - middle - 4*Margin
	x0 := Margin
	x1 := x0 + left + Margin
	x2 := x1 + middle + Margin

	controlsH := 300.0 + (h-DesignHeight)*0.3
	d.Controls = geom.Rect{X: x0, Y: top, W: left, H: controlsH}
	d.Pad = geom.Rect{X: x0, Y: top + controlsH + Margin, W: left, H: bodyH - controlsH - Margin}

	// The middle column: the curves, the runs (room for six rows), and
	// the confusion matrix (room for cells that fit a two-digit count).
	runsH := 160.0 + (h-DesignHeight)*0.1
	confusionH := bodyH * 0.39
	curvesH := bodyH - runsH - confusionH - 2*Margin
	d.Curves = geom.Rect{X: x1, Y: top, W: middle, H: curvesH}
	d.Runs = geom.Rect{X: x1, Y: top + curvesH + Margin, W: middle, H: runsH}
	d.Confusion = geom.Rect{X: x1, Y: d.Runs.Y + runsH + Margin, W: middle, H: confusionH}

	actH := bodyH * 0.54
	d.Activations = geom.Rect{X: x2, Y: top, W: right, H: actH}
	mapY := top + actH + Margin
	mapW := (right - Margin) / 2
	d.TSNEFirst = geom.Rect{X: x2, Y: mapY, W: mapW, H: bodyH - actH - Margin}
	d.TSNELast = geom.Rect{X: x2 + mapW + Margin, Y: mapY, W: mapW, H: bodyH - actH - Margin}
	return d
}

// Panels returns every panel with its name.
func (d Dashboard) Panels() map[string]geom.Rect {
	return map[string]geom.Rect{
		"header": d.Header, "controls": d.Controls, "pad": d.Pad, "curves": d.Curves, "runs": d.Runs,
		"confusion": d.Confusion, "activations": d.Activations, "tsneFirst": d.TSNEFirst, "tsneLast": d.TSNELast,
	}
}
