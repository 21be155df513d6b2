package ui

import (
	"fmt"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"

	"convlab/ui/geom"
)

// hexColour is an opaque or translucent colour written as 0xRRGGBBAA
// (not premultiplied), so the dashboard's colours can be constants.
type hexColour uint32

// RGBA implements color.Color.
func (h hexColour) RGBA() (r, g, b, a uint32) {
	return h.rgba().RGBA()
}

// rgba returns the colour as a premultiplied color.RGBA.
func (h hexColour) rgba() color.RGBA {
	a := uint32(h & 0xff)
	pre := func(v uint32) uint8 { return uint8(v * a / 0xff) }
	return color.RGBA{pre(uint32(h >> 24)), pre(uint32(h >> 16 & 0xff)), pre(uint32(h >> 8 & 0xff)), uint8(a)}
}

// Colours of the dashboard: a light theme that reads well on a projector.
const (
	colBackground hexColour = 0xf4f5f7ff
	colPanel      hexColour = 0xffffffff
	colBorder     hexColour = 0xd0d4dbff
	colText       hexColour = 0x1f2329ff
	colMuted      hexColour = 0x6a727dff
	colAccent     hexColour = 0x1f6febff
	colAccentSoft hexColour = 0xdde9fdff
	colWarn       hexColour = 0xc0392bff
	colWarnSoft   hexColour = 0xfdeceaf4
	colGrid       hexColour = 0xe6e8ecff
	colTrain      hexColour = 0x1f6febff // train error
	colTest       hexColour = 0xe06c00ff // test error
	colLoss       hexColour = 0x6a727dff // live loss
)

// classColour is the colour of digit d (0–9): the "Tableau 10" palette,
// chosen to stay apart for common colour-vision deficiencies, with its
// three lightest hues (teal, yellow, pink) darkened so digits drawn in them
// read on white.
func classColour(d int) color.RGBA {
	palette := [10]hexColour{
		0x4e79a7ff, 0xf28e2bff, 0xe15759ff, 0x499894ff, 0x59a14fff,
		0xb6992dff, 0xb07aa1ff, 0xd37295ff, 0x9c755fff, 0x79706eff,
	}
	return palette[d].rgba()
}

// fonts makes text faces of Go's own regular font, one per pixel size,
// cached. The faces come from golang.org/x/image's opentype package
// through text/v2's GoXFace: the page's download is about 0.7 MB (gzip)
// smaller than with text/v2's own shaping engine, which this dashboard's
// Latin labels do not need.
type fonts struct {
	font  *opentype.Font
	faces map[int]text.Face // by size in quarter pixels
}

func loadFonts() (*fonts, error) {
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("ui: font: %w", err)
	}
	return &fonts{font: f, faces: make(map[int]text.Face)}, nil
}

// face returns the font at px pixels.
func (f *fonts) face(px float64) text.Face {
	key := int(px*4 + 0.5)
	if face, ok := f.faces[key]; ok {
		return face
	}
	xf, err := opentype.NewFace(f.font, &opentype.FaceOptions{Size: float64(key) / 4, DPI: 72, Hinting: font.HintingNone})
	if err != nil { // only for absurd sizes; fall back to the smallest face
		xf, _ = opentype.NewFace(f.font, &opentype.FaceOptions{Size: 8, DPI: 72})
	}
	face := text.NewGoXFace(xf)
	f.faces[key] = face
	return face
}

// canvas draws in logical units onto a screen whose pixels are scale
// logical units wide, so everything stays crisp at any size and density.
type canvas struct {
	dst   *ebiten.Image
	scale float64
	fonts *fonts
	white *ebiten.Image // a white source image for DrawTriangles
}

// newWhite returns a small white image; triangles sample its centre pixel.
func newWhite() *ebiten.Image {
	img := ebiten.NewImage(3, 3)
	img.Fill(color.White)
	return img
}

