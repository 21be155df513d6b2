package ui

import (
	"image"

	"convlab/nn"
	"convlab/ui/digit"
	"convlab/ui/geom"
)

// padSteps is what the pad shows of its preprocessing: views of the
// results digit.Preprocess returns, remade when the drawing changes, so
// that a student sees why an off-centre or tiny drawing still works. It
// computes nothing of its own.
type padSteps struct {
	crop         image.Rectangle // step 1: the ink's bounding box, in pad pixels
	scaled       Bitmap          // step 2: the crop scaled so its longer side is digit.FitSide pixels
	massX, massY float64         // step 3: where the centre of mass was, in field pixels (pixel i at i)
}

// set takes the steps' results; the 28×28 input is the pad's own image.
func (s *padSteps) set(st digit.Steps) {
	s.crop = st.Crop
	s.scaled.Set(st.ScaledW, st.ScaledH, greyPixels(s.scaled.Pix, st.Scaled, colInk, colPaper))
	s.massX, s.massY = st.MassX, st.MassY
}

// The colours of the network's images: white ink on black, as MNIST's.
var (
	colInk   = colPanel.rgba()
	colPaper = hexColour(0x000000ff).rgba()
)

// stepCaptions are the one-line captions of the four step tiles.
var stepCaptions = [4]string{"1 ink, its box", "2 cropped", "3 scaled to 20", "4 centred"}

// fieldPixel is the side of one pixel of the 28×28 field in a tile.
func fieldPixel(tile geom.Rect) float64 { return tile.W / nn.ImageSide }

// cropView is where the crop is drawn in tile: as large as fits, its
// aspect ratio kept, centred.
func cropView(tile geom.Rect, crop image.Rectangle) geom.Rect {
	w, h := float64(crop.Dx()), float64(crop.Dy())
	k := min(tile.W/w, tile.H/h)
	return rect(tile.X+(tile.W-w*k)/2, tile.Y+(tile.H-h*k)/2, w*k, h*k)
}

// scaledView is where a w×h scaled image is drawn in a tile showing the
// 28×28 field: pasted in the field's middle at whole pixels, where
// digit.Steps measures MassX and MassY from.
func scaledView(tile geom.Rect, w, h int) geom.Rect {
	k := fieldPixel(tile)
	return rect(tile.X+float64((nn.ImageSide-w)/2)*k, tile.Y+float64((nn.ImageSide-h)/2)*k, float64(w)*k, float64(h)*k)
}

// fieldPoint is where the field position (x, y), pixel i at i, lies in a
// tile showing the field: the middle of pixel (x, y).
func fieldPoint(tile geom.Rect, x, y float64) (float64, float64) {
	k := fieldPixel(tile)
	return tile.X + (x+0.5)*k, tile.Y + (y+0.5)*k
}

// drawSteps draws the four steps in their tiles, each with its caption;
// empty tiles while the pad is empty.
func (p *padPanel) drawSteps(c *canvas, tiles [4]geom.Rect) {
	for i, t := range tiles {
		c.Text(stepCaptions[i], t.X+t.W/2, t.Y+t.H+3, 10, colMuted, AlignCenter)
	}
	if p.input == nil {
		for _, t := range tiles {
			c.StrokeRect(t, 1, colBorder)
		}
		return
	}
	s := &p.steps
	// 1: the ink, with its bounding box.
	c.image(&p.inkImage, tiles[0])
	k := tiles[0].W / digit.PadSide
	c.StrokeRect(rect(tiles[0].X+float64(s.crop.Min.X)*k, tiles[0].Y+float64(s.crop.Min.Y)*k,
		float64(s.crop.Dx())*k, float64(s.crop.Dy())*k), 1.5, colAccent)
	// 2: the ink inside the box.
	c.Image(&p.inkImage, s.crop, cropView(tiles[1], s.crop))
	// 3: scaled so its longer side is 20 pixels, in the middle of the
	// 28×28 field, at the field's pixel size.
	c.FillRect(tiles[2], colPaper)
	c.image(&s.scaled, scaledView(tiles[2], s.scaled.W, s.scaled.H))
	// 4: the input, moved so the centre of mass (red cross, where it was
	// in 3) lands on pixel (14, 14) (blue cross).
	c.image(&p.inputImage, tiles[3])
	cx, cy := fieldPoint(tiles[3], nn.ImageSide/2, nn.ImageSide/2)
	drawCross(c, cx, cy, colAccent)
	mx, my := fieldPoint(tiles[3], s.massX, s.massY)
	drawCross(c, mx, my, colWarn)
	for _, t := range tiles {
		c.StrokeRect(t, 1, colBorder)
	}
}

// crossArm is half the width of a cross marking a point.
const crossArm = 4.0

// drawCross marks the point (x, y) with a small upright cross.
func drawCross(c *canvas, x, y float64, clr hexColour) {
	c.Line(x-crossArm, y, x+crossArm, y, 1.5, clr)
	c.Line(x, y-crossArm, x, y+crossArm, 1.5, clr)
}
