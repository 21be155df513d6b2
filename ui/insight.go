package ui

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"convlab/nn"
	"convlab/ui/geom"
	"convlab/ui/insightview"
	"convlab/ui/layout"
	"convlab/ui/session"
	"convlab/ui/widget"
)

// refreshEvery is how many Updates the activation maps wait between
// refreshes while the weights change: about twice a second at 60 Updates
// a second. A new selection, drawing or epoch refreshes them at once.
const refreshEvery = 30

// Atlas widths in pixels: the activation panel's tiles (the widest row is
// the input and conv1's four 28×28 maps) and the test set's thumbnails.
const (
	mapsAtlasWidth  = 5 * (nn.ImageSide + 1)
	thumbAtlasWidth = 32 * (nn.ImageSide + 1)
)

// insight holds the state of the insight panels: activation maps and
// kernels, the confusion matrix and the t-SNE maps. Heatmaps and
// thumbnails live in textures rewritten only when their data change.
type insight struct {
	run runID // the session's current run

	sel        selection
	padSeen    int // the pad revision last seen
	padDrawing int // counts the changes of the pad's input

	test      *nn.Data // the run's test set, loaded with the thumbnails
	thumbs    texture  // every test image, in order
	thumbsFor runID    // the run whose test set they show

	maps        texture // insightview.NumTiles heatmaps of the selection
	mapsErr     string  // why there are no maps, if there are none
	scales      insightview.Scales
	probs       []float64 // the network's probabilities for the selection
	mapsFor     mapsKey
	mapsTrained int // session.ImagesTrained at the last refresh
	sinceMaps   int // Updates since the last refresh

	conf      texture   // the 10×10 confusion matrix
	confFull  int       // the count of the darkest shade
	confShade []float64 // each cell's value on the diverging map
	confFor   historyKey
	cell      [2]int // selected confusion cell: true, predicted class
	cellOn    bool
	examples  []example

	tsne   [2]mapView // first, last
	digits digitSprites

	wrapped map[wrapKey][]string // explanations broken into lines
}

// wrapKey identifies a text wrapped to a width at a size and scale.
type wrapKey struct {
	text               string
	width, size, scale float64
}

// selection is what the activation panel shows: a test image, or the
// pad's drawing. index is kept while the pad is shown.
type selection struct {
	pad   bool
	index int
}

// runID numbers the runs the insight panels have shown: the first is 1,
// and reset moves on to the next. What is computed from a run is keyed by
// its runID, so a new run recomputes it even where its counts (epochs,
// iterations) match the previous run's. The zero runID matches no run.
type runID int

// mapsKey is what the activation maps depend on besides the weights.
type mapsKey struct {
	sel        selection
	padDrawing int // insight.padDrawing
	epochs     historyKey
}

// historyKey changes with a new run and with each epoch.
type historyKey struct {
	run    runID
	epochs int // epochs finished
}

// example is a test image in the selected confusion cell.
type example struct {
	index int
	probs []float64
}

// mapView is one t-SNE panel's screen state. Points are numbered as in
// the map; mapIndex turns them into test-set indices.
type mapView struct {
	fitted    [][2]float64 // the points where they were drawn last
	fittedFor mapKey       // what fitted was computed from
	hover     int          // point under the mouse, or −1
	pin       int          // point last tapped, or −1
}

// mapKey is what a t-SNE panel's fitted points depend on: the map (a run
// makes at most one per epoch), how far it has settled, and the area it
// is drawn in.
type mapKey struct {
	run              runID
	epoch, iteration int
	area             geom.Rect
}

// texture is an atlas of tiles uploaded to the GPU, with a sub-image per
// tile.
type texture struct {
	img   *ebiten.Image
	tiles []*ebiten.Image
}

// upload writes the atlas, remaking the image only if its size changed.
func (t *texture) upload(a insightview.Atlas) {
	if t.img == nil || t.img.Bounds().Dx() != a.W || t.img.Bounds().Dy() != a.H {
		if t.img != nil {
			t.img.Deallocate()
		}
		t.img = ebiten.NewImage(a.W, a.H)
	}
	t.img.WritePixels(a.Pix)
	t.tiles = t.tiles[:0]
	for _, r := range a.Rects {
		t.tiles = append(t.tiles, t.img.SubImage(r).(*ebiten.Image))
	}
}

