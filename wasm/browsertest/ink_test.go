//go:build !js

package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"convlab/ui/api"
	"convlab/ui/digit"
)

// briskStep is the distance in CSS pixels between two mouse events of a
// pen moving briskly, as a person writes: 400 CSS px/s reported at 60 Hz.
const briskStep = 400.0 / 60

// minBriskSamplesPerFrame is how many pointer samples a brisk drawing must
// bring to each frame on average, so that the test draws faster than the
// page samples the pointer once per frame.
const minBriskSamplesPerFrame = 2

// briskDigits is how many held-out digits TestBriskDrawing draws: each
// takes about 15 s, mostly for the slow drawing's frame a sample.
const briskDigits = 3

// TestBriskDrawing draws held-out digits twice with real mouse events
// along the same path: slowly, waiting after each event until the pad has
// taken its sample, and briskly, sending every event without waiting, so
// that many samples reach each frame. The pad must make the same 28×28
// input of both, the input digit.PadInput makes of the path. (When the
// pad read the pointer once per frame, a brisk drawing of the held-out 1
// kept 0.34 correlation with the slow one, and one of the 2 left the pad
// empty.) Equal inputs get equal answers from any network, so the
// accuracy on brisk drawings is the accuracy on slow ones.
func TestBriskDrawing(t *testing.T) {
	digits := readHeldout(t)
	p := openPage(t, "", desktop)
	pad := p.status().Layout["pad"]

	var worstDiff, worstCorr = 0.0, 1.0
	var samples, frames int
	for i := range min(briskDigits, digits.Len()) {
		img, label := digits.Image(i), int(digits.Labels[i])
		strokes := penStrokes(img, pad, briskStep)
		native, err := digit.PadInput(padStrokes(strokes, pad))
		if err != nil {
			t.Fatalf("digit %d: the native pipeline: %v", label, err)
		}
		slow, _ := p.drawStrokes(strokes, false)
		brisk, briskFrames := p.drawStrokes(strokes, true)
		samples += countSamples(strokes)
		frames += briskFrames

		d, r := maxAbsDiff(brisk.Input, slow.Input), pearson(brisk.Input, slow.Input)
		worstDiff, worstCorr = math.Max(worstDiff, d), math.Min(worstCorr, r)
		if d > maxBriskDiff {
			t.Errorf("digit %d: drawn briskly (%d samples in %d frames), the pad's input differs from the slow drawing's by up to %.3g (correlation %.4f)",
				label, countSamples(strokes), briskFrames, d, r)
		}
		if d := maxAbsDiff(brisk.Input, native); d > maxPadInputDiff {
			t.Errorf("digit %d: drawn briskly, the pad's input differs from digit.PadInput of the path by up to %.3g", label, d)
		}
	}
	perFrame := float64(samples) / float64(max(frames, 1))
	t.Logf("%d digits, %d pointer samples each way; brisk: %.1f samples a frame; brisk vs slow: max |Δinput| = %.3g, min correlation %.4f",
		min(briskDigits, digits.Len()), samples, perFrame, worstDiff, worstCorr)
	if perFrame < minBriskSamplesPerFrame {
		t.Errorf("the brisk drawings brought %.1f samples a frame, want at least %d: the test did not draw faster than the frames", perFrame, minBriskSamplesPerFrame)
	}
	p.expectNoConsoleErrors()
}

// maxBriskDiff bounds the difference of a brisk drawing's input from the
// slow one's: the pad paints the same samples in the same order, so any
// difference means samples were lost or joined differently.
const maxBriskDiff = 0

