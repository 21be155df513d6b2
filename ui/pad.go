package ui

import (
	"fmt"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"

	"convlab/nn"
	"convlab/ui/api"
	"convlab/ui/digit"
	"convlab/ui/geom"
	"convlab/ui/widget"
)

// The pad's ink buffer and brush, in its own pixels. A stroke of radius 12
// on a 280-pixel pad becomes about 2.5 pixels wide once a digit that fills
// the pad is scaled to MNIST's 20-pixel box, like MNIST's pen strokes.
const (
	padPixels     = 280
	brushRadius   = 12.0
	predictEvery  = 15    // Updates between predictions while training
	padSideLogic  = 200.0 // largest side of the drawing surface
	previewLogic  = 84.0
	barAreaHeight = 96.0
)

// pad is the draw-to-classify panel: a drawing surface, the 28×28 input
// made from it, and the network's probabilities for it.
type pad struct {
	ink      *digit.Canvas
	inkImg   *ebiten.Image
	inkDirty bool
	revision int // counts the changes of the drawing
	// RGBA buffers for WritePixels, kept between frames.
	inkPixels, inputPixels []byte
	input                  []float64 // 784 values, nil while the pad is empty
	inputImg               *ebiten.Image
	probs                  []float64
	drawing                bool // a stroke is in progress
	lastX                  float64
	lastY                  float64
	strokeID               int
	clear                  widget.Button
	sinceRun               int // Updates since the last prediction
	trainedSeen            int // the session's image count at the last prediction
}

func newPad() (*pad, error) {
	ink, err := digit.NewCanvas(padPixels, padPixels)
	if err != nil {
		return nil, err
	}
	return &pad{
		ink: ink, inkImg: ebiten.NewImage(padPixels, padPixels), inputImg: ebiten.NewImage(nn.ImageSide, nn.ImageSide),
		inkDirty: true, clear: widget.Button{Label: "Clear", Enabled: true},
	}, nil
}

// padAreas splits the panel: the drawing surface (square, as large as the
// room beside the preview and above the bars allows, at most 200 units),
// the preview and the probability bars.
func padAreas(in geom.Rect) (surface, preview, bars geom.Rect) {
	side := min(padSideLogic, in.W-previewLogic-10, in.H-barAreaHeight-10)
	surface = rect(in.X, in.Y, side, side)
	preview = rect(in.X+side+10, in.Y+18, previewLogic, previewLogic)
	bars = rect(in.X, in.Y+side+10, in.W, min(barAreaHeight, in.H-side-10))
	return
}

// panelInner is the area inside a panel's card, below its title; it matches
// what canvas.panel returns.
func panelInner(r geom.Rect) geom.Rect {
	return rect(r.X+10, r.Y+26, r.W-20, r.H-34)
}

func (p *pad) update(a *App, in *pointerInput, r geom.Rect) {
	inner := panelInner(r)
	surface, preview, _ := padAreas(inner)
	p.clear.Rect = rect(preview.X, preview.Y+preview.H+46, preview.W, 28)
	for _, e := range in.events {
		if p.clear.Handle(e) {
			p.clearInk()
		}
		p.handleStroke(e, surface)
	}
	p.sinceRun++
	if p.inkDirty {
		p.refresh(a)
	} else if p.input != nil && p.sinceRun >= predictEvery && a.sess.ImagesTrained() != p.trainedSeen {
		p.predict(a) // the weights have changed since the last prediction
	}
}

// handleStroke paints with one pointer from press to release.
func (p *pad) handleStroke(e widget.Event, surface geom.Rect) {
	k := padPixels / surface.W
	x, y := (e.X-surface.X)*k, (e.Y-surface.Y)*k
	switch e.Kind {
	case widget.Press:
		if !surface.Contains(e.X, e.Y) || p.drawing {
			return
		}
		p.drawing, p.strokeID, p.lastX, p.lastY = true, e.ID, x, y
		p.paint(x, y, x, y)
	case widget.Move:
		if p.drawing && e.ID == p.strokeID {
			p.paint(p.lastX, p.lastY, x, y)
			p.lastX, p.lastY = x, y
		}
	case widget.Release:
		if p.drawing && e.ID == p.strokeID {
			p.drawing = false
		}
	}
}

func (p *pad) paint(x0, y0, x1, y1 float64) {
	if p.ink.Stroke(x0, y0, x1, y1, brushRadius) == nil {
		p.inkDirty = true
	}
}

func (p *pad) clearInk() {
	p.ink.Clear()
	p.inkDirty = true
}

