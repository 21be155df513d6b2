package repaint

import (
	"image"
	"image/color"
	"math"

	"convlab/ui"
	"convlab/ui/geom"
)

// Plan says what to paint of a frame.
type Plan struct {
	// Full: everything, on a cleared screen.
	Full bool
	// Areas, unless Full: the areas to clear and replay, in device pixels,
	// not overlapping. None when every panel drew what it drew last frame.
	Areas []image.Rectangle
}

// Nothing reports whether the plan paints nothing.
func (p Plan) Nothing() bool { return !p.Full && len(p.Areas) == 0 }

// Finish ends the frame and plans its painting on a screen of the given
// bounds, scale device pixels per logical unit. A panel is repainted when
// its calls differ from the last frame's: what it covers now and what it
// covered then are cleared, and every panel that reaches into them is
// replayed there. Everything is repainted on the first frame, after
// Invalidate, and when the number of panels changed.
//
// Plan.Areas is reused by the next Finish.
func (r *Recorder) Finish(screen image.Rectangle, scale float64) Plan {
	cur, prev := &r.cur, &r.prev
	full := r.invalid || !r.painted || len(cur.panels) != len(prev.panels)
	r.invalid, r.finished = false, true
	r.areas = r.areas[:0]
	for i := range cur.panels {
		if !full && r.unchanged(i) {
			cur.panels[i].bounds = prev.panels[i].bounds
			continue
		}
		cur.panels[i].bounds = cur.bounds(i, screen, scale, r.measure)
		if !full {
			r.addArea(cur.panels[i].bounds)
			r.addArea(prev.panels[i].bounds)
		}
	}
	return Plan{Full: full, Areas: r.areas}
}

// unchanged reports whether panel i drew what it drew last frame.
func (r *Recorder) unchanged(i int) bool {
	a, b := r.cur.span(i), r.prev.span(i)
	if len(a.calls) != len(b.calls) || len(a.floats) != len(b.floats) ||
		len(a.points) != len(b.points) || len(a.ints) != len(b.ints) {
		return false
	}
	for j := range a.calls {
		if a.calls[j].key != b.calls[j].key {
			return false
		}
	}
	// Bit for bit, so that NaN (a t-SNE point not yet placed) equals NaN.
	for j := range a.floats {
		if math.Float64bits(a.floats[j]) != math.Float64bits(b.floats[j]) {
			return false
		}
	}
	for j := range a.points {
		p, q := a.points[j], b.points[j]
		if math.Float64bits(p[0]) != math.Float64bits(q[0]) || math.Float64bits(p[1]) != math.Float64bits(q[1]) {
			return false
		}
	}
	for j := range a.ints {
		if a.ints[j] != b.ints[j] {
			return false
		}
	}
	return true
}

// addArea adds a to the areas to repaint, merged with those it overlaps,
// so that no pixel is painted twice.
func (r *Recorder) addArea(a image.Rectangle) {
	if a.Empty() {
		return
	}
	for merged := true; merged; {
		merged = false
		for j, b := range r.areas {
			if a.Overlaps(b) {
				a = a.Union(b)
				r.areas = append(r.areas[:j], r.areas[j+1:]...)
				merged = true
				break
			}
		}
	}
	r.areas = append(r.areas, a)
}

// Replay draws, on c, every panel of the frame that reaches into area, in
// their order; c clips to area. With the whole screen as area it draws
// every panel that drew anything.
func (r *Recorder) Replay(c ui.Canvas, area image.Rectangle) {
	for i, p := range r.cur.panels {
		if p.bounds.Overlaps(area) {
			r.cur.replay(i, c)
		}
	}
}

// EachBitmap calls f with every bitmap the frame draws, changed or not:
// the screen keeps their GPU copies.
func (r *Recorder) EachBitmap(f func(*ui.Bitmap)) {
	for _, c := range r.cur.calls {
		if c.kind == picture {
			f(c.bitmap)
		}
	}
}

// span is one panel's part of a recording.
type span struct {
	calls  []call
	floats []float64
	points [][2]float64
	ints   []int
}

// span returns panel i's calls and data.
func (rec *recording) span(i int) span {
	p := rec.panels[i]
	end := panel{calls: len(rec.calls), floats: len(rec.floats), points: len(rec.points), ints: len(rec.ints)}
	if i+1 < len(rec.panels) {
		end = rec.panels[i+1]
	}
	return span{rec.calls[p.calls:end.calls], rec.floats[p.floats:end.floats], rec.points[p.points:end.points], rec.ints[p.ints:end.ints]}
}

// replay draws panel i's calls on c.
func (rec *recording) replay(i int, c ui.Canvas) {
	s := rec.span(i)
	for _, k := range s.calls {
		n := k.num
		switch k.kind {
		case fillRect:
			c.FillRect(geom.Rect{X: n[0], Y: n[1], W: n[2], H: n[3]}, k.clr)
		case strokeRect:
			c.StrokeRect(geom.Rect{X: n[0], Y: n[1], W: n[2], H: n[3]}, n[4], k.clr)
		case line:
			c.Line(n[0], n[1], n[2], n[3], n[4], k.clr)
		case circle:
			c.Circle(n[0], n[1], n[2], k.clr)
		case polyline:
			xy := s.floats[k.at : k.at+2*k.n]
			c.Polyline(xy[:k.n], xy[k.n:], n[0], k.clr)
		case text:
			c.Text(k.s, n[0], n[1], n[2], k.clr, k.align)
		case picture:
			c.Image(k.bitmap, k.src, geom.Rect{X: n[0], Y: n[1], W: n[2], H: n[3]})
		case digits:
			ints := s.ints[k.ints : k.ints+10+k.n]
			var palette [10]color.RGBA
			for d, v := range ints[:10] {
				palette[d] = color.RGBA{R: uint8(v >> 24), G: uint8(v >> 16), B: uint8(v >> 8), A: uint8(v)}
			}
			c.Digits(s.points[k.at:k.at+k.n], ints[10:], n[0], palette)
		}
	}
}