// TestTouchDrawing draws with two fingers at once, their moves reported
// in the same touch events, and taps with a third: the pad keeps each
// finger's stroke apart (no stroke joins the two) and the tap leaves a
// dot, which is what digit.PadInput makes of the three strokes.
func TestTouchDrawing(t *testing.T) {
	p := openPage(t, "", desktop)
	pad := p.status().Layout["pad"]
	ox, oy := p.canvasOrigin()
	at := func(fx, fy float64) digit.Point {
		return digit.Point{X: math.Round(pad.X + fx*pad.W), Y: math.Round(pad.Y + fy*pad.H)}
	}
	var left, right []digit.Point
	for i := range 8 {
		f := 0.2 + 0.6*float64(i)/7
		left = append(left, at(0.3, f))
		right = append(right, at(0.7, f))
	}
	tap := at(0.5, 0.9)
	finger := func(id int, q digit.Point) *input.TouchPoint {
		n := float64(id)
		return &input.TouchPoint{X: ox + q.X, Y: oy + q.Y, ID: &n}
	}
	// Chromium compares each touch event's fingers with the previous
	// event's: a new one is pressed, a moved one moves, a missing one is
	// lifted.
	before := p.status().Pad.Samples
	p.touch(input.DispatchTouchEventTypeTouchStart, finger(1, left[0]))
	p.touch(input.DispatchTouchEventTypeTouchStart, finger(1, left[0]), finger(2, right[0]))
	for i := 1; i < len(left); i++ {
		p.touch(input.DispatchTouchEventTypeTouchMove, finger(1, left[i]), finger(2, right[i]))
	}
	p.touch(input.DispatchTouchEventTypeTouchMove, finger(1, left[len(left)-1])) // the right finger lifts
	p.touch(input.DispatchTouchEventTypeTouchEnd)                                // then the left
	p.touch(input.DispatchTouchEventTypeTouchStart, finger(3, tap))
	p.touch(input.DispatchTouchEventTypeTouchEnd)
	want := before + 2*(len(left)+1) + 2
	p.waitUntil(fmt.Sprintf(`window.convlab.status().pad.samples >= %d`, want), evalTimeout)
	p.waitFrames(2) // no more samples than the touches made
	st := p.status().Pad
	if st.Samples != want {
		t.Errorf("the pad received %d pointer samples, want %d: a press, a release and each move of each finger", st.Samples-before, want-before)
	}
	strokes := [][]digit.Point{left, right, {tap}}
	native, err := digit.PadInput(padStrokes(strokes, pad))
	if err != nil {
		t.Fatal(err)
	}
	if d := maxAbsDiff(st.Input, native); st.Empty || d > maxPadInputDiff {
		t.Errorf("two fingers and a tap: the pad's input differs from digit.PadInput of their three strokes by up to %.3g (empty %v)", d, st.Empty)
	}
	p.expectNoConsoleErrors()
}

// touch sends one real touch event (through Chromium's input pipeline)
// with the fingers on the screen after it, at viewport coordinates.
func (p *page) touch(typ input.DispatchTouchEventType, points ...*input.TouchPoint) {
	p.t.Helper()
	if points == nil {
		points = []*input.TouchPoint{}
	}
	ctx, cancel := context.WithTimeout(p.ctx, evalTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: points}); err != nil {
		p.t.Fatalf("touch %s: %v", typ, err)
	}
}

// penStrokes returns the pen paths of the 28×28 image img (digit.PenPaths)
// scaled to fill the pad, in whole CSS pixels from the canvas's corner, as
// a mouse reports a pen drawing them: a point every step CSS pixels or
// less along each path, repeated points left out (the page sees no move).
func penStrokes(img []uint8, pad api.Rect, step float64) [][]digit.Point {
	scale := math.Min(pad.W, pad.H) / 28
	var out [][]digit.Point
	for _, path := range digit.PenPaths(img, 28, 28) {
		var stroke []digit.Point
		add := func(x, y float64) {
			q := digit.Point{X: math.Round(pad.X + x*scale), Y: math.Round(pad.Y + y*scale)}
			if len(stroke) == 0 || q != stroke[len(stroke)-1] {
				stroke = append(stroke, q)
			}
		}
		add(path[0].X, path[0].Y)
		for i := 1; i < len(path); i++ {
			a, b := path[i-1], path[i]
			n := max(1, int(math.Ceil(math.Hypot(b.X-a.X, b.Y-a.Y)*scale/step)))
			for j := 1; j <= n; j++ {
				f := float64(j) / float64(n)
				add(a.X+f*(b.X-a.X), a.Y+f*(b.Y-a.Y))
			}
		}
		out = append(out, stroke)
	}
	return out
}

