package ui

import (
	"slices"
	"testing"

	"convlab/ui/digit"
	"convlab/ui/ink"
	"convlab/ui/layout"
	"convlab/ui/widget"
)

// pageStroke returns the samples of one pointer drawing through points
// (in pad pixels) on the pad of App a, in CSS pixels at a's CSS scale, as
// the page's pointer listener pushes them.
func pageStroke(a *App, id int, points []digit.Point) []ink.Sample {
	s := a.padLayout().surface
	k := s.W / digit.PadSide
	var out []ink.Sample
	for i, p := range points {
		kind := ink.Move
		switch i {
		case 0:
			kind = ink.Down
		case len(points) - 1:
			kind = ink.Up
		}
		out = append(out, ink.Sample{ID: id, Kind: kind, X: (s.X + p.X*k) * a.cssScale, Y: (s.Y + p.Y*k) * a.cssScale})
	}
	return out
}

// asPadReads returns the points of samples as the pad of App a reads
// them, in pad pixels: in logical units, then from the surface's corner.
func asPadReads(a *App, samples []ink.Sample) []digit.Point {
	s := a.padLayout().surface
	var out []digit.Point
	for _, q := range samples {
		out = append(out, digit.Point{X: (q.X/a.cssScale - s.X) * (digit.PadSide / s.W), Y: (q.Y/a.cssScale - s.Y) * (digit.PadSide / s.W)})
	}
	return out
}

// drawnInk returns the ink digit.DrawStroke makes of the strokes of App
// a's pad given as the page's samples.
func drawnInk(t *testing.T, a *App, strokes ...[]ink.Sample) []float64 {
	t.Helper()
	c := digit.NewPadCanvas()
	for _, s := range strokes {
		if err := digit.DrawStroke(c, asPadReads(a, s), digit.BrushRadius); err != nil {
			t.Fatal(err)
		}
	}
	return c.Ink()
}

// zigzag is a stroke of many short moves, in pad pixels.
func zigzag() []digit.Point {
	var out []digit.Point
	for i := range 40 {
		out = append(out, digit.Point{X: 40 + 5*float64(i), Y: 100 + 60*float64(i%2)})
	}
	return out
}

// With the page's samples hooked up, the pad paints every sample, in CSS
// pixels converted with the App's CSS scale, and ignores the screen's
// once-per-frame pointer positions: a quick zigzag whose samples arrive
// in one frame, while the screen saw only its two ends, leaves exactly
// the zigzag's ink, not the straight chord as well.
func TestPadDrawsEverySampleOfThePage(t *testing.T) {
	a := newTestApp(t, "")
	h := NewHandle(a)
	h.Resize(1.5*layout.DesignWidth, 1.5*layout.DesignHeight) // the design at 1.5 CSS pixels a unit
	var q ink.Queue
	h.DrawFrom(&q)
	path := zigzag()
	samples := pageStroke(a, 1, path)
	for _, s := range samples {
		q.Push(s)
	}
	chord := padStroke(a, []digit.Point{path[0], path[len(path)-1]}) // what the screen saw
	h.Update(chord)
	if !slices.Equal(a.pad.ink.Ink(), drawnInk(t, a, samples)) {
		t.Error("the pad's ink differs from digit.DrawStroke's of the page's samples")
	}
	if st := h.Status().Pad; st.Samples != len(path) || st.Empty {
		t.Errorf("status().pad: samples %d, empty %v; want %d samples and a drawing", st.Samples, st.Empty, len(path))
	}

	// The screen's events still reach the widgets: the Clear button.
	x, y := centre(a.padLayout().clear)
	h.Update(Input{Events: click(x, y), Ink: InkOf(click(x, y))})
	if !h.Status().Pad.Empty {
		t.Error("the Clear button did not clear the pad while it draws from the page's samples")
	}
}

// A stroke whose samples arrive over several frames paints what it
// paints when they all arrive in one.
func TestPadStrokeAcrossFrames(t *testing.T) {
	a := newTestApp(t, "")
	h := NewHandle(a)
	var q ink.Queue
	h.DrawFrom(&q)
	samples := pageStroke(a, 1, zigzag())
	for i, s := range samples {
		q.Push(s)
		if i%7 == 0 {
			h.Update(Input{})
		}
	}
	h.Update(Input{})
	if !slices.Equal(a.pad.ink.Ink(), drawnInk(t, a, samples)) {
		t.Error("a stroke spread over frames left other ink than the same stroke in one frame")
	}
}

// Two fingers drawing at once, their samples interleaved, each draw their
// own stroke; a press and release between two frames leaves a dot.
func TestPadPointersKeepTheirStrokes(t *testing.T) {
	a := newTestApp(t, "")
	h := NewHandle(a)
	var q ink.Queue
	h.DrawFrom(&q)
	left := []digit.Point{{X: 60, Y: 40}, {X: 60, Y: 120}, {X: 60, Y: 200}, {X: 60, Y: 240}}
	right := []digit.Point{{X: 220, Y: 40}, {X: 220, Y: 120}, {X: 220, Y: 200}, {X: 220, Y: 240}}
	l, r := pageStroke(a, 3, left), pageStroke(a, 4, right)
	for i := range l {
		q.Push(l[i])
		q.Push(r[i])
	}
	h.Update(Input{})
	if !slices.Equal(a.pad.ink.Ink(), drawnInk(t, a, l, r)) {
		t.Error("two pointers' interleaved samples did not give two separate strokes")
	}
	if got := a.pad.ink.At(140, 120); got != 0 {
		t.Errorf("ink %.2f between the two strokes: they were joined", got)
	}

	h.Update(Input{Events: click(centre(a.padLayout().clear))})
	tap := pageStroke(a, 5, []digit.Point{{X: 140, Y: 140}, {X: 140, Y: 140}})
	for _, s := range tap {
		q.Push(s)
	}
	h.Update(Input{})
	if !slices.Equal(a.pad.ink.Ink(), drawnInk(t, a, tap[:1])) || h.Status().Pad.Empty {
		t.Error("a press and release within one frame did not leave a dot")
	}
}

// A press outside the surface draws nothing however the pointer then
// moves over it, and a stroke under way when the pad is cleared ends.
func TestPadStrokesStartOnTheSurface(t *testing.T) {
	a := newTestApp(t, "")
	h := NewHandle(a)
	var q ink.Queue
	h.DrawFrom(&q)
	outside := pageStroke(a, 1, []digit.Point{{X: -40, Y: 100}, {X: 100, Y: 100}, {X: 200, Y: 100}})
	for _, s := range outside {
		q.Push(s)
	}
	h.Update(Input{})
	if !h.Status().Pad.Empty {
		t.Error("a stroke pressed outside the surface painted on it")
	}

	stroke := pageStroke(a, 1, []digit.Point{{X: 100, Y: 40}, {X: 100, Y: 140}, {X: 100, Y: 240}})
	q.Push(stroke[0])
	q.Push(stroke[1])
	h.Update(Input{})
	x, y := centre(a.padLayout().clear)
	h.Update(Input{Events: []widget.Event{{Kind: widget.Press, X: x, Y: y, ID: 9}, {Kind: widget.Release, X: x, Y: y, ID: 9}}})
	q.Push(stroke[2])
	h.Update(Input{})
	if !h.Status().Pad.Empty {
		t.Error("the rest of a stroke under way when the pad was cleared painted")
	}
}
