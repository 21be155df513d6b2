package report

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"

	"convlab/nn"
	"convlab/ui/insightview"
	"convlab/ui/plot"
)

// The activation maps are one paletted PNG per run: a grid with a row per
// example image (the image, conv1's 4 maps, conv2's 4 maps) at one pixel
// per input pixel (conv2's 14×14 maps doubled), shown scaled up with
// crisp pixels. Labels are SVG text around it.
const (
	actTile      = nn.ImageSide // a tile's side in the PNG, pixels
	actGap       = 2            // between tiles, pixels
	actGroupGap  = 8            // between the image, conv1 and conv2, pixels
	actColumns   = 1 + 2*insightview.Maps
	actUnit      = 2.0   // SVG units per PNG pixel
	actLeft      = 64.0  // row labels: the digit and its MNIST index
	actTop       = 60.0  // column titles
	actRight     = 132.0 // the prediction
	actBottom    = 64.0  // the colour bar
	actFont      = 16.0
	viridisSteps = 160 // viridis colours in the palette; the rest are greys and white
)

// actPalette is the PNG's palette: viridisSteps steps of viridis for the
// maps, greys for the input image, and white for the gaps.
func actPalette() color.Palette {
	p := make(color.Palette, 0, 256)
	for i := range viridisSteps {
		p = append(p, plot.Viridis(float64(i)/(viridisSteps-1)))
	}
	for i := range 256 - viridisSteps - 1 {
		g := uint8(math.Round(255 * float64(i) / float64(256-viridisSteps-2)))
		p = append(p, color.RGBA{g, g, g, 255})
	}
	return append(p, color.RGBA{255, 255, 255, 255})
}

// actColumnX is the left edge of column c in the PNG.
func actColumnX(c int) int {
	x := c * (actTile + actGap)
	if c >= 1 {
		x += actGroupGap - actGap
	}
	if c >= 1+insightview.Maps {
		x += actGroupGap - actGap
	}
	return x
}

// activationFigure runs each example through net and draws the maps of
// both conv layers (after ReLU), each row scaled from 0 to the largest
// value of that layer for that image, with the network's prediction.
func activationFigure(net *nn.Network, examples []Example, label string) (markup, error) {
	pngW := actColumnX(actColumns-1) + actTile
	pngH := len(examples)*(actTile+actGap) - actGap
	img := image.NewPaletted(image.Rect(0, 0, pngW, pngH), actPalette())
	white := uint8(len(img.Palette) - 1)
	for i := range img.Pix {
		img.Pix[i] = white
	}
	w, h := actLeft+float64(pngW)*actUnit+actRight, actTop+float64(pngH)*actUnit+actBottom
	s := newSVG("activations", w, h, "Activation maps of both conv layers of "+label+", one test image per digit")
	type prediction struct {
		digit int
		prob  float64
	}
	preds := make([]prediction, len(examples))
	for r, ex := range examples {
		a, err := net.Activations(ex.Image)
		if err != nil {
			return "", fmt.Errorf("activation maps of test image %d: %w", ex.Index, err)
		}
		y := r * (actTile + actGap)
		paintGrey(img, actColumnX(0), y, ex.Image)
		paintMaps(img, 1, y, a.Conv1, nn.ImageSide, insightview.LayerMax(a.Conv1))
		paintMaps(img, 1+insightview.Maps, y, a.Conv2, nn.ImageSide/2, insightview.LayerMax(a.Conv2))
		p := nn.Argmax(a.Probs)
		preds[r] = prediction{p, a.Probs[p]}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return "", fmt.Errorf("activation maps: %w", err)
	}
	s.el("image", "x", num(actLeft), "y", num(actTop), "width", num(float64(pngW)*actUnit), "height", num(float64(pngH)*actUnit),
		"preserveAspectRatio", "none", "href", "data:image/png;base64,"+base64.StdEncoding.EncodeToString(b.Bytes()))
	activationLabels(s, examples)
	for r, p := range preds {
		y := actTop + (float64(r*(actTile+actGap))+actTile/2)*actUnit
		ink := colText
		if p.digit != examples[r].Label {
			ink = color.RGBA{0xc0, 0x39, 0x2b, 0xff} // the dashboard's warning red
		}
		answer := fmt.Sprintf("→ %d  %.0f%%", p.digit, 100*p.prob)
		if !finite(p.prob) {
			answer = "→ none" // a diverged network's probabilities are NaN
		}
		s.text(answer, "x", num(w-actRight+14), "y", num(y),
			"dominant-baseline", "central", "font-size", num(actFont), "fill", hex(ink))
	}
	colourBar(s, actLeft+float64(actColumnX(1))*actUnit, h-actBottom+14, float64(actColumnX(actColumns-1)+actTile-actColumnX(1))*actUnit, 10,
		plot.Viridis, []string{"0", "largest value in the layer"})
	return s.html(), nil
}

// activationLabels writes the column titles and each row's digit and
// MNIST index.
func activationLabels(s *svg, examples []Example) {
	x := func(c int) float64 { return actLeft + float64(actColumnX(c))*actUnit }
	tile := float64(actTile) * actUnit
	groups := []struct {
		title      string
		first, end int
	}{{"image", 0, 1}, {"conv1 · 28×28", 1, 1 + insightview.Maps}, {"conv2 · 14×14", 1 + insightview.Maps, actColumns}}
	for _, g := range groups {
		mid := (x(g.first) + x(g.end-1) + tile) / 2
		s.text(g.title, "x", num(mid), "y", num(actFont+10), "text-anchor", "middle", "font-size", num(actFont), "fill", hex(colText))
		if g.end-g.first > 1 {
			for c := g.first; c < g.end; c++ {
				s.text(itoa(c-g.first+1), "x", num(x(c)+tile/2), "y", num(actTop-7), "text-anchor", "middle",
					"font-size", num(actFont-2), "fill", hex(colAxis))
			}
		}
	}
	for r, ex := range examples {
		y := actTop + (float64(r*(actTile+actGap))+actTile/2)*actUnit
		s.text("#"+itoa(ex.Index), "x", num(actLeft-10), "y", num(y), "text-anchor", "end", "dominant-baseline", "central",
			"font-size", num(actFont-2), "fill", hex(colAxis))
	}
}

// paintGrey paints a 28×28 image in greys (ink white, as the network
// sees it) at (x, y).
func paintGrey(img *image.Paletted, x, y int, values []float64) {
	greys := 256 - viridisSteps - 1
	for r := range nn.ImageSide {
		for c := range nn.ImageSide {
			v := max(0, min(1, values[r*nn.ImageSide+c]))
			img.SetColorIndex(x+c, y+r, uint8(viridisSteps+int(math.Round(v*float64(greys-1)))))
		}
	}
}

// paintMaps paints the insightview.Maps maps of side×side values in maps
// into the columns from first on, row y, each pixel repeated to fill a
// tile, viridis from 0 to top.
func paintMaps(img *image.Paletted, first, y int, maps []float64, side int, top float64) {
	if !(top > 0) || math.IsInf(top, 0) {
		top = 1
	}
	k := actTile / side
	for m := range insightview.Maps {
		x := actColumnX(first + m)
		for r := range actTile {
			for c := range actTile {
				v := maps[m*side*side+(r/k)*side+c/k]
				idx := 0 // the darkest, also for a diverged network's NaN
				if finite(v) {
					idx = int(math.Round(plot.Unit(v, 0, top) * (viridisSteps - 1)))
				}
				img.SetColorIndex(x+c, y+r, uint8(idx))
			}
		}
	}
}
