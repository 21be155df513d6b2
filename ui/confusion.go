package ui

import (
	"fmt"
	"math"
	"strconv"

	"convlab/nn"
	"convlab/ui/geom"
	"convlab/ui/insightview"
)

// confusion is the panel of the confusion matrix and the accuracy per
// digit after the last epoch; a click on a cell lists its test images
// with the network's probabilities now, and a click on one of those shows
// it in the activation panel.
type confusion struct {
	matrix   atlas     // the 10×10 cells, shaded
	darkest  int       // the count of the darkest shade
	shade    []float64 // each cell's value on the diverging map
	shown    historyKey
	cell     [2]int // the selected cell: true, predicted class
	cellOn   bool
	examples []example
}

// historyKey changes with a new run, with each epoch, and with the epoch
// shown.
type historyKey struct {
	run    runID
	epochs int // epochs finished
	at     int // the epoch shown (see scrub), 0 for live
}

// example is a test image in the selected cell.
type example struct {
	index int
	probs []float64
}

func (p *confusion) update(f *frame) []action {
	r := f.run()
	if key := (historyKey{r.id, len(r.History()), r.at}); key != p.shown {
		p.refresh(f, key)
	}
	var acts []action
	for _, e := range f.input.presses(f.rect.Contains) {
		acts = append(acts, p.press(f, e.X, e.Y)...)
	}
	return acts
}

// refresh reshades the matrix after an epoch, or clears it for a new run,
// and lists the selected cell's images again with the new weights.
func (p *confusion) refresh(f *frame, key historyKey) {
	if key.run != p.shown.run {
		p.cellOn = false
	}
	p.shown = key
	h := f.run().History()
	if len(h) == 0 {
		p.cellOn, p.examples = false, nil
		return
	}
	tile, darkest := insightview.ConfusionTile(&h[len(h)-1].Test.Confusion)
	p.matrix.set(must(insightview.Pack([]insightview.Tile{tile}, nn.NumClasses))) // one 10×10 tile always fits
	p.darkest, p.shade = darkest, tile.Values
	p.loadExamples(f)
}

// loadExamples lists the selected cell's test images with the network's
// probabilities for each.
func (p *confusion) loadExamples(f *frame) {
	p.examples = nil
	r := f.run()
	h := r.History()
	if !p.cellOn || len(h) == 0 {
		return
	}
	test := r.TestSet()
	for _, i := range insightview.Members(test.Labels, h[len(h)-1].Test.Predicted, p.cell[0], p.cell[1]) {
		if probs, err := r.Classify(test.Image(i)); err == nil {
			p.examples = append(p.examples, example{index: i, probs: probs})
		}
	}
}

// press selects or closes a cell, or shows a listed image.
func (p *confusion) press(f *frame, x, y float64) []action {
	if len(f.run().History()) == 0 {
		return nil
	}
	l := insightview.LayoutConfusion(panelInner(f.rect))
	if t, pr, ok := l.CellAt(x, y); ok {
		if p.cellOn && p.cell == [2]int{t, pr} {
			p.cellOn = false // a second click closes the list
		} else {
			p.cell, p.cellOn = [2]int{t, pr}, true
		}
		p.loadExamples(f)
		return nil
	}
	if i := insightview.Hit(p.exampleRects(l), x, y); i >= 0 {
		return []action{{kind: selectImage, index: p.examples[i].index}}
	}
	return nil
}

// exampleRects places the listed images below the list's title line.
func (p *confusion) exampleRects(l insightview.ConfusionLayout) []geom.Rect {
	e := l.Examples
	area := rect(e.X, e.Y+3*insightview.LineHeight+2, e.W, e.H-4*insightview.LineHeight-2)
	return insightview.Grid(area, insightview.ExampleW, insightview.ExampleH, 4, len(p.examples))
}

