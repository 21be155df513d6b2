package ui

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"testing"

	"convlab/nn"
	"convlab/ui/api"
	"convlab/ui/insightview"
	"convlab/ui/runner"
)

// gradientStatus is status().gradients as the App would publish it.
func (a *App) gradientStatus() (shown bool, target int, chosen bool, saliency []float64, computed int) {
	s := a.insight.back.status(a.grads, a.insight.probs != nil)
	return s.Shown, s.Target, s.Chosen, s.Saliency, s.Computed
}

// TestBackwardView switches the activation panel to its gradients with
// its button, and checks that they are the network's own for the test
// image's label, that they are computed once while nothing changes, that
// a click on a class recomputes them for it, and that the view shows the
// layer strip.
func TestBackwardView(t *testing.T) {
	a := newTestApp(t, "")
	a.Update(Input{})
	if shown, _, _, _, _ := a.gradientStatus(); shown {
		t.Fatal("the gradients are shown before the button was pressed")
	}
	toggle := titleButtons(a.layout.Activations, 118)[0]
	a.Update(Input{Events: click(centre(toggle))})
	a.Update(Input{})
	shown, target, chosen, saliency, computed := a.gradientStatus()
	label := a.thumbs.label(0)
	if !shown || target != label || chosen || computed != 1 {
		t.Fatalf("after the button: shown %v, target %d (chosen %v), computed %d; want shown, the label %d, computed once", shown, target, chosen, computed, label)
	}
	image := a.thumbs.test.Image(0)
	want, err := a.sess().Network().Backprop(image, label)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(saliency, want.Input) {
		t.Error("the saliency map is not the network's ∂L/∂x for the label")
	}
	for range 40 {
		a.Update(Input{})
	}
	if _, _, _, _, n := a.gradientStatus(); n != 1 {
		t.Errorf("gradients computed %d times over 40 quiet frames, want once", n)
	}

	l := insightview.LayoutGradients(panelInner(a.layout.Activations))
	other := (label + 3) % nn.NumClasses
	a.Update(Input{Events: click(centre(l.Targets[other]))})
	a.Update(Input{})
	_, target, chosen, saliency2, computed := a.gradientStatus()
	if target != other || !chosen || computed != 2 {
		t.Fatalf("after clicking class %d: target %d (chosen %v), computed %d", other, target, chosen, computed)
	}
	if slices.Equal(saliency, saliency2) {
		t.Error("another target left the saliency map as it was")
	}
	rec := &recorder{}
	a.Draw(rec)
	for _, s := range []string{"10,661 parameters", "104 params", "9,653 params", "∂L/∂W ±", "rms ", "ReLU off"} {
		if !rec.drew(s) {
			t.Errorf("the backward view does not show %q", s)
		}
	}

	// Another image goes back to the default target, its label.
	a.apply(action{kind: selectImage, index: 1})
	a.Update(Input{})
	if _, target, chosen, _, _ := a.gradientStatus(); target != a.thumbs.label(1) || chosen {
		t.Errorf("test image 2: target %d (chosen %v), want its label %d", target, chosen, a.thumbs.label(1))
	}
	a.Update(Input{Events: click(centre(toggle))})
	a.Update(Input{})
	if shown, target, _, _, _ := a.gradientStatus(); shown || target != defaultTarget {
		t.Errorf("after the button again: shown %v, target %d; want the activations", shown, target)
	}
}

// TestStepIsExplainedInTheBackwardView steps a paused run with the
// gradients shown: the line about the image gives the mini-batch's loss
// before and after the step (where the line has room), until the run
// trains further.
func TestStepIsExplainedInTheBackwardView(t *testing.T) {
	a := newTestApp(t, "")
	a.Update(Input{})
	a.apply(action{kind: showGradients, index: 1})
	a.apply(do(stepRun))
	runUntil(t, a, 200, "an explained step", func() bool { return a.sess().LastStep() != nil && !a.sess().Stepping() })
	st := a.sess().LastStep()
	if st.Images != 10 || !(st.LossAfter < st.LossBefore) {
		t.Errorf("step of %d images, loss %v → %v; want 10 images and a lower loss", st.Images, st.LossBefore, st.LossAfter)
	}
	a.Resize(2560, 1080) // room on the line for the note beside the recorder's wide text
	rec := &recorder{}
	a.Draw(rec)
	if !rec.drew(fmt.Sprintf("step: loss %.3f → %.3f", st.LossBefore, st.LossAfter)) {
		t.Error("the backward view does not give the step's loss before and after")
	}
	a.apply(do(startRun))
	runUntil(t, a, 200, "more training", func() bool { return a.sess().ImagesTrained() > 10 })
	if a.sess().LastStep() != nil {
		t.Error("the step is still explained after the run trained further")
	}
}

