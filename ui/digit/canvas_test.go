package digit

import (
	"errors"
	"math"
	"testing"
)

func TestNewCanvasRejectsBadSizes(t *testing.T) {
	tests := []struct {
		w, h int
		ok   bool
	}{
		{280, 280, true},
		{1, 1, true},
		{MaxCanvasSide, 3, true},
		{0, 10, false},
		{10, 0, false},
		{-1, 10, false},
		{10, -5, false},
		{MaxCanvasSide + 1, 10, false},
	}
	for _, tt := range tests {
		c, err := NewCanvas(tt.w, tt.h)
		if tt.ok != (err == nil) {
			t.Errorf("NewCanvas(%d, %d) error = %v, want ok=%v", tt.w, tt.h, err, tt.ok)
			continue
		}
		if tt.ok && (c.Width() != tt.w || c.Height() != tt.h || len(c.Ink()) != tt.w*tt.h) {
			t.Errorf("NewCanvas(%d, %d) gave %d×%d with %d values", tt.w, tt.h, c.Width(), c.Height(), len(c.Ink()))
		}
	}
}

func mustCanvas(t *testing.T, w, h int) *Canvas {
	t.Helper()
	c, err := NewCanvas(w, h)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustStroke(t *testing.T, c *Canvas, x0, y0, x1, y1, r float64) {
	t.Helper()
	if err := c.Stroke(x0, y0, x1, y1, r); err != nil {
		t.Fatal(err)
	}
}

// A horizontal stroke whose axis runs through the centres of row 50: the
// coverage of a pixel depends only on its centre's distance d to the axis.
func TestStrokeCoverageProfile(t *testing.T) {
	c := mustCanvas(t, 200, 100)
	mustStroke(t, c, 50.5, 50.5, 150.5, 50.5, 5)
	tests := []struct {
		x, y int
		want float64
	}{
		{100, 50, 1},   // on the axis
		{100, 54, 1},   // d = 4, inside
		{100, 55, 0.5}, // d = 5, centre on the edge: half covered
		{100, 56, 0},   // d = 6, outside the ramp
		{100, 45, 0.5}, // symmetric above
		{50, 50, 1},    // start point
		{45, 50, 0.5},  // round cap: d = 5 beyond the start
		{44, 50, 0},    // d = 6 beyond the start
		{10, 10, 0},    // far away
	}
	for _, tt := range tests {
		if got := c.At(tt.x, tt.y); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("At(%d, %d) = %v, want %v", tt.x, tt.y, got, tt.want)
		}
	}
}

// The total ink approximates the capsule's area 2rL + πr², and the edge
// is anti-aliased: partly covered pixels exist and every value is in [0,1].
func TestStrokeInkMatchesArea(t *testing.T) {
	const r, length = 7.0, 120.0
	c := mustCanvas(t, 200, 200)
	mustStroke(t, c, 40, 60, 40+length*0.6, 60+length*0.8, r)
	sum, partial := 0.0, 0
	for _, v := range c.Ink() {
		if v < 0 || v > 1 {
			t.Fatalf("ink value %v outside [0,1]", v)
		}
		if v > 0 && v < 1 {
			partial++
		}
		sum += v
	}
	area := 2*r*length + math.Pi*r*r
	if rel := math.Abs(sum-area) / area; rel > 0.02 {
		t.Errorf("total ink %.1f, capsule area %.1f: relative error %.3f > 0.02", sum, area, rel)
	}
	if partial == 0 {
		t.Error("no partly covered pixels: edges are not anti-aliased")
	}
}

func TestStrokeInkIsMaxNotSum(t *testing.T) {
	c := mustCanvas(t, 100, 100)
	mustStroke(t, c, 10, 10, 90, 90, 4)
	once := c.Ink()
	mustStroke(t, c, 10, 10, 90, 90, 4)
	for i, v := range c.Ink() {
		if v != once[i] {
			t.Fatalf("repeating a stroke changed pixel %d from %v to %v", i, once[i], v)
		}
	}
	mustStroke(t, c, 90, 10, 10, 90, 4) // crosses the first stroke
	for i, v := range c.Ink() {
		if v > 1 || v < once[i] {
			t.Fatalf("pixel %d: %v after crossing stroke, was %v", i, v, once[i])
		}
	}
}

func TestStrokeClipsAtEdges(t *testing.T) {
	c := mustCanvas(t, 50, 50)
	mustStroke(t, c, -100, 25, 150, 25, 3) // runs off both sides
	if c.At(0, 25) != 1 || c.At(49, 25) != 1 {
		t.Errorf("edge pixels = %v, %v, want 1", c.At(0, 25), c.At(49, 25))
	}
	d := mustCanvas(t, 50, 50)
	mustStroke(t, d, -100, -100, -50, -80, 3) // entirely outside
	mustStroke(t, d, 1e300, 1e300, 1e300, 1e300, 1e300)
	if !d.Empty() {
		t.Error("strokes outside the canvas left ink")
	}
}

func TestStrokeRejectsBadInput(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name              string
		x0, y0, x1, y1, r float64
	}{
		{"zero radius", 1, 1, 5, 5, 0},
		{"negative radius", 1, 1, 5, 5, -2},
		{"NaN radius", 1, 1, 5, 5, nan},
		{"infinite radius", 1, 1, 5, 5, inf},
		{"NaN coordinate", nan, 1, 5, 5, 2},
		{"infinite coordinate", 1, 1, 5, -inf, 2},
	}
	for _, tt := range tests {
		c := mustCanvas(t, 20, 20)
		err := c.Stroke(tt.x0, tt.y0, tt.x1, tt.y1, tt.r)
		if !errors.Is(err, ErrBadStroke) {
			t.Errorf("%s: error = %v, want ErrBadStroke", tt.name, err)
		}
		if !c.Empty() {
			t.Errorf("%s: rejected stroke left ink", tt.name)
		}
	}
}

func TestClearAndEmpty(t *testing.T) {
	c := mustCanvas(t, 30, 30)
	if !c.Empty() {
		t.Fatal("new canvas not empty")
	}
	mustStroke(t, c, 15, 15, 15, 15, 2)
	if c.Empty() {
		t.Fatal("canvas with a dot reports empty")
	}
	box, _ := c.InkBounds()
	if box.Min.X != 13 || box.Max.X != 17 || box.Min.Y != 13 || box.Max.Y != 17 {
		t.Errorf("ink bounds of a radius-2 dot at 15,15 = %v", box)
	}
	c.Clear()
	if !c.Empty() {
		t.Fatal("canvas not empty after Clear")
	}
}

func TestAtOutsideIsZero(t *testing.T) {
	c := mustCanvas(t, 4, 4)
	mustStroke(t, c, 0, 0, 4, 4, 10)
	for _, p := range [][2]int{{-1, 0}, {0, -1}, {4, 0}, {0, 4}} {
		if v := c.At(p[0], p[1]); v != 0 {
			t.Errorf("At(%d, %d) = %v, want 0", p[0], p[1], v)
		}
	}
}
