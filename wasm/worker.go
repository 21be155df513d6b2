//go:build js && wasm

package main

import (
	"fmt"
	"sync"
	"syscall/js"
	"time"

	"convlab/ui/runner"
)

// Messages between the page and a training worker (the transport of
// package runner's protocol):
//
//	page → worker: {module: WebAssembly.Module}, once, to worker.js, which
//	               instantiates this program with it; then each command as
//	               an ArrayBuffer (runner.EncodeCommand), transferred.
//	worker → page: "ready" once this program listens for commands; then
//	               batches of events as ArrayBuffers (runner.EncodeEvents),
//	               transferred; {error: text} if the worker cannot start
//	               or its program ends.
const workerReady = "ready"

// postInterval spaces the worker's event batches while it trains: about a
// frame, since the page takes them in once a frame.
const postInterval = 16 * time.Millisecond

// inWorker reports whether this program runs in a Web Worker (its global
// scope is a WorkerGlobalScope) rather than in the page. worker.js gives
// the worker stand-ins for document and window (see there), so their
// presence cannot tell.
func inWorker() bool {
	scope := js.Global().Get("WorkerGlobalScope")
	return scope.Type() == js.TypeFunction && js.Global().InstanceOf(scope)
}

// runWorker is main in the worker role: it trains the run the page
// configures, looking at commands between units of work, and posts the
// events back.
func runWorker() {
	lib, err := runner.LoadLibrary()
	if err != nil {
		js.Global().Call("postMessage", map[string]any{"error": "loading the bundled MNIST images: " + err.Error()})
		return
	}
	w := &worker{engine: runner.NewEngine(lib), wake: make(chan struct{}, 1)}
	w.yield = newYield()
	w.listen()
	js.Global().Call("postMessage", workerReady)
	w.loop()
}

// worker is the worker role's state: the engine, and the commands that
// arrived while it was working.
type worker struct {
	engine *runner.Engine
	yield  func()

	mu    sync.Mutex // guards inbox: the message handler runs on another goroutine
	inbox [][]byte
	wake  chan struct{} // signalled when a command arrives

	lastPost time.Time
}

// listen installs the message handler and takes over the messages that
// worker.js queued while the program was starting.
func (w *worker) listen() {
	js.Global().Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		w.receive(bytesOf(args[0].Get("data")))
		return nil
	}))
	queued := js.Global().Get("convlabQueued")
	for i := 0; queued.Truthy() && i < queued.Length(); i++ {
		w.receive(bytesOf(queued.Index(i)))
	}
	js.Global().Delete("convlabQueued")
}

// receive queues a command for the loop. It never blocks: it runs in a
// JavaScript event handler.
func (w *worker) receive(b []byte) {
	w.mu.Lock()
	w.inbox = append(w.inbox, b)
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// loop runs for the worker's life: apply the commands that arrived, do
// one unit of work (at most 10 images of a mini-batch), post events when a
// frame's worth has gathered, and yield to the event loop so the next
// command is seen within one unit. With nothing to do it posts what is
// left and sleeps until a command arrives.
func (w *worker) loop() {
	for {
		if !w.engine.Busy() {
			w.post()
			<-w.wake
		}
		w.step()
		if time.Since(w.lastPost) >= postInterval {
			w.post()
		}
		w.yield()
	}
}

// step applies the queued commands and does one unit of work. A panic
// becomes a Failure of the run instead of ending the worker.
func (w *worker) step() {
	defer func() {
		if r := recover(); r != nil {
			w.engine.Handle(runner.Cancel{})
			w.postEvents([]runner.Event{
				runner.Failure{RunID: w.engine.Run(), Kind: runner.Crashed, Message: fmt.Sprintf("the training worker failed: %v", r)},
				runner.StateChanged{RunID: w.engine.Run(), State: runner.Failed},
			})
		}
	}()
	w.mu.Lock()
	inbox := w.inbox
	w.inbox = nil
	w.mu.Unlock()
	for _, b := range inbox {
		c, err := runner.DecodeCommand(b)
		if err != nil {
			panic(err)
		}
		w.engine.Handle(c)
	}
	w.engine.Work(0) // one unit, if busy
}

// post sends the events gathered since the last post, if any.
func (w *worker) post() {
	w.lastPost = time.Now()
	if events := w.engine.TakeEvents(); len(events) > 0 {
		w.postEvents(events)
	}
}

func (w *worker) postEvents(events []runner.Event) {
	b, err := runner.EncodeEvents(events)
	if err != nil {
		js.Global().Call("postMessage", map[string]any{"error": err.Error()})
		return
	}
	buf := arrayBufferOf(b)
	js.Global().Call("postMessage", buf, []any{buf})
}

// newYield returns a func that lets the event loop run (deliver the page's
// messages) and then resumes: a message to itself through a
// MessageChannel, which, unlike setTimeout, is not clamped to 4 ms.
func newYield() func() {
	channel := js.Global().Get("MessageChannel").New()
	resume := make(chan struct{}, 1)
	channel.Get("port1").Set("onmessage", js.FuncOf(func(js.Value, []js.Value) any {
		select {
		case resume <- struct{}{}:
		default:
		}
		return nil
	}))
	port := channel.Get("port2")
	return func() {
		port.Call("postMessage", js.Null())
		<-resume
	}
}

// bytesOf copies an ArrayBuffer's bytes into Go.
func bytesOf(buf js.Value) []byte {
	view := js.Global().Get("Uint8Array").New(buf)
	b := make([]byte, view.Length())
	js.CopyBytesToGo(b, view)
	return b
}

// arrayBufferOf copies b into a new ArrayBuffer, to be transferred.
func arrayBufferOf(b []byte) js.Value {
	view := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(view, b)
	return view.Get("buffer")
}