func (c *canvas) px(v float64) float32 { return float32(v * c.scale) }

func (c *canvas) fillRect(r geom.Rect, clr color.Color) {
	vector.DrawFilledRect(c.dst, c.px(r.X), c.px(r.Y), c.px(r.W), c.px(r.H), clr, false)
}

func (c *canvas) strokeRect(r geom.Rect, width float64, clr color.Color) {
	vector.StrokeRect(c.dst, c.px(r.X), c.px(r.Y), c.px(r.W), c.px(r.H), c.px(width), clr, false)
}

func (c *canvas) line(x0, y0, x1, y1, width float64, clr color.Color) {
	vector.StrokeLine(c.dst, c.px(x0), c.px(y0), c.px(x1), c.px(y1), c.px(width), clr, false)
}

func (c *canvas) circle(x, y, r float64, clr color.Color) {
	vector.DrawFilledCircle(c.dst, c.px(x), c.px(y), c.px(r), clr, false)
}

// polyline strokes a path through points given in logical units.
func (c *canvas) polyline(xs, ys []float64, width float64, clr color.Color) {
	if len(xs) < 2 {
		return
	}
	var path vector.Path
	path.MoveTo(c.px(xs[0]), c.px(ys[0]))
	for i := 1; i < len(xs); i++ {
		path.LineTo(c.px(xs[i]), c.px(ys[i]))
	}
	op := &vector.StrokeOptions{Width: c.px(width), LineJoin: vector.LineJoinRound, LineCap: vector.LineCapRound}
	vs, is := path.AppendVerticesAndIndicesForStroke(nil, nil, op)
	r, g, b, a := clr.RGBA()
	for i := range vs {
		vs[i].ColorR, vs[i].ColorG, vs[i].ColorB, vs[i].ColorA = float32(r)/0xffff, float32(g)/0xffff, float32(b)/0xffff, float32(a)/0xffff
		vs[i].SrcX, vs[i].SrcY = 1, 1
	}
	c.dst.DrawTriangles(vs, is, c.white, &ebiten.DrawTrianglesOptions{})
}

// align says where a text's anchor point is.
type align int

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

// text draws s with its top at y and its anchor at x.
func (c *canvas) text(s string, x, y, size float64, clr color.Color, a align) {
	op := &text.DrawOptions{}
	op.GeoM.Translate(x*c.scale, y*c.scale)
	op.ColorScale.ScaleWithColor(clr)
	op.PrimaryAlign = [...]text.Align{text.AlignStart, text.AlignCenter, text.AlignEnd}[a]
	text.Draw(c.dst, s, c.fonts.face(size*c.scale), op)
}

// boldText draws a heading. The dashboard ships one font to keep the
// download small, so headings stand out by size and colour, not weight.
func (c *canvas) boldText(s string, x, y, size float64, clr color.Color, a align) {
	c.text(s, x, y, size+1, clr, a)
}

// textWidth is the width of s in logical units.
func (c *canvas) textWidth(s string, size float64) float64 {
	w, _ := text.Measure(s, c.fonts.face(size*c.scale), 0)
	return w / c.scale
}

// panel draws a panel's card and title and returns the area inside it.
func (c *canvas) panel(r geom.Rect, title string) geom.Rect {
	c.fillRect(r, colPanel)
	c.strokeRect(r, 1, colBorder)
	c.boldText(title, r.X+10, r.Y+6, 13, colText, alignLeft)
	return panelInner(r)
}

// image draws img (any size) stretched over r with nearest-neighbour
// filtering, so pixels stay sharp squares.
func (c *canvas) image(img *ebiten.Image, r geom.Rect) {
	b := img.Bounds()
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Scale(r.W*c.scale/float64(b.Dx()), r.H*c.scale/float64(b.Dy()))
	op.GeoM.Translate(r.X*c.scale, r.Y*c.scale)
	op.Filter = ebiten.FilterNearest
	c.dst.DrawImage(img, op)
}