// padStrokes converts strokes in CSS pixels to the pad's pixels, as the
// page's pad panel does: by the offset from the surface's corner times
// PadSide over the surface's width.
func padStrokes(strokes [][]digit.Point, pad api.Rect) [][]digit.Point {
	out := make([][]digit.Point, len(strokes))
	for i, s := range strokes {
		for _, q := range s {
			out[i] = append(out[i], digit.Point{X: (q.X - pad.X) * (digit.PadSide / pad.W), Y: (q.Y - pad.Y) * (digit.PadSide / pad.W)})
		}
	}
	return out
}

// countSamples is how many pointer samples the mouse events of strokes
// make: a press, each move, and the release at the last point.
func countSamples(strokes [][]digit.Point) int {
	n := 0
	for _, s := range strokes {
		n += len(s) + 1
	}
	return n
}

// drawStrokes clears the pad and draws strokes (in CSS pixels from the
// canvas's corner) with the mouse: a press at each stroke's first point,
// a move to each other one and a release at the last. Slowly, it waits
// after each event until the pad has taken its sample, so each sample
// reaches a frame of its own; briskly, it sends every event without
// waiting and then waits for the pad to have taken them all. It returns
// status().pad and how many frames the dashboard ran while drawing.
func (p *page) drawStrokes(strokes [][]digit.Point, brisk bool) (api.Pad, int) {
	p.t.Helper()
	if r := evaluate[map[string]any](p, `window.convlab.clearPad()`); r["ok"] != true {
		p.t.Fatalf("clearPad() = %v", r)
	}
	st := p.status()
	if !st.Pad.Empty {
		p.t.Fatalf("the pad is not empty once clearPad() has settled: %+v", st.Pad)
	}
	ox, oy := p.canvasOrigin()
	var events []mouseEvent
	for _, s := range strokes {
		events = append(events, mouseEvent{input.DispatchMouseEventTypeMousePressed, ox + s[0].X, oy + s[0].Y})
		for _, q := range s[1:] {
			events = append(events, mouseEvent{input.DispatchMouseEventTypeMouseMoved, ox + q.X, oy + q.Y})
		}
		last := s[len(s)-1]
		events = append(events, mouseEvent{input.DispatchMouseEventTypeMouseReleased, ox + last.X, oy + last.Y})
	}
	received := st.Pad.Samples + len(events)
	if brisk {
		p.briskMouse(events)
	} else {
		for i, e := range events {
			p.mouse(e.typ, e.x, e.y)
			p.waitUntil(fmt.Sprintf(`window.convlab.status().pad.samples >= %d`, st.Pad.Samples+i+1), evalTimeout)
		}
	}
	p.waitUntil(fmt.Sprintf(`window.convlab.status().pad.samples >= %d`, received), evalTimeout)
	end := p.status()
	if end.Pad.Samples != received {
		p.t.Fatalf("the pad received %d pointer samples for %d mouse events", end.Pad.Samples-st.Pad.Samples, received-st.Pad.Samples)
	}
	if end.Pad.Empty {
		p.t.Fatalf("the pad is empty after %d strokes drawn inside status().layout.pad", len(strokes))
	}
	return end.Pad, end.Frame - st.Frame
}

