package ui

import (
	"fmt"
	"slices"
	"strconv"

	"convlab/ui/geom"
	"convlab/ui/insightview"
	"convlab/ui/session"
)

// Sizes of a t-SNE panel, in logical units.
const (
	tsnePickRadius = 9.0 // how near the pointer must come to a point
	tooltipThumb   = 56.0
	tooltipW       = 160.0
)

// tsneMap is one t-SNE panel: the selected run's map after the first
// (last false) or the last epoch, each test image drawn as its digit in
// its class colour; while the scrubber shows an epoch, the second panel
// shows that epoch's map, built on demand. The image under the pointer, or the one last tapped,
// shows in a tooltip; a tap also shows it in the activation panel.
type tsneMap struct {
	last      bool
	fitted    [][2]float64 // the points where they are drawn
	fittedFor mapKey       // what fitted was computed from
	run       runID        // the run hover and pin belong to
	hover     int          // point under the mouse, or −1
	pin       int          // point last tapped, or −1
	drawn     drawnPoint   // where the pad's drawing lands
	drawnFor  int          // the drawing's revision when fitted was computed
}

// mapKey is what a panel's fitted points depend on: the map (a run makes
// at most one per epoch), how far it has settled, and the area it is
// drawn in.
type mapKey struct {
	run              runID
	epoch, iteration int
	area             geom.Rect
}

func newTSNEMap(last bool) *tsneMap { return &tsneMap{last: last, hover: -1, pin: -1} }

// tsneLayout splits the panel's inside into the line on top and the area
// of the points.
func tsneLayout(in geom.Rect) (head, area geom.Rect) {
	return rect(in.X, in.Y, in.W, insightview.LineHeight), rect(in.X, in.Y+insightview.LineHeight, in.W, in.H-insightview.LineHeight)
}

// shown returns the map of run r that the panel shows, or nil before it
// exists.
func (p *tsneMap) shown(r run) *session.Map {
	first, last := r.Maps()
	if p.last {
		return last
	}
	return first
}

func (p *tsneMap) update(f *frame) []action {
	r := f.run()
	if r.id != p.run {
		p.run, p.hover, p.pin = r.id, -1, -1
	}
	m := p.shown(r)
	if m == nil {
		p.fitted, p.fittedFor = nil, mapKey{}
		return nil
	}
	_, area := tsneLayout(panelInner(f.rect))
	if key := (mapKey{run: r.id, epoch: m.Epoch, iteration: m.Iteration(), area: area}); key != p.fittedFor || f.drawing.revision != p.drawnFor || !p.drawn.shown() && f.drawing.input != nil {
		p.fitted, p.fittedFor, p.drawnFor = p.drawn.fitWithDrawing(m, r.id, f.drawing, area), key, f.drawing.revision
	}
	p.hover = insightview.Nearest(p.fitted, f.input.X, f.input.Y, tsnePickRadius)
	var acts []action
	for _, e := range f.input.presses(f.rect.Contains) {
		p.pin = insightview.Nearest(p.fitted, e.X, e.Y, tsnePickRadius)
		if i := mapIndex(m, p.pin); i >= 0 {
			acts = append(acts, action{kind: selectImage, index: i})
		}
	}
	return acts
}

func (p *tsneMap) draw(c *canvas, f *frame) {
	r := f.run()
	in := c.card(f.rect, p.title(r))
	m := p.shown(r)
	if m == nil && p.last && r.at > 0 {
		msg := fmt.Sprintf("Building the map after epoch %d from the weights it ended with…", r.at)
		if !r.MapPending(r.at) {
			msg = fmt.Sprintf("The map after epoch %d could not be built; Live shows the last epoch's.", r.at)
		}
		c.wrapped(msg, in.Inset(6), 12)
		return
	}
	if m == nil || p.fittedFor.run != r.id {
		epoch := "the first epoch ends"
		if p.last {
			epoch = fmt.Sprintf("epoch %d, the last, ends", r.Settings().Epochs)
		}
		c.wrapped("Appears when "+epoch+": each test image's 49 bottleneck values, squeezed into 2-D by t-SNE and drawn as its digit in its colour. Images the network finds alike land close together.",
			in.Inset(6), 12)
		return
	}
	head, _ := tsneLayout(in)
	line := fmt.Sprintf("epoch %d", m.Epoch)
	if h := r.History(); m.Epoch <= len(h) {
		line += fmt.Sprintf(" · %.0f%% right", 100*h[m.Epoch-1].Test.Accuracy)
	}
	c.Text(line, head.X, head.Y, 11, colMuted, AlignLeft)
	if !m.Done() {
		c.Text("settling… "+strconv.Itoa(m.Iteration()), head.X+head.W, head.Y, 11, colMuted, AlignRight)
	}
	c.Digits(p.fitted, m.Labels, tsneDigit, classPalette())
	if pt := slices.Index(m.Indices, f.image.index); !f.image.drawing && pt >= 0 && pt < len(p.fitted) && placed(p.fitted[pt]) {
		c.StrokeRect(rect(p.fitted[pt][0]-7, p.fitted[pt][1]-9, 14, 18), 1.5, colText)
	}
	hot := p.hover
	if hot < 0 {
		hot = p.pin
	}
	p.drawn.draw(c, f, m, p.fitted, in)
	if hot >= 0 && hot < len(p.fitted) && hot < len(m.Labels) && hot < len(m.Predicted) && placed(p.fitted[hot]) {
		drawTooltip(c, f, p.fitted[hot], mapIndex(m, hot), m.Labels[hot], m.Predicted[hot], in)
	}
}

// title names the map the panel shows for run r.
func (p *tsneMap) title(r run) string {
	switch {
	case !p.last:
		return "t-SNE after the first epoch"
	case r.at == r.Settings().Epochs:
		return fmt.Sprintf("t-SNE after epoch %d, the last", r.at)
	case r.at > 0:
		return fmt.Sprintf("t-SNE after epoch %d", r.at)
	}
	return "t-SNE after the last epoch"
}

// drawTooltip shows test image i beside its point with its true and
// predicted class.
func drawTooltip(c *canvas, f *frame, p [2]float64, i, label, predicted int, bounds geom.Rect) {
	if i < 0 || i >= f.thumbs.count() {
		return
	}
	box := insightview.PlaceTooltip(p[0], p[1], tooltipW, tooltipThumb+8, bounds)
	c.FillRect(box, colPanel)
	c.StrokeRect(box, 1, colBorder)
	c.tile(&f.thumbs.atlas, i, rect(box.X+4, box.Y+4, tooltipThumb, tooltipThumb))
	x := box.X + tooltipThumb + 10
	c.Text(fmt.Sprintf("test image %d", i+1), x, box.Y+5, 11, colMuted, AlignLeft)
	c.Text(fmt.Sprintf("a %d", label), x, box.Y+21, 12, classPalette()[label], AlignLeft)
	clr, says := colText, fmt.Sprintf("called %d", predicted)
	if predicted != label {
		clr, says = colWarn, says+", wrong"
	}
	c.Text(says, x, box.Y+38, 12, clr, AlignLeft)
}