func newInsight() *insight {
	return &insight{run: 1, tsne: [2]mapView{{hover: -1, pin: -1}, {hover: -1, pin: -1}}, wrapped: make(map[wrapKey][]string)}
}

// reset moves on to the session's next run, forgetting selections that
// belonged to the previous one. The App calls it after each session reset.
func (s *insight) reset() {
	s.run++
	s.sel.index = 0
	s.cellOn, s.examples = false, nil
	for i := range s.tsne {
		s.tsne[i] = mapView{hover: -1, pin: -1}
	}
}

func (s *insight) update(a *App, in *pointerInput) {
	if s.thumbsFor != s.run {
		s.loadThumbs(a.sess.TestSet())
	}
	s.followPad(a)
	s.handleKeys(a)
	for _, e := range in.events {
		if e.Kind == widget.Press {
			s.press(a, e.X, e.Y)
		}
	}
	for i := range s.tsne {
		v := &s.tsne[i]
		v.hover = insightview.Nearest(v.fitted, in.hoverX, in.hoverY, tsnePickRadius)
	}
	s.refreshConfusion(a)
	s.refreshMaps(a)
}

// loadThumbs uploads every test image as a thumbnail.
func (s *insight) loadThumbs(test *nn.Data) {
	s.test, s.thumbsFor = test, s.run
	s.sel.index = min(s.sel.index, test.Len()-1)
	tiles := make([]insightview.Tile, test.Len())
	for i := range tiles {
		tiles[i] = insightview.Tile{W: nn.ImageSide, H: nn.ImageSide, Values: test.Image(i), Palette: insightview.Grey}
	}
	if atlas, err := insightview.Pack(tiles, thumbAtlasWidth); err == nil {
		s.thumbs.upload(atlas)
	}
}

// followPad counts the pad's drawings and shows a drawing as soon as it
// changes.
func (s *insight) followPad(a *App) {
	if a.pad.revision == s.padSeen {
		return
	}
	s.padSeen = a.pad.revision
	s.padDrawing++
	if a.pad.input != nil {
		s.sel.pad = true
	}
}

// handleKeys steps through the test images: ←/→ by one, ↑/↓ by a strip's
// page. Held keys repeat.
func (s *insight) handleKeys(a *App) {
	page := len(insightview.LayoutActivations(panelInner(a.layout.Activations)).Thumbs)
	for _, k := range []struct {
		key   ebiten.Key
		delta int
	}{{ebiten.KeyArrowLeft, -1}, {ebiten.KeyArrowRight, 1}, {ebiten.KeyArrowUp, -page}, {ebiten.KeyArrowDown, page}} {
		if repeating(k.key) {
			s.step(k.delta)
		}
	}
}

// repeating reports a key press, then repeats after a third of a second
// held, 15 times a second.
func repeating(k ebiten.Key) bool {
	d := inpututil.KeyPressDuration(k)
	return d == 1 || d >= 20 && (d-20)%4 == 0
}

// step moves the selection by delta test images; from the pad it goes
// back to the test image shown before.
func (s *insight) step(delta int) {
	if s.sel.pad {
		s.sel.pad = false
		return
	}
	s.selectTest(s.sel.index + delta)
}

func (s *insight) selectTest(i int) {
	if s.test == nil {
		return
	}
	s.sel = selection{index: max(0, min(i, s.test.Len()-1))}
}

// press handles a click or tap in any insight panel.
func (s *insight) press(a *App, x, y float64) {
	d := a.layout
	switch {
	case d.Activations.Contains(x, y):
		s.pressStrip(a, x, y)
	case d.Confusion.Contains(x, y):
		s.pressConfusion(a, x, y)
	case d.TSNEFirst.Contains(x, y):
		first, _ := a.sess.Maps()
		s.pressMap(&s.tsne[0], first, x, y)
	case d.TSNELast.Contains(x, y):
		_, last := a.sess.Maps()
		s.pressMap(&s.tsne[1], last, x, y)
	}
}

