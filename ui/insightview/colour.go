// Package insightview holds the view-model logic of the dashboard's insight
// panels: the heatmaps of a network's activations and kernels, and of the
// gradients of the backward view (their colours, value scales, marks and
// packing into one texture), the layout of the activation panel's two
// views and of the confusion panel, fitting t-SNE points into a rectangle,
// and hit-testing of points, cells and thumbnails. It draws nothing and
// does not import ebiten.
//
// Colours: activations (never negative after ReLU) use viridis from 0 to
// the layer's largest value, so brighter always means larger, also in
// greyscale and on a washed-out projector; kernel weights and the
// confusion matrix use ColorBrewer's diverging RdBu map, symmetric about
// zero (see plot.Viridis and plot.Diverging), as do gradients, which are
// signed: a grey-scale from minimum to maximum would hide their sign.
package insightview

import (
	"image/color"
	"math"

	"convlab/ui/plot"
)

// Palette maps a value to a colour.
type Palette func(v float64) color.RGBA

// Activation returns viridis over [0, top]: 0 is dark purple, top bright
// yellow. A top that is not positive (a layer whose every value is 0)
// makes every value the darkest colour.
func Activation(top float64) Palette {
	if !(top > 0) || math.IsInf(top, 0) {
		top = 1
	}
	return func(v float64) color.RGBA { return plot.Viridis(plot.Unit(v, 0, top)) }
}

// Weight returns the diverging map over [−absMax, absMax]: negative blue,
// zero near-white, positive red.
func Weight(absMax float64) Palette {
	return func(v float64) color.RGBA { return plot.Diverging(plot.Signed(v, absMax)) }
}

// Grey maps an input pixel in [0, 1] (1 = ink) to black through white, as
// the network sees it. Values outside are clamped; NaN is black.
func Grey(v float64) color.RGBA {
	if math.IsNaN(v) {
		v = 0
	}
	g := uint8(math.Round(255 * max(0, min(1, v))))
	return color.RGBA{g, g, g, 255}
}

// LayerMax returns the largest finite value in all of xs, or 0 if there
// is none or none is positive: the top of an activation scale.
func LayerMax(xs ...[]float64) float64 {
	top := 0.0
	for _, x := range xs {
		if _, hi, ok := plot.MinMax(x); ok {
			top = max(top, hi)
		}
	}
	return top
}

// Ink returns whichever of dark and light has the higher contrast with
// bg (WCAG 2 contrast ratio), for text drawn on a shaded cell.
func Ink(bg, dark, light color.RGBA) color.RGBA {
	lb := plot.Luminance(bg)
	if contrast(lb, plot.Luminance(dark)) >= contrast(lb, plot.Luminance(light)) {
		return dark
	}
	return light
}

func contrast(a, b float64) float64 { return (max(a, b) + 0.05) / (min(a, b) + 0.05) }
