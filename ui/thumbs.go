package ui

import (
	"convlab/nn"
	"convlab/ui/insightview"
)

// thumbAtlasWidth is the width in pixels of the thumbnails' atlas: 32
// test images a row.
const thumbAtlasWidth = 32 * (nn.ImageSide + 1)

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
		tiles[i] = insightview.Tile{W: nn.ImageSide, H: nn.ImageSide, Values: test.Image(i), Palette: insightview.Grey}
	}
	t.run, t.test = r.id, test
	t.set(must(insightview.Pack(tiles, thumbAtlasWidth))) // fails only for tiles wider than the atlas

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
