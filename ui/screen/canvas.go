package screen

import (
	"fmt"
	"image"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"

	"convlab/ui"
	"convlab/ui/geom"
	"convlab/ui/screen/repaint"
)

// Canvas implements ui.Canvas on an ebiten image whose pixels are scale
// logical units wide, so everything stays crisp at any size and density.
// It keeps what it can reuse between frames: font faces, the widths of
// texts, the GPU copies of bitmaps and the digit sprites.
type Canvas struct {
	dst   *ebiten.Image
	scale float64
	frame int // frames begun

	fonts    *fonts
	white    *ebiten.Image // a white source image for DrawTriangles
	widths   map[widthKey]float64
	textures map[*ui.Bitmap]*texture
	sprites  digitSprites
}

// widthKey is a text measured at a size.
type widthKey struct {
	s    string
	size float64
}

// maxWidths bounds the memory of text widths: texts that change (a count,
// an epoch) would otherwise pile up.
const maxWidths = 4096

// texture is a bitmap's copy on the GPU.
type texture struct {
	img     *ebiten.Image
	version int // the bitmap's version it holds
	used    int // the frame it was last drawn in
}

// keepTextures is how many frames a texture that is not drawn is kept.
const keepTextures = 120

func newCanvas() (*Canvas, error) {
	f, err := loadFonts()
	if err != nil {
		return nil, err
	}
	return &Canvas{fonts: f, widths: make(map[widthKey]float64), textures: make(map[*ui.Bitmap]*texture)}, nil
}

// begin starts a frame on dst.
func (c *Canvas) begin(dst *ebiten.Image, scale float64) {
	if scale != c.scale {
		clear(c.widths)
	}
	c.dst, c.scale = dst, scale
	c.frame++
	if c.white == nil {
		c.white = ebiten.NewImage(3, 3)
		c.white.Fill(color.White)
	}
}

// paint carries out the plan: the whole screen, or each of its areas,
// cleared and replayed from the recorder with the drawing clipped to it.
func (c *Canvas) paint(p repaint.Plan, rec *repaint.Recorder) {
	screen := c.dst
	if p.Full {
		screen.Clear()
		rec.Replay(c, screen.Bounds())
		return
	}
	for _, area := range p.Areas {
		c.dst = screen.SubImage(area).(*ebiten.Image)
		c.dst.Clear()
		rec.Replay(c, area)
	}
	c.dst = screen
}

// end frees the textures of bitmaps the frame no longer draws; those it
// draws keep theirs, repainted or not.
func (c *Canvas) end(rec *repaint.Recorder) {
	rec.EachBitmap(func(b *ui.Bitmap) {
		if t, ok := c.textures[b]; ok {
			t.used = c.frame
		}
	})
	for b, t := range c.textures {
		if c.frame-t.used > keepTextures {
			t.img.Deallocate()
			delete(c.textures, b)
		}
	}
}

func (c *Canvas) px(v float64) float32 { return float32(v * c.scale) }

// FillRect implements ui.Canvas.
func (c *Canvas) FillRect(r geom.Rect, clr color.Color) {
	vector.DrawFilledRect(c.dst, c.px(r.X), c.px(r.Y), c.px(r.W), c.px(r.H), clr, false)
}

// StrokeRect implements ui.Canvas.
func (c *Canvas) StrokeRect(r geom.Rect, width float64, clr color.Color) {
	vector.StrokeRect(c.dst, c.px(r.X), c.px(r.Y), c.px(r.W), c.px(r.H), c.px(width), clr, false)
}

// Line implements ui.Canvas.
func (c *Canvas) Line(x0, y0, x1, y1, width float64, clr color.Color) {
	vector.StrokeLine(c.dst, c.px(x0), c.px(y0), c.px(x1), c.px(y1), c.px(width), clr, false)
}

// Circle implements ui.Canvas.
func (c *Canvas) Circle(x, y, r float64, clr color.Color) {
	vector.DrawFilledCircle(c.dst, c.px(x), c.px(y), c.px(r), clr, false)
}

// Polyline implements ui.Canvas.
func (c *Canvas) Polyline(xs, ys []float64, width float64, clr color.Color) {
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

// Text implements ui.Canvas.
func (c *Canvas) Text(s string, x, y, size float64, clr color.Color, a ui.Align) {
	op := &text.DrawOptions{}
	op.GeoM.Translate(x*c.scale, y*c.scale)
	op.ColorScale.ScaleWithColor(clr)
	op.PrimaryAlign = [...]text.Align{text.AlignStart, text.AlignCenter, text.AlignEnd}[a]
	text.Draw(c.dst, s, c.fonts.face(size*c.scale), op)
}

// TextWidth implements ui.Canvas. Widths are remembered, since wrapped
// text is measured word by word every frame.
func (c *Canvas) TextWidth(s string, size float64) float64 {
	key := widthKey{s, size}
	if w, ok := c.widths[key]; ok {
		return w
	}
	if len(c.widths) >= maxWidths {
		clear(c.widths)
	}
	w, _ := text.Measure(s, c.fonts.face(size*c.scale), 0)
	c.widths[key] = w / c.scale
	return c.widths[key]
}

// Image implements ui.Canvas: nearest-neighbour filtering keeps pixels
// sharp squares.
func (c *Canvas) Image(b *ui.Bitmap, src image.Rectangle, dst geom.Rect) {
	if b.Empty() || src.Empty() {
		return
	}
	img := c.texture(b).SubImage(src).(*ebiten.Image)
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Scale(dst.W*c.scale/float64(src.Dx()), dst.H*c.scale/float64(src.Dy()))
	op.GeoM.Translate(dst.X*c.scale, dst.Y*c.scale)
	op.Filter = ebiten.FilterNearest
	c.dst.DrawImage(img, op)
}

// texture returns b's copy on the GPU, uploading b if it has changed
// since (and remaking the image if its size has).
func (c *Canvas) texture(b *ui.Bitmap) *ebiten.Image {
	t, ok := c.textures[b]
	if !ok {
		t = &texture{version: b.Version - 1}
		c.textures[b] = t
	}
	t.used = c.frame
	if t.version == b.Version {
		return t.img
	}
	if t.img == nil || t.img.Bounds().Dx() != b.W || t.img.Bounds().Dy() != b.H {
		if t.img != nil {
			t.img.Deallocate()
		}
		t.img = ebiten.NewImage(b.W, b.H)
	}
	t.img.WritePixels(b.Pix)
	t.version = b.Version
	return t.img
}

// Digits implements ui.Canvas with sprites: see digitSprites.
func (c *Canvas) Digits(points [][2]float64, digits []int, size float64, palette [10]color.RGBA) {
	c.sprites.prepare(c, size, palette)
	c.sprites.draw(c, points, digits)
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
		return nil, fmt.Errorf("screen: font: %w", err)
	}
	return &fonts{font: f, faces: make(map[int]text.Face)}, nil
}

// minFace is the smallest size of a face, in quarter pixels: smaller
// requests (a canvas scaled to almost nothing) get it.
const minFace = 4

// face returns the font at px pixels.
func (f *fonts) face(px float64) text.Face {
	key := max(minFace, int(px*4+0.5))
	if face, ok := f.faces[key]; ok {
		return face
	}
	// opentype.NewFace returns no error today; its error result is for
	// options it may check one day, which these are not.
	xf := must(opentype.NewFace(f.font, &opentype.FaceOptions{Size: float64(key) / 4, DPI: 72, Hinting: font.HintingNone}))
	face := text.NewGoXFace(xf)
	f.faces[key] = face
	return face
}

// must returns v, and panics if err reports a programming mistake.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
