package ui

import (
	"fmt"
	"image/color"
	"math"

	"convlab/nn"
	"convlab/ui/api"
	"convlab/ui/geom"
	"convlab/ui/insightview"
	"convlab/ui/plot"
	"convlab/ui/runner"
)

// backward is the activation panel's backward view: the gradients of one
// image's loss for one target class, from the network's own backward
// pass (nn.Network.Backprop), painted into an atlas. It is computed when
// the image, the weights or the target change, as the activation maps
// are, never every frame.
type backward struct {
	maps     atlas // insightview.NumTiles tiles, in the activation view's places
	scales   insightview.GradientScales
	strip    []insightview.LayerFigures
	target   int // the class the gradients are for
	loss     float64
	saliency []float64 // ∂L/∂x
	computed int       // how many times gradients were computed, for status()
	// batch sums up the last mini-batch's kernel gradients, nil when the
	// run has sent none; fromBatch says the kernels show them.
	batch     *api.BatchKernels
	fromBatch bool
}

// compute runs image forward and back through the selected run's network
// for the frame's target, and returns the probabilities, or why there
// are no gradients.
func (b *backward) compute(f *frame, image []float64) ([]float64, string) {
	r := f.run()
	target, err := targetFor(f, image)
	if err != nil {
		return nil, err.Error()
	}
	bp, err := r.Backprop(image, target)
	if err != nil {
		return nil, err.Error()
	}
	tiles, scales, err := insightview.GradientTiles(image, bp)
	if err != nil {
		return nil, err.Error()
	}
	if err := b.lastBatch(r, f.grads.batch, tiles, &scales); err != nil {
		return nil, err.Error()
	}
	b.maps.set(must(insightview.Pack(tiles, mapsAtlasWidth))) // fails only for a tile wider than the atlas
	net := r.Network()
	b.scales, b.target, b.loss, b.saliency = scales, target, bp.Loss, bp.Input
	b.strip = insightview.Strip(image, bp, net.ParamCount)
	b.computed++
	return bp.Forward.Probs, ""
}

// lastBatch sums up the run's last mini-batch's kernel gradients, and
// when show asks for them and there are some, puts their tiles and
// scales in place of the image's.
func (b *backward) lastBatch(r run, show bool, tiles []insightview.Tile, scales *insightview.GradientScales) error {
	b.batch, b.fromBatch = nil, false
	k1, k2, at := batchKernels(r)
	if k1 == nil {
		return nil
	}
	b.batch = &api.BatchKernels{ImagesTrained: at, Layers: []api.KernelGradient{
		{Layer: nn.LayerConv1, RMS: nn.RMS(k1), AbsMax: plot.AbsMax(k1)},
		{Layer: nn.LayerConv2, RMS: nn.RMS(k2), AbsMax: plot.AbsMax(k2)},
	}}
	if !show {
		return nil
	}
	s1, s2 := b.batch.Layers[0].AbsMax, b.batch.Layers[1].AbsMax
	kernels, err := insightview.KernelGradientTiles(k1, k2, s1, s2)
	if err != nil {
		return err
	}
	copy(tiles[insightview.TileKernel1:], kernels)
	scales.Kernel1, scales.Kernel2 = s1, s2
	b.fromBatch = true
	return nil
}

// batchKernels returns the conv kernels' gradient of r's last mini-batch
// (its conv1.weight and conv2.weight in runner.LastBatchParams) and the
// images trained after it, or nils when r has none.
func batchKernels(r run) (k1, k2 []float64, imagesTrained int) {
	grads, at := r.LastBatch()
	if len(grads) != len(runner.LastBatchParams) {
		return nil, nil, 0
	}
	for i, name := range runner.LastBatchParams {
		switch name {
		case nn.LayerConv1 + ".weight":
			k1 = grads[i]
		case nn.LayerConv2 + ".weight":
			k2 = grads[i]
		}
	}
	return k1, k2, at
}

// targetFor returns the class the frame asks gradients for: the one
// chosen, else the test image's label, else the class predicted for the
// drawing.
func targetFor(f *frame, image []float64) (int, error) {
	switch {
	case f.grads.target != defaultTarget:
		return f.grads.target, nil
	case !f.image.drawing:
		return f.thumbs.label(f.image.index), nil
	}
	probs, err := f.run().Classify(image)
	if err != nil {
		return 0, err
	}
	return nn.Argmax(probs), nil
}

