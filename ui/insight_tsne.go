package ui

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"convlab/nn"
	"convlab/ui/geom"
	"convlab/ui/insightview"
	"convlab/ui/session"
)

// Sizes of a t-SNE panel, in logical units.
const (
	tsneDigit      = 12.0 // each point's digit
	tsnePickRadius = 9.0  // how near the pointer must come to a point
	tooltipThumb   = 56.0
)

// drawMap draws t-SNE map k (0 first, 1 last): each of its test images
// as its digit in its class colour, the selected test image framed (if
// the map holds it), and the image under the pointer (or last tapped)
// with its prediction. Before the map exists it explains what will
// appear.
func (s *insight) drawMap(c *canvas, a *App, k int, r geom.Rect, m *session.Map) {
	v := &s.tsne[k]
	in := c.panel(r, [...]string{"t-SNE after the first epoch", "t-SNE after the last epoch"}[k])
	if m == nil {
		v.fitted, v.fittedFor = nil, mapKey{}
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
	s.fit(v, m, area)
	s.digits.prepare(c)
	s.digits.draw(c, v.fitted, m.Labels)
	if p := mapPoint(m, s.sel.index); !s.sel.pad && p >= 0 && p < len(v.fitted) && placed(v.fitted[p]) {
		c.strokeRect(rect(v.fitted[p][0]-7, v.fitted[p][1]-9, 14, 18), 1.5, colText)
	}
	hot := v.hover
	if hot < 0 {
		hot = v.pin
	}
	if hot >= 0 && hot < len(v.fitted) && hot < len(m.Labels) && hot < len(m.Predicted) && placed(v.fitted[hot]) {
		s.drawTooltip(c, v.fitted[hot], mapIndex(m, hot), m.Labels[hot], m.Predicted[hot], in)
	}
}

// fit places map m's points in area, fitting them again only when the
// map, its iteration or the area changed.
func (s *insight) fit(v *mapView, m *session.Map, area geom.Rect) {
	key := mapKey{run: s.run, epoch: m.Epoch, iteration: m.Iteration(), area: area}
	if key == v.fittedFor {
		return
	}
	v.fitted, v.fittedFor = insightview.FitPoints(m.Points(), area, tsneDigit/2+1), key
}

// placed reports whether a fitted point has a place on screen:
// insightview.FitPoints leaves points that are not finite out as NaN.
func placed(p [2]float64) bool { return !math.IsNaN(p[0]) && !math.IsNaN(p[1]) }

// mapIndex returns the test-set index of map m's point i, or −1.
func mapIndex(m *session.Map, i int) int {
	if i < 0 || i >= len(m.Indices) {
		return -1
	}
	return m.Indices[i]
}

// mapPoint returns the point of map m that shows test image test, or −1
// if the map leaves it out.
func mapPoint(m *session.Map, test int) int {
	return slices.Index(m.Indices, test)
}

// digitSprites are the digits 0–9, each in its class colour, rendered
// once per screen scale into one small sheet. A t-SNE map draws its
// points as quads textured from the sheet, all in one DrawTriangles call,
// instead of laying out a text (and issuing a draw) for every point every
// frame. The cells are cropped close to the digits' ink (the widest
// digit's advance across, the cap height down), so that the quads cover
// few more pixels than the glyphs of a text would.
type digitSprites struct {
	scale float64 // the screen scale they were rendered at; 0 before
	sheet *ebiten.Image
	w, h  int     // each digit's cell in the sheet, in pixels; digit k's is at x = k·w
	top   float64 // pixels from the top of the text line to the top of a cell

	vertices []ebiten.Vertex // reused by draw
	indices  []uint16
}

// quadsPerCall bounds the quads of one DrawTriangles call: its vertices
// are numbered by uint16 indices.
const quadsPerCall = math.MaxUint16 / 4

// prepare renders the digits at c's scale unless they already are.
func (d *digitSprites) prepare(c *canvas) {
	if d.sheet != nil && d.scale == c.scale {
		return
	}
	if d.sheet != nil {
		d.sheet.Deallocate()
	}
	face := c.fonts.face(tsneDigit * c.scale)
	advance := 0.0
	for k := range nn.NumClasses {
		advance = max(advance, text.Advance(strconv.Itoa(k), face))
	}
	// Digits stand on the baseline and reach the cap height, round ones
	// overshooting both by a few per cent; a pixel more keeps the
	// antialiased edges. Across, a pixel and a half on each side leaves
	// room for them wherever the centre falls within a pixel.
	m := face.Metrics()
	edge := math.Ceil(0.05*tsneDigit*c.scale) + 1
	d.scale = c.scale
	d.w = int(math.Ceil(advance + 3))
	d.top = math.Floor(m.HAscent - m.CapHeight - edge)
	d.h = int(math.Ceil(m.HAscent+edge) - d.top)
	d.sheet = ebiten.NewImage(nn.NumClasses*d.w, d.h)
	on := &canvas{dst: d.sheet, scale: c.scale, fonts: c.fonts, white: c.white}
	for k := range nn.NumClasses {
		centre := float64(k*d.w) + float64(d.w)/2
		on.text(strconv.Itoa(k), centre/c.scale, -d.top/c.scale, tsneDigit, classColour(k), alignCenter)
	}
}

// draw draws each placed point as its label's digit, centred on the
// point with the digit's top tsneDigit/2+1 above it, as the text was
// drawn before. Quads sit on whole pixels, so the copies are as sharp as
// the sheet.
func (d *digitSprites) draw(c *canvas, pts [][2]float64, labels []int) {
	d.vertices, d.indices = d.vertices[:0], d.indices[:0]
	w, h := float32(d.w), float32(d.h)
	half, top := float64(d.w)/2, (tsneDigit/2+1)*c.scale-d.top
	for i, p := range pts {
		if i >= len(labels) || !placed(p) || labels[i] < 0 || labels[i] >= nn.NumClasses {
			continue
		}
		if len(d.vertices) == 4*quadsPerCall {
			d.flush(c)
		}
		x, y := float32(math.Round(p[0]*c.scale-half)), float32(math.Round(p[1]*c.scale-top))
		sx := float32(labels[i] * d.w)
		n := uint16(len(d.vertices))
		d.vertices = append(d.vertices,
			spriteVertex(x, y, sx, 0), spriteVertex(x+w, y, sx+w, 0),
			spriteVertex(x, y+h, sx, h), spriteVertex(x+w, y+h, sx+w, h))
		d.indices = append(d.indices, n, n+1, n+2, n+1, n+3, n+2)
	}
	d.flush(c)
}

// flush draws the quads gathered so far and empties the lists.
func (d *digitSprites) flush(c *canvas) {
	if len(d.indices) > 0 {
		c.dst.DrawTriangles(d.vertices, d.indices, d.sheet, &ebiten.DrawTrianglesOptions{})
	}
	d.vertices, d.indices = d.vertices[:0], d.indices[:0]
}

// spriteVertex is a quad's corner at screen pixel (x, y), taking the
// sheet's pixel (sx, sy) unchanged.
func spriteVertex(x, y, sx, sy float32) ebiten.Vertex {
	return ebiten.Vertex{DstX: x, DstY: y, SrcX: sx, SrcY: sy, ColorR: 1, ColorG: 1, ColorB: 1, ColorA: 1}
}

// drawTooltip shows test image i beside its point with its true and
// predicted class.
func (s *insight) drawTooltip(c *canvas, p [2]float64, i, label, predicted int, bounds geom.Rect) {
	if i < 0 || i >= len(s.thumbs.tiles) {
		return
	}
	box := insightview.PlaceTooltip(p[0], p[1], 160, tooltipThumb+8, bounds)
	c.fillRect(box, colPanel)
	c.strokeRect(box, 1, colBorder)
	c.image(s.thumbs.tiles[i], rect(box.X+4, box.Y+4, tooltipThumb, tooltipThumb))
	x := box.X + tooltipThumb + 10
	c.text(fmt.Sprintf("test image %d", i+1), x, box.Y+5, 11, colMuted, alignLeft)
	c.text(fmt.Sprintf("a %d", label), x, box.Y+21, 12, classColour(label), alignLeft)
	clr, says := colText, fmt.Sprintf("called %d", predicted)
	if predicted != label {
		clr, says = colWarn, says+", wrong"
	}
	c.text(says, x, box.Y+38, 12, clr, alignLeft)
}
