// Package screen shows a ui.App with ebiten. Each Update it reads the
// mouse, touches and keys into a ui.Input for the App; each Draw it has
// the App draw on a recorder (package repaint) and paints, on a screen
// that is not cleared between frames, only the areas of the panels whose
// drawing changed, with a Canvas that draws text in Go's own font, shapes
// with ebiten's vector package and bitmaps as GPU images. It sizes the
// screen in device pixels, so that drawing is crisp on HiDPI screens.
// Everything the dashboard decides is in package ui, which does not
// import ebiten.
//
// A frame in which nothing changed paints nothing, and ebiten then
// presents nothing either (after four frames without a change it stops
// drawing its offscreen onto the canvas). That matters doubly in a browser
// that composites in software, as headless Chromium does: it reads the
// WebGL canvas back from the GPU for every frame presented, which its GPU
// process logs, four times and then no more, as "GPU stall due to
// ReadPixels" (issue 12). The warning is Chromium's, not ebiten's or
// ours: the page never calls readPixels (RenderPNG does, once, when the
// user exports a chart), and a plain WebGL page that only clears its
// canvas each frame makes Chromium log the same (wasm/browsertest's
// TestReadPixels checks both). A page at rest no longer causes the
// read-backs.
package screen

import (
	"image"

	"github.com/hajimehoshi/ebiten/v2"

	"convlab/ui"
	"convlab/ui/screen/repaint"
)

// Dashboard is what a Game shows: a ui.App, or the ui.Handle around one.
type Dashboard interface {
	Update(in ui.Input)
	Draw(c ui.Canvas)
	// Resize lays the dashboard out for a window of width×height CSS
	// pixels and returns the CSS pixels per logical unit it chose.
	Resize(width, height float64) (cssPerUnit float64)
}

// Game runs a dashboard as an ebiten.Game.
type Game struct {
	app      Dashboard
	input    inputReader
	canvas   *Canvas
	recorder *repaint.Recorder
	scale    float64 // device pixels per logical unit
	cssScale float64 // CSS pixels per logical unit

	// What the screen was painted as, last frame: another screen image,
	// size or scale is painted anew.
	painted      *ebiten.Image
	paintedSize  image.Rectangle
	paintedScale float64
}

// New returns a Game showing app. It keeps ebiten from clearing the
// screen before each Draw, so that what is not repainted stays.
func New(app Dashboard) (*Game, error) {
	c, err := newCanvas()
	if err != nil {
		return nil, err
	}
	ebiten.SetScreenClearedEveryFrame(false)
	return &Game{app: app, canvas: c, recorder: repaint.NewRecorder(c), scale: 1, cssScale: 1}, nil
}

// Update passes this frame's input to the dashboard.
func (g *Game) Update() error {
	g.app.Update(g.input.read(g.scale, g.cssScale))
	return nil
}

// Draw has the dashboard draw on the recorder, and paints what changed.
func (g *Game) Draw(screen *ebiten.Image) {
	if screen != g.painted || screen.Bounds() != g.paintedSize || g.scale != g.paintedScale {
		g.recorder.Invalidate()
		g.painted, g.paintedSize, g.paintedScale = screen, screen.Bounds(), g.scale
	}
	g.canvas.begin(screen, g.scale)
	g.recorder.Begin()
	g.app.Draw(g.recorder)
	g.canvas.paint(g.recorder.Finish(screen.Bounds(), g.scale), g.recorder)
	g.canvas.end(g.recorder)
}

// Layout is ebiten's integer form of LayoutF, which ebiten prefers.
func (g *Game) Layout(outsideWidth, outsideHeight int) (int, int) {
	w, h := g.LayoutF(float64(outsideWidth), float64(outsideHeight))
	return int(w), int(h)
}

// LayoutF sizes the screen in device pixels and lays the dashboard out
// for the window's size in CSS pixels (outsideWidth×outsideHeight), which
// chooses the scale (see layout.Fit).
func (g *Game) LayoutF(outsideWidth, outsideHeight float64) (float64, float64) {
	dpr := ebiten.Monitor().DeviceScaleFactor()
	g.cssScale = g.app.Resize(outsideWidth, outsideHeight)
	g.scale = g.cssScale * dpr
	return outsideWidth * dpr, outsideHeight * dpr
}