// TestKernelSwitchShowsTheLastMiniBatch steps a run with the gradients
// shown: the kernels' switch then offers the step's mini-batch, whose
// ∂L/∂W of conv1's kernels, painted in place of the image's, is the
// session's last mini-batch gradient, which the trainer gave the
// optimizer; the image's are back a click later.
func TestKernelSwitchShowsTheLastMiniBatch(t *testing.T) {
	a := newTestApp(t, "")
	a.Update(Input{})
	a.apply(action{kind: showGradients, index: 1})
	a.Update(Input{})
	if s := a.insight.back.status(a.grads, true); s.BatchKernels != nil || s.Kernels != api.KernelsImage {
		t.Fatalf("before training: kernels %q, batch %+v; want the image's and no batch", s.Kernels, s.BatchKernels)
	}
	a.apply(do(stepRun))
	runUntil(t, a, 200, "a step", func() bool { return a.sess().ImagesTrained() == 10 && !a.sess().Stepping() })
	l := insightview.LayoutGradients(panelInner(a.layout.Activations))
	a.Update(Input{Events: click(centre(l.KernelSource[1]))})
	a.Update(Input{})
	s := a.insight.back.status(a.grads, true)
	grads, at := a.sess().LastBatch()
	if s.Kernels != api.KernelsBatch || s.BatchKernels == nil || s.BatchKernels.ImagesTrained != 10 || at != 10 {
		t.Fatalf("after the switch: kernels %q, batch %+v; want the batch after 10 images", s.Kernels, s.BatchKernels)
	}
	k1 := grads[slices.Index(runner.LastBatchParams, nn.LayerConv1+".weight")]
	if got := s.BatchKernels.Layers[0]; got.Layer != nn.LayerConv1 || got.RMS != nn.RMS(k1) || !(got.RMS > 0) {
		t.Errorf("conv1's batch figures %+v, want the RMS %v of the session's gradient", got, nn.RMS(k1))
	}
	n := insightview.KernelSide
	want := must(insightview.Pack([]insightview.Tile{{W: n, H: n, Values: k1[:n*n], Palette: insightview.Weight(s.BatchKernels.Layers[0].AbsMax)}}, n))
	if got := atlasPixels(&a.insight.back.maps, insightview.TileKernel1); !slices.Equal(got, atlasPixels(&atlas{Bitmap{W: want.W, H: want.H, Pix: want.Pix}, want.Rects}, 0)) {
		t.Error("conv1's first kernel is not painted from the batch's gradient")
	}
	a.Update(Input{Events: click(centre(l.KernelSource[0]))})
	a.Update(Input{})
	if s := a.insight.back.status(a.grads, true); s.Kernels != api.KernelsImage || s.BatchKernels == nil {
		t.Errorf("after switching back: kernels %q, batch figures %v; want the image's, the batch's still reported", s.Kernels, s.BatchKernels != nil)
	}
}

// atlasPixels returns the RGBA bytes of tile i of a, row by row.
func atlasPixels(a *atlas, i int) []byte {
	r := a.tiles[i]
	var out []byte
	for y := r.Min.Y; y < r.Max.Y; y++ {
		out = append(out, a.Pix[4*(y*a.W+r.Min.X):4*(y*a.W+r.Max.X)]...)
	}
	return out
}

// A finished run's kernels show the last mini-batch of its last epoch,
// which its end carried, also when that epoch is revisited, and none for
// an earlier epoch revisited.
func TestFinishedRunShowsItsLastMiniBatch(t *testing.T) {
	a := newTestApp(t, "epochs=2&perclass=10&testper=1&batch=7")
	a.apply(action{kind: showGradients, index: 1})
	a.apply(action{kind: chooseKernels, index: 1})
	a.apply(do(startRun))
	runUntil(t, a, 2000, "the run's end", func() bool { return a.sess().State() == runner.Finished })
	a.Update(Input{})
	s := a.insight.back.status(a.grads, true)
	all := a.sess().Settings().TrainSize() * a.sess().Settings().Epochs
	if s.Kernels != api.KernelsBatch || s.BatchKernels == nil || s.BatchKernels.ImagesTrained != all {
		t.Fatalf("after the run: kernels %q, batch %+v; want the batch that ended after all %d images", s.Kernels, s.BatchKernels, all)
	}
	// The first epoch's end, revisited, has no mini-batch gradient kept;
	// the last epoch's has its last batch's.
	for epoch, want := range map[int]bool{1: false, 2: true} {
		a.apply(action{kind: showEpoch, index: epoch})
		a.Update(Input{})
		if s := a.insight.back.status(a.grads, true); (s.BatchKernels != nil) != want || (s.Kernels == api.KernelsBatch) != want {
			t.Errorf("epoch %d revisited: kernels %q, batch %+v; want a batch %v", epoch, s.Kernels, s.BatchKernels, want)
		}
	}
}

// A network whose gradients are not finite leaves status().gradients
// without figures, rather than making status() fail to encode as JSON.
func TestGradientStatusLeavesOutWhatIsNotFinite(t *testing.T) {
	b := backward{target: 3, loss: math.Inf(1), saliency: make([]float64, nn.ImageSize)}
	if s := b.status(gradView{shown: true, target: 3}, true); s.Target != defaultTarget || s.Saliency != nil {
		t.Errorf("infinite loss: target %d, %d saliency values; want neither", s.Target, len(s.Saliency))
	}
	b.loss = 1
	if s := b.status(gradView{shown: true, target: 3}, true); s.Target != 3 || len(s.Saliency) != nn.ImageSize {
		t.Errorf("finite figures: target %d, %d saliency values", s.Target, len(s.Saliency))
	}
	if _, err := json.Marshal(b.status(gradView{shown: true}, true)); err != nil {
		t.Error(err)
	}
	b.saliency[5] = math.NaN()
	if _, err := json.Marshal(b.status(gradView{shown: true}, true)); err != nil {
		t.Errorf("a NaN in the saliency map: %v", err)
	}
}
