package ui

import "image/color"

// hexColour is an opaque or translucent colour written as 0xRRGGBBAA
// (not premultiplied), so the dashboard's colours can be constants.
type hexColour uint32

// RGBA implements color.Color.
func (h hexColour) RGBA() (r, g, b, a uint32) {
	return h.rgba().RGBA()
}

// rgba returns the colour as a premultiplied color.RGBA.
func (h hexColour) rgba() color.RGBA {
	a := uint32(h & 0xff)
	pre := func(v uint32) uint8 { return uint8(v * a / 0xff) }
	return color.RGBA{pre(uint32(h >> 24)), pre(uint32(h >> 16 & 0xff)), pre(uint32(h >> 8 & 0xff)), uint8(a)}
}

// Colours of the dashboard: a light theme that reads well on a projector.
const (
	colBackground hexColour = 0xf4f5f7ff
	colPanel      hexColour = 0xffffffff
	colBorder     hexColour = 0xd0d4dbff
	colText       hexColour = 0x1f2329ff
	colMuted      hexColour = 0x6a727dff
	colAccent     hexColour = 0x1f6febff
	colAccentSoft hexColour = 0xdde9fdff
	colWarn       hexColour = 0xc0392bff
	colWarnSoft   hexColour = 0xfdeceaf4
	colGrid       hexColour = 0xe6e8ecff
	colProbBar    hexColour = 0x9dbff5ff // a probability behind a digit, dark enough for a projector, light enough for the digit on it
	colTrain      hexColour = 0x1f6febff // train error
	colTest       hexColour = 0xe06c00ff // test error
	colLoss       hexColour = 0x6a727dff // live loss
)

// classPalette holds the colour of each digit 0–9: the "Tableau 10"
// palette, chosen to stay apart for common colour-vision deficiencies,
// with its three lightest hues (teal, yellow, pink) darkened so digits
// drawn in them read on white.
func classPalette() [10]color.RGBA {
	var out [10]color.RGBA
	for d, h := range [10]hexColour{
		0x4e79a7ff, 0xf28e2bff, 0xe15759ff, 0x499894ff, 0x59a14fff,
		0xb6992dff, 0xb07aa1ff, 0xd37295ff, 0x9c755fff, 0x79706eff,
	} {
		out[d] = h.rgba()
	}
	return out
}

// runColour is the colour of the experiment's run i in the curves and the
// results table: Okabe and Ito's palette for colour-vision deficiencies,
// without its yellow and sky blue, which fade on a projector.
func runColour(i int) hexColour {
	palette := [...]hexColour{0x0072b2ff, 0xd55e00ff, 0x009e73ff, 0xcc79a7ff, 0xe69f00ff, 0x000000ff}
	return palette[i%len(palette)]
}
