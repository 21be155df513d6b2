// Package repaint lets a screen paint only what changed. A Recorder is the
// ui.Canvas the dashboard draws on each frame: it keeps the drawing calls,
// panel by panel, as a list that can be compared with the last frame's.
// Finish compares them and plans the repaint: nothing when every panel
// drew what it drew before, else the areas the changed panels cover now or
// covered then, in whole device pixels. Replay then draws, clipped to each
// area, every panel that reaches into it, in the dashboard's order; the
// pixels elsewhere stay as they were painted.
//
// The package knows nothing of ebiten: convlab/ui/screen replays onto its
// ebiten Canvas, the tests onto a fake one.
package repaint

import (
	"image"
	"image/color"

	"convlab/ui"
	"convlab/ui/geom"
)

// Measurer measures text as the canvas that will draw it does; the
// Recorder answers TextWidth with it, and bounds texts with it.
type Measurer interface {
	TextWidth(s string, size float64) float64
}

// Recorder records a frame's drawing calls, panel by panel (App.Draw calls
// NextPanel between panels; what is drawn before the first call is a
// panel too). It keeps the last frame's recording to compare with, and
// reuses both frames' storage, so that recording a frame like the last
// one allocates nothing.
type Recorder struct {
	measure   Measurer
	cur, prev recording // this frame's and the last painted frame's
	finished  bool      // cur holds a frame that Finish planned
	painted   bool      // prev holds a painted frame
	invalid   bool      // the next plan repaints everything
	areas     []image.Rectangle
}

// NewRecorder returns a Recorder that measures text with m.
func NewRecorder(m Measurer) *Recorder { return &Recorder{measure: m} }

// recording is one frame's drawing calls. The calls keep their slices'
// contents in the shared arrays floats, points and ints, at offsets
// relative to their panel's first entry, so that a panel's calls compare
// equal whatever the panels before it drew.
type recording struct {
	calls  []call
	floats []float64    // Polyline: xs then ys
	points [][2]float64 // Digits: the points
	ints   []int        // Digits: the palette (10 packed RGBA), then the digits
	panels []panel
}

// panel is where a panel's calls are in a recording, and the area they
// cover in device pixels (set by Finish).
type panel struct {
	calls, floats, points, ints int // the panel's first entries
	bounds                      image.Rectangle
}

// kind is which Canvas method a call is.
type kind uint8

const (
	fillRect kind = iota + 1
	strokeRect
	line
	circle
	polyline
	text
	picture
	digits
)

// call is one drawing call. Its key is what two frames' calls are
// compared by; clr is kept as it was given so that replaying passes the
// same value on, without converting it again.
type call struct {
	key
	clr color.Color
}

// key is a call's comparable part.
type key struct {
	kind  kind
	align ui.Align
	// num holds the numbers: FillRect x y w h; StrokeRect x y w h width;
	// Line x0 y0 x1 y1 width; Circle x y r; Polyline width; Text x y size;
	// Image the destination's x y w h; Digits size.
	num     [5]float64
	rgba    color.RGBA64
	s       string
	bitmap  *ui.Bitmap
	version int // the bitmap's
	src     image.Rectangle
	// Where a call's slices are, from its panel's first entries: Polyline
	// n xs then n ys at floats[at:]; Digits n points at points[at:], and
	// the palette then the n digits at ints[ints:].
	at, n, ints int
}

// Begin starts recording a frame. The frame planned before becomes the
// one to compare with; the one before that lends its storage.
func (r *Recorder) Begin() {
	if r.finished {
		r.cur, r.prev = r.prev, r.cur
		r.finished, r.painted = false, true
	}
	r.cur.calls = r.cur.calls[:0]
	r.cur.floats = r.cur.floats[:0]
	r.cur.points = r.cur.points[:0]
	r.cur.ints = r.cur.ints[:0]
	r.cur.panels = append(r.cur.panels[:0], panel{})
}

