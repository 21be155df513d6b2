// Package screen shows a ui.App with ebiten. Each Update it reads the
// mouse, touches and keys into a ui.Input for the App; each Draw it hands
// the App a Canvas over the screen, which draws text in Go's own font,
// shapes with ebiten's vector package and bitmaps as GPU images; and it
// sizes the screen in device pixels, so that drawing is crisp on HiDPI
// screens. Everything the dashboard decides is in package ui, which does
// not import ebiten.
package screen

import (
	"github.com/hajimehoshi/ebiten/v2"

	"convlab/ui"
	"convlab/ui/layout"
)

// Dashboard is what a Game shows: a ui.App, or the ui.Handle around one.
type Dashboard interface {
	Update(in ui.Input)
	Draw(c ui.Canvas)
	Resize(width, height, cssPerUnit float64)
}

// Game runs a dashboard as an ebiten.Game.
type Game struct {
	app    Dashboard
	input  inputReader
	canvas *Canvas
	scale  float64 // device pixels per logical unit
}

// New returns a Game showing app.
func New(app Dashboard) (*Game, error) {
	c, err := newCanvas()
	if err != nil {
		return nil, err
	}
	return &Game{app: app, canvas: c, scale: 1}, nil
}

// Update passes this frame's input to the dashboard.
func (g *Game) Update() error {
	g.app.Update(g.input.read(g.scale))
	return nil
}

// Draw draws the dashboard on the screen.
func (g *Game) Draw(screen *ebiten.Image) {
	g.canvas.begin(screen, g.scale)
	g.app.Draw(g.canvas)
	g.canvas.end()
}

// Layout is ebiten's integer form of LayoutF, which ebiten prefers.
func (g *Game) Layout(outsideWidth, outsideHeight int) (int, int) {
	w, h := g.LayoutF(float64(outsideWidth), float64(outsideHeight))
	return int(w), int(h)
}

// LayoutF sizes the screen in device pixels and lays the dashboard out on
// a logical canvas of at least the design size, scaled to fit.
func (g *Game) LayoutF(outsideWidth, outsideHeight float64) (float64, float64) {
	dpr := ebiten.Monitor().DeviceScaleFactor()
	w, h := outsideWidth*dpr, outsideHeight*dpr
	g.scale = layout.Scale(w, h)
	g.app.Resize(w/g.scale, h/g.scale, g.scale/dpr)
	return w, h
}