// pearson returns the correlation of two equally long vectors.
func pearson(a, b []float64) float64 {
	n := float64(len(a))
	var sa, sb, saa, sbb, sab float64
	for i := range a {
		sa, sb = sa+a[i], sb+b[i]
		saa, sbb, sab = saa+a[i]*a[i], sbb+b[i]*b[i], sab+a[i]*b[i]
	}
	return (sab - sa*sb/n) / math.Sqrt((saa-sa*sa/n)*(sbb-sb*sb/n))
}

// mouseEvent is one mouse event for briskMouse, at viewport coordinates.
type mouseEvent struct {
	typ  input.DispatchMouseEventType
	x, y float64
}

// briskMouse sends real mouse events (through Chromium's input pipeline)
// back to back, as a hand moving briskly makes them: unlike p.mouse,
// which waits for each event to be handled (the page handles moves once
// per frame), it does not wait. The events go through a session of their
// own whose commands the browser forwards in order without awaiting their
// replies (Target.sendMessageToTarget), so they arrive in order and queue
// up in the page, as the operating system's do.
func (p *page) briskMouse(events []mouseEvent) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, evalTimeout)
	defer cancel()
	c := chromedp.FromContext(p.ctx)
	if p.briskSession == "" {
		// chromedp does not know this session: when the tab closes, it
		// logs that the session's executor does not exist.
		var attached struct {
			SessionID string `json:"sessionId"`
		}
		if err := c.Browser.Call(ctx, "Target.attachToTarget", map[string]any{"targetId": c.Target.TargetID, "flatten": false}, &attached); err != nil {
			p.t.Fatalf("attaching a session for the mouse: %v", err)
		}
		p.briskSession = attached.SessionID
	}
	for _, e := range events {
		params := input.DispatchMouseEventParams{Type: e.typ, X: e.x, Y: e.y, Button: input.MouseButtonLeft, Buttons: 1}
		if e.typ != input.DispatchMouseEventTypeMouseMoved {
			params.ClickCount = 1
		}
		if e.typ == input.DispatchMouseEventTypeMouseReleased {
			params.Buttons = 0
		}
		p.briskSent++ // the message's id, unique in the session
		msg, err := json.Marshal(map[string]any{"id": p.briskSent, "method": input.CommandDispatchMouseEvent, "params": params})
		if err != nil {
			p.t.Fatal(err)
		}
		if err := c.Browser.Call(ctx, "Target.sendMessageToTarget", map[string]any{"sessionId": p.briskSession, "message": string(msg)}, nil); err != nil {
			p.t.Fatalf("mouse %s at (%.1f, %.1f): %v", e.typ, e.x, e.y, err)
		}
	}
}

// maxScaledDiff bounds the difference of the page's pad input from the
// native pipeline's when the dashboard is not shown at one CSS pixel a
// unit: the page divides CSS pixels by its CSS scale and the test
// converts them straight to pad pixels, the same arithmetic in another
// order, so only rounding (about 1e-14) may tell them apart; a sample lost
// or misplaced changes values by 0.1 or more.
const maxScaledDiff = 1e-9

// TestDrawingOnHiDPI draws a held-out digit briskly on a screen of two
// device pixels per CSS pixel, in a window smaller than the design size
// (0.92 CSS pixels a logical unit): the pad reads pointer samples in CSS
// pixels and converts them with the App's CSS scale, so the drawing lands
// where it was drawn.
func TestDrawingOnHiDPI(t *testing.T) {
	digits := readHeldout(t)
	p := openPage(t, "", viewport{1280, 720, 2})
	pad := p.status().Layout["pad"]
	strokes := penStrokes(digits.Image(0), pad, briskStep)
	st, _ := p.drawStrokes(strokes, true)
	native, err := digit.PadInput(padStrokes(strokes, pad))
	if err != nil {
		t.Fatal(err)
	}
	if d := maxAbsDiff(st.Input, native); d > maxScaledDiff {
		t.Errorf("at a device scale of 2, the pad's input differs from digit.PadInput of the path by up to %.3g (correlation %.4f)", d, pearson(st.Input, native))
	}
	p.expectNoConsoleErrors()
}
