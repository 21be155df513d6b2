//go:build !js

package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"math"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// glCounter is a script for newDocumentScript that counts the page's WebGL
// draw calls in window.convlabGL: draws in all, frames (animation
// frames), painted (frames with a draw call, each a frame the page
// presents), most (the most draw calls of one frame) and time (of the
// last frame, in milliseconds, from performance.now).
const glCounter = `(() => {
  const gl = {draws: 0, frames: 0, painted: 0, most: 0, time: 0};
  window.convlabGL = gl;
  for (const C of [WebGLRenderingContext, WebGL2RenderingContext]) {
    for (const name of ["drawArrays", "drawElements", "drawArraysInstanced", "drawElementsInstanced", "drawRangeElements"]) {
      const draw = C.prototype[name];
      if (draw) C.prototype[name] = function (...args) { gl.draws++; return draw.apply(this, args); };
    }
  }
  let before = 0;
  const tick = () => {
    const n = gl.draws - before;
    before = gl.draws;
    gl.frames++;
    if (n > 0) gl.painted++;
    gl.most = Math.max(gl.most, n);
    gl.time = performance.now();
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`

// glCount is window.convlabGL.
type glCount struct {
	Draws, Frames, Painted, Most int
	Time                         float64
}

// glCount reads the counts of glCounter.
func (p *page) glCount() glCount {
	p.t.Helper()
	return evaluate[glCount](p, `window.convlabGL`)
}

// restFrames is how many frames TestQuietPage watches the page at rest.
const restFrames = 120

// presentsPerChange is how many frames ebiten presents a changed screen
// in: the frame of the change and, since it stops presenting only after
// four frames without one, three more.
const presentsPerChange = 4

// quietViewport is TestQuietPage's viewport: a device scale that makes the
// dashboard's units fractional pixels, where repainted areas must round
// outwards.
var quietViewport = viewport{1100, 640, 1.5}

// TestQuietPage checks that a page at rest stops painting. At rest only
// the header's frame rate changes, which ebiten measures once a second,
// so over s seconds the page may paint presentsPerChange·(s+2) frames
// (the window's ends may catch a change each), while a page that redraws
// everything paints every frame. It then changes the page (a step of
// training, a stroke on the pad), which repaints parts of it, and checks
// that those repaints left the same pixels, below the header, as a
// repaint of everything after a resize.
func TestQuietPage(t *testing.T) {
	vp := quietViewport
	p := openPage(t, "", vp, newDocumentScript(glCounter))
	rest := p.expectRest()

	// Change parts of the dashboard: a step of training, then a stroke on
	// the pad.
	if r := evaluate[map[string]any](p, `window.convlab.step()`); r["ok"] != true {
		t.Fatalf("step() = %v", r)
	}
	p.waitFor(`window.convlab.status().imagesTrained > 0`, evalTimeout)
	p.stroke()
	p.waitFrames(2) // the stroke's end painted
	if after := p.glCount(); after.Draws == rest.Draws {
		t.Fatal("a step and a stroke painted nothing")
	}
	parts := p.screenshot()

	// Repaint everything: another size, then this one again.
	p.resize(viewport{vp.width + 1, vp.height, vp.scale})
	p.resize(vp)
	whole := p.screenshot()
	header := p.status().Layout["header"] // in CSS pixels
	outside := image.Rect(0, int(math.Ceil((header.Y+header.H)*vp.scale)), whole.Bounds().Dx(), whole.Bounds().Dy())
	if n, at := differences(parts, whole, outside); n > 0 {
		t.Errorf("after partial repaints %d pixels below the header differ from a whole repaint, the first at %v", n, at)
	}
	p.expectNoConsoleErrors()
}

// expectRest watches a page that counts its draw calls (glCounter) for
// restFrames frames and fails the test if it painted more than a page at
// rest may: presentsPerChange·(s+2) frames in s seconds, the header's
// frame rate changing once a second. It returns the counts at the end.
func (p *page) expectRest() glCount {
	p.t.Helper()
	p.waitFrames(30)
	from := p.glCount()
	p.waitFrames(restFrames)
	rest := p.glCount()
	frames, painted := rest.Frames-from.Frames, rest.Painted-from.Painted
	seconds := (rest.Time - from.Time) / 1000
	most := presentsPerChange * int(math.Floor(seconds)+2)
	p.t.Logf("at rest: %d of %d animation frames painted in %.1f s (%d draw calls)", painted, frames, seconds, rest.Draws-from.Draws)
	switch {
	case frames <= most:
		p.t.Logf("the page ran too slowly (%.1f frames a second) to tell rest from redrawing everything: not judged", float64(frames)/seconds)
	case painted > most:
		p.t.Errorf("at rest the page painted %d of %d frames in %.1f s, want at most %d", painted, frames, seconds, most)
	}
	return rest
}

// stroke draws a short stroke on the pad with the mouse, waiting for the
// page to paint each event.
func (p *page) stroke() {
	p.t.Helper()
	pad := p.status().Layout["pad"]
	ox, oy := p.canvasOrigin()
	revision := p.status().Pad.Revision
	send := func(typ input.DispatchMouseEventType, x, y float64) {
		p.mouse(typ, math.Round(ox+pad.X+x*pad.W), math.Round(oy+pad.Y+y*pad.H))
		p.waitUntil(fmt.Sprintf(`window.convlab.status().pad.revision > %d`, revision), evalTimeout)
		revision = evaluate[int](p, `window.convlab.status().pad.revision`)
	}
	send(input.DispatchMouseEventTypeMousePressed, 0.3, 0.3)
	send(input.DispatchMouseEventTypeMouseMoved, 0.5, 0.4)
	send(input.DispatchMouseEventTypeMouseMoved, 0.6, 0.7)
	// Released a little further on, so the release paints a segment of its
	// own (a release where the last move was adds no ink).
	send(input.DispatchMouseEventTypeMouseReleased, 0.65, 0.75)
}

// resize sets the viewport and waits until the dashboard has been laid
// out and drawn in it.
func (p *page) resize(vp viewport) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(vp.width, vp.height, chromedp.EmulateScale(vp.scale))); err != nil {
		p.t.Fatalf("resizing the viewport to %+v: %v", vp, err)
	}
	p.waitUntil(fmt.Sprintf(`window.convlab.status().layout.header.w === %d`, vp.width), evalTimeout)
	p.waitFrames(2)
}

// screenshot captures the viewport.
func (p *page) screenshot() image.Image {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, evalTimeout)
	defer cancel()
	data, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		p.t.Fatalf("decoding the screenshot: %v", err)
	}
	return img
}

// differences counts the pixels in r where a and b differ, and returns
// the first.
func differences(a, b image.Image, r image.Rectangle) (n int, first image.Point) {
	r = r.Intersect(a.Bounds()).Intersect(b.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r0, g0, b0, a0 := a.At(x, y).RGBA()
			r1, g1, b1, a1 := b.At(x, y).RGBA()
			if r0 != r1 || g0 != g1 || b0 != b1 || a0 != a1 {
				if n == 0 {
					first = image.Pt(x, y)
				}
				n++
			}
		}
	}
	return n, first
}
