package ui

import (
	"image"
	"image/color"

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

// crossArm is half the width of a cross marking a point.
const crossArm = 4.0

// drawCross marks the point (x, y) with a small upright cross.
func drawCross(c *canvas, x, y float64, clr hexColour) {
	c.Line(x-crossArm, y, x+crossArm, y, 1.5, clr)
	c.Line(x, y-crossArm, x, y+crossArm, 1.5, clr)
}

// greyPixels turns values in [0, 1] into RGBA bytes, blending from bg (0)
// to fg (1), reusing out's storage when it is large enough.
func greyPixels(out []byte, v []float64, fg, bg color.RGBA) []byte {
	if cap(out) < 4*len(v) {
		out = make([]byte, 4*len(v))
	}
	out = out[:4*len(v)]
	for i, t := range v {
		t = min(max(t, 0), 1)
		out[4*i] = uint8(float64(bg.R) + t*(float64(fg.R)-float64(bg.R)))
		out[4*i+1] = uint8(float64(bg.G) + t*(float64(fg.G)-float64(bg.G)))
		out[4*i+2] = uint8(float64(bg.B) + t*(float64(fg.B)-float64(bg.B)))
		out[4*i+3] = 0xff
	}
	return out
}
