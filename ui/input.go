package ui

import (
	"slices"

	"convlab/ui/ink"
	"convlab/ui/widget"
)

// Input is what the screen read of the user in one frame, in logical
// units, and the rates it measured.
type Input struct {
	Events []widget.Event // presses, moves and releases of the mouse and of touches, once per frame: what the widgets read
	Ink    []ink.Sample   // every pointer sample since the last frame, in order: what the pad draws from
	X, Y   float64        // where the mouse is, for hover effects
	Scroll float64        // how far the mouse wheel asks to scroll the dashboard down, in logical units
	Keys   []Key          // keys pressed this frame; the arrows repeat while held
	FPS    float64        // frames drawn per second
	TPS    float64        // updates per second
}

// Key is a key the dashboard answers to.
type Key int

// The keys: space starts or pauses, S steps, R resets, Esc dismisses the
// messages, ← and → move the epoch scrubber, ↑ and ↓ browse the test
// images one by one and Page Up and Page Down a strip at a time, 1 to 6
// select a run.
const (
	KeySpace Key = iota + 1
	KeyS
	KeyR
	KeyEscape
	KeyLeft
	KeyRight
	KeyUp
	KeyDown
	KeyRun1     // the digit 1; KeyRun1+k is the digit k+1, up to 6
	KeyPageUp   = KeyRun1 + 6
	KeyPageDown = KeyRun1 + 7
)

// pressed reports whether k was pressed this frame.
func (in *Input) pressed(k Key) bool { return slices.Contains(in.Keys, k) }

// presses returns this frame's presses at points inside reports true for.
func (in *Input) presses(inside func(x, y float64) bool) []widget.Event {
	var out []widget.Event
	for _, e := range in.Events {
		if e.Kind == widget.Press && inside(e.X, e.Y) {
			out = append(out, e)
		}
	}
	return out
}

// InkOf returns the pointer samples that events report, one per event,
// for a screen that has no finer source of samples: strokes drawn from
// them follow the pointer once per frame.
func InkOf(events []widget.Event) []ink.Sample {
	kinds := map[widget.EventKind]ink.Kind{widget.Press: ink.Down, widget.Move: ink.Move, widget.Release: ink.Up}
	out := make([]ink.Sample, 0, len(events))
	for _, e := range events {
		if k, ok := kinds[e.Kind]; ok {
			out = append(out, ink.Sample{ID: e.ID, Kind: k, X: e.X, Y: e.Y})
		}
	}
	return out
}
