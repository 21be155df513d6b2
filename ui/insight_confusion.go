package ui

import (
	"fmt"
	"math"
	"strconv"

	"convlab/nn"
	"convlab/ui/geom"
	"convlab/ui/insightview"
)

// refreshConfusion reshades the matrix after each epoch and lists the
// selected cell's images again with the new weights' probabilities.
func (s *insight) refreshConfusion(a *App) {
	h := a.sess.History()
	key := historyKey{s.run, len(h)}
	if key == s.confFor {
		return
	}
	s.confFor = key
	if len(h) == 0 {
		s.cellOn, s.examples = false, nil
		return
	}
	tile, full := insightview.ConfusionTile(&h[len(h)-1].Test.Confusion)
	if atlas, err := insightview.Pack([]insightview.Tile{tile}, nn.NumClasses); err == nil {
		s.conf.upload(atlas)
		s.confFull, s.confShade = full, tile.Values
	}
	s.loadExamples(a)
}

// loadExamples lists the selected cell's test images with the network's
// probabilities for each.
func (s *insight) loadExamples(a *App) {
	s.examples = nil
	h := a.sess.History()
	if !s.cellOn || len(h) == 0 {
		return
	}
	test := a.sess.TestSet()
	for _, i := range insightview.Members(test.Labels, h[len(h)-1].Test.Predicted, s.cell[0], s.cell[1]) {
		probs, err := a.sess.Classify(test.Image(i))
		if err == nil {
			s.examples = append(s.examples, example{index: i, probs: probs})
		}
	}
}

func (s *insight) pressConfusion(a *App, x, y float64) {
	if len(a.sess.History()) == 0 {
		return
	}
	l := insightview.LayoutConfusion(panelInner(a.layout.Confusion))
	if t, p, ok := l.CellAt(x, y); ok {
		if s.cellOn && s.cell == [2]int{t, p} {
			s.cellOn = false // a second click closes the list
		} else {
			s.cell, s.cellOn = [2]int{t, p}, true
		}
		s.loadExamples(a)
		return
	}
	if i := insightview.Hit(s.exampleRects(l), x, y); i >= 0 {
		s.selectTest(s.examples[i].index)
	}
}

// exampleRects places the listed images below the list's title line.
func (s *insight) exampleRects(l insightview.ConfusionLayout) []geom.Rect {
	e := l.Examples
	area := rect(e.X, e.Y+3*insightview.LineHeight+2, e.W, e.H-4*insightview.LineHeight-2)
	return insightview.Grid(area, insightview.ExampleW, insightview.ExampleH, 4, len(s.examples))
}

func (s *insight) drawConfusion(c *canvas, a *App, r geom.Rect) {
	in := c.panel(r, "Confusion matrix and accuracy (test set)")
	h := a.sess.History()
	if len(h) == 0 || len(s.conf.tiles) == 0 {
		s.drawWrapped(c, "After each epoch: how many test images of each digit (rows) the network called each digit (columns), and the accuracy per digit. Click a cell to see its images.",
			in.Inset(20), 12)
		return
	}
	m := h[len(h)-1].Test
	l := insightview.LayoutConfusion(in)
	head := fmt.Sprintf("test accuracy %.1f%% after epoch %d", 100*m.Accuracy, len(h))
	if len(h) > 1 {
		head += fmt.Sprintf("  (epoch %d: %.1f%%)", len(h)-1, 100*h[len(h)-2].Test.Accuracy)
	}
	c.text(head, l.Header.X, l.Header.Y, 13, colText, alignLeft)

	mx := l.Matrix
	c.text("predicted →", mx.X+mx.W/2, mx.Y-2*insightview.LineHeight, 11, colMuted, alignCenter)
	c.text("true ↓", l.Header.X, mx.Y-2*insightview.LineHeight, 11, colMuted, alignLeft)
	c.text("correct", l.Accuracy.X+l.Accuracy.W, mx.Y-insightview.LineHeight, 11, colMuted, alignRight)
	c.image(s.conf.tiles[0], mx)
	c.strokeRect(mx, 1, colBorder)
	shade := insightview.Weight(1)
	for t := range nn.NumClasses {
		row := l.CellRect(t, 0)
		c.text(strconv.Itoa(t), mx.X-6, row.Y+row.H/2-7, 12, colText, alignRight)
		col := l.CellRect(0, t)
		c.text(strconv.Itoa(t), col.X+col.W/2, mx.Y-insightview.LineHeight, 12, colText, alignCenter)
		acc := "–"
		if !math.IsNaN(m.ClassAccuracy[t]) {
			acc = fmt.Sprintf("%.0f%%", 100*m.ClassAccuracy[t])
		}
		c.text(acc, l.Accuracy.X+l.Accuracy.W, row.Y+row.H/2-7, 11, colText, alignRight)
		for p, n := range m.Confusion[t] {
			if n == 0 {
				continue
			}
			cell := l.CellRect(t, p)
			ink := insightview.Ink(shade(s.confShade[t*nn.NumClasses+p]), colText.rgba(), colPanel.rgba())
			c.text(strconv.Itoa(n), cell.X+cell.W/2, cell.Y+cell.H/2-7, 11, ink, alignCenter)
		}
	}
	if s.cellOn {
		c.strokeRect(l.CellRect(s.cell[0], s.cell[1]).Inset(-1), 2, colText)
	}
	s.drawExamples(c, l)
}

// drawExamples lists the selected cell's images with the probability of
// the predicted class and of the true one, or explains the matrix.
func (s *insight) drawExamples(c *canvas, l insightview.ConfusionLayout) {
	e := l.Examples
	if !s.cellOn {
		s.drawWrapped(c, fmt.Sprintf("Rows: the true digit; columns: the network's answer. Blue cells are right, red ones mistakes; the darker, the more images (darkest: %d). Click a cell to see its images.", s.confFull),
			rect(e.X, e.Y+insightview.LineHeight, e.W, e.H), 11)
		return
	}
	t, p := s.cell[0], s.cell[1]
	title, sub := fmt.Sprintf("%d images: a %d called %d", len(s.examples), t, p), "probabilities now"
	switch len(s.examples) {
	case 0:
		title, sub = fmt.Sprintf("no %d was called %d", t, p), ""
	case 1:
		title = fmt.Sprintf("1 image: a %d called %d", t, p)
	}
	c.text(title, e.X, e.Y+insightview.LineHeight, 12, colText, alignLeft)
	s.drawWrapped(c, sub, rect(e.X, e.Y+2*insightview.LineHeight, e.W, insightview.LineHeight), 11)
	rects := s.exampleRects(l)
	for i, r := range rects {
		ex := s.examples[i]
		c.image(s.thumbs.tiles[ex.index], rect(r.X, r.Y, insightview.Thumb, insightview.Thumb))
		tx := r.X + insightview.Thumb + 5
		c.text(fmt.Sprintf("%d: %.0f%%", p, 100*ex.probs[p]), tx, r.Y, 12, colText, alignLeft)
		if t != p {
			c.text(fmt.Sprintf("%d: %.0f%%", t, 100*ex.probs[t]), tx, r.Y+insightview.LineHeight, 11, colMuted, alignLeft)
		}
	}
	if more := len(s.examples) - len(rects); more > 0 {
		c.text(fmt.Sprintf("+%d more", more), e.X, e.Y+e.H-insightview.LineHeight, 11, colMuted, alignLeft)
	}
}
