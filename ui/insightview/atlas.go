package insightview

import (
	"fmt"
	"image"
	"image/color"
	"slices"
)

// Tile is one heatmap: W×H values in row-major order, coloured by Palette,
// and optionally, one per value, Marks painted over those colours with
// their alpha (0 leaves the value's colour, 255 replaces it).
type Tile struct {
	W, H    int
	Values  []float64
	Palette Palette
	// Fill, if Values is nil, writes the tile's W×H values into dst when
	// the tile is painted: a tile of many (a test set's thumbnails) then
	// holds no values of its own, and Pack converts them one tile at a
	// time into a buffer it reuses.
	Fill  func(dst []float64)
	Marks []color.RGBA
}

// Atlas is many tiles painted into one RGBA image, so the dashboard
// uploads them with one write and draws them from one texture.
type Atlas struct {
	W, H  int
	Pix   []byte            // RGBA, 4 bytes a pixel, row-major
	Rects []image.Rectangle // where each tile went, in the order given
}

// atlasGap is the transparent border between tiles, so that scaling one
// never samples its neighbour.
const atlasGap = 1

// Pack lays tiles out left to right in rows no wider than width, one
// transparent pixel apart, and paints them. It fails on a tile wider than
// width, one whose values do not match its size, or one without a
// palette. The atlas is at least 1×1.
func Pack(tiles []Tile, width int) (Atlas, error) {
	rects := make([]image.Rectangle, len(tiles))
	x, y, rowH := 0, 0, 0
	for i, t := range tiles {
		switch {
		case t.W < 1 || t.H < 1 || (t.Fill == nil && len(t.Values) != t.W*t.H):
			return Atlas{}, fmt.Errorf("insightview: tile %d is %d×%d with %d values", i, t.W, t.H, len(t.Values))
		case t.W > width:
			return Atlas{}, fmt.Errorf("insightview: tile %d is %d wide, the atlas %d", i, t.W, width)
		case t.Marks != nil && len(t.Marks) != t.W*t.H:
			return Atlas{}, fmt.Errorf("insightview: tile %d has %d marks for %d values", i, len(t.Marks), len(t.Values))
		case t.Palette == nil:
			return Atlas{}, fmt.Errorf("insightview: tile %d has no palette", i)
		}
		if x > 0 && x+t.W > width {
			x, y, rowH = 0, y+rowH+atlasGap, 0
		}
		rects[i] = image.Rect(x, y, x+t.W, y+t.H)
		x += t.W + atlasGap
		rowH = max(rowH, t.H)
	}
	a := Atlas{W: max(width, 1), H: max(y+rowH, 1), Rects: rects}
	a.Pix = make([]byte, 4*a.W*a.H)
	var buf []float64
	for i, t := range tiles {
		r := rects[i]
		values := t.Values
		if values == nil && t.Fill != nil {
			buf = slices.Grow(buf[:0], t.W*t.H)[:t.W*t.H]
			t.Fill(buf)
			values = buf
		}
		for j, v := range values {
			c := t.Palette(v)
			if t.Marks != nil {
				c = over(t.Marks[j], c)
			}
			o := 4 * ((r.Min.Y+j/t.W)*a.W + r.Min.X + j%t.W)
			a.Pix[o], a.Pix[o+1], a.Pix[o+2], a.Pix[o+3] = c.R, c.G, c.B, c.A
		}
	}
	return a, nil
}

// over paints mark over c with the mark's alpha (straight, not
// premultiplied); the result keeps c's alpha.
func over(mark, c color.RGBA) color.RGBA {
	a := uint32(mark.A)
	mix := func(m, b uint8) uint8 { return uint8((uint32(m)*a + uint32(b)*(255-a) + 127) / 255) }
	return color.RGBA{mix(mark.R, c.R), mix(mark.G, c.G), mix(mark.B, c.B), c.A}
}