func (p *confusion) draw(c *canvas, f *frame) {
	in := c.card(f.rect, "Confusion matrix and accuracy (test set)")
	h := f.run().History()
	if len(h) == 0 || p.matrix.Empty() || p.shown.run != f.run().id {
		c.wrapped("After each epoch: how many test images of each digit (rows) the network called each digit (columns), and the accuracy per digit. Click a cell to see its images.",
			in.Inset(20), 12)
		return
	}
	m := h[len(h)-1].Test
	l := insightview.LayoutConfusion(in)
	head := fmt.Sprintf("test accuracy %.1f%% after epoch %d", 100*m.Accuracy, len(h))
	if len(h) > 1 {
		head += fmt.Sprintf("  (epoch %d: %.1f%%)", len(h)-1, 100*h[len(h)-2].Test.Accuracy)
	}
	c.Text(head, l.Header.X, l.Header.Y, 13, colText, AlignLeft)

	mx := l.Matrix
	c.Text("predicted →", mx.X+mx.W/2, mx.Y-2*insightview.LineHeight, 11, colMuted, AlignCenter)
	c.Text("true ↓", l.Header.X, mx.Y-2*insightview.LineHeight, 11, colMuted, AlignLeft)
	c.Text("correct", l.Accuracy.X+l.Accuracy.W, mx.Y-insightview.LineHeight, 11, colMuted, AlignRight)
	c.tile(&p.matrix, 0, mx)
	c.StrokeRect(mx, 1, colBorder)
	shade := insightview.Weight(1)
	for t := range nn.NumClasses {
		row := l.CellRect(t, 0)
		c.Text(strconv.Itoa(t), mx.X-6, row.Y+row.H/2-7, 12, colText, AlignRight)
		col := l.CellRect(0, t)
		c.Text(strconv.Itoa(t), col.X+col.W/2, mx.Y-insightview.LineHeight, 12, colText, AlignCenter)
		acc := "–"
		if !math.IsNaN(m.ClassAccuracy[t]) {
			acc = fmt.Sprintf("%.0f%%", 100*m.ClassAccuracy[t])
		}
		c.Text(acc, l.Accuracy.X+l.Accuracy.W, row.Y+row.H/2-7, 11, colText, AlignRight)
		for pr, n := range m.Confusion[t] {
			if n == 0 {
				continue
			}
			cell := l.CellRect(t, pr)
			ink := insightview.Ink(shade(p.shade[t*nn.NumClasses+pr]), colText.rgba(), colPanel.rgba())
			c.Text(strconv.Itoa(n), cell.X+cell.W/2, cell.Y+cell.H/2-7, 11, ink, AlignCenter)
		}
	}
	if p.cellOn {
		c.StrokeRect(l.CellRect(p.cell[0], p.cell[1]).Inset(-1), 2, colText)
	}
	p.drawExamples(c, f, l)
}

// drawExamples lists the selected cell's images with the probability of
// the predicted class and of the true one, or explains the matrix.
func (p *confusion) drawExamples(c *canvas, f *frame, l insightview.ConfusionLayout) {
	e := l.Examples
	if !p.cellOn {
		c.wrapped(fmt.Sprintf("Rows: the true digit; columns: the network's answer. Blue cells are right, red ones mistakes; the darker, the more images (darkest: %d). Click a cell to see its images.", p.darkest),
			rect(e.X, e.Y+insightview.LineHeight, e.W, e.H), 11)
		return
	}
	t, pr := p.cell[0], p.cell[1]
	title, sub := fmt.Sprintf("%d images: a %d called %d", len(p.examples), t, pr), "probabilities now"
	switch len(p.examples) {
	case 0:
		title, sub = fmt.Sprintf("no %d was called %d", t, pr), ""
	case 1:
		title = fmt.Sprintf("1 image: a %d called %d", t, pr)
	}
	c.Text(title, e.X, e.Y+insightview.LineHeight, 12, colText, AlignLeft)
	c.wrapped(sub, rect(e.X, e.Y+2*insightview.LineHeight, e.W, insightview.LineHeight), 11)
	rects := p.exampleRects(l)
	for i, r := range rects {
		ex := p.examples[i]
		c.tile(&f.thumbs.atlas, ex.index, rect(r.X, r.Y, insightview.Thumb, insightview.Thumb))
		tx := r.X + insightview.Thumb + 5
		c.Text(fmt.Sprintf("%d: %.0f%%", pr, 100*ex.probs[pr]), tx, r.Y, 12, colText, AlignLeft)
		if t != pr {
			c.Text(fmt.Sprintf("%d: %.0f%%", t, 100*ex.probs[t]), tx, r.Y+insightview.LineHeight, 11, colMuted, AlignLeft)
		}
	}
	if more := len(p.examples) - len(rects); more > 0 {
		c.Text(fmt.Sprintf("+%d more", more), e.X, e.Y+e.H-insightview.LineHeight, 11, colMuted, AlignLeft)
	}
}
