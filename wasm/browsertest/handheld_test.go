//go:build !js

package browsertest

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"convlab/nn"
	"convlab/ui/api"
	"convlab/ui/digit"
)

// Handheld viewports: a phone held upright and on its side, and a tablet
// held upright, each a mobile browser with touch.
var (
	phone     = viewport{390, 844, 3}
	phoneSide = viewport{844, 390, 3}
	tablet    = viewport{768, 1024, 2}
)

// emulateHandheld makes a tab a mobile browser with touch in viewport vp.
func emulateHandheld(vp viewport) chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(vp.width, vp.height, chromedp.EmulateScale(vp.scale), chromedp.EmulateMobile, chromedp.EmulateTouch)
}

// openHandheld opens the page in a mobile browser with touch.
func openHandheld(t *testing.T, query string, vp viewport) *page {
	t.Helper()
	return openPage(t, query, vp, emulateHandheld(vp))
}

// panelNames are the panels status().layout reports.
var panelNames = []string{"header", "controls", "pad", "padPanel", "curves", "runs", "confusion", "activations", "tsneFirst", "tsneLast"}

// fingerID is the touch point ID the tests' single finger uses.
const fingerID = 7.0

// finger is the touch point of the tests' finger at viewport x, y.
func finger(x, y float64) *input.TouchPoint {
	id := fingerID
	return &input.TouchPoint{X: x, Y: y, ID: &id}
}

// dragStart is how far a drag's finger first moves, in CSS pixels: past
// ui/scroll's Slop (8 units, 8.7 CSS pixels in the flow arrangement), so
// that the dashboard follows the finger exactly from there on.
const dragStart = 12.0

// swipe drags a finger at viewport x from y by dy CSS pixels (negative
// up), in steps, holds it still until the dashboard has stopped following
// it, and lifts it: the dashboard scrolls by −dy from the first step past
// dragStart, and does not glide on.
func (p *page) swipe(x, y, dy float64) {
	p.t.Helper()
	sign := math.Copysign(1, dy)
	p.touch(input.DispatchTouchEventTypeTouchStart, finger(x, y))
	p.waitFrames(1)
	y += sign * dragStart
	p.touch(input.DispatchTouchEventTypeTouchMove, finger(x, y))
	p.waitFrames(2)
	const steps = 6
	for i := range steps {
		p.touch(input.DispatchTouchEventTypeTouchMove, finger(x, y+dy*float64(i+1)/steps))
		p.waitFrames(1)
	}
	p.waitFrames(6) // held still: the drag's speed over its last frames (ui/scroll) is 0
	p.touch(input.DispatchTouchEventTypeTouchEnd)
	p.waitFrames(2)
}

// grabX is where the tests' finger scrolls: on the dashboard's left
// margin, beside every panel, where a press does nothing but scroll.
const grabX = 3.0

// Where reveal brings a panel.
type reveal int

const (
	inView   reveal = iota // wholly in the canvas, or its top for a panel taller than the canvas
	atTop                  // its top at the canvas's top
	atBottom               // its bottom at the canvas's bottom
)

// reveal scrolls the dashboard with swipes on its margin until panel name
// is where asked, as near as the dashboard's ends allow (a couple of CSS
// pixels inside the canvas's edge), and returns its rectangle then. It
// fails the test if it cannot get there.
func (p *page) reveal(name string, where reveal) api.Rect {
	p.t.Helper()
	ox, oy := p.canvasOrigin()
	view := evaluate[float64](p, `document.querySelector("canvas").getBoundingClientRect().height`)
	for range 12 {
		st := p.status()
		r, d := st.Layout[name], st.Layout["dashboard"]
		need := 0.0 // how far to scroll down
		switch {
		case where == atBottom:
			need = r.Y + r.H - view + 2
		case where == atTop || r.Y < 0 || r.Y+r.H > view:
			need = r.Y - 2
		}
		need = math.Max(d.Y, math.Min(need, d.Y+d.H-view)) // within the dashboard
		if math.Abs(need) < 1 {
			return r
		}
		step := math.Max(-0.8*view, math.Min(need, 0.8*view))
		p.swipe(ox+grabX, oy+view/2+step/2, -step)
	}
	p.t.Fatalf("could not scroll %s into view: %+v", name, p.status().Layout)
	return api.Rect{}
}

