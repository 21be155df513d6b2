package ui

import (
	"fmt"
	"image/color"

	"convlab/nn"
	"convlab/ui/api"
	"convlab/ui/digit"
	"convlab/ui/geom"
	"convlab/ui/ink"
	"convlab/ui/layout"
	"convlab/ui/widget"
)

// predictEvery is how many Updates the pad waits between predictions
// while the weights change; a new drawing or run is predicted at once.
const predictEvery = 15

// Sizes of the pad panel, in logical units.
const (
	padColumnMin = 92.0 // the column beside the surface: the answer and the Clear button
	padGap       = 10.0
	padStepGap   = 6.0
	padCaptionH  = 16.0 // below each step, its caption
	padBarsMin   = 60.0 // the probability bars and their digits, at least
	padClearH    = 28.0
)

// padLayout places the pad panel's parts.
type padLayout struct {
	surface geom.Rect    // where one draws: square, as large as the room beside the column and above the steps allows
	answer  geom.Rect    // beside the surface: the network's answer and a note
	clear   geom.Rect    // the Clear button, below the answer
	steps   [4]geom.Rect // the preprocessing, step by step, in a row below the surface
	bars    geom.Rect    // one probability bar per digit, below the steps
}

// layoutPad lays out the inside of the pad panel, with a drawing surface
// no larger than maxSide (layout.Dashboard.PadSide).
func layoutPad(in geom.Rect, maxSide float64) padLayout {
	tile := (in.W - 3*padStepGap) / 4
	side := min(maxSide, in.W-padColumnMin-padGap, in.H-padGap-tile-padCaptionH-padBarsMin)
	var l padLayout
	l.surface = rect(in.X, in.Y, side, side)
	col := rect(in.X+side+padGap, in.Y, in.W-side-padGap, side)
	l.clear = rect(col.X, col.Y+col.H-padClearH, col.W, padClearH)
	l.answer = rect(col.X, col.Y, col.W, col.H-padClearH-padGap)
	y := in.Y + side + padGap
	for i := range l.steps {
		l.steps[i] = rect(in.X+float64(i)*(tile+padStepGap), y, tile, tile)
	}
	y += tile + padCaptionH
	l.bars = rect(in.X, y, in.W, in.Y+in.H-y)
	return l
}

// padPanel is the draw-to-classify panel: a drawing surface, the 28×28
// input made from it (published through the frame as its drawing), and
// the selected run's probabilities for it. It draws from the frame's
// pointer samples (Input.Ink), every one of them, so a stroke keeps its
// shape however slowly frames come; its button reads the frame's events.
type padPanel struct {
	ink        *digit.Canvas // digit.PadSide pixels square
	inkImage   Bitmap
	inputImage Bitmap
	steps      padSteps  // what the preprocessing did to the drawing
	revision   int       // counts the changes of the drawing
	samples    int       // pointer samples received
	input      []float64 // 784 values, nil while the pad is empty
	probs      []float64 // the network's answer for input
	strokes    ink.Tracker
	segments   []ink.Segment // scratch for strokes' output
	clear      widget.Button
	maxSide    float64    // the surface's largest side (layout.Dashboard.PadSide)
	predicted  predictKey // what the last prediction was made with
	since      int        // Updates since the last prediction
}

// predictKey is what a prediction depends on besides the drawing.
type predictKey struct {
	run     runID
	at      int // the epoch shown (see scrub), 0 for live
	weights int // the run's WeightsRevision: the snapshot its network holds
}

func newPadPanel() *padPanel {
	p := &padPanel{ink: digit.NewPadCanvas(), clear: widget.Button{Label: "Clear", Enabled: true}, maxSide: layout.DesktopPadSide}
	p.refresh()
	return p
}

// drawing is what the pad publishes.
func (p *padPanel) drawing() drawing {
	return drawing{revision: p.revision, input: p.input, image: &p.inputImage}
}

func (p *padPanel) update(f *frame) []action {
	l := layoutPad(panelInner(f.rect), p.maxSide)
	p.clear.Rect = l.clear
	var acts []action
	for _, e := range f.input.Events {
		if p.clear.Handle(e) {
			acts = append(acts, do(clearPad))
		}
	}
	changed := p.paintSamples(f.input.Ink, l.surface)
	r := f.run()
	p.since++
	switch {
	case changed:
		p.refresh()
		if p.input != nil {
			p.predict(r)
			acts = append(acts, do(selectDrawing))
		}
	case p.input == nil:
	case r.id != p.predicted.run || r.at != p.predicted.at || p.since >= predictEvery && r.WeightsRevision() != p.predicted.weights:
		p.predict(r) // a new run or epoch shown, or the weights have changed
	}
	return acts
}

// paintSamples paints the strokes of samples (in logical units) that
// start on surface, in the sequence digit.DrawStroke replays: a dot at
// the press, a segment to each move, and one to where it is released;
// each pointer (the mouse, each finger) draws its own stroke. It reports
// whether it painted.
func (p *padPanel) paintSamples(samples []ink.Sample, surface geom.Rect) bool {
	p.samples += len(samples)
	p.segments = p.strokes.Feed(p.segments[:0], samples, surface.Contains)
	k := digit.PadSide / surface.W
	painted := false
	for _, s := range p.segments {
		a := digit.Point{X: (s.X0 - surface.X) * k, Y: (s.Y0 - surface.Y) * k}
		b := digit.Point{X: (s.X1 - surface.X) * k, Y: (s.Y1 - surface.Y) * k}
		painted = p.paint(a, b) || painted
	}
	return painted
}

