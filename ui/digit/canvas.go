// Package digit turns what a person draws on the dashboard's pad into a
// 28×28 input prepared the way the MNIST digits were prepared.
//
// A Canvas collects anti-aliased round strokes as grey ink in [0,1];
// ToMNIST crops, scales and centres that ink into the 784 values a network
// trained on MNIST expects. The package does no drawing on screen and does
// not import ebiten.
package digit

import (
	"errors"
	"fmt"
	"image"
	"math"
)

// MaxCanvasSide bounds each side of a Canvas so that a bad size cannot
// allocate an unbounded buffer.
const MaxCanvasSide = 4096

// Canvas is a greyscale ink buffer: one value per pixel in [0,1], 0 meaning
// no ink and 1 full ink. Pixel (x, y) covers the square [x, x+1) × [y, y+1)
// in canvas coordinates; its centre is (x+0.5, y+0.5).
type Canvas struct {
	w, h int
	ink  []float64
}

// NewCanvas returns an empty w×h canvas. Both sides must lie in
// [1, MaxCanvasSide].
func NewCanvas(w, h int) (*Canvas, error) {
	if w < 1 || h < 1 || w > MaxCanvasSide || h > MaxCanvasSide {
		return nil, fmt.Errorf("digit: canvas size %d×%d outside 1…%d", w, h, MaxCanvasSide)
	}
	return &Canvas{w: w, h: h, ink: make([]float64, w*h)}, nil
}

// Width returns the canvas width in pixels.
func (c *Canvas) Width() int { return c.w }

// Height returns the canvas height in pixels.
func (c *Canvas) Height() int { return c.h }

// At returns the ink at pixel (x, y), or 0 outside the canvas.
func (c *Canvas) At(x, y int) float64 {
	if x < 0 || y < 0 || x >= c.w || y >= c.h {
		return 0
	}
	return c.ink[y*c.w+x]
}

// Ink returns a copy of the ink values in row-major order (len W×H).
func (c *Canvas) Ink() []float64 {
	return append([]float64(nil), c.ink...)
}

// Clear removes all ink.
func (c *Canvas) Clear() {
	clear(c.ink)
}

// Empty reports whether no pixel holds more than InkThreshold ink, that is
// whether ToMNIST would return ErrEmpty.
func (c *Canvas) Empty() bool {
	_, ok := c.InkBounds()
	return !ok
}

// InkBounds returns the smallest rectangle holding every pixel whose ink
// exceeds InkThreshold, and false if there is none.
func (c *Canvas) InkBounds() (image.Rectangle, bool) {
	x0, y0, x1, y1 := c.w, c.h, -1, -1
	for y := 0; y < c.h; y++ {
		row := c.ink[y*c.w : (y+1)*c.w]
		for x, v := range row {
			if v > InkThreshold {
				x0, x1 = min(x0, x), max(x1, x)
				y0, y1 = min(y0, y), max(y1, y)
			}
		}
	}
	if x1 < 0 {
		return image.Rectangle{}, false
	}
	return image.Rect(x0, y0, x1+1, y1+1), true
}

// ErrBadStroke is returned (wrapped) by Stroke for a non-finite coordinate
// or a radius that is not a positive finite number.
var ErrBadStroke = errors.New("digit: bad stroke")

// Stroke paints a thick line from (x0, y0) to (x1, y1) with round caps, in
// canvas coordinates: every point within radius of the segment is inked.
// Edges are anti-aliased: a pixel whose centre lies at distance d from the
// segment gets coverage clamp(radius+0.5−d, 0, 1), a one-pixel-wide ramp
// that approximates the exact area coverage. Ink combines as the maximum of
// the existing ink and the new coverage, so overlapping strokes never
// exceed 1. A zero-length stroke paints a round dot. Parts outside the
// canvas are clipped.
func (c *Canvas) Stroke(x0, y0, x1, y1, radius float64) error {
	for _, v := range [...]float64{x0, y0, x1, y1} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: coordinate %v", ErrBadStroke, v)
		}
	}
	if !(radius > 0) || math.IsInf(radius, 0) {
		return fmt.Errorf("%w: radius %v", ErrBadStroke, radius)
	}
	reach := radius + 0.5
	px0 := clampInt(math.Floor(min(x0, x1)-reach), 0, c.w)
	px1 := clampInt(math.Ceil(max(x0, x1)+reach), 0, c.w)
	py0 := clampInt(math.Floor(min(y0, y1)-reach), 0, c.h)
	py1 := clampInt(math.Ceil(max(y0, y1)+reach), 0, c.h)
	for y := py0; y < py1; y++ {
		for x := px0; x < px1; x++ {
			d := distToSegment(float64(x)+0.5, float64(y)+0.5, x0, y0, x1, y1)
			cov := min(1, reach-d)
			if i := y*c.w + x; cov > c.ink[i] {
				c.ink[i] = cov
			}
		}
	}
	return nil
}

// distToSegment returns the distance from (px, py) to the segment from
// (ax, ay) to (bx, by).
func distToSegment(px, py, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, ((px-ax)*dx+(py-ay)*dy)/l2))
	}
	return math.Hypot(px-(ax+t*dx), py-(ay+t*dy))
}

// clampInt converts v to an int clamped to [lo, hi].
func clampInt(v float64, lo, hi int) int {
	if v <= float64(lo) {
		return lo
	}
	if v >= float64(hi) {
		return hi
	}
	return int(v)
}