func (s *insight) pressStrip(a *App, x, y float64) {
	l := insightview.LayoutActivations(panelInner(a.layout.Activations))
	page := len(l.Thumbs)
	switch {
	case l.Pad.Contains(x, y):
		s.sel.pad = true
	case l.Prev.Contains(x, y):
		s.step(-page)
	case l.Next.Contains(x, y):
		s.step(page)
	default:
		if i := insightview.Hit(l.Thumbs, x, y); i >= 0 && s.test != nil {
			if idx := insightview.PageStart(s.sel.index, s.test.Len(), page) + i; idx < s.test.Len() {
				s.selectTest(idx)
			}
		}
	}
}

// pressMap pins the point of map m nearest to (x, y) and selects its
// test image.
func (s *insight) pressMap(v *mapView, m *session.Map, x, y float64) {
	v.pin = insightview.Nearest(v.fitted, x, y, tsnePickRadius)
	if v.pin >= 0 && m != nil {
		if i := mapIndex(m, v.pin); i >= 0 {
			s.selectTest(i)
		}
	}
}

// refreshMaps recomputes the selection's activations when it, the
// drawing or the epoch changed, and at most every refreshEvery Updates
// while the weights change.
func (s *insight) refreshMaps(a *App) {
	s.sinceMaps++
	key := mapsKey{sel: s.sel, padDrawing: s.padDrawing, epochs: historyKey{s.run, len(a.sess.History())}}
	trained := a.sess.ImagesTrained()
	if key == s.mapsFor && (trained == s.mapsTrained || s.sinceMaps < refreshEvery) {
		return
	}
	s.mapsFor, s.mapsTrained, s.sinceMaps = key, trained, 0
	s.probs, s.mapsErr = nil, ""
	image := s.selectedImage(a)
	if image == nil {
		return
	}
	net := a.sess.Network()
	act, err := net.Activations(image)
	if err != nil {
		s.mapsErr = err.Error()
		return
	}
	tiles, scales, err := insightview.ActivationTiles(image, act, convWeights(net, nn.LayerConv1), convWeights(net, nn.LayerConv2))
	if err != nil {
		s.mapsErr = err.Error()
		return
	}
	atlas, err := insightview.Pack(tiles, mapsAtlasWidth)
	if err != nil {
		s.mapsErr = err.Error()
		return
	}
	s.maps.upload(atlas)
	s.scales, s.probs = scales, act.Probs
}

// selectedImage returns the selection's 784 values, or nil for an empty
// pad.
func (s *insight) selectedImage(a *App) []float64 {
	if s.sel.pad {
		return a.pad.input
	}
	if s.test == nil || s.sel.index >= s.test.Len() {
		return nil
	}
	return s.test.Image(s.sel.index)
}

func convWeights(net *nn.Network, name string) []float64 {
	if c, ok := net.Layer(name).(*nn.Conv2D); ok {
		return c.Weight.Value
	}
	return nil
}

// drawWrapped draws text in lines wrapped to r's width, remembering the
// lines so that measuring them is not repeated every frame.
func (s *insight) drawWrapped(c *canvas, text string, r geom.Rect, size float64) {
	key := wrapKey{text, r.W, size, c.scale}
	lines, ok := s.wrapped[key]
	if !ok {
		if len(s.wrapped) > 32 { // texts that change (a count, an epoch) would pile up
			clear(s.wrapped)
		}
		lines = insightview.Wrap(text, r.W, func(t string) float64 { return c.textWidth(t, size) })
		s.wrapped[key] = lines
	}
	for i, line := range lines {
		c.text(line, r.X, r.Y+float64(i)*(size+5), size, colMuted, alignLeft)
	}
}

func (s *insight) draw(c *canvas, a *App, d layout.Dashboard) {
	s.drawActivations(c, a, d.Activations)
	s.drawConfusion(c, a, d.Confusion)
	first, last := a.sess.Maps()
	s.drawMap(c, a, 0, d.TSNEFirst, first)
	s.drawMap(c, a, 1, d.TSNELast, last)
}
