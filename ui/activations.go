package ui

import (
	"fmt"

	"convlab/nn"
	"convlab/ui/insightview"
	"convlab/ui/widget"
)

// refreshEvery is how many Updates the activation maps wait between
// refreshes while the weights change: about twice a second at 60 Updates
// a second. A new selection, drawing or epoch refreshes them at once.
const refreshEvery = 30

// activations is the panel of activation maps and kernels: a strip of
// test images (and the pad's drawing) to choose from on top, and below,
// every layer's maps for the one shown, with the conv kernels that made
// them.
type activations struct {
	maps    atlas // insightview.NumTiles heatmaps of the image shown
	scales  insightview.Scales
	probs   []float64 // the network's probabilities for the image; nil when there are no maps
	mapsErr string    // why there are no maps, if there are none
	shown   mapsKey   // what the maps show
	trained int       // the run's ImagesTrained when they were made
	since   int       // Updates since then
	back    backward  // the backward view's gradients, made only while it is shown
	toggle  widget.Button
}

// mapsKey is what the activation maps depend on besides the weights.
type mapsKey struct {
	run     runID
	image   selection
	drawing int // the drawing's revision, if the drawing is shown
	epochs  int // epochs finished
	grads   gradView
	at      int // the epoch shown (see scrub), 0 for live
}

func (p *activations) update(f *frame) []action {
	acts := p.updateToggle(f)
	gl := insightview.LayoutGradients(panelInner(f.rect))
	l := gl.ActivationLayout
	if !f.grads.shown {
		l = insightview.LayoutActivations(panelInner(f.rect))
	}
	acts = append(acts, p.browse(f, len(l.Thumbs))...)
	for _, e := range f.input.presses(f.rect.Contains) {
		acts = append(acts, p.press(f, l, e.X, e.Y)...)
		if i := insightview.Hit(gl.Targets[:], e.X, e.Y); f.grads.shown && i >= 0 {
			acts = append(acts, action{kind: chooseTarget, index: i})
		}
		if i := insightview.Hit(gl.KernelSource[:], e.X, e.Y); f.grads.shown && i >= 0 {
			acts = append(acts, action{kind: chooseKernels, index: i})
		}
	}
	p.refresh(f)
	return acts
}

// updateToggle places the title bar's button that switches between the
// forward and the backward view, and answers its click.
func (p *activations) updateToggle(f *frame) []action {
	p.toggle.Rect, p.toggle.Enabled = titleButtons(f.rect, 118)[0], true
	label, want := "Show gradients", 1
	if f.grads.shown {
		label, want = "Show activations", 0
	}
	p.toggle.Label = label
	var acts []action
	for _, e := range f.input.Events {
		if p.toggle.Handle(e) {
			acts = append(acts, action{kind: showGradients, index: want})
		}
	}
	return acts
}

// browse steps through the test images with the keys: ↑/↓ by one, Page
// Up/Page Down by a strip's page (← and → move the epoch scrubber).
func (p *activations) browse(f *frame, page int) []action {
	var acts []action
	for _, k := range []struct {
		key   Key
		delta int
	}{{KeyUp, -1}, {KeyDown, 1}, {KeyPageUp, -page}, {KeyPageDown, page}} {
		if f.input.pressed(k.key) {
			acts = append(acts, stepFrom(f.image, k.delta))
		}
	}
	return acts
}

// stepFrom moves from selection s by delta test images; from the drawing
// it goes back to the test image shown before. The App keeps the index in
// range.
func stepFrom(s selection, delta int) action {
	if s.drawing {
		return action{kind: selectImage, index: s.index}
	}
	return action{kind: selectImage, index: s.index + delta}
}

// press handles a click in the strip: the pad's slot, a page button or a
// test image.
func (p *activations) press(f *frame, l insightview.ActivationLayout, x, y float64) []action {
	page := len(l.Thumbs)
	switch {
	case l.Pad.Contains(x, y):
		return []action{do(selectDrawing)}
	case l.Prev.Contains(x, y):
		return []action{stepFrom(f.image, -page)}
	case l.Next.Contains(x, y):
		return []action{stepFrom(f.image, page)}
	}
	n := f.thumbs.count()
	if i := insightview.Hit(l.Thumbs, x, y); i >= 0 {
		if idx := insightview.PageStart(f.image.index, n, page) + i; idx < n {
			return []action{{kind: selectImage, index: idx}}
		}
	}
	return nil
}

