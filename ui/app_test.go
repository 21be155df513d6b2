package ui

import (
	"errors"
	"fmt"
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
	"convlab/ui/session"
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
	a, err := New(lib, s, append(problems, problems...))
	if err != nil {
		t.Fatal(err)
	}
	a.Update(Input{})
	if msgs := a.Status().Messages; len(msgs) != 1 || !strings.Contains(msgs[0], "lr") {
		t.Fatalf("messages %q, want one about lr", msgs)
	}
	rec := &recorder{}
	a.Draw(rec)
	if !rec.drew("URL parameter lr") || !rec.drew("Esc to dismiss") {
		t.Errorf("the banner does not show the problem: %q", rec.texts)
	}
	a.Update(Input{Keys: []Key{KeyEscape}})
	if msgs := a.Status().Messages; len(msgs) != 0 {
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

// post queues a call and returns a func reporting its result once
// applied.
func post(t *testing.T, a *App, r Request) func() (api.Result, bool) {
	t.Helper()
	var got api.Result
	done := false
	r.Done = func(res api.Result) { got, done = res, true }
	if err := a.Post(r); err != nil {
		t.Fatal(err)
	}
	return func() (api.Result, bool) { return got, done }
}

// Calls from the page are applied by the next Update, in order, and
// answered after the frame that applied them is published.
func TestRequestsAreAppliedInUpdate(t *testing.T) {
	a := newTestApp(t, "epochs=1&perclass=10&testper=1&batch=50")
	var seen []string
	start := Request{Call: api.CallStart, Query: url.Values{"batch": {"20"}}, Done: func(res api.Result) {
		seen = append(seen, fmt.Sprintf("start %v, status %s batch %d", res, a.Status().State, a.Status().Config.BatchSize))
	}}
	if err := a.Post(start); err != nil {
		t.Fatal(err)
	}
	if a.sess().State() != session.Idle || len(seen) > 0 {
		t.Fatal("a posted call was applied before the next Update")
	}
	a.Update(Input{})
	if want := []string{"start {true }, status running batch 20"}; !slices.Equal(seen, want) {
		t.Errorf("replies %q, want %q", seen, want)
	}

	step := post(t, a, Request{Call: api.CallStep})
	a.Update(Input{})
	if res, done := step(); !done || !strings.Contains(res.Error, "while idle or paused") {
		t.Errorf("step() while running: %+v (answered %v); want an error", res, done)
	}
	pause := post(t, a, Request{Call: api.CallPause})
	a.Update(Input{})
	if res, _ := pause(); !res.OK || a.sess().State() != session.Paused {
		t.Errorf("pause(): %+v, state %v", res, a.sess().State())
	}
	bad := post(t, a, Request{Call: api.CallStart, Query: url.Values{"lr": {"5"}, "epochs": {"0"}}})
	a.Update(Input{})
	if res, _ := bad(); !strings.Contains(res.Error, "lr=") || !strings.Contains(res.Error, "epochs=") || a.sess().Settings().BatchSize != 20 {
		t.Errorf("start() with bad settings: %+v, batch %d; want an error naming both, the run unchanged", res, a.sess().Settings().BatchSize)
	}
}

func TestStartAfterTheEndIsRefused(t *testing.T) {
	a := newTestApp(t, "epochs=1&perclass=10&testper=1&batch=100")
	post(t, a, Request{Call: api.CallStart})
	runUntil(t, a, 1000, "the end of the run", func() bool { return a.sess().State() == session.Finished })
	again := post(t, a, Request{Call: api.CallStart})
	reset := post(t, a, Request{Call: api.CallReset})
	a.Update(Input{})
	if res, _ := again(); !strings.Contains(res.Error, "finished") {
		t.Errorf("start() after the end: %+v, want an error", res)
	}
	if res, _ := reset(); !res.OK || a.sess().State() != session.Idle {
		t.Errorf("reset(): %+v, state %v", res, a.sess().State())
	}
}

func TestPostRefusesBeyondTheBound(t *testing.T) {
	a := newTestApp(t, "")
	for i := range maxRequests {
		if err := a.Post(Request{Call: api.CallPause}); err != nil {
			t.Fatalf("call %d refused: %v", i+1, err)
		}
	}
	if err := a.Post(Request{Call: api.CallPause}); !errors.Is(err, api.ErrBusy) {
		t.Errorf("call %d: %v, want api.ErrBusy", maxRequests+1, err)
	}
	a.Update(Input{})
	if err := a.Post(Request{Call: api.CallPause}); err != nil {
		t.Errorf("after an Update the queue still refuses: %v", err)
	}
}

// padEvents returns a stroke through points (in pad pixels) as pointer
// events on the pad's surface of App a.
func padEvents(a *App, points []digit.Point) []widget.Event {
	s := layoutPad(panelInner(a.layout.Pad)).surface
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
	events := padEvents(a, []digit.Point{{X: 60, Y: 60}, {X: 60, Y: 200}, {X: 200, Y: 200}})
	a.Update(Input{Events: events})

	s := layoutPad(panelInner(a.layout.Pad)).surface
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
	if st := a.Status().Pad; st.Empty || !slices.Equal(st.Input, wantInput) || len(st.Probs) != nn.NumClasses {
		t.Errorf("status().pad: empty %v, %d probabilities, input equal to the replay's: %v", st.Empty, len(st.Probs), slices.Equal(st.Input, wantInput))
	}
}

// A drawing is published through the frame: the activation panel shows
// it at once, and clearPad empties the pad and status() in the same
// frame.
func TestDrawingIsPublishedAndCleared(t *testing.T) {
	a := newTestApp(t, "")
	a.Update(Input{})
	rev := a.Status().Pad.Revision
	a.Update(Input{Events: padEvents(a, []digit.Point{{X: 100, Y: 50}, {X: 100, Y: 230}})})
	st := a.Status()
	if st.Pad.Empty || st.Pad.Revision <= rev || !a.image.drawing {
		t.Fatalf("after a stroke: pad empty %v, revision %d (was %d), drawing shown %v", st.Pad.Empty, st.Pad.Revision, rev, a.image.drawing)
	}
	act := a.panels[4].panel.(*activations)
	if act.probs == nil || act.shown.drawing != st.Pad.Revision {
		t.Errorf("the activation maps show revision %d, not the drawing's %d", act.shown.drawing, st.Pad.Revision)
	}
	clear := post(t, a, Request{Call: api.CallClearPad})
	a.Update(Input{})
	if res, _ := clear(); !res.OK || !a.Status().Pad.Empty || a.Status().Pad.Predicted != -1 {
		t.Errorf("clearPad(): %+v; status().pad %+v", res, a.Status().Pad)
	}
}

// The arrow keys, a click on a test image in the strip and a click in
// the t-SNE map all end in a selectImage action, which the App keeps in
// range.
func TestSelectingImages(t *testing.T) {
	a := newTestApp(t, "testper=2")
	a.Update(Input{})
	a.Update(Input{Keys: []Key{KeyRight}})
	if a.image != (selection{index: 1}) {
		t.Errorf("→ shows %+v, want test image 1", a.image)
	}
	a.Update(Input{Keys: []Key{KeyLeft}})
	a.Update(Input{Keys: []Key{KeyLeft}})
	if a.image.index != 0 {
		t.Errorf("← twice from 1 shows %d, want 0 (kept in range)", a.image.index)
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
	if a.selected != 0 {
		t.Errorf("selecting run 5 of 1 selects %d", a.selected)
	}
}

// The snapshot the page's classify() reads is the network as the last
// frame left it, and follows training.
func TestClassifyReadsTheLastFrame(t *testing.T) {
	a := newTestApp(t, "epochs=1&perclass=10&testper=1&batch=10")
	img := a.sess().TestSet().Image(0)
	before, err := a.Classify(img)
	if err != nil {
		t.Fatal(err)
	}
	post(t, a, Request{Call: api.CallStep})
	runUntil(t, a, 100, "a step", func() bool { return a.sess().ImagesTrained() == 10 && !a.sess().Stepping() })
	after, err := a.Classify(img)
	if err != nil {
		t.Fatal(err)
	}
	live, err := a.sess().Classify(img)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(before, after) || !slices.Equal(after, live) {
		t.Errorf("classify() before and after a step: %v, %v; the run's network: %v", before, after, live)
	}
	model, err := a.Model()
	if err != nil {
		t.Fatal(err)
	}
	net, err := nn.Load(strings.NewReader(model))
	if err != nil {
		t.Fatal(err)
	}
	if loaded, _ := net.Predict(img); !slices.Equal(loaded, live) {
		t.Error("model() does not hold the run's weights")
	}
}

// Draw draws every panel.
func TestDrawShowsEveryPanel(t *testing.T) {
	a := newTestApp(t, "")
	a.Update(Input{})
	rec := &recorder{}
	a.Draw(rec)
	for _, title := range []string{"ConvLab", "Settings", "Draw a digit", "Training curves", "Confusion matrix",
		"Activation maps and kernels", "t-SNE after the first epoch", "t-SNE after the last epoch", "momentum α"} {
		if !rec.drew(title) {
			t.Errorf("nothing reads %q", title)
		}
	}
	if !a.Status().Ready {
		t.Error("status().ready is false after a frame was drawn")
	}
	if l := a.Status().Layout; l["pad"].W != layoutPad(panelInner(a.layout.Pad)).surface.W || l["padPanel"] != cssRect(a.layout.Pad) {
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
