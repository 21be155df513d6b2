package ui

import (
	"fmt"
	"image/color"

	"convlab/nn"
	"convlab/ui/geom"
	"convlab/ui/insightview"
)

// refreshEvery is how many Updates the activation maps wait between
// refreshes while the weights change: about twice a second at 60 Updates
// a second. A new selection, drawing or epoch refreshes them at once.
const refreshEvery = 30

// mapsAtlasWidth is the width in pixels of the activation maps' atlas:
// its widest row is the input and conv1's four 28×28 maps.
const mapsAtlasWidth = 5 * (nn.ImageSide + 1)

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
}

// mapsKey is what the activation maps depend on besides the weights.
type mapsKey struct {
	run     runID
	image   selection
	drawing int // the drawing's revision, if the drawing is shown
	epochs  int // epochs finished
	at      int // the epoch shown (see scrub), 0 for live
}

// stageNames returns the labels of the activation panel's columns, in the
// order of insightview.StageInput and following.
func stageNames() [insightview.NumStages]string {
	return [...]string{"input", "conv1 28×28", "pool1 14×14", "conv2 14×14", "pool2 7×7", "hidden"}
}

func (p *activations) update(f *frame) []action {
	l := insightview.LayoutActivations(panelInner(f.rect))
	acts := p.browse(f, len(l.Thumbs))
	for _, e := range f.input.presses(f.rect.Contains) {
		acts = append(acts, p.press(f, l, e.X, e.Y)...)
	}
	p.refresh(f)
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
	key := mapsKey{run: r.id, image: f.image, epochs: len(r.History()), at: r.at}
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

// shownImage returns the 784 values of the image the frame selects, or
// nil for an empty pad.
func shownImage(f *frame) []float64 {
	if f.image.drawing {
		return f.drawing.input
	}
	if f.image.index >= f.thumbs.count() {
		return nil
	}
	return f.thumbs.test.Image(f.image.index)
}

// convWeights returns the weights of the conv layer named name.
func convWeights(net *nn.Network, name string) []float64 {
	if c, ok := net.Layer(name).(*nn.Conv2D); ok {
		return c.Weight.Value
	}
	return nil
}

func (p *activations) draw(c *canvas, f *frame) {
	in := c.card(f.rect, "Activation maps and kernels")
	l := insightview.LayoutActivations(in)
	drawStrip(c, f, l)
	p.drawSelectionInfo(c, f, l.Info)
	if p.probs == nil {
		msg := "Draw a digit on the pad, or pick a test image above."
		if p.mapsErr != "" {
			msg = p.mapsErr
		}
		c.Text(msg, in.X+in.W/2, l.Stages[0].Y+l.Stages[0].H/2, 12, colMuted, AlignCenter)
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

// drawStrip draws the pad's slot, the page buttons and a page of test
// images, the one shown framed and mistakes underlined in red.
func drawStrip(c *canvas, f *frame, l insightview.ActivationLayout) {
	if f.drawing.input != nil {
		c.image(f.drawing.image, l.Pad)
	} else {
		c.FillRect(l.Pad, colGrid)
		c.Text("pad", l.Pad.X+l.Pad.W/2, l.Pad.Y+7, 11, colMuted, AlignCenter)
	}
	for _, b := range []struct {
		r     geom.Rect
		label string
	}{{l.Prev, "‹"}, {l.Next, "›"}} {
		c.FillRect(b.r, colAccentSoft)
		c.boldText(b.label, b.r.X+b.r.W/2, b.r.Y+3, 18, colAccent, AlignCenter)
	}
	if f.image.drawing {
		c.StrokeRect(l.Pad.Inset(-2), 2, colAccent)
	}
	n := f.thumbs.count()
	if n == 0 || f.thumbs.run != f.run().id {
		return
	}
	start := insightview.PageStart(f.image.index, n, len(l.Thumbs))
	var predicted []int
	if h := f.run().History(); len(h) > 0 {
		predicted = h[len(h)-1].Test.Predicted
	}
	for i, slot := range l.Thumbs {
		idx := start + i
		if idx >= n {
			break
		}
		c.tile(&f.thumbs.atlas, idx, slot)
		if idx < len(predicted) && predicted[idx] != f.thumbs.label(idx) {
			c.FillRect(rect(slot.X, slot.Y+slot.H+1, slot.W, 2), colWarn)
		}
		if !f.image.drawing && idx == f.image.index {
			c.StrokeRect(slot.Inset(-2), 2, colAccent)
		}
	}
}

// drawSelectionInfo says what the image shown is and what the network
// makes of it, with a keyboard hint when there is room.
func (p *activations) drawSelectionInfo(c *canvas, f *frame, r geom.Rect) {
	var what string
	label := -1
	switch {
	case f.image.drawing:
		what = "your drawing"
	case f.image.index < f.thumbs.count():
		label = f.thumbs.label(f.image.index)
		what = fmt.Sprintf("test image %d of %d, a %d", f.image.index+1, f.thumbs.count(), label)
	}
	c.Text(what, r.X, r.Y, 12, colText, AlignLeft)
	x := r.X + c.TextWidth(what, 12)
	if p.probs != nil {
		best := nn.Argmax(p.probs)
		says := fmt.Sprintf(" · the network says %d (%.0f%%)", best, 100*p.probs[best])
		clr := color.Color(colText)
		if label >= 0 && best != label {
			clr, says = colWarn, says+", wrong"
		}
		c.Text(says, x, r.Y, 12, clr, AlignLeft)
		x += c.TextWidth(says, 12)
	}
	const hint = "↑ ↓ browse"
	if x+c.TextWidth(hint, 11)+12 < r.X+r.W {
		c.Text(hint, r.X+r.W, r.Y+1, 11, colMuted, AlignRight)
	}
}