// paint strokes from a to b and reports whether it did (points that are
// not finite are not painted).
func (p *padPanel) paint(a, b digit.Point) bool {
	return p.ink.Stroke(a.X, a.Y, b.X, b.Y, digit.BrushRadius) == nil
}

// clearInk empties the pad and ends the strokes under way.
func (p *padPanel) clearInk() {
	p.ink.Clear()
	p.strokes.Reset()
	p.refresh()
}

// refresh remakes the images and the 28×28 input after the drawing
// changed.
func (p *padPanel) refresh() {
	p.revision++
	p.inkImage.Set(digit.PadSide, digit.PadSide, greyPixels(p.inkImage.Pix, p.ink.Ink(), color.RGBA{0x11, 0x11, 0x11, 0xff}, color.RGBA{0xff, 0xff, 0xff, 0xff}))
	st, err := digit.Preprocess(p.ink)
	if err != nil { // empty pad
		p.input, p.probs = nil, nil
		return
	}
	p.input = st.Input
	p.inputImage.Set(nn.ImageSide, nn.ImageSide, greyPixels(p.inputImage.Pix, st.Input, colInk, colPaper))
	p.steps.set(st)
}

// predict asks run r's network about the drawing.
func (p *padPanel) predict(r run) {
	p.since = 0
	p.predicted = predictKey{run: r.id, at: r.at, weights: r.WeightsRevision()}
	if probs, err := r.Classify(p.input); err == nil {
		p.probs = probs
	}
}

func (p *padPanel) draw(c *canvas, f *frame) {
	l := layoutPad(c.card(f.rect, "Draw a digit"), p.maxSide)
	c.image(&p.inkImage, l.surface)
	c.StrokeRect(l.surface, 1, colBorder)
	if p.input == nil {
		c.Text("draw a digit here", l.surface.X+l.surface.W/2, l.surface.Y+l.surface.H-22, 11, colMuted, AlignCenter)
	}
	a := l.answer
	if p.probs != nil {
		best := nn.Argmax(p.probs)
		c.boldText(fmt.Sprintf("it's a %d", best), a.X, a.Y, 16, colAccent, AlignLeft)
		c.Text(fmt.Sprintf("%.0f%% sure", 100*p.probs[best]), a.X, a.Y+20, 11, colMuted, AlignLeft)
	}
	c.wrapped("Below: your drawing prepared as MNIST's digits were. The network sees only step 4.", rect(a.X, a.Y+44, a.W, a.H-44), 10)
	c.button(&p.clear)
	p.drawSteps(c, l.steps)
	drawProbabilityBars(c, l.bars, p.probs)
}

// drawProbabilityBars draws one bar per digit, the most likely
// highlighted.
func drawProbabilityBars(c *canvas, r geom.Rect, probs []float64) {
	best := -1
	if probs != nil {
		best = nn.Argmax(probs)
	}
	for d, col := range r.Cols(nn.NumClasses, 4) {
		barArea := rect(col.X, col.Y, col.W, col.H-16)
		c.FillRect(barArea, colGrid)
		if probs != nil {
			h := barArea.H * probs[d]
			clr := colAccentSoft
			if d == best {
				clr = colAccent
			}
			c.FillRect(rect(barArea.X, barArea.Y+barArea.H-h, barArea.W, h), clr)
		}
		weight := colMuted
		if d == best {
			weight = colText
		}
		c.Text(fmt.Sprint(d), col.X+col.W/2, col.Y+col.H-14, 12, weight, AlignCenter)
	}
}

// status is what status() reports about the pad.
func (p *padPanel) status() api.Pad {
	if p.input == nil {
		return api.Pad{Empty: true, Revision: p.revision, Samples: p.samples, Predicted: -1}
	}
	s := api.Pad{Revision: p.revision, Samples: p.samples, Input: p.input, Predicted: -1}
	if p.probs != nil {
		s.Probs, s.Predicted = p.probs, nn.Argmax(p.probs)
	}
	return s
}

// drawSteps draws the four steps in their tiles, each with its caption;
// empty tiles while the pad is empty.
func (p *padPanel) drawSteps(c *canvas, tiles [4]geom.Rect) {
	for i, t := range tiles {
		c.Text(stepCaptions[i], t.X+t.W/2, t.Y+t.H+3, 10, colMuted, AlignCenter)
	}
	if p.input == nil {
		for _, t := range tiles {
			c.StrokeRect(t, 1, colBorder)
		}
		return
	}
	s := &p.steps
	// 1: the ink, with its bounding box.
	c.image(&p.inkImage, tiles[0])
	k := tiles[0].W / digit.PadSide
	c.StrokeRect(rect(tiles[0].X+float64(s.crop.Min.X)*k, tiles[0].Y+float64(s.crop.Min.Y)*k,
		float64(s.crop.Dx())*k, float64(s.crop.Dy())*k), 1.5, colAccent)
	// 2: the ink inside the box.
	c.Image(&p.inkImage, s.crop, cropView(tiles[1], s.crop))
	// 3: scaled so its longer side is 20 pixels, in the middle of the
	// 28×28 field, at the field's pixel size.
	c.FillRect(tiles[2], colPaper)
	c.image(&s.scaled, scaledView(tiles[2], s.scaled.W, s.scaled.H))
	// 4: the input, moved so the centre of mass (red cross, where it was
	// in 3) lands on pixel (14, 14) (blue cross).
	c.image(&p.inputImage, tiles[3])
	cx, cy := fieldPoint(tiles[3], nn.ImageSide/2, nn.ImageSide/2)
	drawCross(c, cx, cy, colAccent)
	mx, my := fieldPoint(tiles[3], s.massX, s.massY)
	drawCross(c, mx, my, colWarn)
	for _, t := range tiles {
		c.StrokeRect(t, 1, colBorder)
	}
}