// TestHandheldLayout checks the flow arrangement on a phone held upright
// and on its side: the dashboard as wide as the screen (no sideways
// scrolling), the design's text at 12 CSS pixels or more (a CSS scale of
// 12/11 units), the pad at least 240 CSS pixels wide upright, and every
// panel reachable by dragging a finger, which scrolls the dashboard by as
// much as the finger moved: every panel lies within the dashboard, and
// swipes take the window from the dashboard's top to its bottom.
func TestHandheldLayout(t *testing.T) {
	for _, vp := range []viewport{phone} {
		t.Run(fmt.Sprintf("%dx%d", vp.width, vp.height), func(t *testing.T) {
			p := openHandheld(t, "", vp)
			st := p.status()
			d, pad := st.Layout["dashboard"], st.Layout["pad"]
			if d.X != 0 || d.Y != 0 || math.Abs(d.W-float64(vp.width)) > 1e-6 || d.H <= float64(vp.height) {
				t.Errorf("dashboard %+v, want %d wide from the canvas's corner and taller than the screen", d, vp.width)
			}
			if header := st.Layout["header"]; math.Abs(header.W-float64(vp.width)) > 1e-6 {
				t.Errorf("the header is %g wide in a %d-pixel screen", header.W, vp.width)
			}
			if vp.height > vp.width && pad.W < 240 {
				t.Errorf("the pad is %.1f CSS pixels wide, want at least 240", pad.W)
			}
			for _, name := range panelNames {
				r := st.Layout[name]
				if r.X < 0 || r.X+r.W > float64(vp.width)+1e-6 {
					t.Errorf("%s %+v reaches out of the %d-pixel-wide screen", name, r, vp.width)
				}
			}

			// A drag on the margin scrolls by the finger's distance.
			ox, oy := p.canvasOrigin()
			p.swipe(ox+grabX, oy+float64(vp.height)*0.7, -150)
			if got := p.status().Layout["dashboard"].Y; math.Abs(got-(-150)) > 0.01 {
				t.Errorf("after a drag 150 CSS pixels up, the dashboard is at %.3f, want −150", got)
			}
			// Every panel lies within the dashboard, so a window that scrolls
			// from the dashboard's top (where it opened) to its bottom
			// reaches each: swipe to the dashboard's end, and the lowest
			// panel's bottom must then be in the window, and all of it
			// unless it is taller than the window.
			lowest := panelNames[0]
			for _, name := range panelNames {
				r := st.Layout[name]
				if r.Y < d.Y || r.Y+r.H > d.Y+d.H {
					t.Errorf("%s %+v is not within the dashboard %+v: scrolling cannot reach it", name, r, d)
				}
				if low := st.Layout[lowest]; r.Y+r.H > low.Y+low.H {
					lowest = name
				}
			}
			end := p.reveal("dashboard", atBottom)
			view := evaluate[float64](p, `document.querySelector("canvas").getBoundingClientRect().height`)
			if low := p.status().Layout[lowest]; math.Abs(end.Y+end.H-view) > 1 || low.Y+low.H > view || low.H <= view && low.Y < 0 {
				t.Errorf("swiped to the end, the dashboard %+v ends %.1f CSS pixels from the %.0f-pixel window's bottom and %s is at %+v; want 0 and in view",
					end, end.Y+end.H-view, view, lowest, low)
			}
			p.expectNoConsoleErrors()
		})
	}
}

// TestStrokeOnThePadDoesNotScroll draws a long vertical stroke on the pad
// with a finger, and drags a finger from the Start button: the stroke
// draws and scrolls nothing; the drag scrolls and starts nothing.
func TestStrokeOnThePadDoesNotScroll(t *testing.T) {
	p := openHandheld(t, "", phone)
	ox, oy := p.canvasOrigin()
	st := p.status()
	pad := st.Layout["pad"]
	x := ox + pad.X + pad.W/2
	p.touch(input.DispatchTouchEventTypeTouchStart, finger(x, oy+pad.Y+5))
	for i := 1; i <= 10; i++ {
		p.touch(input.DispatchTouchEventTypeTouchMove, finger(x, oy+pad.Y+5+float64(i)*(pad.H+80)/10)) // on past the pad
	}
	p.touch(input.DispatchTouchEventTypeTouchEnd)
	p.waitUntil(fmt.Sprintf(`window.convlab.status().pad.samples >= %d`, st.Pad.Samples+12), evalTimeout)
	p.waitFrames(20)
	after := p.status()
	if after.Pad.Empty || after.Layout["dashboard"].Y != 0 {
		t.Errorf("a stroke on the pad: pad empty %v, dashboard at %.2f; want ink and no scrolling", after.Pad.Empty, after.Layout["dashboard"].Y)
	}
	if y := evaluate[float64](p, `window.scrollY + document.scrollingElement.scrollTop`); y != 0 {
		t.Errorf("the page itself scrolled to %g", y)
	}

	controls := p.reveal("controls", inView)
	// The Start button is the first of the row below the settings' eight
	// rows: about 86% down the panel, in its first quarter.
	sx, sy := ox+controls.X+controls.W*0.15, oy+controls.Y+controls.H*0.86
	before := p.status().Layout["dashboard"].Y
	p.swipe(sx, sy, -100)
	after = p.status()
	if after.State != "idle" {
		t.Errorf("a drag from the Start button left the run %s, want idle", after.State)
	}
	if moved := before - after.Layout["dashboard"].Y; math.Abs(moved-100) > 0.01 {
		t.Errorf("a drag from the Start button scrolled %.2f, want 100", moved)
	}
	// A tap there starts the run.
	r := p.status().Layout["controls"]
	sx, sy = ox+r.X+r.W*0.15, oy+r.Y+r.H*0.86
	p.touch(input.DispatchTouchEventTypeTouchStart, finger(sx, sy))
	p.waitFrames(2) // a finger's tap lasts a few frames
	p.touch(input.DispatchTouchEventTypeTouchEnd)
	p.waitFor(`window.convlab.status().state !== "idle"`, evalTimeout)
	p.expectNoConsoleErrors()
}