// status is status().gradients: what the backward view shows, or only
// whether it is shown when it has nothing, or nothing finite (JSON has no
// NaN or infinity, and a network at the edge of diverging could give
// them).
func (b *backward) status(v gradView, has bool) api.Gradients {
	s := api.Gradients{Shown: v.shown, Target: defaultTarget, Computed: b.computed, Kernels: api.KernelsImage}
	if !v.shown || !has || !b.finite() {
		return s
	}
	if b.fromBatch {
		s.Kernels = api.KernelsBatch
	}
	s.BatchKernels = b.batch
	s.Target, s.Chosen, s.Loss = b.target, v.target != defaultTarget, b.loss
	s.Saliency = append([]float64(nil), b.saliency...)
	for _, l := range b.strip {
		s.Layers = append(s.Layers, api.GradientLayer{Name: l.Name, Shape: l.Shape, Params: l.Params,
			ActMin: l.ActMin, ActMax: l.ActMax, GradRMS: l.GradRMS, GradAbsMax: l.GradAbsMax})
	}
	return s
}

// draw draws the gradients in l: the target classes, each stage's ∂L/∂A
// with its scale and the layer strip, the kernels' ∂L/∂W, and what the
// colours mean. probs are the image's probabilities.
func (b *backward) draw(c *canvas, l insightview.GradientLayout, probs []float64) {
	drawTargets(c, l, probs, b.target, b.loss)
	for i := range b.maps.tiles {
		c.tile(&b.maps, i, l.Tiles[i])
	}
	sc := b.scales
	names := stageNames()
	scales := [insightview.NumStages]float64{sc.Input, sc.Conv1, sc.Conv1, sc.Conv2, sc.Conv2, sc.Hidden}
	for i, st := range l.Stages {
		c.Text(names[i], st.X+st.W/2, st.Y, 11, colText, AlignCenter)
		c.Text("±"+short(scales[i]), st.X+st.W/2, st.Y+st.H-insightview.LineHeight+2, 11, colMuted, AlignCenter)
		if i < len(b.strip) {
			drawFigures(c, l.Figures[i], b.strip[i], i)
		}
	}
	for i, w := range []float64{sc.Kernel1, sc.Kernel2} {
		k := l.Kernels[i]
		c.Text("∂L/∂W ±"+short(w), k.X+k.W/2, k.Y, 11, colText, AlignCenter)
	}
	drawKernelSource(c, l.KernelSource, b.fromBatch, b.batch != nil)
	drawMarksKey(c, l.Note)
	drawGradientLegend(c, l.ActivationLayout, b.target)
}

// finite reports whether every figure status() would give is finite.
func (b *backward) finite() bool {
	ok := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	all := append([]float64{b.loss}, b.saliency...)
	for _, l := range b.strip {
		all = append(all, l.ActMin, l.ActMax, l.GradRMS, l.GradAbsMax)
	}
	for _, v := range all {
		if !ok(v) {
			return false
		}
	}
	return true
}

// totalParams is the sum of the layer strip's parameters: 10,661 for the
// homework network.
func (b *backward) totalParams() int {
	total := 0
	for _, l := range b.strip {
		total += l.Params
	}
	return total
}

// drawTargets draws the row of target classes: each digit over a bar of
// its probability, the target framed; and the loss.
func drawTargets(c *canvas, l insightview.GradientLayout, probs []float64, target int, loss float64) {
	lb := l.TargetLabel
	c.Text("target", lb.X, lb.Y+4, 12, colText, AlignLeft)
	for i, r := range l.Targets {
		c.FillRect(r, colGrid)
		if i < len(probs) {
			h := r.H * probs[i]
			c.FillRect(rect(r.X, r.Y+r.H-h, r.W, h), colProbBar)
		}
		clr := color.Color(colText)
		if i == target {
			c.StrokeRect(r.Inset(-1), 2, colAccent)
			clr = colAccent
		}
		c.Text(fmt.Sprint(i), r.X+r.W/2, r.Y+3, 13, clr, AlignCenter)
	}
	if !l.Loss.Empty() {
		c.Text(fmt.Sprintf("loss −log p(%d) = %.3g", target, loss), l.Loss.X, l.Loss.Y+4, 11, colMuted, AlignLeft)
	}
}

