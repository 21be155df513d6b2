package ui

import (
	"math"
	"net/url"
	"slices"
	"strings"
	"testing"

	"convlab/nn"
	"convlab/ui/api"
	"convlab/ui/digit"
	"convlab/ui/geom"
	"convlab/ui/insightview"
	"convlab/ui/layout"
	"convlab/ui/runner"
	"convlab/ui/settings"
	"convlab/ui/widget"
)

func TestNoticesAreUniqueAndFew(t *testing.T) {
	var n notices
	for _, m := range []string{"a", "b", "a", "c", "d", "b", "e", "f"} {
		n.add(m)
	}
	if want := []string{"c", "d", "e", "f"}; !slices.Equal(n.list, want) {
		t.Errorf("notices %q, want %q: each once, the newest %d", n.list, want, maxNotices)
	}
	n.clear()
	if len(n.list) != 0 {
		t.Errorf("cleared notices hold %q", n.list)
	}
}

// URL problems show in the banner and in status() until Esc dismisses
// them; the same problem is shown once.
func TestBannerShowsProblemsUntilEsc(t *testing.T) {
	lib, err := library()
	if err != nil {
		t.Fatal(err)
	}
	s, problems := settings.FromQuery(url.Values{"lr": {"abc"}})
	a, err := New(lib, func() runner.Backend { return runner.NewLocal(lib) }, []settings.Settings{s}, 1, append(problems, problems...))
	if err != nil {
		t.Fatal(err)
	}
	h := NewHandle(a)
	h.Update(Input{})
	if msgs := h.Status().Messages; len(msgs) != 1 || !strings.Contains(msgs[0], "lr") {
		t.Fatalf("messages %q, want one about lr", msgs)
	}
	rec := &recorder{}
	a.Draw(rec)
	if !rec.drew("URL parameter lr") || !rec.drew("Esc to dismiss") {
		t.Errorf("the banner does not show the problem: %q", rec.texts)
	}
	h.Update(Input{Keys: []Key{KeyEscape}})
	if msgs := h.Status().Messages; len(msgs) != 0 {
		t.Errorf("after Esc: messages %q", msgs)
	}
}

// The x axis counts epochs: whole-number ticks within the run, one per
// epoch for short runs and at most maxXTicks for long ones, from 0 to
// within a step of the last epoch.
func TestEpochTicks(t *testing.T) {
	for _, epochs := range []int{1, 2, 3, 5, 7, 8, 9, 15, 30, 99, 100} {
		ticks := epochTicks(0, float64(epochs))
		if len(ticks) < 2 || len(ticks) > maxXTicks || ticks[0] != 0 || ticks[len(ticks)-1] > float64(epochs) {
			t.Errorf("%d epochs: ticks %v", epochs, ticks)
			continue
		}
		step := tickStep(ticks)
		if step != math.Trunc(step) || float64(epochs)-ticks[len(ticks)-1] >= step {
			t.Errorf("%d epochs: ticks %v are not whole numbers reaching the last epoch", epochs, ticks)
		}
		if epochs < maxXTicks && len(ticks) != epochs+1 {
			t.Errorf("%d epochs: ticks %v, want one per epoch", epochs, ticks)
		}
	}
}

// niceTop gives the y axis headroom up to the last of at most yTicks
// nice ticks, never below the floor.
func TestNiceTop(t *testing.T) {
	for _, tc := range []struct{ v, floor, want float64 }{
		{0, 0.1, 0.1}, {0.05, 0.1, 0.1}, {0.43, 0.1, 0.6}, {0.59, 0.1, 0.6}, {0.61, 0.1, 0.8}, {2.3, 0.5, 3}, {0.9, 0.1, 1},
	} {
		if got := niceTop(tc.v, tc.floor); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("niceTop(%v, %v) = %v, want %v", tc.v, tc.floor, got, tc.want)
		}
	}
}

// padStroke returns a stroke through points (in pad pixels) on the pad's
// surface of App a, as a screen without pointer samples of its own
// reports it: its events, and one sample per event.
func padStroke(a *App, points []digit.Point) Input {
	events := padEvents(a, points)
	return Input{Events: events, Ink: InkOf(events)}
}

// padEvents returns a stroke through points (in pad pixels) as pointer
// events on the pad's surface of App a.
func padEvents(a *App, points []digit.Point) []widget.Event {
	s := a.padLayout().surface
	k := s.W / digit.PadSide
	var out []widget.Event
	for i, p := range points {
		kind := widget.Move
		switch i {
		case 0:
			kind = widget.Press
		case len(points) - 1:
			kind = widget.Release
		}
		out = append(out, widget.Event{Kind: kind, X: s.X + p.X*k, Y: s.Y + p.Y*k, ID: -1})
	}
	return out
}

