//go:build !js

package browsertest

import (
	"math"
	"path/filepath"
	"testing"

	"convlab/assets"
	"convlab/ui/api"
	"convlab/ui/digit"
)

// readHeldout reads the MNIST test digits that are not bundled with the app.
func readHeldout(t testing.TB) *assets.Dataset {
	t.Helper()
	dir := filepath.Join(needEnv(t).root, "assets", "testdata")
	d, err := assets.ReadIDXFiles(filepath.Join(dir, "heldout-images-idx3-ubyte.gz"),
		filepath.Join(dir, "heldout-labels-idx1-ubyte.gz"))
	if err != nil {
		t.Fatalf("reading the held-out digits: %v", err)
	}
	return d
}

// drawDigit clears the pad and writes the 28×28 image on it with the
// mouse along the vertices of its pen paths (digit.PenPaths), scaled to
// fill the pad, waiting after each event until the pad has taken its
// sample. It returns status().pad afterwards and the strokes in the pad's
// pixels as the page reads them. Positions are sent in whole CSS pixels,
// which the page reads unchanged at a device scale of 1, so the strokes
// are exactly what the page's pad painted.
func (p *page) drawDigit(img []uint8) (api.Pad, [][]digit.Point) {
	p.t.Helper()
	pad := p.status().Layout["pad"]
	strokes := penStrokes(img, pad, math.Inf(1)) // no points between the vertices
	st, _ := p.drawStrokes(strokes, false)
	return st, padStrokes(strokes, pad)
}