// refresh remakes the 28×28 input and the prediction after the drawing
// changed.
func (p *pad) refresh(a *App) {
	p.inkDirty = false
	p.revision++
	p.inkPixels = greyPixels(p.inkPixels, p.ink.Ink(), color.RGBA{0x11, 0x11, 0x11, 0xff}, color.RGBA{0xff, 0xff, 0xff, 0xff})
	p.inkImg.WritePixels(p.inkPixels)
	input, err := digit.ToMNIST(p.ink)
	if err != nil { // empty pad
		p.input, p.probs = nil, nil
		p.inputImg.Clear()
		return
	}
	p.input = input
	p.inputPixels = greyPixels(p.inputPixels, input, color.RGBA{0xff, 0xff, 0xff, 0xff}, color.RGBA{0, 0, 0, 0xff})
	p.inputImg.WritePixels(p.inputPixels)
	p.predict(a)
}

// newRun predicts the drawing again with a new run's network.
func (p *pad) newRun(a *App) {
	if p.input != nil {
		p.predict(a)
	}
}

func (p *pad) predict(a *App) {
	p.sinceRun = 0
	p.trainedSeen = a.sess.ImagesTrained()
	probs, err := a.sess.Classify(p.input)
	if err == nil {
		p.probs = probs
	}
}

// greyPixels turns values in [0, 1] into RGBA bytes, blending from bg (0)
// to fg (1), reusing out's storage when it is large enough.
func greyPixels(out []byte, v []float64, fg, bg color.RGBA) []byte {
	if cap(out) < 4*len(v) {
		out = make([]byte, 4*len(v))
	}
	out = out[:4*len(v)]
	for i, t := range v {
		t = min(max(t, 0), 1)
		out[4*i] = uint8(float64(bg.R) + t*(float64(fg.R)-float64(bg.R)))
		out[4*i+1] = uint8(float64(bg.G) + t*(float64(fg.G)-float64(bg.G)))
		out[4*i+2] = uint8(float64(bg.B) + t*(float64(fg.B)-float64(bg.B)))
		out[4*i+3] = 0xff
	}
	return out
}

func (p *pad) draw(c *canvas, a *App, r geom.Rect) {
	c.panel(r, "Draw a digit")
	surface, preview, bars := padAreas(panelInner(r))
	c.image(p.inkImg, surface)
	c.strokeRect(surface, 1, colBorder)
	if p.input == nil {
		c.text("draw a digit here", surface.X+surface.W/2, surface.Y+surface.H-22, 11, colMuted, alignCenter)
	}
	c.text("input 28×28", preview.X, preview.Y-16, 11, colMuted, alignLeft)
	c.image(p.inputImg, preview)
	c.strokeRect(preview, 1, colBorder)
	if p.probs != nil {
		best := nn.Argmax(p.probs)
		c.boldText(fmt.Sprintf("it's a %d", best), preview.X, preview.Y+preview.H+8, 16, colAccent, alignLeft)
		c.text(fmt.Sprintf("%.0f%% sure", 100*p.probs[best]), preview.X, preview.Y+preview.H+28, 11, colMuted, alignLeft)
	}
	drawButton(c, &p.clear)
	drawProbabilityBars(c, bars, p.probs)
}

// drawProbabilityBars draws one bar per digit, the most likely highlighted.
func drawProbabilityBars(c *canvas, r geom.Rect, probs []float64) {
	cols := r.Cols(nn.NumClasses, 4)
	best := -1
	if probs != nil {
		best = nn.Argmax(probs)
	}
	for d, col := range cols {
		barArea := rect(col.X, col.Y, col.W, col.H-16)
		c.fillRect(barArea, colGrid)
		if probs != nil {
			h := barArea.H * probs[d]
			clr := colAccentSoft
			if d == best {
				clr = colAccent
			}
			c.fillRect(rect(barArea.X, barArea.Y+barArea.H-h, barArea.W, h), clr)
		}
		weight := colMuted
		if d == best {
			weight = colText
		}
		c.text(fmt.Sprint(d), col.X+col.W/2, col.Y+col.H-14, 12, weight, alignCenter)
	}
}

func (p *pad) status() api.Pad {
	if p.input == nil {
		return api.Pad{Empty: true, Revision: p.revision, Predicted: -1}
	}
	return api.Pad{Revision: p.revision, Input: p.input, Probs: p.probs, Predicted: nn.Argmax(p.probs)}
}

// surfaceRect returns the drawing surface's rectangle for a pad panel.
func surfaceRect(r geom.Rect) geom.Rect {
	s, _, _ := padAreas(panelInner(r))
	return s
}
