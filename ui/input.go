package ui

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"convlab/ui/geom"
	"convlab/ui/widget"
)

// mouseID is the pointer ID of the mouse; touches use their own IDs,
// which ebiten keeps non-negative.
const mouseID = -1

// pointerInput turns the mouse and touches into widget events, in logical
// units, once per Update.
type pointerInput struct {
	tracker  widget.Tracker
	pointers []widget.Pointer
	touchIDs []ebiten.TouchID
	events   []widget.Event
	hoverX   float64 // mouse position, for hover effects
	hoverY   float64
}

// read samples every pointer; scale converts screen pixels to logical
// units.
func (p *pointerInput) read(scale float64) {
	p.pointers = p.pointers[:0]
	x, y := ebiten.CursorPosition()
	p.hoverX, p.hoverY = float64(x)/scale, float64(y)/scale
	p.pointers = append(p.pointers, widget.Pointer{X: p.hoverX, Y: p.hoverY,
		Down: ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft), ID: mouseID})
	p.touchIDs = ebiten.AppendTouchIDs(p.touchIDs[:0])
	for _, id := range p.touchIDs {
		tx, ty := ebiten.TouchPosition(id)
		p.pointers = append(p.pointers, widget.Pointer{X: float64(tx) / scale, Y: float64(ty) / scale, Down: true, ID: int(id)})
	}
	p.events = p.tracker.Update(p.pointers)
}

func justPressed(k ebiten.Key) bool { return inpututil.IsKeyJustPressed(k) }

func rect(x, y, w, h float64) geom.Rect { return geom.Rect{X: x, Y: y, W: w, H: h} }
