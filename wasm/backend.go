//go:build js && wasm

package main

import (
	"fmt"
	"syscall/js"
	"time"

	"convlab/ui/runner"
)

// newBackend returns where the session's run trains: a Web Worker running
// this program in its worker role, when the browser has workers, the page
// has compiled the module (index.html leaves it in convlabModule) and the
// URL does not ask otherwise (worker=0); else the page's own thread,
// time-sliced.
func newBackend(lib *runner.Library, wantWorker bool) runner.Backend {
	newLocal := func() runner.Backend { return runner.NewLocal(lib) }
	module := js.Global().Get("convlabModule")
	if !wantWorker || js.Global().Get("Worker").Type() != js.TypeFunction || module.Type() != js.TypeObject {
		return newLocal()
	}
	b, err := startWorker(module, newLocal)
	if err != nil {
		warn("training on the page's thread: " + err.Error())
		return newLocal()
	}
	return b
}

// workerBackend trains a session's run in a Web Worker. Commands go out
// and event batches come in as transferred ArrayBuffers; the batches wait
// here until the session polls. If the worker fails before it is ready,
// the backend falls back to training on the page's thread, replaying the
// commands sent so far; if it fails later, the run fails with its reason,
// and the next run (Configure) trains on the page's thread.
type workerBackend struct {
	worker    js.Value
	listeners []js.Func
	newLocal  func() runner.Backend

	ready   bool
	early   []runner.Command // sent before the worker was ready, for a fallback
	arrived [][]byte         // event batches not yet polled
	run     runner.RunID     // the run last configured

	local    runner.Backend // the fallback, once the worker could not start
	stopped  string         // why a ready worker stopped
	reported bool           // the stop has been reported as a Failure
}

// startWorker starts worker.js and hands it the compiled module.
func startWorker(module js.Value, newLocal func() runner.Backend) (b *workerBackend, err error) {
	defer func() {
		if r := recover(); r != nil { // new Worker throws where workers are forbidden
			err = fmt.Errorf("cannot start a Web Worker: %v", r)
		}
	}()
	b = &workerBackend{worker: js.Global().Get("Worker").New("worker.js"), newLocal: newLocal}
	b.listen("message", func(e js.Value) { b.message(e.Get("data")) })
	b.listen("error", func(e js.Value) {
		e.Call("preventDefault") // reported below, not as an uncaught error
		msg := "the worker script failed"
		if m := e.Get("message"); m.Type() == js.TypeString {
			msg = m.String()
		}
		b.workerFailed(msg)
	})
	b.worker.Call("postMessage", map[string]any{"module": module})
	return b, nil
}

func (b *workerBackend) listen(event string, handle func(js.Value)) {
	f := js.FuncOf(func(_ js.Value, args []js.Value) any {
		handle(args[0])
		return nil
	})
	b.listeners = append(b.listeners, f)
	b.worker.Call("addEventListener", event, f)
}

// message takes one message from the worker.
func (b *workerBackend) message(data js.Value) {
	switch {
	case data.Type() == js.TypeString && data.String() == workerReady:
		b.ready, b.early = true, nil
	case data.InstanceOf(js.Global().Get("ArrayBuffer")):
		b.arrived = append(b.arrived, bytesOf(data))
	case data.Type() == js.TypeObject && data.Get("error").Type() == js.TypeString:
		b.workerFailed(data.Get("error").String())
	}
}

// workerFailed falls back to the page's thread if the worker never became
// ready, and otherwise ends the run with the reason.
func (b *workerBackend) workerFailed(reason string) {
	if b.local != nil || b.stopped != "" {
		return
	}
	b.terminate()
	if b.ready {
		b.stopped = reason
		return
	}
	warn("training on the page's thread: the training worker could not start: " + reason)
	b.local = b.newLocal()
	for _, c := range b.early {
		b.local.Send(c)
	}
	b.early = nil
}

// Send posts the command to the worker (which queues it while starting).
func (b *workerBackend) Send(c runner.Command) {
	if b.local != nil {
		b.local.Send(c)
		return
	}
	if cfg, ok := c.(runner.Configure); ok {
		b.run = cfg.Run
	}
	if !b.ready {
		b.early = append(b.early, c)
	}
	if b.stopped != "" {
		if cfg, ok := c.(runner.Configure); ok { // a new run after a crash: train it on the page
			warn("training on the page's thread: the training worker stopped: " + b.stopped)
			b.local = b.newLocal()
			b.local.Send(cfg)
		}
		return
	}
	wire, err := runner.EncodeCommand(c)
	if err != nil {
		b.stopped = err.Error()
		return
	}
	buf := arrayBufferOf(wire)
	b.worker.Call("postMessage", buf, []any{buf})
}

// Poll returns the events that arrived since the last call; the budget is
// the fallback's, since the worker trains on its own.
func (b *workerBackend) Poll(budget time.Duration) []runner.Event {
	if b.local != nil {
		return b.local.Poll(budget)
	}
	var events []runner.Event
	for _, wire := range b.arrived {
		batch, err := runner.DecodeEvents(wire)
		if err != nil {
			b.stopped = "a message from the training worker could not be read: " + err.Error()
			break
		}
		events = append(events, batch...)
	}
	b.arrived = nil
	if b.stopped != "" && !b.reported {
		b.reported = true
		events = append(events,
			runner.Failure{RunID: b.run, Kind: runner.Crashed, Message: "the training worker stopped: " + b.stopped},
			runner.StateChanged{RunID: b.run, State: runner.Failed})
	}
	return events
}

// Where reports runner.InWorker, or runner.InPage after a fallback.
func (b *workerBackend) Where() string {
	if b.local != nil {
		return runner.InPage
	}
	return runner.InWorker
}

// Close stops the worker (or the fallback) and releases the handlers.
func (b *workerBackend) Close() {
	b.terminate()
	if b.local != nil {
		b.local.Close()
	}
	for _, f := range b.listeners {
		f.Release()
	}
	b.listeners = nil
}

func (b *workerBackend) terminate() { b.worker.Call("terminate") }

// warn logs a warning on the page's console.
func warn(msg string) { js.Global().Get("console").Call("warn", "ConvLab: "+msg) }
