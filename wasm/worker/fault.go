//go:build js && wasm

package main

import (
	"syscall/js"

	"convlab/wasm/link"
)

// misbehave fails the worker on purpose, once, as the browser tests ask
// through the page's ?workerfault= parameter (link.FaultClose and the
// others), so that they can check that the page notices and recovers. It
// is called after each unit of training and does nothing unless a fault
// was asked for: no visitor's page asks.
func (w *worker) misbehave() {
	fault := w.fault
	w.fault = ""
	switch fault {
	case link.FaultClose:
		w.post() // the page sees the run training, then nothing more
		js.Global().Call("close")
		select {} // the event loop stops once this returns to it
	case link.FaultThrow:
		w.post()
		// reportError raises the error as an uncaught exception would: the
		// page's Worker gets an error event.
		js.Global().Call("reportError", js.Global().Get("Error").New("test fault (workerfault=throw): the training worker threw"))
	case link.FaultHang:
		w.post()
		for { // never returns and never yields: the worker's thread is stuck
		}
	}
}
