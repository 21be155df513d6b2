//go:build !js

package browsertest

import (
	"fmt"
	"slices"
	"testing"

	"convlab/ui/api"

	"github.com/chromedp/chromedp"
)

// TestGradients shows the activation panel's backward view after a short
// run, for a test image and then for a drawn digit: status().gradients
// holds a saliency map and the layer strip; another target class changes
// the saliency map; quiet frames compute nothing. It saves screenshots at
// 1280×780 and 1920×1080 to testout/. A step is then explained in
// status().step and in the curves panel, whose screenshots go there too,
// and the kernels show the last mini-batch's gradient, after the step
// and while the run trains on.
func TestGradients(t *testing.T) {
	digits := readHeldout(t)
	p := openPage(t, shortRun, desktop)
	p.waitForRunEnd(runTimeout)
	if res := evaluate[api.Result](p, `window.convlab.gradients()`); !res.OK {
		t.Fatalf("gradients(): %+v", res)
	}
	p.waitFor(`window.convlab.status().gradients.layers?.length === 7`, evalTimeout)
	first := p.status().Gradients
	checkGradients(t, "test image", first)
	if first.Chosen {
		t.Error("the default target is reported as chosen")
	}

	other := (first.Target + 1) % 10
	if res := evaluate[api.Result](p, fmt.Sprintf(`window.convlab.gradients({target: %d})`, other)); !res.OK {
		t.Fatalf("gradients({target: %d}): %+v", other, res)
	}
	second := p.status().Gradients // the Promise settles once the frame that applied it is published
	checkGradients(t, "another target", second)
	if second.Target != other || !second.Chosen || second.Computed <= first.Computed {
		t.Fatalf("after gradients({target: %d}): target %d, chosen %v, computed %d (was %d)", other, second.Target, second.Chosen, second.Computed, first.Computed)
	}
	if slices.Equal(first.Saliency, second.Saliency) {
		t.Error("the saliency map did not change with the target class")
	}
	p.waitFrames(30)
	if n := p.status().Gradients.Computed; n != second.Computed {
		t.Errorf("%d backward passes in 30 frames with nothing changed, want none", n-second.Computed)
	}
	p.saveScreenshot("gradients.png", 1280, 780)

	pad, _ := p.drawDigit(digits.Image(slices.Index(digits.Labels, 5)))
	p.waitUntil(fmt.Sprintf(`(s => s.gradients.target === %d && !s.gradients.chosen && s.gradients.computed > %d)(window.convlab.status())`,
		pad.Predicted, second.Computed), evalTimeout)
	checkGradients(t, "drawing", p.status().Gradients)
	p.waitFrames(2)
	p.saveScreenshot("gradients-drawing.png", 1280, 780)
	if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(1920, 1080)); err != nil {
		t.Fatalf("resizing the viewport: %v", err)
	}
	p.waitUntil(`window.convlab.status().layout.header.w === 1920`, evalTimeout)
	p.waitFrames(2)
	p.saveScreenshot("gradients-1920x1080.png", 1920, 1080)

	// A step from the start of a mini-batch, in the training worker, is
	// explained in status().step.
	for _, call := range []string{"reset", "step"} {
		if res := evaluate[api.Result](p, "window.convlab."+call+"()"); !res.OK {
			t.Fatalf("%s(): %+v", call, res)
		}
	}
	p.waitFor(`window.convlab.status().step !== null && window.convlab.status().state === "paused"`, evalTimeout)
	st := p.status().Step
	if st.Images != 10 || !(st.LossAfter < st.LossBefore) || st.State != "mean square" || len(st.Tensors) != 8 || len(st.FirstGradient) != 7 {
		t.Errorf("the step explained: %+v; want 10 images, a lower loss, RMSProp's mean square, 8 tensors and 7 stages", st)
	}
	// The curves panel shows it, and the kernels show the step's
	// mini-batch gradient on request.
	p.waitFor(`window.convlab.status().layout.step !== undefined`, evalTimeout)
	if res := evaluate[api.Result](p, `window.convlab.gradients({kernels: "batch"})`); !res.OK {
		t.Fatalf(`gradients({kernels: "batch"}): %+v`, res)
	}
	p.waitUntil(`(g => g.kernels === "batch" && g.batchKernels?.imagesTrained === 10)(window.convlab.status().gradients)`, evalTimeout)
	checkBatchKernels(t, "after the step", p.status().Gradients)
	p.waitFrames(2)
	p.saveScreenshot("step-1920x1080.png", 1920, 1080)
	if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(1280, 780)); err != nil {
		t.Fatalf("resizing the viewport: %v", err)
	}
	p.waitUntil(`window.convlab.status().layout.header.w === 1280`, evalTimeout)
	p.waitFrames(2)
	p.saveScreenshot("step.png", 1280, 780)

	// Training on takes the step away; the kernels follow the last
	// mini-batch the worker trained.
	if res := evaluate[api.Result](p, "window.convlab.start()"); !res.OK {
		t.Fatalf("start(): %+v", res)
	}
	p.waitUntil(`(s => s.layout.step === undefined && s.gradients.batchKernels?.imagesTrained > 10)(window.convlab.status())`, evalTimeout)
	trained := p.status()
	t.Logf("the kernels show the mini-batch that ended after %d images, the run %s", trained.Gradients.BatchKernels.ImagesTrained, trained.State)
	checkBatchKernels(t, "while training", trained.Gradients)
	p.expectNoConsoleErrors()
}

// checkBatchKernels checks that g shows the last mini-batch's kernel
// gradients, conv1's and conv2's, not zero.
func checkBatchKernels(t *testing.T, what string, g api.Gradients) {
	t.Helper()
	b := g.BatchKernels
	if g.Kernels != api.KernelsBatch || b == nil || len(b.Layers) != 2 || b.Layers[0].Layer != "conv1" || b.Layers[1].Layer != "conv2" {
		t.Fatalf("%s: kernels %q, last batch %+v; want the batch's conv1 and conv2", what, g.Kernels, b)
	}
	for _, l := range b.Layers {
		if !(l.RMS > 0) || !(l.AbsMax >= l.RMS) {
			t.Errorf("%s: %s's batch gradient has RMS %v and largest |value| %v", what, l.Layer, l.RMS, l.AbsMax)
		}
	}
}

// checkGradients checks that g shows a saliency map that is not zero and
// the seven stages of the layer strip with the network's 10,661
// parameters.
func checkGradients(t *testing.T, what string, g api.Gradients) {
	t.Helper()
	if !g.Shown || g.Target < 0 || g.Target > 9 || len(g.Saliency) != 784 || len(g.Layers) != 7 {
		t.Fatalf("%s: shown %v, target %d, %d saliency values, %d layers; want shown, a digit, 784 and 7",
			what, g.Shown, g.Target, len(g.Saliency), len(g.Layers))
	}
	if !slices.ContainsFunc(g.Saliency, func(v float64) bool { return v != 0 }) {
		t.Errorf("%s: the saliency map is zero", what)
	}
	params := 0
	for _, l := range g.Layers {
		params += l.Params
		if !(l.GradRMS > 0) {
			t.Errorf("%s: layer %s has no gradient", what, l.Name)
		}
	}
	if params != 10661 {
		t.Errorf("%s: the layer strip counts %d parameters, want 10,661", what, params)
	}
}
