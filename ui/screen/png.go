package screen

import (
	"bytes"
	"fmt"
	"image"
	"image/png"

	"github.com/hajimehoshi/ebiten/v2"

	"convlab/ui"
)

// RenderPNG draws with draw on an offscreen image of w×h logical units at
// scale pixels per unit, and returns the image as PNG: a chart for a
// report, sharper than the screen. It reads the pixels back from the GPU
// once, so it suits a user's request, not every frame.
func RenderPNG(w, h, scale float64, draw func(ui.Canvas)) ([]byte, error) {
	pw, ph := int(w*scale+0.5), int(h*scale+0.5)
	if pw < 1 || ph < 1 || pw > 8192 || ph > 8192 {
		return nil, fmt.Errorf("screen: a %d×%d image is not one to draw", pw, ph)
	}
	c, err := newCanvas()
	if err != nil {
		return nil, err
	}
	img := ebiten.NewImage(pw, ph)
	defer img.Deallocate()
	c.begin(img, scale)
	draw(c)
	rgba := image.NewRGBA(image.Rect(0, 0, pw, ph)) // premultiplied, as ebiten's pixels are
	img.ReadPixels(rgba.Pix)
	for _, t := range c.textures {
		t.img.Deallocate()
	}
	var b bytes.Buffer
	if err := png.Encode(&b, rgba); err != nil {
		return nil, fmt.Errorf("screen: encoding the PNG: %w", err)
	}
	return b.Bytes(), nil
}
