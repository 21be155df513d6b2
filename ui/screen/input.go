package screen

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"convlab/ui"
	"convlab/ui/widget"
)

// mouseID is the pointer ID of the mouse; touches use their own IDs,
// which ebiten keeps non-negative.
const mouseID = -1

// inputReader turns the mouse, touches and keys into a ui.Input, in
// logical units, once per Update.
type inputReader struct {
	tracker  widget.Tracker
	pointers []widget.Pointer
	touchIDs []ebiten.TouchID
}

// keyMap is one key the dashboard answers to.
type keyMap struct {
	key     ebiten.Key
	as      ui.Key
	repeats bool // while held
}

// keys returns the keys the dashboard answers to; the arrows and the
// page keys repeat.
func keys() [16]keyMap {
	return [...]keyMap{
		{ebiten.KeySpace, ui.KeySpace, false},
		{ebiten.KeyS, ui.KeyS, false},
		{ebiten.KeyR, ui.KeyR, false},
		{ebiten.KeyEscape, ui.KeyEscape, false},
		{ebiten.KeyArrowLeft, ui.KeyLeft, true},
		{ebiten.KeyArrowRight, ui.KeyRight, true},
		{ebiten.KeyArrowUp, ui.KeyUp, true},
		{ebiten.KeyArrowDown, ui.KeyDown, true},
		{ebiten.KeyDigit1, ui.KeyRun1, false},
		{ebiten.KeyDigit2, ui.KeyRun1 + 1, false},
		{ebiten.KeyDigit3, ui.KeyRun1 + 2, false},
		{ebiten.KeyDigit4, ui.KeyRun1 + 3, false},
		{ebiten.KeyDigit5, ui.KeyRun1 + 4, false},
		{ebiten.KeyDigit6, ui.KeyRun1 + 5, false},
		{ebiten.KeyPageUp, ui.KeyPageUp, true},
		{ebiten.KeyPageDown, ui.KeyPageDown, true},
	}
}

// read samples every pointer, the wheel and the keys; scale converts
// screen pixels to logical units, cssScale CSS pixels (the wheel's).
func (r *inputReader) read(scale, cssScale float64) ui.Input {
	var in ui.Input
	x, y := ebiten.CursorPosition()
	in.X, in.Y = float64(x)/scale, float64(y)/scale
	r.pointers = append(r.pointers[:0], widget.Pointer{X: in.X, Y: in.Y,
		Down: ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft), ID: mouseID})
	r.touchIDs = ebiten.AppendTouchIDs(r.touchIDs[:0])
	for _, id := range r.touchIDs {
		tx, ty := ebiten.TouchPosition(id)
		r.pointers = append(r.pointers, widget.Pointer{X: float64(tx) / scale, Y: float64(ty) / scale, Down: true, ID: int(id)})
	}
	in.Events = r.tracker.Update(r.pointers)
	_, wheel := ebiten.Wheel() // CSS pixels in a browser, up positive
	in.Scroll = -wheel / cssScale
	in.Ink = ui.InkOf(in.Events) // a page with pointer events gives finer samples (ui.Handle.DrawFrom)
	for _, k := range keys() {
		if inpututil.IsKeyJustPressed(k.key) || k.repeats && repeating(k.key) {
			in.Keys = append(in.Keys, k.as)
		}
	}
	in.FPS, in.TPS = ebiten.ActualFPS(), ebiten.ActualTPS()
	return in
}

// repeating reports a held key's repeats: after a third of a second held,
// 15 times a second (at 60 updates a second).
func repeating(k ebiten.Key) bool {
	d := inpututil.KeyPressDuration(k)
	return d >= 20 && (d-20)%4 == 0
}
