package ui

import (
	"math"

	"convlab/nn"
	"convlab/ui/insightview"
)

// thumbAtlasWidth is the width in pixels of the thumbnails' atlas of n
// test images: 32 a row, or as many as make it square for a large set
// (MNIST's 10,000 test images: 100 a row, 2,900 pixels square), so that
// it fits a GPU's largest texture (at least 4,096 pixels in WebGL 2).
func thumbAtlasWidth(n int) int {
	perRow := max(32, int(math.Ceil(math.Sqrt(float64(n)))))
	return perRow * (nn.ImageSide + 1)
}

// thumbnails are the selected run's test images, packed into one atlas:
// the activation panel's strip, the confusion panel's examples and the
// t-SNE tooltips draw from it. The App loads them when the selected run
// changes; panels read them through the frame.
type thumbnails struct {
	run  runID
	test *nn.Data // the test set they show
	atlas
}

// load packs run r's test images, unless they are already loaded.
func (t *thumbnails) load(r run) {
	if t.run == r.id {
		return
	}
	test := r.TestSet()
	tiles := make([]insightview.Tile, test.Len())
	for i := range tiles {
		tiles[i] = insightview.Tile{W: nn.ImageSide, H: nn.ImageSide, Palette: insightview.Grey,
			Fill: func(dst []float64) { test.AppendImage(dst[:0], i) }}
	}
	t.run, t.test = r.id, test
	t.set(must(insightview.Pack(tiles, thumbAtlasWidth(len(tiles))))) // fails only for tiles wider than the atlas

}

// count is the number of test images, 0 before any are loaded.
func (t *thumbnails) count() int {
	if t.test == nil {
		return 0
	}
	return t.test.Len()
}

// label is test image i's class.
func (t *thumbnails) label(i int) int { return t.test.Labels[i] }
