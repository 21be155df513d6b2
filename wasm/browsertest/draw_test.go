//go:build !js

package browsertest

import (
	"fmt"
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
// mouse along its pen paths (digit.PenPaths), scaled to fill the pad. It
// returns status().pad afterwards and the strokes in the pad's pixels as
// the page reads them. Positions are sent in whole CSS pixels, which the
// page reads unchanged at a device scale of 1, so the strokes are exactly
// what the page's pad painted.
func (p *page) drawDigit(img []uint8) (api.Pad, [][]digit.Point) {
	p.t.Helper()
	if r := evaluate[map[string]any](p, `window.convlab.clearPad()`); r["ok"] != true {
		p.t.Fatalf("clearPad() = %v", r)
	}
	st := p.status()
	if !st.Pad.Empty {
		p.t.Fatalf("the pad is not empty once clearPad() has settled: %+v", st.Pad)
	}
	pad := st.Layout["pad"]
	ox, oy := p.canvasOrigin()
	scale := math.Min(pad.W, pad.H) / 28
	// The pad maps a position the way the page's pad panel does: by its
	// offset from the surface's corner times PadSide over the surface's
	// width.
	toPad := func(x, y float64) digit.Point {
		return digit.Point{X: (x - pad.X) * (digit.PadSide / pad.W), Y: (y - pad.Y) * (digit.PadSide / pad.W)}
	}
	revision := st.Pad.Revision
	send := func(typ input.DispatchMouseEventType, x, y float64) {
		p.mouse(typ, ox+x, oy+y)
		// ebiten samples the mouse once per frame, and every press, move
		// and release on the pad paints: wait for the page to have done so.
		p.waitUntil(fmt.Sprintf(`window.convlab.status().pad.revision > %d`, revision), evalTimeout)
		revision = evaluate[int](p, `window.convlab.status().pad.revision`)
	}
	var strokes [][]digit.Point
	for _, path := range digit.PenPaths(img, 28, 28) {
		var stroke []digit.Point
		var lastX, lastY float64
		for i, q := range path {
			x, y := math.Round(pad.X+q.X*scale), math.Round(pad.Y+q.Y*scale)
			switch {
			case i == 0:
				send(input.DispatchMouseEventTypeMousePressed, x, y)
			case x == lastX && y == lastY:
				continue // the same pixel again: the page sees no move
			default:
				send(input.DispatchMouseEventTypeMouseMoved, x, y)
			}
			stroke = append(stroke, toPad(x, y))
			lastX, lastY = x, y
		}
		send(input.DispatchMouseEventTypeMouseReleased, lastX, lastY)
		strokes = append(strokes, stroke)
	}
	st = p.status()
	if st.Pad.Empty {
		p.t.Fatalf("the pad is still empty after %d strokes drawn inside status().layout.pad = %+v", len(strokes), pad)
	}
	return st.Pad, strokes
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
