package ui

import (
	"math"

	"convlab/ui/geom"
	"convlab/ui/insightview"
	"convlab/ui/session"
)

// Sizes of the pad's drawing in a t-SNE panel, in logical units.
const (
	drawnRadius    = 6.0  // its marker
	neighbourThumb = 30.0 // the thumbnail of its nearest test image
)

// drawnPoint is where the pad's drawing lands in a t-SNE panel's map:
// its bottleneck values with the weights of the map's epoch, placed by its
// nearest test images (session.Map.Place). The bottleneck is computed
// again only when the drawing or the map changes; the place follows the
// map as it settles.
type drawnPoint struct {
	features    []float64 // the drawing's bottleneck values; nil when it has none
	featuresFor drawnKey  // what features were computed from
	at          [2]float64
	neighbour   int // the map point nearest the drawing in 49-d, or −1 when it is not placed
}

// drawnKey is what a drawing's bottleneck depends on: the map (a run
// makes at most one per epoch) and the drawing.
type drawnKey struct {
	run             runID
	epoch, revision int
}

// place returns where the drawing lands in map m, in the map's own
// coordinates, and whether it has a place: not while the pad is empty or
// before the map's weights have arrived.
func (d *drawnPoint) place(m *session.Map, run runID, dr drawing) ([2]float64, bool) {
	d.neighbour = -1
	if dr.input == nil {
		d.features, d.featuresFor = nil, drawnKey{}
		return [2]float64{}, false
	}
	if key := (drawnKey{run: run, epoch: m.Epoch, revision: dr.revision}); key != d.featuresFor || d.features == nil {
		f, err := m.Bottleneck(dr.input)
		if err != nil {
			return [2]float64{}, false // its weights are still to come: next frame
		}
		d.features, d.featuresFor = f, key
	}
	pl, err := m.Place(d.features)
	if err != nil {
		return [2]float64{}, false
	}
	d.neighbour = pl.Neighbour
	return [2]float64{pl.X, pl.Y}, true
}

// fitWithDrawing fits map m's points into area (insightview.FitPoints)
// together with the drawing's place, so both are drawn to one scale, and
// returns the points; the drawing's place goes to d.at. The place is a
// weighted mean of map points, inside their bounding box, so it does not
// change the fit of the points.
func (d *drawnPoint) fitWithDrawing(m *session.Map, run runID, dr drawing, area geom.Rect) [][2]float64 {
	pts := m.Points()
	n := len(pts)
	if at, ok := d.place(m, run, dr); ok {
		pts = append(pts[:n:n], at)
	}
	fitted := insightview.FitPoints(pts, area, tsneDigit/2+1)
	d.at = [2]float64{math.NaN(), math.NaN()}
	if len(fitted) > n {
		d.at = fitted[n]
	}
	return fitted[:n]
}

// shown reports whether the drawing has a place on screen.
func (d *drawnPoint) shown() bool { return d.neighbour >= 0 && placed(d.at) }

// draw marks the drawing's place with a dark dot and a line to its
// nearest test image, whose thumbnail it shows, and says the place is
// approximate.
func (d *drawnPoint) draw(c *canvas, f *frame, m *session.Map, fitted [][2]float64, bounds geom.Rect) {
	if !d.shown() || d.neighbour >= len(fitted) || !placed(fitted[d.neighbour]) {
		return
	}
	nb := fitted[d.neighbour]
	c.Line(d.at[0], d.at[1], nb[0], nb[1], 1.5, colText)
	if i := mapIndex(m, d.neighbour); i >= 0 && i < f.thumbs.count() {
		box := insightview.PlaceTooltip(nb[0], nb[1], neighbourThumb, neighbourThumb, bounds)
		c.Line(nb[0], nb[1], box.X+box.W/2, box.Y+box.H/2, 1, colMuted)
		c.tile(&f.thumbs.atlas, i, box)
		c.StrokeRect(box, 1, colText)
	}
	drawnMarker(c, d.at[0], d.at[1], drawnRadius)
	const note = "your drawing, placed approximately"
	x, y, w := bounds.X+bounds.W, bounds.Y+bounds.H-12, c.TextWidth(note, 10)+16
	c.FillRect(rect(x-w, y-1, w, 14), colPanel)
	c.Text(note, x, y, 10, colMuted, AlignRight)
	drawnMarker(c, x-w+6, y+6, 4)
}

// drawnMarker draws the drawing's marker: a dark dot ringed in white, so
// it stands apart from the coloured digits.
func drawnMarker(c *canvas, x, y, radius float64) {
	c.Circle(x, y, radius+1.5, colPanel)
	c.Circle(x, y, radius, colText)
}

// placed reports whether a fitted point has a place on screen:
// insightview.FitPoints leaves points that are not finite out as NaN.
func placed(p [2]float64) bool { return !math.IsNaN(p[0]) && !math.IsNaN(p[1]) }

// tsneDigit is the size of each point's digit in a t-SNE panel, in
// logical units.
const tsneDigit = 12.0

// mapIndex returns the test-set index of map m's point i, or −1.
func mapIndex(m *session.Map, i int) int {
	if i < 0 || i >= len(m.Indices) {
		return -1
	}
	return m.Indices[i]
}
