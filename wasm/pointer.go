//go:build js && wasm

package main

import (
	"syscall/js"

	"convlab/ui/ink"
)

// listenPointers pushes every pointer sample over the page's canvas into
// q, in CSS pixels from the canvas's top-left corner: presses, releases,
// and each move while a button or finger is down, with the samples the
// browser coalesced between two events (getCoalescedEvents) where it has
// them. The dashboard takes them once per frame, so a quick stroke keeps
// its shape however slowly frames come.
func listenPointers(q *ink.Queue) {
	doc := js.Global().Get("document")
	push := func(kind ink.Kind, e js.Value) {
		canvas := doc.Call("querySelector", "canvas")
		if canvas.IsNull() || canvas.IsUndefined() {
			return
		}
		r := canvas.Call("getBoundingClientRect")
		q.Push(ink.Sample{ID: e.Get("pointerId").Int(), Kind: kind,
			X: e.Get("clientX").Float() - r.Get("left").Float(), Y: e.Get("clientY").Float() - r.Get("top").Float()})
	}
	on := func(event string, f func(e js.Value)) {
		doc.Call("addEventListener", event, js.FuncOf(func(_ js.Value, args []js.Value) any {
			f(args[0])
			return nil
		}), map[string]any{"passive": true})
	}
	// Only the primary button draws: the left mouse button, a finger or
	// a pen's tip (buttons bit 1). The browser reports a pointer's first
	// press and last release as pointerdown and pointerup, and a button
	// pressed or released while another is held as a pointermove with
	// button set (a chord).
	on("pointerdown", func(e js.Value) {
		if e.Get("button").Int() == 0 && e.Get("target").Get("tagName").String() == "CANVAS" {
			push(ink.Down, e)
		}
	})
	on("pointermove", func(e js.Value) {
		if e.Get("buttons").Int()&1 == 0 {
			if e.Get("button").Int() == 0 {
				push(ink.Up, e) // the primary button released while another is held
			}
			return // hovering, or another button only
		}
		if f := e.Get("getCoalescedEvents"); f.Type() == js.TypeFunction {
			if list := e.Call("getCoalescedEvents"); list.Length() > 0 {
				for i := range list.Length() {
					push(ink.Move, list.Index(i))
				}
				return
			}
		}
		push(ink.Move, e)
	})
	for _, end := range []string{"pointerup", "pointercancel"} {
		on(end, func(e js.Value) { push(ink.Up, e) })
	}
}