// drawFigures draws a stage's lines of the layer strip: the parameters of
// the layer that makes it, its activation's range, its gradient's RMS.
// The first column's lines start at its left edge and the last's end at
// its right, as they are narrower than the text.
func drawFigures(c *canvas, r geom.Rect, l insightview.LayerFigures, stage int) {
	x, align := r.X+r.W/2, AlignCenter
	switch stage {
	case insightview.StageInput:
		x, align = r.X, AlignLeft
	case insightview.StageHidden:
		x, align = r.X+r.W, AlignRight
	}
	params := thousands(l.Params) + " params"
	switch {
	case stage == insightview.StageInput:
		params = "784 pixels"
	case l.Params == 0:
		params = "–" // pooling has no parameters; a dash keeps clear of the hidden stage's count
	}
	lines := []string{params, "act " + short(l.ActMin) + "–" + short(l.ActMax), "rms " + short(l.GradRMS)}
	for i, s := range lines {
		c.Text(s, x, r.Y+float64(i)*insightview.LineHeight, 11, colMuted, align)
	}
}

// drawKernelSource draws the switch of the kernels' ∂L/∂W between the
// image shown and the last mini-batch trained (greyed while the run has
// sent none), the one shown filled.
func drawKernelSource(c *canvas, halves [2]geom.Rect, batch, hasBatch bool) {
	for i, label := range [2]string{"image", "batch"} {
		r := halves[i]
		bg, fg := color.Color(colPanel), color.Color(colText)
		switch {
		case (i == 1) == batch:
			bg, fg = colAccent, colPanel
		case i == 1 && !hasBatch:
			bg, fg = colGrid, colMuted
		}
		c.FillRect(r, bg)
		c.StrokeRect(r, 1, colBorder)
		c.Text(label, r.X+r.W/2, r.Y+1, 11, fg, AlignCenter)
	}
}

// drawMarksKey says what the two grey marks over the maps mean.
func drawMarksKey(c *canvas, r geom.Rect) {
	y := r.Y
	for _, k := range []struct {
		clr  color.RGBA
		text string
	}{
		{insightview.NotRouted, "not its pool window's max: no gradient"},
		{insightview.Stopped, "ReLU off: the gradient stops"},
	} {
		c.FillRect(rect(r.X, y+2, 10, 10), k.clr)
		lines := insightview.Wrap(k.text, r.W-14, func(t string) float64 { return c.TextWidth(t, 11) })
		for _, line := range lines {
			c.Text(line, r.X+14, y, 11, colMuted, AlignLeft)
			y += insightview.LineHeight
		}
		y += 4
	}
}

// drawGradientLegend labels the gradient colour bar and the saliency
// overlay's.
func drawGradientLegend(c *canvas, l insightview.ActivationLayout, target int) {
	for _, bar := range []struct {
		tile  int
		title string
		ticks [3]string
	}{
		{insightview.TileActivationBar, "∂L/∂A, blue − / red +", [3]string{"−scale", "0", "+scale"}},
		{insightview.TileWeightBar, "input: ink here makes it", [3]string{fmt.Sprintf("more a %d", target), "", fmt.Sprintf("less a %d", target)}},
	} {
		b := l.Tiles[bar.tile]
		c.Text(bar.title, b.X, b.Y-insightview.LineHeight+1, 11, colText, AlignLeft)
		c.StrokeRect(b, 1, colBorder)
		y := b.Y + b.H + 1
		c.Text(bar.ticks[0], b.X, y, 11, colMuted, AlignLeft)
		c.Text(bar.ticks[1], b.X+b.W/2, y, 11, colMuted, AlignCenter)
		c.Text(bar.ticks[2], b.X+b.W, y, 11, colMuted, AlignRight)
	}
}

// thousands writes n ≥ 0 with commas between groups of three digits.
func thousands(n int) string {
	if n < 1000 {
		return fmt.Sprint(n)
	}
	return thousands(n/1000) + fmt.Sprintf(",%03d", n%1000)
}

// browseHint is the line's note about the image shown, in the forward
// view and in the backward one when there is no step to explain.
const browseHint = "↑ ↓ browse"

// stepNote is the backward view's note on the last step explained while
// the run is paused after it: the mini-batch's loss before and after the
// update (status().step has the rest).
func stepNote(r run) string {
	st := shownStep(r)
	if st == nil {
		return browseHint
	}
	return fmt.Sprintf("step: loss %.3f → %.3f", st.LossBefore, st.LossAfter)
}
