package ui

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"convlab/nn"
	"convlab/ui/api"
	"convlab/ui/runner"
)

// finishedApp returns an App whose only run has trained query's epochs
// and finished, behind a Handle.
func finishedApp(t *testing.T, query string) (*App, *Handle) {
	t.Helper()
	a := newTestApp(t, query)
	h := NewHandle(a)
	a.apply(do(startAll))
	runUntil(t, h, 100_000, "the end of the run", func() bool { return a.sess().State() == runner.Finished })
	h.Update(Input{})
	return a, h
}

// epochNetwork returns a network holding the weights the selected run
// ended epoch with.
func epochNetwork(t *testing.T, a *App, epoch int) *nn.Network {
	t.Helper()
	values, ok := a.sess().EpochWeights(epoch)
	if !ok {
		t.Fatalf("no weights for epoch %d", epoch)
	}
	net := nn.NewHomework(0)
	for i, p := range net.Params() {
		copy(p.Value, values[i])
	}
	return net
}

// Showing an epoch makes the insight panels, the pad and classify() use
// the weights that epoch ended with, and its metrics; Live returns them
// to the latest weights.
func TestShowingAnEpoch(t *testing.T) {
	a, h := finishedApp(t, "opt=rmsprop&epochs=3&perclass=10&testper=5&batch=10")
	image := a.sess().TestSet().Image(3)
	first := epochNetwork(t, a, 1)
	want1, _ := first.Predict(image)
	live, _ := a.sess().Network().Predict(image)
	if slices.Equal(want1, live) {
		t.Fatal("epoch 1's network answers as the last: the test cannot tell them apart")
	}

	if err := a.scrub.show(a.lab, 1); err != nil {
		t.Fatal(err)
	}
	h.Update(Input{})
	f := a.frameAt(&Input{}, a.layout.Curves)
	if r := f.run(); r.at != 1 || len(r.History()) != 1 || len(f.runs[0].History()) != 3 {
		t.Fatalf("the insight panels see epoch %d with %d epochs of metrics (the curves %d), want epoch 1 with 1 (the curves 3)",
			r.at, len(r.History()), len(f.runs[0].History()))
	}
	if got, _ := h.Classify(image); !slices.Equal(got, want1) {
		t.Error("classify() does not answer with epoch 1's weights")
	}
	if !slices.Equal(convWeights(f.run().Network(), nn.LayerConv1), convWeights(first, nn.LayerConv1)) {
		t.Error("the kernels are not epoch 1's")
	}
	var conf *confusion
	for _, p := range a.panels {
		if c, ok := p.panel.(*confusion); ok {
			conf = c
		}
	}
	if conf.shown.at != 1 || conf.shown.epochs != 1 {
		t.Errorf("the confusion matrix shows %+v, want epoch 1's", conf.shown)
	}
	rec := &recorder{}
	a.Draw(rec)
	if !rec.drew("showing the end of epoch 1") || !rec.drew("after epoch 1") {
		t.Errorf("the header or the confusion matrix does not say epoch 1: %q", rec.texts)
	}

	a.apply(action{kind: showEpoch})
	h.Update(Input{})
	if got, _ := h.Classify(image); !slices.Equal(got, live) || a.frameAt(&Input{}, a.layout.Curves).run().at != 0 {
		t.Error("Live did not return to the latest weights")
	}
}

// The pad's prediction follows the epoch shown at once.
func TestPadPredictsWithTheEpochShown(t *testing.T) {
	a, h := finishedApp(t, "opt=rmsprop&epochs=2&perclass=10&testper=5&batch=10")
	a.pad.input = a.sess().TestSet().Image(7)
	want, _ := epochNetwork(t, a, 1).Predict(a.pad.input)
	h.Update(Input{})
	if err := a.scrub.show(a.lab, 1); err != nil {
		t.Fatal(err)
	}
	h.Update(Input{})
	if !slices.Equal(a.pad.probs, want) {
		t.Errorf("the pad predicts %v, want epoch 1's %v", a.pad.probs, want)
	}
}

// ← and → step through the finished epochs: from live back to the
// latest, never before the first, and past the latest to live.
func TestArrowsStepThroughEpochs(t *testing.T) {
	a, h := finishedApp(t, "opt=rmsprop&epochs=3&perclass=10&testper=5&batch=10")
	at := func() int { return a.scrub.at(runID(a.lab.SelectedRun().ID)) }
	for i, step := range []struct {
		key  Key
		want int
	}{{KeyLeft, 3}, {KeyLeft, 2}, {KeyLeft, 1}, {KeyLeft, 1}, {KeyRight, 2}, {KeyRight, 3}, {KeyRight, 0}, {KeyRight, 0}} {
		h.Update(Input{Keys: []Key{step.key}})
		if got := at(); got != step.want {
			t.Fatalf("key %d: epoch %d shown, want %d (0: live)", i, got, step.want)
		}
	}
}

