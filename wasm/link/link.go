//go:build js && wasm

// Package link is the transport between ConvLab's page and a training
// worker: the messages they post each other around package runner's
// commands and events, and the copying of bytes in and out of JavaScript.
//
// Messages:
//
//	page → worker: {module, fault} once, to worker.js: the worker program
//	               (worker.wasm) compiled by the page, which worker.js
//	               instantiates, and a test-only Fault or "". Then each
//	               command as an ArrayBuffer (runner.EncodeCommand),
//	               transferred; before a command whose run needs MNIST's
//	               full files, which the page has downloaded and checked,
//	               each of them as {file: name, bytes: ArrayBuffer}
//	               (PostFile), so the worker need not fetch them again
//	               (a browser's HTTP cache may not keep a 10 MB file).
//	worker → page: Ready once its program listens for commands; batches
//	               of events as ArrayBuffers (runner.EncodeEvents),
//	               transferred; Alive when it has had nothing to say for
//	               runner.Heartbeat (worker.js says it every second
//	               while the program starts); {error: text} if it cannot
//	               go on.
//
// Every message from the worker tells the page that it is alive
// (runner.Watchdog).
package link

import "syscall/js"

// The worker's plain messages.
const (
	Ready = "ready" // the worker program listens for commands
	Alive = "alive" // a heartbeat: nothing to report for runner.Heartbeat
)

// Faults that the browser tests ask the page's first worker for, through
// the page's ?workerfault= parameter, to check that the page survives
// them. The worker misbehaves after its first unit of training; no
// visitor's page asks for a fault.
const (
	FaultClose = "close" // the worker closes itself, saying nothing
	FaultThrow = "throw" // an uncaught exception in the worker
	FaultHang  = "hang"  // the worker loops forever without yielding
)

// IsFault reports whether s names one of the faults.
func IsFault(s string) bool { return s == FaultClose || s == FaultThrow || s == FaultHang }

// Error returns the message that tells the other side why this one cannot
// go on.
func Error(text string) map[string]any { return map[string]any{"error": text} }

// ErrorText returns the text of an Error message, and whether data is one.
func ErrorText(data js.Value) (string, bool) {
	if data.Type() != js.TypeObject || data.Get("error").Type() != js.TypeString {
		return "", false
	}
	return data.Get("error").String(), true
}

// BytesOf copies an ArrayBuffer's bytes into Go.
func BytesOf(buf js.Value) []byte {
	view := js.Global().Get("Uint8Array").New(buf)
	b := make([]byte, view.Length())
	js.CopyBytesToGo(b, view)
	return b
}

// ArrayBufferOf copies b into a new ArrayBuffer, to be transferred.
func ArrayBufferOf(b []byte) js.Value {
	view := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(view, b)
	return view.Get("buffer")
}

// Post posts b to target (a Worker, or the worker's global scope) as a
// transferred ArrayBuffer.
func Post(target js.Value, b []byte) {
	buf := ArrayBufferOf(b)
	target.Call("postMessage", buf, []any{buf})
}

// PostFile posts a file's name and content to target (a Worker) as
// {file, bytes}, the bytes in a transferred ArrayBuffer.
func PostFile(target js.Value, name string, content []byte) {
	buf := ArrayBufferOf(content)
	msg := js.Global().Get("Object").New()
	msg.Set("file", name)
	msg.Set("bytes", buf)
	target.Call("postMessage", msg, []any{buf})
}

// FileOf returns the name and content of a PostFile message, and whether
// data is one.
func FileOf(data js.Value) (name string, content []byte, ok bool) {
	if data.Type() != js.TypeObject || data.Get("file").Type() != js.TypeString {
		return "", nil, false
	}
	return data.Get("file").String(), BytesOf(data.Get("bytes")), true
}