// maxTouchInputDiff bounds the difference of a digit's 28×28 input drawn
// with a finger on a phone from the same digit drawn with the mouse at the
// design size: the touch points are the mouse's scaled to the phone's
// pad, which the browser reports in fractions of a CSS pixel, so only
// rounding tells the two apart. Chromium carries touch positions in
// single precision (about 3e-5 CSS pixels here), which moves input values
// by up to a few 1e-6; a sample lost or misplaced by a pixel moves them
// by 0.1 or more.
const maxTouchInputDiff = 1e-4

// TestTouchDrawingOnAPhone draws held-out digits with the mouse on the
// dashboard at its design size, and the same strokes, scaled to the
// phone's pad, with a finger on a phone held upright: the pad makes the
// same 28×28 input of both, within rounding, and a trained network
// classifies the finger's drawing as it classifies the mouse's. A phone on
// its side maps touches to the pad by the same function of the pad's
// rectangle, at another scale, so it is left out here to keep the suite
// short (a page at 3 device pixels a CSS pixel takes a minute to open
// under software GL); TestRotationKeepsTheWork draws on a phone and turns
// it.
func TestTouchDrawingOnAPhone(t *testing.T) {
	digits := readHeldout(t)
	desk := openPage(t, "", desktop)
	type drawn struct {
		input   []float64
		strokes [][]digit.Point // in the pad's pixels
	}
	var mouse []drawn
	for i := range min(2, digits.Len()) {
		st, strokes := desk.drawDigit(digits.Image(i))
		mouse = append(mouse, drawn{st.Input, strokes})
	}
	for _, vp := range []viewport{phone} {
		t.Run(fmt.Sprintf("%dx%d", vp.width, vp.height), func(t *testing.T) {
			p := openHandheld(t, shortRun, vp)
			p.waitForRunEnd(runTimeout)
			worst := 0.0
			for i, m := range mouse {
				st := p.touchDigit(m.strokes)
				d := maxAbsDiff(st.Input, m.input)
				worst = math.Max(worst, d)
				if d > maxTouchInputDiff {
					t.Errorf("digit %d: drawn with a finger, the input differs from the mouse's by up to %.3g (correlation %.6f)", digits.Labels[i], d, pearson(st.Input, m.input))
				}
				byMouse := classify(t, p, m.input)
				if st.Predicted != nn.Argmax(byMouse) || maxAbsDiff(st.Probs, byMouse) > 1e-6 {
					t.Errorf("digit %d: the finger's drawing is a %d, the mouse's a %d (probabilities differ by %.3g)",
						digits.Labels[i], st.Predicted, nn.Argmax(byMouse), maxAbsDiff(st.Probs, byMouse))
				}
			}
			t.Logf("%d digits: max |finger input − mouse input| = %.3g", len(mouse), worst)
			p.expectNoConsoleErrors()
		})
	}
	desk.expectNoConsoleErrors()
}

// touchDigit clears the pad and draws strokes (in the pad's pixels) on it
// with a finger, scaled to where the pad is: a touch at each stroke's
// first point, a move to each other one and a lift at the last. It
// returns status().pad once the pad has taken every sample.
func (p *page) touchDigit(strokes [][]digit.Point) api.Pad {
	p.t.Helper()
	if r := evaluate[map[string]any](p, `window.convlab.clearPad()`); r["ok"] != true {
		p.t.Fatalf("clearPad() = %v", r)
	}
	pad := p.reveal("pad", inView)
	ox, oy := p.canvasOrigin()
	from := p.status().Pad.Samples
	at := func(q digit.Point) *input.TouchPoint {
		return finger(ox+pad.X+q.X*pad.W/digit.PadSide, oy+pad.Y+q.Y*pad.H/digit.PadSide)
	}
	samples := 0
	for _, s := range strokes {
		p.touch(input.DispatchTouchEventTypeTouchStart, at(s[0]))
		for _, q := range s[1:] {
			p.touch(input.DispatchTouchEventTypeTouchMove, at(q))
		}
		p.touch(input.DispatchTouchEventTypeTouchEnd)
		samples += len(s) + 1
	}
	p.waitUntil(fmt.Sprintf(`window.convlab.status().pad.samples >= %d`, from+samples), evalTimeout)
	p.waitFrames(2)
	st := p.status()
	if st.Pad.Samples != from+samples || st.Pad.Empty {
		p.t.Fatalf("the pad took %d samples of %d touches (empty %v)", st.Pad.Samples-from, samples, st.Pad.Empty)
	}
	if st.Layout["pad"] != pad {
		p.t.Fatalf("the pad moved while drawing, from %+v to %+v", pad, st.Layout["pad"])
	}
	return st.Pad
}

