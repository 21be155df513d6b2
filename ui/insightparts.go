package ui

import (
	"fmt"
	"image/color"

	"convlab/nn"
	"convlab/ui/geom"
	"convlab/ui/insightview"
)

// The parts both views of the activation panel (the activation maps and
// the gradients) share: the atlas's width, the stages' names, the image
// shown, the strip of test images and the line about the one shown.

// mapsAtlasWidth is the width in pixels of the activation maps' atlas:
// its widest row is the input and conv1's four 28×28 maps.
const mapsAtlasWidth = 5 * (nn.ImageSide + 1)

// stageNames returns the labels of the activation panel's columns, in the
// order of insightview.StageInput and following.
func stageNames() [insightview.NumStages]string {
	return [...]string{"input", "conv1 28×28", "pool1 14×14", "conv2 14×14", "pool2 7×7", "hidden"}
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

// drawNoMaps says, where the maps would be, why there are none.
func drawNoMaps(c *canvas, in geom.Rect, l insightview.ActivationLayout, why string) {
	msg := "Draw a digit on the pad, or pick a test image above."
	if why != "" {
		msg = why
	}
	c.Text(msg, in.X+in.W/2, l.Stages[0].Y+l.Stages[0].H/2, 12, colMuted, AlignCenter)
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
// makes of it (probs, nil when there are no maps), and at its end, when
// there is room, note (a keyboard hint, or news of the last step).
func drawSelectionInfo(c *canvas, f *frame, r geom.Rect, probs []float64, note string) {
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
	if probs != nil {
		best := nn.Argmax(probs)
		says := fmt.Sprintf(" · the network says %d (%.0f%%)", best, 100*probs[best])
		clr := color.Color(colText)
		if label >= 0 && best != label {
			clr, says = colWarn, says+", wrong"
		}
		c.Text(says, x, r.Y, 12, clr, AlignLeft)
		x += c.TextWidth(says, 12)
	}
	if x+c.TextWidth(note, 11)+12 < r.X+r.W {
		c.Text(note, r.X+r.W, r.Y+1, 11, colMuted, AlignRight)
	}
}
