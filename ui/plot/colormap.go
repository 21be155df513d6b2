package plot

import (
	"image/color"
	"math"
)

// nanColor returns the neutral mid grey, RGB (128, 128, 128), that the
// colour maps return for NaN.
func nanColor() color.RGBA { return color.RGBA{128, 128, 128, 255} }

// anchor is one control point of a colour map: colour c at position t.
type anchor struct {
	t       float64
	r, g, b uint8
}

// viridisAnchors returns matplotlib's viridis map (van der Walt and
// Smith, 2015) sampled at 17 of its 256 published entries, every 16th
// (entry i sits at t = i/255). Linear interpolation between them stays
// within 6/255 per channel of the full table.
func viridisAnchors() [17]anchor {
	return [17]anchor{
		{0.0 / 255, 68, 1, 84},
		{16.0 / 255, 72, 24, 106},
		{32.0 / 255, 71, 45, 123},
		{48.0 / 255, 66, 64, 134},
		{64.0 / 255, 59, 82, 139},
		{80.0 / 255, 51, 99, 141},
		{96.0 / 255, 44, 114, 142},
		{112.0 / 255, 38, 130, 142},
		{128.0 / 255, 33, 145, 140},
		{143.0 / 255, 31, 159, 136},
		{159.0 / 255, 39, 173, 129},
		{175.0 / 255, 61, 188, 116},
		{191.0 / 255, 92, 200, 99},
		{207.0 / 255, 129, 211, 77},
		{223.0 / 255, 170, 220, 50},
		{239.0 / 255, 213, 226, 26},
		{255.0 / 255, 253, 231, 37},
	}
}

// Viridis maps t in [0,1] to the viridis colour map: dark purple through
// blue and green to yellow, with lightness rising steadily, so larger
// values always look brighter, also in greyscale and to the common forms
// of colour blindness. t outside [0,1] is clamped; NaN gives mid grey (128, 128, 128).
func Viridis(t float64) color.RGBA {
	anchors := viridisAnchors()
	return interpolate(anchors[:], t)
}

// divergingAnchors returns ColorBrewer's 11-class RdBu scheme (Cynthia
// Brewer, colorbrewer2.org), ordered from blue (negative) to red
// (positive).
func divergingAnchors() [11]anchor {
	return [11]anchor{
		{0.0, 5, 48, 97},
		{0.1, 33, 102, 172},
		{0.2, 67, 147, 195},
		{0.3, 146, 197, 222},
		{0.4, 209, 229, 240},
		{0.5, 247, 247, 247},
		{0.6, 253, 219, 199},
		{0.7, 244, 165, 130},
		{0.8, 214, 96, 77},
		{0.9, 178, 24, 43},
		{1.0, 103, 0, 31},
	}
}

// Diverging maps a signed value t in [-1,1] to ColorBrewer's RdBu map:
// dark blue at −1, near-white at 0, dark red at +1. It suits signed
// weights: both arms darken at nearly matching rates (CIE L* within about
// 4 units at equal |t|), so equal magnitudes read as equally strong
// whatever their sign, and zero fades into a light background. It also
// holds up on a projector, which washes out pale tints and compresses dark
// ones: the arms differ in hue (blue against red) as well as in lightness,
// so the sign stays readable where lightness steps are lost, and only
// near-zero weights, the ones that matter least, blend into the white.
// t outside [-1,1] is clamped; NaN gives mid grey (128, 128, 128).
func Diverging(t float64) color.RGBA {
	if math.IsNaN(t) {
		return nanColor()
	}
	anchors := divergingAnchors()
	return interpolate(anchors[:], (t+1)/2)
}

// interpolate returns the colour at t along the anchors (sorted by t,
// covering [0,1]), interpolating each sRGB channel linearly.
func interpolate(anchors []anchor, t float64) color.RGBA {
	if math.IsNaN(t) {
		return nanColor()
	}
	t = max(0, min(1, t))
	i := 1
	for i < len(anchors)-1 && anchors[i].t < t {
		i++
	}
	a, b := anchors[i-1], anchors[i]
	f := (t - a.t) / (b.t - a.t)
	mix := func(x, y uint8) uint8 {
		return uint8(math.Round(float64(x) + f*(float64(y)-float64(x))))
	}
	return color.RGBA{mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b), 255}
}
