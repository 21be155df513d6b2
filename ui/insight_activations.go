package ui

import (
	"fmt"
	"image/color"

	"convlab/nn"
	"convlab/ui/geom"
	"convlab/ui/insightview"
)

// stageNames returns the labels of the activation panel's columns, in the
// order of insightview.StageInput and following.
func stageNames() [insightview.NumStages]string {
	return [...]string{"input", "conv1 28×28", "pool1 14×14", "conv2 14×14", "pool2 7×7", "hidden"}
}

func (s *insight) drawActivations(c *canvas, a *App, r geom.Rect) {
	in := c.panel(r, "Activation maps and kernels")
	l := insightview.LayoutActivations(in)
	s.drawStrip(c, a, l)
	s.drawSelectionInfo(c, a, l.Info)
	if s.probs == nil {
		msg := "Draw a digit on the pad, or pick a test image above."
		if s.mapsErr != "" {
			msg = s.mapsErr
		}
		c.text(msg, in.X+in.W/2, l.Stages[0].Y+l.Stages[0].H/2, 12, colMuted, alignCenter)
		return
	}
	for i, t := range s.maps.tiles {
		c.image(t, l.Tiles[i])
	}
	sc := s.scales
	names := stageNames()
	bottoms := [insightview.NumStages]string{"0 to 1", maxLabel(sc.Conv1), maxLabel(sc.Conv1), maxLabel(sc.Conv2), maxLabel(sc.Conv2), maxLabel(sc.Hidden)}
	for i, st := range l.Stages {
		cx := st.X + st.W/2
		c.text(names[i], cx, st.Y, 11, colText, alignCenter)
		c.text(bottoms[i], cx, st.Y+st.H-insightview.LineHeight+2, 11, colMuted, alignCenter)
	}
	c.text("49 values", l.Stages[insightview.StageHidden].X+l.Stages[insightview.StageHidden].W/2,
		l.Tiles[insightview.TileHidden].Y-insightview.LineHeight, 11, colMuted, alignCenter)
	for i, w := range []float64{sc.Kernel1, sc.Kernel2} {
		k := l.Kernels[i]
		c.text(fmt.Sprintf("kernels ±%.2f", w), k.X+k.W/2, k.Y, 11, colText, alignCenter)
	}
	s.drawWrapped(c, "← 5×5 weights, each kernel placed like the map it makes; conv2 has one per input map →", l.Note, 11)
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
		c.text(bar.title, b.X, b.Y-insightview.LineHeight+1, 11, colText, alignLeft)
		c.strokeRect(b, 1, colBorder)
		y := b.Y + b.H + 1
		c.text(bar.ticks[0], b.X, y, 11, colMuted, alignLeft)
		c.text(bar.ticks[1], b.X+b.W/2, y, 11, colMuted, alignCenter)
		c.text(bar.ticks[2], b.X+b.W, y, 11, colMuted, alignRight)
	}
}

// drawStrip draws the pad's slot, the page buttons and a page of test
// images, the selection framed and mistakes underlined in red.
func (s *insight) drawStrip(c *canvas, a *App, l insightview.ActivationLayout) {
	if a.pad.input != nil {
		c.image(a.pad.inputImg, l.Pad)
	} else {
		c.fillRect(l.Pad, colGrid)
		c.text("pad", l.Pad.X+l.Pad.W/2, l.Pad.Y+7, 11, colMuted, alignCenter)
	}
	for _, b := range []struct {
		r     geom.Rect
		label string
	}{{l.Prev, "‹"}, {l.Next, "›"}} {
		c.fillRect(b.r, colAccentSoft)
		c.boldText(b.label, b.r.X+b.r.W/2, b.r.Y+3, 18, colAccent, alignCenter)
	}
	if s.sel.pad {
		c.strokeRect(l.Pad.Inset(-2), 2, colAccent)
	}
	if s.test == nil || len(s.thumbs.tiles) != s.test.Len() {
		return
	}
	n := s.test.Len()
	start := insightview.PageStart(s.sel.index, n, len(l.Thumbs))
	var predicted []int
	if h := a.sess.History(); len(h) > 0 {
		predicted = h[len(h)-1].Test.Predicted
	}
	for i, slot := range l.Thumbs {
		idx := start + i
		if idx >= n {
			break
		}
		c.image(s.thumbs.tiles[idx], slot)
		if idx < len(predicted) && predicted[idx] != s.test.Labels[idx] {
			c.fillRect(rect(slot.X, slot.Y+slot.H+1, slot.W, 2), colWarn)
		}
		if !s.sel.pad && idx == s.sel.index {
			c.strokeRect(slot.Inset(-2), 2, colAccent)
		}
	}
}

// drawSelectionInfo says what the selection is and what the network makes
// of it, with a keyboard hint when there is room.
func (s *insight) drawSelectionInfo(c *canvas, a *App, r geom.Rect) {
	var what string
	label := -1
	switch {
	case s.sel.pad:
		what = "your drawing"
	case s.test != nil && s.sel.index < s.test.Len():
		label = s.test.Labels[s.sel.index]
		what = fmt.Sprintf("test image %d of %d, a %d", s.sel.index+1, s.test.Len(), label)
	}
	c.text(what, r.X, r.Y, 12, colText, alignLeft)
	x := r.X + c.textWidth(what, 12)
	if s.probs != nil {
		best := nn.Argmax(s.probs)
		says := fmt.Sprintf(" · the network says %d (%.0f%%)", best, 100*s.probs[best])
		clr := color.Color(colText)
		if label >= 0 && best != label {
			clr, says = colWarn, says+", wrong"
		}
		c.text(says, x, r.Y, 12, clr, alignLeft)
		x += c.textWidth(says, 12)
	}
	const hint = "← → browse"
	if x+c.textWidth(hint, 11)+12 < r.X+r.W {
		c.text(hint, r.X+r.W, r.Y+1, 11, colMuted, alignRight)
	}
}
