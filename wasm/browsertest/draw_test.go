//go:build !js

package browsertest

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/input"

	"convlab/assets"
)

// inkThreshold is the MNIST grey level (of 255) from which a pixel counts
// as part of the stroke to trace.
const inkThreshold = 128

// samplesPerPixel is how finely a scan line is sampled along x.
const samplesPerPixel = 4

// segment is a straight stroke in MNIST pixel units: (0, 0) is the top-left
// corner of the 28×28 image and pixel (i, j) covers [i, i+1) × [j, j+1).
type segment struct {
	x0, y0, x1, y1 float64
}

// readHeldout reads the MNIST test digits that are not bundled with the app.
func readHeldout(t testing.TB) *assets.Dataset {
	t.Helper()
	dir := filepath.Join(needEnv(t).root, "assets", "testdata")
	d, err := assets.ReadIDXFiles(filepath.Join(dir, "heldout-images-idx3-ubyte.gz"),
		filepath.Join(dir, "heldout-labels-idx1-ubyte.gz"))
	if err != nil {
		t.Fatalf("reading the held-out digits: %v", err)
	}
	return d
}

// traceStrokes turns a greyscale image (0 = background, 255 = ink) into
// horizontal strokes, the way a plotter would fill it: linesPerPixel scan
// lines per image row, each cut into runs where the bilinearly interpolated
// image is at least inkThreshold.
func traceStrokes(img []uint8, rows, cols, linesPerPixel int) []segment {
	var strokes []segment
	step := 1.0 / samplesPerPixel
	for line := range rows * linesPerPixel {
		y := (float64(line) + 0.5) / float64(linesPerPixel)
		start := math.NaN()
		last := 0.0
		for i := 0; i <= cols*samplesPerPixel; i++ {
			x := (float64(i) + 0.5) * step
			inked := i < cols*samplesPerPixel && bilinear(img, rows, cols, x, y) >= inkThreshold
			switch {
			case inked && math.IsNaN(start):
				start = x
			case !inked && !math.IsNaN(start):
				strokes = append(strokes, segment{start, y, last, y})
				start = math.NaN()
			}
			last = x
		}
	}
	return strokes
}

// bilinear interpolates the image at (x, y), pixel centres lying at
// half-integer coordinates; outside the image it is 0.
func bilinear(img []uint8, rows, cols int, x, y float64) float64 {
	at := func(c, r int) float64 {
		if c < 0 || r < 0 || c >= cols || r >= rows {
			return 0
		}
		return float64(img[r*cols+c])
	}
	fx, fy := x-0.5, y-0.5
	c, r := int(math.Floor(fx)), int(math.Floor(fy))
	dx, dy := fx-float64(c), fy-float64(r)
	top := at(c, r)*(1-dx) + at(c+1, r)*dx
	bottom := at(c, r+1)*(1-dx) + at(c+1, r+1)*dx
	return top*(1-dy) + bottom*dy
}

// drawDigit clears the pad, draws the 28×28 image on it, scaled to fill
// the pad, with real mouse strokes, and returns status().pad afterwards.
func (p *page) drawDigit(img []uint8, linesPerPixel int) padState {
	p.t.Helper()
	evaluate[map[string]any](p, `window.convlab.clearPad()`)
	p.waitFor(`window.convlab.status().pad.empty`, evalTimeout)

	pad := p.status().Layout.Pad
	ox, oy := p.canvasOrigin()
	scale := math.Min(pad.W, pad.H) / 28
	left := ox + pad.X + (pad.W-28*scale)/2
	top := oy + pad.Y + (pad.H-28*scale)/2
	for _, s := range traceStrokes(img, 28, 28, linesPerPixel) {
		x0, y0 := left+s.x0*scale, top+s.y0*scale
		x1, y1 := left+s.x1*scale, top+s.y1*scale
		// ebiten samples the mouse once per tick, so each step must be
		// seen before the next one.
		p.mouse(input.DispatchMouseEventTypeMouseMoved, x0, y0)
		p.mouse(input.DispatchMouseEventTypeMousePressed, x0, y0)
		p.settle()
		p.mouse(input.DispatchMouseEventTypeMouseMoved, x1, y1)
		p.settle()
		p.mouse(input.DispatchMouseEventTypeMouseReleased, x1, y1)
		p.settle()
	}
	p.waitFor(`!window.convlab.status().pad.empty`, evalTimeout)
	return p.status().Pad
}

// correlation returns Pearson's correlation of a drawn pad input with the
// original image: near 1 when the drawing reproduces the digit.
func correlation(drawn []float64, original []uint8) float64 {
	n := float64(len(original))
	var sa, sb, saa, sbb, sab float64
	for i, o := range original {
		a, b := drawn[i], float64(o)/255
		sa, sb = sa+a, sb+b
		saa, sbb, sab = saa+a*a, sbb+b*b, sab+a*b
	}
	cov := sab - sa*sb/n
	return cov / math.Sqrt((saa-sa*sa/n)*(sbb-sb*sb/n))
}

func TestTraceStrokes(t *testing.T) {
	// A 28×28 image with one inked row segment from column 3 to 6 and one
	// isolated pixel at column 10, both in row 5.
	img := make([]uint8, 28*28)
	for c := 3; c <= 6; c++ {
		img[5*28+c] = 255
	}
	img[5*28+10] = 255
	got := traceStrokes(img, 28, 28, 1)
	if len(got) != 2 {
		t.Fatalf("traceStrokes gave %d strokes %v, want 2", len(got), got)
	}
	for i, want := range []struct{ from, to float64 }{{3, 7}, {10, 11}} {
		s := got[i]
		if s.y0 != 5.5 || s.y1 != 5.5 || s.x0 < want.from || s.x1 > want.to || s.x1 <= s.x0 {
			t.Errorf("stroke %d = %+v, want a horizontal stroke at y 5.5 inside x [%v, %v]", i, s, want.from, want.to)
		}
	}
}