// TestRotationKeepsTheWork draws on a phone held upright, adds a run and
// selects it, scrolls the curves to the top of the screen, and turns the
// phone on its side, then back, then opens the page as wide as a desktop:
// each layout keeps the drawing, the runs and the selection, and the
// phone's turns keep the curves at the top of the screen.
func TestRotationKeepsTheWork(t *testing.T) {
	p := openHandheld(t, "", phone)
	p.touchDigit([][]digit.Point{{{X: 140, Y: 40}, {X: 140, Y: 140}, {X: 140, Y: 240}}})
	if r := evaluate[map[string]any](p, `window.convlab.addRun({opt: "sgd"})`); r["ok"] != true {
		t.Fatalf("addRun() = %v", r)
	}
	if r := evaluate[map[string]any](p, `window.convlab.selectRun(0)`); r["ok"] != true {
		t.Fatalf("selectRun(0) = %v", r)
	}
	p.waitFrames(2)
	curves := p.reveal("curves", atTop)
	before := p.status()
	if curves.Y > 3 {
		t.Fatalf("the curves are %.1f CSS pixels down the screen after revealing them", curves.Y)
	}
	for _, vp := range []viewport{phoneSide, phone, desktop} {
		if vp == desktop {
			if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(vp.width, vp.height, chromedp.EmulateScale(vp.scale))); err != nil {
				t.Fatal(err)
			}
		} else if err := chromedp.Do(p.ctx, emulateHandheld(vp)); err != nil {
			t.Fatal(err)
		}
		p.waitUntil(fmt.Sprintf(`Math.abs(window.convlab.status().layout.dashboard.w - %d) < 0.01`, vp.width), evalTimeout)
		p.waitFrames(2)
		st := p.status()
		if st.Pad.Revision != before.Pad.Revision || !slices.Equal(st.Pad.Input, before.Pad.Input) {
			t.Errorf("%dx%d: the drawing changed (revision %d, was %d)", vp.width, vp.height, st.Pad.Revision, before.Pad.Revision)
		}
		if len(st.Runs) != 2 || st.Selected != 0 {
			t.Errorf("%dx%d: %d runs, run %d selected; want 2 and 0", vp.width, vp.height, len(st.Runs), st.Selected)
		}
		if c := st.Layout["curves"]; vp != desktop && !(c.Y <= 3 && c.Y+c.H > 0) {
			t.Errorf("%dx%d: the curves are at %+v, want them at the top of the screen still", vp.width, vp.height, c)
		}
	}
	p.expectNoConsoleErrors()
}

// TestPhoneAtRestAndAfterAFlick checks that a phone's page at rest stops
// painting, as a desktop's does (TestQuietPage), and again once a flick
// has glided on and stopped: the flick moves the dashboard further than
// the finger went.
func TestPhoneAtRestAndAfterAFlick(t *testing.T) {
	p := openPage(t, "", phone, emulateHandheld(phone), newDocumentScript(glCounter))
	p.expectRest()
	ox, oy := p.canvasOrigin()
	x, y := ox+grabX, oy+600
	p.touch(input.DispatchTouchEventTypeTouchStart, finger(x, y))
	p.waitFrames(1)
	const steps, step = 8, 30.0
	for i := 1; i <= steps; i++ {
		if i > 1 {
			p.waitFrames(1)
		}
		p.touch(input.DispatchTouchEventTypeTouchMove, finger(x, y-float64(i)*step))
	}
	p.touch(input.DispatchTouchEventTypeTouchEnd) // while moving
	for at := math.NaN(); ; {                     // until the glide has stopped
		p.waitFrames(5)
		now := p.status().Layout["dashboard"].Y
		if now == at {
			break
		}
		at = now
	}
	dragged := steps*step - dragStart // the dashboard follows from dragStart on
	moved := -p.status().Layout["dashboard"].Y
	t.Logf("a flick of %.0f CSS pixels moved the dashboard %.1f", dragged, moved)
	if moved <= dragged+step {
		t.Errorf("a flick of %.0f CSS pixels moved the dashboard %.1f, want it to glide on further", dragged, moved)
	}
	p.expectRest()
	p.expectNoConsoleErrors()
}
