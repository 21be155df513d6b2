//go:build !js

package browsertest

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/input"

	"convlab/assets"
	"convlab/ui/api"
	"convlab/ui/digit"
)

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

// drawDigit clears the pad and writes the 28×28 image on it with the
// mouse, scaled to fill the pad, and returns status().pad afterwards.
func (p *page) drawDigit(img []uint8) api.Pad {
	p.t.Helper()
	evaluate[map[string]any](p, `window.convlab.clearPad()`)
	p.waitFor(`window.convlab.status().pad.empty`, evalTimeout)

	pad := p.status().Layout["pad"]
	ox, oy := p.canvasOrigin()
	scale := math.Min(pad.W, pad.H) / 28
	left := ox + pad.X + (pad.W-28*scale)/2
	top := oy + pad.Y + (pad.H-28*scale)/2
	at := func(q digit.Point) (x, y float64) { return left + q.X*scale, top + q.Y*scale }

	// ebiten samples the mouse once per frame, so the page must see each
	// step of a stroke before the next one is sent.
	paths := digit.PenPaths(img, 28, 28)
	for _, path := range paths {
		x, y := at(path[0])
		p.mouse(input.DispatchMouseEventTypeMousePressed, x, y)
		p.settle()
		for _, q := range path[1:] {
			x, y = at(q)
			p.mouse(input.DispatchMouseEventTypeMouseMoved, x, y)
			p.settle()
		}
		p.mouse(input.DispatchMouseEventTypeMouseReleased, x, y)
		p.settle()
	}
	s := p.status()
	if s.Pad.Empty {
		p.t.Fatalf("the pad is still empty after %d strokes drawn inside status().layout.pad = %+v", len(paths), pad)
	}
	return s.Pad
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
