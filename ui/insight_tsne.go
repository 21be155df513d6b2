package ui

import (
	"fmt"
	"strconv"

	"convlab/ui/insightview"
	"convlab/ui/session"
	"convlab/ui/widget"
)

// Sizes of a t-SNE panel, in logical units.
const (
	tsneDigit      = 12.0 // each point's digit
	tsnePickRadius = 9.0  // how near the pointer must come to a point
	tooltipThumb   = 56.0
)

// drawMap draws t-SNE map k (0 first, 1 last): every test image as its digit in its
// class colour, the selected test image framed, and the image under the
// pointer (or last tapped) with its prediction. Before the map exists it
// explains what will appear.
func (s *insight) drawMap(c *canvas, a *App, k int, r widget.Rect, m *session.Map) {
	v := &s.tsne[k]
	in := c.panel(r, [...]string{"t-SNE after the first epoch", "t-SNE after the last epoch"}[k])
	if m == nil {
		v.fitted = nil
		epoch := "the first epoch ends"
		if k == 1 {
			epoch = fmt.Sprintf("epoch %d, the last, ends", a.sess.Settings().Epochs)
		}
		s.drawWrapped(c, "Appears when "+epoch+": each test image's 49 bottleneck values, squeezed into 2-D by t-SNE and drawn as its digit in its colour. Images the network finds alike land close together.",
			in.Inset(6), 12)
		return
	}
	head := fmt.Sprintf("epoch %d", m.Epoch)
	if h := a.sess.History(); m.Epoch <= len(h) {
		head += fmt.Sprintf(" · %.0f%% right", 100*h[m.Epoch-1].Test.Accuracy)
	}
	c.text(head, in.X, in.Y, 11, colMuted, alignLeft)
	if !m.Done() {
		c.text("settling… "+strconv.Itoa(m.Iteration()), in.X+in.W, in.Y, 11, colMuted, alignRight)
	}
	area := rect(in.X, in.Y+insightview.LineHeight, in.W, in.H-insightview.LineHeight)
	v.fitted = insightview.FitPoints(m.Points(), area, tsneDigit/2+1)
	for i, p := range v.fitted {
		if i < len(m.Labels) && p == p { // p == p: not NaN
			c.text(strconv.Itoa(m.Labels[i]), p[0], p[1]-tsneDigit/2-1, tsneDigit, classColours[m.Labels[i]], alignCenter)
		}
	}
	if i := s.sel.index; !s.sel.pad && i < len(v.fitted) {
		p := v.fitted[i]
		c.strokeRect(rect(p[0]-7, p[1]-9, 14, 18), 1.5, colText)
	}
	hot := v.hover
	if hot < 0 {
		hot = v.pin
	}
	if hot >= 0 && hot < len(v.fitted) && hot < len(m.Labels) && hot < len(m.Predicted) {
		s.drawTooltip(c, v.fitted[hot], hot, m.Labels[hot], m.Predicted[hot], in)
	}
}

// drawTooltip shows test image i beside its point with its true and
// predicted class.
func (s *insight) drawTooltip(c *canvas, p [2]float64, i, label, predicted int, bounds widget.Rect) {
	if i >= len(s.thumbs.tiles) {
		return
	}
	box := insightview.PlaceTooltip(p[0], p[1], 160, tooltipThumb+8, bounds)
	c.fillRect(box, colPanel)
	c.strokeRect(box, 1, colBorder)
	c.image(s.thumbs.tiles[i], rect(box.X+4, box.Y+4, tooltipThumb, tooltipThumb))
	x := box.X + tooltipThumb + 10
	c.text(fmt.Sprintf("test image %d", i+1), x, box.Y+5, 11, colMuted, alignLeft)
	c.text(fmt.Sprintf("a %d", label), x, box.Y+21, 12, classColours[label], alignLeft)
	clr, says := colText, fmt.Sprintf("called %d", predicted)
	if predicted != label {
		clr, says = colWarn, says+", wrong"
	}
	c.text(says, x, box.Y+38, 12, clr, alignLeft)
}