// A press, a move and a release in one frame paint both segments, the
// last one to the release point included: the pad holds the ink
// digit.DrawStroke makes of the three points, and status() its input.
func TestPadPaintsToTheReleasePoint(t *testing.T) {
	a := newTestApp(t, "")
	h := NewHandle(a)
	events := padEvents(a, []digit.Point{{X: 60, Y: 60}, {X: 60, Y: 200}, {X: 200, Y: 200}})
	h.Update(Input{Events: events, Ink: InkOf(events)})

	s := a.padLayout().surface
	var mapped []digit.Point // the events as the pad reads them
	for _, e := range events {
		mapped = append(mapped, digit.Point{X: (e.X - s.X) * (digit.PadSide / s.W), Y: (e.Y - s.Y) * (digit.PadSide / s.W)})
	}
	want := digit.NewPadCanvas()
	if err := digit.DrawStroke(want, mapped, digit.BrushRadius); err != nil {
		t.Fatal(err)
	}
	if got := a.pad.ink.At(150, 200); got < 0.99 {
		t.Errorf("ink %.2f on the last segment, from the move to the release point", got)
	}
	if !slices.Equal(a.pad.ink.Ink(), want.Ink()) {
		t.Error("the pad's ink differs from digit.DrawStroke's for the same points")
	}
	wantInput, err := digit.ToMNIST(want)
	if err != nil {
		t.Fatal(err)
	}
	if st := h.Status().Pad; st.Empty || !slices.Equal(st.Input, wantInput) || len(st.Probs) != nn.NumClasses {
		t.Errorf("status().pad: empty %v, %d probabilities, input equal to the replay's: %v", st.Empty, len(st.Probs), slices.Equal(st.Input, wantInput))
	}
}

// A drawing is published through the frame: the activation panel shows
// it at once; clearPad() and the Clear button empty the pad, and status()
// in the same frame.
func TestDrawingIsPublishedAndCleared(t *testing.T) {
	a := newTestApp(t, "")
	h := NewHandle(a)
	h.Update(Input{})
	rev := h.Status().Pad.Revision
	h.Update(padStroke(a, []digit.Point{{X: 100, Y: 50}, {X: 100, Y: 230}}))
	st := h.Status()
	if st.Pad.Empty || st.Pad.Revision <= rev || !a.image.drawing {
		t.Fatalf("after a stroke: pad empty %v, revision %d (was %d), drawing shown %v", st.Pad.Empty, st.Pad.Revision, rev, a.image.drawing)
	}
	act := a.panels[4].panel.(*activations)
	if act.probs == nil || act.shown.drawing != st.Pad.Revision {
		t.Errorf("the activation maps show revision %d, not the drawing's %d", act.shown.drawing, st.Pad.Revision)
	}
	clear := post(t, h, Request{Call: api.CallClearPad})
	h.Update(Input{})
	if res, _ := clear(); !res.OK || !h.Status().Pad.Empty || h.Status().Pad.Predicted != -1 {
		t.Errorf("clearPad(): %+v; status().pad %+v", res, h.Status().Pad)
	}

	h.Update(padStroke(a, []digit.Point{{X: 50, Y: 140}, {X: 230, Y: 140}}))
	if h.Status().Pad.Empty {
		t.Fatal("a second stroke left the pad empty")
	}
	x, y := centre(a.padLayout().clear)
	h.Update(Input{Events: click(x, y)})
	if !h.Status().Pad.Empty {
		t.Error("the Clear button left the pad holding a drawing")
	}
}

