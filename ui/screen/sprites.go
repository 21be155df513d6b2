package screen

import (
	"image/color"
	"math"
	"strconv"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"convlab/ui"
)

// digitSprites are the digits 0–9, each in its palette colour, rendered
// once per screen scale and size into one small sheet. A t-SNE map draws
// its points as quads textured from the sheet, all in one DrawTriangles
// call, instead of laying out a text (and issuing a draw) for every point
// every frame. The cells are cropped close to the digits' ink (the widest
// digit's advance across, the cap height down), so that the quads cover
// few more pixels than the glyphs of a text would.
type digitSprites struct {
	scale   float64 // what the sheet was rendered for; scale 0 before
	size    float64
	palette [10]color.RGBA
	sheet   *ebiten.Image
	w, h    int     // each digit's cell in the sheet, in pixels; digit k's is at x = k·w
	top     float64 // pixels from the top of the text line to the top of a cell

	vertices []ebiten.Vertex // reused by draw
	indices  []uint16
}

// quadsPerCall bounds the quads of one DrawTriangles call: its vertices
// are numbered by uint16 indices.
const quadsPerCall = math.MaxUint16 / 4

// prepare renders the digits for c's scale, size and palette unless they
// already are.
func (d *digitSprites) prepare(c *Canvas, size float64, palette [10]color.RGBA) {
	if d.sheet != nil && d.scale == c.scale && d.size == size && d.palette == palette {
		return
	}
	if d.sheet != nil {
		d.sheet.Deallocate()
	}
	face := c.fonts.face(size * c.scale)
	advance := 0.0
	for k := range 10 {
		advance = max(advance, text.Advance(strconv.Itoa(k), face))
	}
	// Digits stand on the baseline and reach the cap height, round ones
	// overshooting both by a few per cent; a pixel more keeps the
	// antialiased edges. Across, a pixel and a half on each side leaves
	// room for them wherever the centre falls within a pixel.
	m := face.Metrics()
	edge := math.Ceil(0.05*size*c.scale) + 1
	d.scale, d.size, d.palette = c.scale, size, palette
	d.w = int(math.Ceil(advance + 3))
	d.top = math.Floor(m.HAscent - m.CapHeight - edge)
	d.h = int(math.Ceil(m.HAscent+edge) - d.top)
	d.sheet = ebiten.NewImage(10*d.w, d.h)
	on := &Canvas{dst: d.sheet, scale: c.scale, fonts: c.fonts}
	for k := range 10 {
		centre := float64(k*d.w) + float64(d.w)/2
		on.Text(strconv.Itoa(k), centre/c.scale, -d.top/c.scale, size, palette[k], ui.AlignCenter)
	}
}

// draw draws each point with a NaN-free position as its digit, centred on
// the point with the digit's top size/2+1 above it, as a text would be
// drawn. Quads sit on whole pixels, so the copies are as sharp as the
// sheet.
func (d *digitSprites) draw(c *Canvas, pts [][2]float64, digits []int) {
	d.vertices, d.indices = d.vertices[:0], d.indices[:0]
	w, h := float32(d.w), float32(d.h)
	half, top := float64(d.w)/2, (d.size/2+1)*c.scale-d.top
	for i, p := range pts {
		if i >= len(digits) || math.IsNaN(p[0]) || math.IsNaN(p[1]) || digits[i] < 0 || digits[i] > 9 {
			continue
		}
		if len(d.vertices) == 4*quadsPerCall {
			d.flush(c)
		}
		x, y := float32(math.Round(p[0]*c.scale-half)), float32(math.Round(p[1]*c.scale-top))
		sx := float32(digits[i] * d.w)
		n := uint16(len(d.vertices))
		d.vertices = append(d.vertices,
			spriteVertex(x, y, sx, 0), spriteVertex(x+w, y, sx+w, 0),
			spriteVertex(x, y+h, sx, h), spriteVertex(x+w, y+h, sx+w, h))
		d.indices = append(d.indices, n, n+1, n+2, n+1, n+3, n+2)
	}
	d.flush(c)
}

// flush draws the quads gathered so far and empties the lists.
func (d *digitSprites) flush(c *Canvas) {
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
