package repaint

import (
	"image"
	"math"
)

// How far drawing may reach beyond a call's geometry: glyphs above and
// below a text's line and past its advance, and antialiased edges.
const (
	textAbove = 0.3 // of the size, above the line's top
	textBelow = 1.5 // of the size, below the line's top
	textSide  = 0.3 // of the size, before the first glyph and after the last
	edgePx    = 2   // device pixels around everything
)

// bounds returns the area panel i's calls cover on a screen of the given
// bounds at scale device pixels per unit, measuring texts with m. It errs
// on the large side: what is not in it is never repainted.
func (rec *recording) bounds(i int, screen image.Rectangle, scale float64, m Measurer) image.Rectangle {
	s := rec.span(i)
	var b box
	for _, k := range s.calls {
		n := k.num
		switch k.kind {
		case fillRect, picture:
			b.add(n[0], n[1], n[0]+n[2], n[1]+n[3], 0)
		case strokeRect:
			b.add(n[0], n[1], n[0]+n[2], n[1]+n[3], n[4]/2)
		case line:
			b.add(n[0], n[1], n[2], n[3], n[4]/2)
		case circle:
			b.add(n[0], n[1], n[0], n[1], n[2])
		case polyline:
			xs, ys := s.floats[k.at:k.at+k.n], s.floats[k.at+k.n:k.at+2*k.n]
			for j := range xs {
				b.add(xs[j], ys[j], xs[j], ys[j], n[0]/2)
			}
		case text:
			size := n[2]
			w := m.TextWidth(k.s, size)
			x := n[0] - w*[...]float64{0, 0.5, 1}[min(max(int(k.align), 0), 2)]
			b.add(x-textSide*size, n[1]-textAbove*size, x+w+textSide*size, n[1]+textBelow*size, 0)
		case digits:
			// A digit is about size/2 wide and size high, its top size/2+1
			// above its point: a square of twice the size holds it.
			for _, p := range s.points[k.at : k.at+k.n] {
				if !math.IsNaN(p[0]) && !math.IsNaN(p[1]) {
					b.add(p[0], p[1], p[0], p[1], n[0])
				}
			}
		}
	}
	return b.pixels(screen, scale)
}

// box is a bounding box in logical units, growing as calls are added.
type box struct {
	x0, y0, x1, y1 float64
	some           bool // anything added
	wild           bool // a coordinate was not finite: assume everywhere
}

// add grows b to hold the rectangle from (x0, y0) to (x1, y1), in either
// order, grown by d on every side.
func (b *box) add(x0, y0, x1, y1, d float64) {
	x0, x1 = min(x0, x1)-d, max(x0, x1)+d
	y0, y1 = min(y0, y1)-d, max(y0, y1)+d
	for _, v := range [...]float64{x0, y0, x1, y1} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b.wild = true
			return
		}
	}
	if !b.some {
		b.x0, b.y0, b.x1, b.y1, b.some = x0, y0, x1, y1, true
		return
	}
	b.x0, b.y0 = min(b.x0, x0), min(b.y0, y0)
	b.x1, b.y1 = max(b.x1, x1), max(b.y1, y1)
}

// pixels returns b in whole device pixels on the screen, rounded out and
// grown by edgePx.
func (b *box) pixels(screen image.Rectangle, scale float64) image.Rectangle {
	switch {
	case b.wild:
		return screen
	case !b.some:
		return image.Rectangle{}
	}
	clamp := func(v float64) int { return int(max(-1e9, min(1e9, v))) }
	r := image.Rect(clamp(math.Floor(b.x0*scale))-edgePx, clamp(math.Floor(b.y0*scale))-edgePx,
		clamp(math.Ceil(b.x1*scale))+edgePx, clamp(math.Ceil(b.y1*scale))+edgePx)
	return r.Intersect(screen)
}