// NextPanel starts the next panel's drawing; App.Draw calls it.
func (r *Recorder) NextPanel() {
	c := &r.cur
	c.panels = append(c.panels, panel{calls: len(c.calls), floats: len(c.floats), points: len(c.points), ints: len(c.ints)})
}

// Invalidate makes the next plan repaint everything: the screen is new,
// or its scale changed.
func (r *Recorder) Invalidate() { r.invalid = true }

// add records a call with its colour.
func (r *Recorder) add(k key, clr color.Color) {
	if clr != nil {
		cr, cg, cb, ca := clr.RGBA()
		k.rgba = color.RGBA64{R: uint16(cr), G: uint16(cg), B: uint16(cb), A: uint16(ca)}
	}
	r.cur.calls = append(r.cur.calls, call{key: k, clr: clr})
}

// FillRect implements ui.Canvas.
func (r *Recorder) FillRect(rc geom.Rect, clr color.Color) {
	r.add(key{kind: fillRect, num: [5]float64{rc.X, rc.Y, rc.W, rc.H}}, clr)
}

// StrokeRect implements ui.Canvas.
func (r *Recorder) StrokeRect(rc geom.Rect, width float64, clr color.Color) {
	r.add(key{kind: strokeRect, num: [5]float64{rc.X, rc.Y, rc.W, rc.H, width}}, clr)
}

// Line implements ui.Canvas.
func (r *Recorder) Line(x0, y0, x1, y1, width float64, clr color.Color) {
	r.add(key{kind: line, num: [5]float64{x0, y0, x1, y1, width}}, clr)
}

// Circle implements ui.Canvas.
func (r *Recorder) Circle(x, y, radius float64, clr color.Color) {
	r.add(key{kind: circle, num: [5]float64{x, y, radius}}, clr)
}

// Polyline implements ui.Canvas. It records the points, not the slices,
// which the caller may change afterwards.
func (r *Recorder) Polyline(xs, ys []float64, width float64, clr color.Color) {
	n := min(len(xs), len(ys))
	c := &r.cur
	at := len(c.floats) - c.panels[len(c.panels)-1].floats
	c.floats = append(append(c.floats, xs[:n]...), ys[:n]...)
	r.add(key{kind: polyline, num: [5]float64{width}, at: at, n: n}, clr)
}

// Text implements ui.Canvas.
func (r *Recorder) Text(s string, x, y, size float64, clr color.Color, a ui.Align) {
	r.add(key{kind: text, num: [5]float64{x, y, size}, s: s, align: a}, clr)
}

// TextWidth implements ui.Canvas with the Measurer; it draws nothing.
func (r *Recorder) TextWidth(s string, size float64) float64 { return r.measure.TextWidth(s, size) }

// Image implements ui.Canvas. It records the bitmap with its version,
// which changes with its pixels.
func (r *Recorder) Image(b *ui.Bitmap, src image.Rectangle, dst geom.Rect) {
	r.add(key{kind: picture, num: [5]float64{dst.X, dst.Y, dst.W, dst.H}, bitmap: b, version: b.Version, src: src}, nil)
}

// Digits implements ui.Canvas. It records the points, digits and palette,
// not the slices.
func (r *Recorder) Digits(points [][2]float64, ds []int, size float64, palette [10]color.RGBA) {
	n := min(len(points), len(ds))
	c := &r.cur
	p := c.panels[len(c.panels)-1]
	at, ints := len(c.points)-p.points, len(c.ints)-p.ints
	c.points = append(c.points, points[:n]...)
	for _, clr := range palette {
		c.ints = append(c.ints, int(clr.R)<<24|int(clr.G)<<16|int(clr.B)<<8|int(clr.A))
	}
	c.ints = append(c.ints, ds[:n]...)
	r.add(key{kind: digits, num: [5]float64{size}, at: at, n: n, ints: ints}, nil)
}