// The ↑/↓ and page keys, a click on a test image in the strip and a
// click in the t-SNE map all end in a selectImage action, which the App
// keeps in range.
func TestSelectingImages(t *testing.T) {
	a := newTestApp(t, "testper=2")
	a.Update(Input{})
	a.Update(Input{Keys: []Key{KeyDown}})
	if a.image != (selection{index: 1}) {
		t.Errorf("↓ shows %+v, want test image 1", a.image)
	}
	a.Update(Input{Keys: []Key{KeyUp}})
	a.Update(Input{Keys: []Key{KeyUp}})
	if a.image.index != 0 {
		t.Errorf("↑ twice from 1 shows %d, want 0 (kept in range)", a.image.index)
	}
	a.Update(Input{Keys: []Key{KeyPageDown}})
	if page := len(insightviewLayout(a).Thumbs); a.image.index != page {
		t.Errorf("Page Down shows %d, want a strip's page on, %d", a.image.index, page)
	}
	a.Update(Input{Keys: []Key{KeyPageUp}})
	if a.image.index != 0 {
		t.Errorf("Page Up shows %d, want 0", a.image.index)
	}
	a.apply(action{kind: selectImage, index: 1000})
	if a.image.index != 19 {
		t.Errorf("selecting image 1000 of 20 shows %d, want the last, 19", a.image.index)
	}
	l := insightviewLayout(a)
	x, y := centre(l.Thumbs[2])
	a.Update(Input{Events: click(x, y)})
	if want := 2 + pageStart(a, l); a.image.index != want {
		t.Errorf("a click on the strip's third image shows %d, want %d", a.image.index, want)
	}
	a.apply(action{kind: selectRun, index: 5})
	if a.lab.Selected() != 0 {
		t.Errorf("selecting run 5 of 1 selects %d", a.lab.Selected())
	}
}

// Draw draws every panel.
func TestDrawShowsEveryPanel(t *testing.T) {
	a := newTestApp(t, "")
	h := NewHandle(a)
	h.Update(Input{})
	rec := &recorder{}
	h.Draw(rec)
	for _, title := range []string{"ConvLab", "Settings", "Draw a digit", "Training curves", "Confusion matrix",
		"Activation maps and kernels", "t-SNE after the first epoch", "t-SNE after the last epoch", "momentum α"} {
		if !rec.drew(title) {
			t.Errorf("nothing reads %q", title)
		}
	}
	if !h.Status().Ready {
		t.Error("status().ready is false after a frame was drawn")
	}
	if l := h.Status().Layout; l["pad"].W != a.padLayout().surface.W || l["padPanel"] != cssRect(a.layout.Pad) {
		t.Errorf("status().layout: pad %+v, padPanel %+v", l["pad"], l["padPanel"])
	}
	if d := layout.Compute(layout.DesignWidth, layout.DesignHeight); a.layout != d {
		t.Errorf("layout %+v, want the design size's", a.layout)
	}
}

// insightviewLayout is the activation panel's layout in App a.
func insightviewLayout(a *App) insightview.ActivationLayout {
	return insightview.LayoutActivations(panelInner(a.layout.Activations))
}

// pageStart is the test image in the strip's first slot.
func pageStart(a *App, l insightview.ActivationLayout) int {
	return insightview.PageStart(a.image.index, a.thumbs.count(), len(l.Thumbs))
}

// cssRect is r in CSS pixels at scale 1.
func cssRect(r geom.Rect) api.Rect { return api.Rect{X: r.X, Y: r.Y, W: r.W, H: r.H} }

// After an epoch, a click on a confusion cell lists its test images and a
// click on one shows it; a tap on a t-SNE point shows its test image too.
func TestConfusionAndTSNESelectImages(t *testing.T) {
	a := newTestApp(t, "epochs=1&perclass=10&testper=2&batch=100")
	h := NewHandle(a)
	post(t, h, Request{Call: api.CallStart})
	runUntil(t, h, 1000, "the settled map after the only epoch", func() bool {
		first, _ := a.sess().Maps()
		return first != nil && first.Done() && a.panels[6].panel.(*tsneMap).fitted != nil
	})
	h.Update(Input{}) // fit the settled map's points to the panel

	conf := a.panels[5].panel.(*confusion)
	l := insightview.LayoutConfusion(panelInner(a.layout.Confusion))
	test, predicted := a.sess().TestSet(), a.sess().History()[0].Test.Predicted
	x, y := centre(l.CellRect(test.Labels[3], predicted[3]))
	h.Update(Input{Events: click(x, y)})
	if !conf.cellOn || len(conf.examples) == 0 {
		t.Fatalf("a click on the cell of test image 3 lists %d images", len(conf.examples))
	}
	last := conf.examples[len(conf.examples)-1].index
	x, y = centre(conf.exampleRects(l)[len(conf.examples)-1])
	h.Update(Input{Events: click(x, y)})
	if a.image != (selection{index: last}) {
		t.Errorf("a click on the cell's last image shows %+v, want test image %d", a.image, last)
	}

	m := a.panels[6].panel.(*tsneMap)
	first, _ := a.sess().Maps()
	p := m.fitted[7]
	h.Update(Input{Events: click(p[0], p[1])})
	if m.pin < 0 || a.image != (selection{index: first.Indices[m.pin]}) {
		t.Errorf("a tap on t-SNE point 7 pins %d and shows %+v", m.pin, a.image)
	}
}