// A press on the scrubber picks the epoch under it, kept to the finished
// ones; Live returns; a reset shows the new run live.
func TestScrubberSlider(t *testing.T) {
	a, h := finishedApp(t, "opt=rmsprop&epochs=3&perclass=10&testper=5&batch=10")
	var p *curves
	for _, s := range a.panels {
		if c, ok := s.panel.(*curves); ok {
			p = c
		}
	}
	s := &p.epochs
	h.Update(Input{Events: click(s.ValueX(2), s.Y+s.H/2)})
	if got := a.scrub.epoch; got != 2 {
		t.Fatalf("a click at epoch 2 shows %d", got)
	}
	h.Update(Input{Events: click(s.ValueX(0), s.Y+s.H/2)})
	if got := a.scrub.epoch; got != 1 {
		t.Errorf("a click left of epoch 1 shows %d, want 1", got)
	}
	x, y := centre(p.live.Rect)
	h.Update(Input{Events: click(x, y)})
	if a.scrub.epoch != 0 {
		t.Errorf("Live left epoch %d shown", a.scrub.epoch)
	}
	if err := a.scrub.show(a.lab, 4); err == nil {
		t.Error("epoch 4 of 3 was shown")
	}
	if err := a.scrub.show(a.lab, 2); err != nil {
		t.Fatal(err)
	}
	a.apply(action{kind: resetRun, settings: a.sess().Settings()})
	h.Update(Input{})
	if f := a.frameAt(&Input{}, a.layout.Curves); f.run().at != 0 {
		t.Errorf("after a reset the new run shows epoch %d, want live", f.run().at)
	}
}

// The second t-SNE panel shows the map of the epoch shown, built on
// demand.
func TestTSNEPanelFollowsTheEpochShown(t *testing.T) {
	a, h := finishedApp(t, "opt=rmsprop&epochs=3&perclass=10&testper=5&batch=10")
	if err := a.scrub.show(a.lab, 2); err != nil {
		t.Fatal(err)
	}
	runUntil(t, h, 10_000, "the map after epoch 2", func() bool { return a.sess().MapAt(2) != nil })
	_, second := a.frameAt(&Input{}, a.layout.TSNELast).run().Maps()
	if second == nil || second.Epoch != 2 {
		t.Fatalf("the second t-SNE panel shows %v, want the map after epoch 2", second)
	}
	h.Update(Input{})
	rec := &recorder{}
	a.Draw(rec)
	if !rec.drew("t-SNE after epoch 2") {
		t.Errorf("the panel's title does not name epoch 2: %q", rec.texts)
	}
}

// selectEpoch() selects the run and shows the epoch; a run or an epoch
// out of range is refused and changes nothing.
func TestSelectEpochCall(t *testing.T) {
	_, h := finishedApp(t, "opt=rmsprop&epochs=2&perclass=10&testper=5&batch=10")
	call := func(run, epoch int) api.Result {
		var res api.Result
		if err := h.Post(Request{Call: api.CallSelectEpoch, Index: run, Epoch: epoch, Done: func(r api.Result) { res = r }}); err != nil {
			t.Fatal(err)
		}
		h.Update(Input{})
		return res
	}
	if res := call(0, 1); !res.OK || h.Status().Shown.Epoch != 1 {
		t.Fatalf("selectEpoch(0, 1): %+v, shown %+v", res, h.Status().Shown)
	}
	for _, bad := range [][2]int{{0, 3}, {1, 1}} {
		if res := call(bad[0], bad[1]); res.Error == "" || h.Status().Shown.Epoch != 1 || h.Status().Selected != 0 {
			t.Errorf("selectEpoch(%d, %d): %+v, shown %+v", bad[0], bad[1], res, h.Status().Shown)
		}
	}
	if res := call(0, 0); !res.OK || h.Status().Shown.Epoch != 0 || h.Status().Shown.Map == nil || h.Status().Shown.Map.Epoch != 2 {
		t.Errorf("selectEpoch(0, 0): %+v, shown %+v, want live with the last epoch's map", res, h.Status().Shown)
	}
}

// After a comparison is set up, the run a teacher shows first is
// selected: RMSProp among the optimizers, batch 10 among the batch sizes,
// the long run beside the selected one.
func TestComparisonSelectsTheRunToShow(t *testing.T) {
	a := newTestApp(t, "perclass=10&testper=5")
	for _, tc := range []struct{ preset, label string }{{"optimizers", "RMSProp"}, {"batch", "batch 10"}, {"epochs", "50 epochs"}} {
		if err := a.compare(tc.preset); err != nil {
			t.Fatal(err)
		}
		if got := a.lab.SelectedRun().Label; !strings.Contains(got, tc.label) {
			t.Errorf("after %s the run %q is selected, want %s", tc.preset, got, tc.label)
		}
	}
}

// Save model, at an epoch shown, saves the weights of that epoch's end,
// in a file whose name says which epoch.
func TestSaveModelAtTheEpochShown(t *testing.T) {
	a, h := finishedApp(t, "opt=rmsprop&epochs=2&perclass=10&testper=5&batch=10")
	host := newFileHost()
	a.SetHost(host)
	if err := a.scrub.show(a.lab, 1); err != nil {
		t.Fatal(err)
	}
	a.apply(do(saveModel))
	h.Update(Input{})
	if len(host.saved) != 1 || !strings.Contains(host.saved[0].name, "epoch-1") {
		t.Fatalf("saved %d files (%v), want one named for epoch 1", len(host.saved), host.saved)
	}
	net, err := nn.Load(bytes.NewReader(host.saved[0].data))
	if err != nil {
		t.Fatal(err)
	}
	want := epochNetwork(t, a, 1)
	for i, p := range net.Params() {
		if !slices.Equal(p.Value, want.Params()[i].Value) {
			t.Fatalf("the saved %s is not epoch 1's", p.Name)
		}
	}
}
