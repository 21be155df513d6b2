// Package layout places the dashboard's panels. It works in logical units
// on a design canvas of at least 1280×780: a larger or differently shaped
// window gets a canvas of the same aspect, with the extra room shared
// among the panels, and the dashboard scales logical units to device
// pixels (HiDPI included) when it draws.
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

// Dashboard is where each panel goes, in logical units.
type Dashboard struct {
	Width, Height float64 // the logical canvas
	Header        geom.Rect
	Controls      geom.Rect
	Pad           geom.Rect // draw-to-classify
	Curves        geom.Rect // error curves and the live loss of every run
	Runs          geom.Rect // the experiment's runs: presets and the results table
	Confusion     geom.Rect
	Activations   geom.Rect // maps and kernels of the selected image
	TSNEFirst     geom.Rect
	TSNELast      geom.Rect
}

// Scale returns the factor from logical units to pixels for a window of
// w×h pixels: the largest that fits the design size in both directions.
func Scale(w, h float64) float64 {
	if w <= 0 || h <= 0 {
		return 1
	}
	return min(w/DesignWidth, h/DesignHeight)
}

// Compute lays out a logical canvas of w×h units (at least the design
// size is assumed; smaller values are raised to it).
func Compute(w, h float64) Dashboard {
	w, h = max(w, DesignWidth), max(h, DesignHeight)
	d := Dashboard{Width: w, Height: h}
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

// Panels returns every panel with its name, in drawing order.
func (d Dashboard) Panels() map[string]geom.Rect {
	return map[string]geom.Rect{
		"header": d.Header, "controls": d.Controls, "pad": d.Pad, "curves": d.Curves, "runs": d.Runs,
		"confusion": d.Confusion, "activations": d.Activations, "tsneFirst": d.TSNEFirst, "tsneLast": d.TSNELast,
	}
}
