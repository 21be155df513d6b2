package ui

import (
	"image"
	"image/color"

	"convlab/ui/geom"
	"convlab/ui/insightview"
	"convlab/ui/widget"
)

// Canvas is what panels draw on, in logical units: convlab/ui/screen
// implements it with ebiten, tests record what is drawn on it.
type Canvas interface {
	FillRect(r geom.Rect, c color.Color)
	StrokeRect(r geom.Rect, width float64, c color.Color)
	Line(x0, y0, x1, y1, width float64, c color.Color)
	Circle(x, y, radius float64, c color.Color)
	// Polyline strokes a path with round joins and caps.
	Polyline(xs, ys []float64, width float64, c color.Color)
	// Text draws s with its top at y and its anchor at x.
	Text(s string, x, y, size float64, c color.Color, a Align)
	// TextWidth is the width of s at size.
	TextWidth(s string, size float64) float64
	// Image draws the part src of b stretched over dst, its pixels as
	// sharp squares.
	Image(b *Bitmap, src image.Rectangle, dst geom.Rect)
	// Digits draws digits[i] centred on points[i] (its top size/2+1 above
	// the point), digit d in palette[d]. Points with a NaN coordinate, and
	// digits outside 0–9, are left out.
	Digits(points [][2]float64, digits []int, size float64, palette [10]color.RGBA)
}

// Align says where a text's anchor is.
type Align int

// The anchors of a text.
const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
)

// Bitmap is an image panels make and a Canvas draws: W×H pixels of 4
// bytes (opaque RGBA) in Pix. Version counts the changes, so that a
// Canvas keeping a copy on the GPU knows when to upload it again. Panels
// keep their bitmaps for their lifetime and Set them anew.
type Bitmap struct {
	W, H    int
	Pix     []byte
	Version int
}

// Set replaces the bitmap's pixels.
func (b *Bitmap) Set(w, h int, pix []byte) {
	b.W, b.H, b.Pix = w, h, pix
	b.Version++
}

// Bounds is the whole bitmap.
func (b *Bitmap) Bounds() image.Rectangle { return image.Rect(0, 0, b.W, b.H) }

// Empty reports whether the bitmap has no pixels.
func (b *Bitmap) Empty() bool { return b.W == 0 || b.H == 0 }

// atlas is a Bitmap of tiles, as insightview.Pack lays them out.
type atlas struct {
	Bitmap
	tiles []image.Rectangle
}

// set replaces the atlas's pixels and tiles.
func (a *atlas) set(p insightview.Atlas) {
	a.Set(p.W, p.H, p.Pix)
	a.tiles = p.Rects
}

// A panel's card: the title line on top, and the padding around its
// inside.
const (
	panelPadding = 10.0
	panelTitleH  = 26.0 // from the card's top to its inside
	panelBottom  = 8.0  // below the inside
)

// panelInner is the area inside a panel's card, below its title: what
// canvas.card returns.
func panelInner(r geom.Rect) geom.Rect {
	return geom.Rect{X: r.X + panelPadding, Y: r.Y + panelTitleH, W: r.W - 2*panelPadding, H: r.H - panelTitleH - panelBottom}
}

// canvas is a Canvas with the dashboard's own pieces: panel cards,
// headings, bitmaps, wrapped text and the widgets.
type canvas struct {
	Canvas
}

// card draws a panel's card and title and returns the area inside it.
func (c *canvas) card(r geom.Rect, title string) geom.Rect {
	c.FillRect(r, colPanel)
	c.StrokeRect(r, 1, colBorder)
	c.boldText(title, r.X+panelPadding, r.Y+6, 13, colText, AlignLeft)
	return panelInner(r)
}

// boldText draws a heading. The dashboard ships one font to keep the
// download small, so headings stand out by size and colour, not weight.
func (c *canvas) boldText(s string, x, y, size float64, clr color.Color, a Align) {
	c.Text(s, x, y, size+1, clr, a)
}