// refresh recomputes the maps when the image, the drawing or the epoch
// changed, and at most every refreshEvery Updates while the weights
// change.
func (p *activations) refresh(f *frame) {
	r := f.run()
	p.since++
	key := mapsKey{run: r.id, image: f.image, epochs: len(r.History()), grads: f.grads, at: r.at}
	if f.image.drawing {
		key.drawing = f.drawing.revision
	}
	trained := r.ImagesTrained()
	if key == p.shown && (trained == p.trained || p.since < refreshEvery) {
		return
	}
	p.shown, p.trained, p.since = key, trained, 0
	p.probs, p.mapsErr = nil, ""
	image := shownImage(f)
	if image == nil {
		return
	}
	if f.grads.shown {
		p.probs, p.mapsErr = p.back.compute(f, image)
		return
	}
	act, err := r.Activations(image)
	if err != nil {
		p.mapsErr = err.Error()
		return
	}
	net := r.Network()
	tiles, scales, err := insightview.ActivationTiles(image, act, convWeights(net, nn.LayerConv1), convWeights(net, nn.LayerConv2))
	if err != nil {
		p.mapsErr = err.Error()
		return
	}
	p.maps.set(must(insightview.Pack(tiles, mapsAtlasWidth))) // fails only for a tile wider than the atlas
	p.scales, p.probs = scales, act.Probs
}

// convWeights returns the weights of the conv layer named name.
func convWeights(net *nn.Network, name string) []float64 {
	if c, ok := net.Layer(name).(*nn.Conv2D); ok {
		return c.Weight.Value
	}
	return nil
}

func (p *activations) draw(c *canvas, f *frame) {
	if f.grads.shown {
		p.drawBackward(c, f)
		return
	}
	in := c.card(f.rect, "Activation maps and kernels")
	c.smallButton(&p.toggle)
	l := insightview.LayoutActivations(in)
	drawStrip(c, f, l)
	drawSelectionInfo(c, f, l.Info, p.probs, browseHint)
	if p.probs == nil {
		drawNoMaps(c, in, l, p.mapsErr)
		return
	}
	for i := range p.maps.tiles {
		c.tile(&p.maps, i, l.Tiles[i])
	}
	sc := p.scales
	names := stageNames()
	bottoms := [insightview.NumStages]string{"0 to 1", maxLabel(sc.Conv1), maxLabel(sc.Conv1), maxLabel(sc.Conv2), maxLabel(sc.Conv2), maxLabel(sc.Hidden)}
	for i, st := range l.Stages {
		cx := st.X + st.W/2
		c.Text(names[i], cx, st.Y, 11, colText, AlignCenter)
		c.Text(bottoms[i], cx, st.Y+st.H-insightview.LineHeight+2, 11, colMuted, AlignCenter)
	}
	hidden := l.Stages[insightview.StageHidden]
	c.Text("49 values", hidden.X+hidden.W/2, l.Tiles[insightview.TileHidden].Y-insightview.LineHeight, 11, colMuted, AlignCenter)
	for i, w := range []float64{sc.Kernel1, sc.Kernel2} {
		k := l.Kernels[i]
		c.Text(fmt.Sprintf("kernels ±%.2f", w), k.X+k.W/2, k.Y, 11, colText, AlignCenter)
	}
	note := "← 5×5 weights, each kernel placed like the map it makes; conv2 has one per input map →"
	if l.Kernels[1].Y > l.Kernels[0].Y { // conv2's stage and kernels are in a second row
		note = "← 5×5 weights, each kernel placed like the map it makes; conv2's, below, have one per input map"
	}
	c.wrapped(note, l.Note, 11)
	drawLegend(c, l)
}

// maxLabel labels the top of an activation scale.
func maxLabel(v float64) string { return fmt.Sprintf("max %.2g", v) }

// drawLegend labels the two colour bars.
func drawLegend(c *canvas, l insightview.ActivationLayout) {
	for _, bar := range []struct {
		tile  int
		title string
		ticks [3]string
	}{
		{insightview.TileActivationBar, "activation (viridis)", [3]string{"0", "", "layer max"}},
		{insightview.TileWeightBar, "weight (blue − / red +)", [3]string{"−max", "0", "+max"}},
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

// drawBackward draws the backward view: the card, whose title counts the
// network's parameters, the strip and the line about the image, and the
// gradients (backward.draw).
func (p *activations) drawBackward(c *canvas, f *frame) {
	title := "Gradients: the backward pass"
	if total := p.back.totalParams(); total > 0 && p.probs != nil {
		title += " · " + thousands(total) + " parameters"
	}
	in := c.card(f.rect, title)
	c.smallButton(&p.toggle)
	l := insightview.LayoutGradients(in)
	drawStrip(c, f, l.ActivationLayout)
	drawSelectionInfo(c, f, l.Info, p.probs, stepNote(f.run()))
	if p.probs == nil {
		drawNoMaps(c, in, l.ActivationLayout, p.mapsErr)
		return
	}
	p.back.draw(c, l, p.probs)
}