// image draws the whole of b over dst.
func (c *canvas) image(b *Bitmap, dst geom.Rect) {
	c.Image(b, b.Bounds(), dst)
}

// tile draws tile i of a over dst, if there is one.
func (c *canvas) tile(a *atlas, i int, dst geom.Rect) {
	if i >= 0 && i < len(a.tiles) {
		c.Image(&a.Bitmap, a.tiles[i], dst)
	}
}

// wrapped draws text in muted lines broken to r's width.
func (c *canvas) wrapped(text string, r geom.Rect, size float64) {
	lines := insightview.Wrap(text, r.W, func(t string) float64 { return c.TextWidth(t, size) })
	for i, line := range lines {
		c.Text(line, r.X, r.Y+float64(i)*(size+5), size, colMuted, AlignLeft)
	}
}

// button draws a push button, greyed out when disabled and darker while
// held.
func (c *canvas) button(b *widget.Button) { c.buttonSized(b, 13) }

// buttonSized draws a push button with its label at size.
func (c *canvas) buttonSized(b *widget.Button, size float64) {
	bg, fg := colAccent, colPanel
	switch {
	case !b.Enabled:
		bg, fg = colGrid, colMuted
	case b.Pressed():
		bg = colText
	}
	c.FillRect(b.Rect, bg)
	c.boldText(b.Label, b.X+b.W/2, b.Y+b.H/2-size*0.6, size, fg, AlignCenter)
}

// selector draws the segments, the selected one filled.
func (c *canvas) selector(s *widget.Selector) {
	for i, r := range s.SegmentRects() {
		bg, fg := colPanel, colText
		switch {
		case i == s.Selected:
			bg, fg = colAccent, colPanel
		case i == s.PressedSegment():
			bg = colAccentSoft
		}
		c.FillRect(r, bg)
		c.StrokeRect(r, 1, colBorder)
		c.Text(s.Options[i], r.X+r.W/2, r.Y+r.H/2-7, 10.5, fg, AlignCenter)
	}
}

// stepper draws − value + with the value's label.
func (c *canvas) stepper(s *widget.Stepper, label string) {
	c.StrokeRect(s.Rect, 1, colBorder)
	for _, b := range []struct {
		r       geom.Rect
		sign    string
		enabled bool
		held    bool
	}{{s.MinusRect(), "−", s.CanDec(), s.Pressed() < 0}, {s.PlusRect(), "+", s.CanInc(), s.Pressed() > 0}} {
		bg, fg := colAccentSoft, colAccent
		if !b.enabled {
			bg, fg = colGrid, colMuted
		} else if b.held {
			bg, fg = colAccent, colPanel
		}
		c.FillRect(b.r, bg)
		c.boldText(b.sign, b.r.X+b.r.W/2, b.r.Y+b.r.H/2-9, 15, fg, AlignCenter)
	}
	value := s.ValueRect()
	c.Text(label, value.X+value.W/2, value.Y+value.H/2-7, 12, colText, AlignCenter)
}

// rect is a shorthand for a geom.Rect.
func rect(x, y, w, h float64) geom.Rect { return geom.Rect{X: x, Y: y, W: w, H: h} }

// titleButtons places buttons of the given widths at the right end of the
// title bar of a card in r, right to left from the last.
func titleButtons(r geom.Rect, widths ...float64) []geom.Rect {
	out := make([]geom.Rect, len(widths))
	x := r.X + r.W - 8
	for i := len(widths) - 1; i >= 0; i-- {
		x -= widths[i]
		out[i] = rect(x, r.Y+4, widths[i], 18)
		x -= 4
	}
	return out
}

// smallButton draws a button of a card's title bar.
func (c *canvas) smallButton(b *widget.Button) {
	bg, fg := colAccentSoft, colAccent
	switch {
	case !b.Enabled:
		bg, fg = colGrid, colMuted
	case b.Pressed():
		bg, fg = colAccent, colPanel
	}
	c.FillRect(b.Rect, bg)
	c.Text(b.Label, b.X+b.W/2, b.Y+b.H/2-7, 11, fg, AlignCenter)
}
